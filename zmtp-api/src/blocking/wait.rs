//! Blocking waits beyond send and receive: a message iterator, waiting for close, flush,
//! and the proxy.

use std::convert::Infallible;
use std::future::{Future, IntoFuture};
use std::time::Duration;

use crate::{Error, Message, ProxyEnd, Result};

use super::run::block_on;
use super::socket::Socket;

/// Incoming messages of a blocking socket; see [`Socket::messages`].
#[derive(Debug)]
pub struct Messages {
    socket: Option<Socket>,
}

impl Iterator for Messages {
    type Item = Result<Message>;

    fn next(&mut self) -> Option<Result<Message>> {
        let socket = self.socket.as_ref()?;
        match socket.recv_message() {
            Ok(m) => Some(Ok(m)),
            Err(Error::Closed) => {
                self.socket = None;
                None
            }
            Err(e @ Error::BlockingInRuntime) => {
                self.socket = None;
                Some(Err(e))
            }
            Err(e) => Some(Err(e)),
        }
    }
}

impl std::iter::FusedIterator for Messages {}

impl Socket {
    /// Incoming messages, each waited for (up to RCVTIMEO); the iterator ends when the
    /// socket closes.
    ///
    /// ```
    /// use zmtp_api::{blocking::Socket, SocketType};
    /// let pull = Socket::builder(SocketType::Pull).bind("inproc://blocking-iter").build()?;
    /// let push = Socket::builder(SocketType::Push).connect("inproc://blocking-iter").build()?;
    /// for i in 0..3 {
    ///     push.send(format!("{i}"))?;
    /// }
    /// let firsts: Vec<_> = pull.messages().take(3).map(|m| m.unwrap().frames()[0].clone()).collect();
    /// assert_eq!(firsts, ["0", "1", "2"]);
    /// pull.close();
    /// assert!(pull.messages().next().is_none());
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn messages(&self) -> Messages {
        Messages {
            socket: Some(self.clone()),
        }
    }

    /// Waits until the socket is closed (by any handle) or `timeout` passes; returns
    /// whether it is closed. Racket's `(sync (zmq-closed-evt s))`.
    ///
    /// ```
    /// use std::time::Duration;
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// assert!(!s.wait_closed(Some(Duration::from_millis(10)))?);
    /// let other = s.clone();
    /// std::thread::spawn(move || other.close());
    /// assert!(s.wait_closed(None)?);
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn wait_closed(&self, timeout: Option<Duration>) -> Result<bool> {
        let closed = self.inner.closed();
        match timeout {
            None => block_on(&self.inner.runtime(), closed).map(|()| true),
            Some(t) => block_on(&self.inner.runtime(), async move {
                tokio::time::timeout(t, closed).await.is_ok()
            }),
        }
    }

    /// Waits until queued outgoing messages have been handed to the connections, or
    /// `timeout` passes; returns whether everything left (see [`crate::Socket::flush`]).
    ///
    /// ```
    /// let push = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Push)?;
    /// assert!(push.flush(Some(std::time::Duration::from_millis(10)))?);
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn flush(&self, timeout: Option<Duration>) -> Result<bool> {
        block_on(&self.inner.runtime(), self.inner.flush(timeout))
    }
}

/// A blocking proxy being configured; [`Proxy::run`] runs it. See [`proxy`].
#[must_use = "a proxy does nothing until run"]
#[derive(Debug)]
pub struct Proxy<T = Infallible> {
    inner: crate::Proxy<T>,
    a: Socket,
}

