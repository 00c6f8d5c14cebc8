//! [`proxy`]: Racket's `zmq-proxy`, a symmetric forwarder between two sockets.

use std::convert::Infallible;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use zmtp_codec::SocketType;
use zmtp_sockets::Message;

use crate::error::{Error, Result};
use crate::socket::Socket;

/// Why a proxy stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProxyEnd<T> {
    /// One of the two sockets was closed.
    Closed,
    /// The [`until`](Proxy::until) future completed with this value.
    Other(T),
}

type Capture = Box<dyn FnMut(&Socket, &Message) + Send>;
type Until<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// A proxy being configured; `.await` it (or spawn it) to run. See [`proxy`].
#[must_use = "a proxy does nothing until awaited"]
pub struct Proxy<T = Infallible> {
    a: Socket,
    b: Socket,
    capture: Option<Capture>,
    until: Until<T>,
}

impl<T> std::fmt::Debug for Proxy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxy")
            .field("a", &self.a)
            .field("b", &self.b)
            .field("capture", &self.capture.is_some())
            .finish_non_exhaustive()
    }
}

/// Forwards every message received on `a` to `b` and every message received on `b` to
/// `a`, until either socket is closed ([`ProxyEnd::Closed`]) or the
/// [`until`](Proxy::until) future completes ([`ProxyEnd::Other`]). Both sides are
/// treated alike; a full destination makes the proxy wait, as in Racket. Errors other
/// than a closed socket (e.g. a REQ socket's state error) end the proxy with `Err`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmtp_api::Result<()> {
/// use zmtp_api::{proxy, ProxyEnd, Socket, SocketType};
/// let front = Socket::builder(SocketType::Pull).bind("inproc://doc-proxy-in").build()?;
/// let back = Socket::builder(SocketType::Push).bind("inproc://doc-proxy-out").build()?;
/// let input = Socket::builder(SocketType::Push).connect("inproc://doc-proxy-in").build()?;
/// let output = Socket::builder(SocketType::Pull).connect("inproc://doc-proxy-out").build()?;
///
/// let (stop, stopped) = tokio::sync::oneshot::channel::<&str>();
/// let running = tokio::spawn(proxy(&front, &back).until(stopped).into_future());
/// input.send("through").await?;
/// assert_eq!(output.recv().await?, "through");
/// stop.send("done").unwrap();
/// assert_eq!(running.await.unwrap()?, ProxyEnd::Other(Ok("done")));
/// # Ok(()) }
/// ```
pub fn proxy(a: &Socket, b: &Socket) -> Proxy<Infallible> {
    Proxy {
        a: a.clone(),
        b: b.clone(),
        capture: None,
        until: Box::pin(std::future::pending()),
    }
}

impl<T: Send + 'static> Proxy<T> {
    /// Calls `capture(from, &message)` for every message before forwarding it; `from` is
    /// the socket the message was received on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use std::sync::{Arc, Mutex};
    /// use zmtp_api::{proxy, ProxyEnd, Socket, SocketType};
    /// let a = Socket::builder(SocketType::Pair).bind("inproc://doc-cap-a").build()?;
    /// let b = Socket::builder(SocketType::Pair).bind("inproc://doc-cap-b").build()?;
    /// let pa = Socket::builder(SocketType::Pair).connect("inproc://doc-cap-a").build()?;
    /// let pb = Socket::builder(SocketType::Pair).connect("inproc://doc-cap-b").build()?;
    /// let seen = Arc::new(Mutex::new(Vec::new()));
    /// let log = seen.clone();
    /// let a2 = a.clone();
    /// let running = tokio::spawn(
    ///     proxy(&a, &b)
    ///         .capture(move |from, m| {
    ///             let side = if from.same_socket(&a2) { "a" } else { "b" };
    ///             log.lock().unwrap().push((side, m.frames()[0].clone()));
    ///         })
    ///         .into_future(),
    /// );
    /// pa.send("ping").await?;
    /// assert_eq!(pb.recv().await?, "ping");
    /// pb.send("pong").await?;
    /// assert_eq!(pa.recv().await?, "pong");
    /// a.close();
    /// assert_eq!(running.await.unwrap()?, ProxyEnd::Closed);
    /// assert_eq!(*seen.lock().unwrap(), [("a", "ping".into()), ("b", "pong".into())]);
    /// # Ok(()) }
    /// ```
    pub fn capture(mut self, capture: impl FnMut(&Socket, &Message) + Send + 'static) -> Self {
        self.capture = Some(Box::new(capture));
        self
    }

    /// Stops the proxy when `until` completes, returning [`ProxyEnd::Other`] with its
    /// value (Racket's `#:other-evt`). Replaces an earlier `until`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use std::time::Duration;
    /// use zmtp_api::{proxy, ProxyEnd, Socket, SocketType};
    /// let a = Socket::new(SocketType::Pull)?;
    /// let b = Socket::new(SocketType::Push)?;
    /// let end = proxy(&a, &b).until(tokio::time::sleep(Duration::from_millis(10))).await?;
    /// assert_eq!(end, ProxyEnd::Other(()));
    /// # Ok(()) }
    /// ```
    pub fn until<U>(self, until: impl Future<Output = U> + Send + 'static) -> Proxy<U> {
        Proxy {
            a: self.a,
            b: self.b,
            capture: self.capture,
            until: Box::pin(until),
        }
    }

    /// The second socket (for the blocking wrapper's capture).
    pub(crate) fn second(&self) -> &Socket {
        &self.b
    }

    async fn run(mut self) -> Result<ProxyEnd<T>> {
        // RCVTIMEO/SNDTIMEO do not apply: the proxy waits as long as it runs.
        let (mut a_closed, mut b_closed) = (self.a.closed(), self.b.closed());
        // A socket that cannot receive (PUB, PUSH) is never ready, as in Racket.
        let (a_reads, b_reads) = (receives(&self.a), receives(&self.b));
        loop {
            let (from, to, msg) = tokio::select! {
                _ = &mut a_closed => return Ok(ProxyEnd::Closed),
                _ = &mut b_closed => return Ok(ProxyEnd::Closed),
                v = &mut self.until => return Ok(ProxyEnd::Other(v)),
                m = self.a.core().recv(), if a_reads => (&self.a, &self.b, m),
                m = self.b.core().recv(), if b_reads => (&self.b, &self.a, m),
            };
            let msg = match msg.map_err(Error::from) {
                Ok(m) => m,
                Err(Error::Closed) => return Ok(ProxyEnd::Closed),
                Err(e) => return Err(e),
            };
            if let Some(capture) = self.capture.as_mut() {
                capture(from, &msg);
            }
            match to.core().send(msg).await.map_err(Error::from) {
                Ok(()) => {}
                Err(Error::Closed) => return Ok(ProxyEnd::Closed),
                Err(e) => return Err(e),
            }
        }
    }
}

fn receives(s: &Socket) -> bool {
    !matches!(s.socket_type(), SocketType::Pub | SocketType::Push)
}

impl<T: Send + 'static> IntoFuture for Proxy<T> {
    type Output = Result<ProxyEnd<T>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<ProxyEnd<T>>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