/// Forwards messages between `a` and `b` in both directions until either socket is
/// closed or the [`until`](Proxy::until) future completes; the blocking form of
/// [`crate::proxy`].
///
/// ```
/// use zmtp_api::{blocking::{self, Socket}, ProxyEnd, SocketType};
/// let front = Socket::builder(SocketType::Pull).bind("inproc://bproxy-in").build()?;
/// let back = Socket::builder(SocketType::Push).bind("inproc://bproxy-out").build()?;
/// let input = Socket::builder(SocketType::Push).connect("inproc://bproxy-in").build()?;
/// let output = Socket::builder(SocketType::Pull).connect("inproc://bproxy-out").build()?;
/// let (f, b) = (front.clone(), back.clone());
/// let running = std::thread::spawn(move || blocking::proxy(&f, &b).run());
/// input.send("through")?;
/// assert_eq!(output.recv()?, "through");
/// front.close();
/// assert_eq!(running.join().unwrap()?, ProxyEnd::Closed);
/// # Ok::<(), zmtp_api::Error>(())
/// ```
pub fn proxy(a: &Socket, b: &Socket) -> Proxy<Infallible> {
    Proxy {
        inner: crate::proxy(&a.inner, &b.inner),
        a: a.clone(),
    }
}

impl<T: Send + 'static> Proxy<T> {
    /// Calls `capture(from, &message)` for every message before forwarding it; `from` is
    /// the socket the message was received on (a handle to the same socket as `a` or `b`).
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use zmtp_api::{blocking::{self, Socket}, SocketType};
    /// let a = Socket::builder(SocketType::Pull).bind("inproc://bproxy-cap").build()?;
    /// let b = Socket::new(SocketType::Push)?;
    /// let input = Socket::builder(SocketType::Push).connect("inproc://bproxy-cap").build()?;
    /// let (tx, rx) = mpsc::channel();
    /// let a2 = a.clone();
    /// let (pa, pb) = (a.clone(), b.clone());
    /// std::thread::spawn(move || {
    ///     blocking::proxy(&pa, &pb)
    ///         .capture(move |from, m| tx.send((from.same_socket(&a2), m.clone())).unwrap())
    ///         .run()
    /// });
    /// input.send("seen")?;
    /// let (from_a, m) = rx.recv().unwrap();
    /// assert!(from_a);
    /// assert_eq!(m.frames(), ["seen"]);
    /// a.close();
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn capture(self, mut capture: impl FnMut(&Socket, &Message) + Send + 'static) -> Self {
        let a = self.a.clone();
        let b = Socket::from_async(self.inner.second().clone());
        let inner = self.inner.capture(move |from, m| {
            let side = if from.same_socket(&a.inner) { &a } else { &b };
            capture(side, m)
        });
        Proxy { inner, a: self.a }
    }

    /// Stops the proxy when `until` completes, returning [`ProxyEnd::Other`] with its
    /// value. Any future works; a `tokio::sync::oneshot` receiver is an easy stop signal
    /// from plain threads.
    ///
    /// ```
    /// use zmtp_api::{blocking::{self, Socket}, ProxyEnd, SocketType};
    /// let a = Socket::new(SocketType::Pull)?;
    /// let b = Socket::new(SocketType::Push)?;
    /// let (stop, stopped) = tokio::sync::oneshot::channel();
    /// stop.send("enough").unwrap();
    /// let end = blocking::proxy(&a, &b).until(stopped).run()?;
    /// assert_eq!(end, ProxyEnd::Other(Ok("enough")));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn until<U: Send + 'static>(
        self,
        until: impl Future<Output = U> + Send + 'static,
    ) -> Proxy<U> {
        Proxy {
            inner: self.inner.until(until),
            a: self.a,
        }
    }

    /// Runs the proxy on this thread until it ends.
    ///
    /// ```
    /// use zmtp_api::{blocking::{self, Socket}, ProxyEnd, SocketType};
    /// let a = Socket::new(SocketType::Pair)?;
    /// let b = Socket::new(SocketType::Pair)?;
    /// b.close();
    /// assert_eq!(blocking::proxy(&a, &b).run()?, ProxyEnd::Closed);
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn run(self) -> Result<ProxyEnd<T>> {
        let handle = self.a.inner.runtime();
        block_on(&handle, self.inner.into_future())?
    }
}
