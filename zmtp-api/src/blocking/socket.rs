//! [`Socket`]: the blocking form of [`crate::Socket`], wrapping it (never the reverse).

use std::time::Duration;

use bytes::Bytes;

use crate::{EndpointMode, Error, IntoEndpoints, Message, Result, SocketOption, SocketType};

use super::run::{block_on, block_on_checked, can_block};

impl crate::socket::Socket {
    /// The blocking form of this socket (same methods, no `async`), sharing the socket.
    ///
    /// ```
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pull).unwrap();
    /// let b = s.blocking();
    /// assert!(b.try_recv_message().unwrap().is_none());
    /// ```
    pub fn blocking(&self) -> Socket {
        Socket::from_async(self.clone())
    }
}

/// A socket with blocking methods. Cheap to clone; shares the socket with its async form.
#[derive(Clone, Debug)]
pub struct Socket {
    pub(super) inner: crate::Socket,
}

impl Socket {
    /// Creates a socket (its I/O runs on the internal I/O thread when no runtime is current).
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Push)?;
    /// assert_eq!(s.socket_type(), zmtp_api::SocketType::Push);
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn new(kind: SocketType) -> Result<Socket> {
        Ok(Socket {
            inner: crate::Socket::new(kind)?,
        })
    }

    /// Wraps an async socket.
    pub fn from_async(inner: crate::Socket) -> Socket {
        Socket { inner }
    }

    /// The async form of the same socket.
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// let a: zmtp_api::Socket = s.into_async();
    /// assert!(!a.is_closed());
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn into_async(self) -> crate::Socket {
        self.inner
    }

    /// The socket type.
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Sub)?;
    /// assert_eq!(s.socket_type(), zmtp_api::SocketType::Sub);
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn socket_type(&self) -> SocketType {
        self.inner.socket_type()
    }

    /// Binds (see [`crate::Socket::bind`]).
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// s.bind("tcp://127.0.0.1:*")?;
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn bind(&self, endpoints: impl IntoEndpoints) -> Result<()> {
        self.inner.bind(endpoints)
    }

    /// Connects (see [`crate::Socket::connect`]).
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Push)?;
    /// s.connect("tcp://127.0.0.1:5998")?;
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn connect(&self, endpoints: impl IntoEndpoints) -> Result<()> {
        self.inner.connect(endpoints)
    }

    /// Stops listening on a bound endpoint.
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// s.bind("inproc://blocking-unbind")?;
    /// s.unbind("inproc://blocking-unbind")?;
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn unbind(&self, endpoints: impl IntoEndpoints) -> Result<()> {
        self.inner.unbind(endpoints)
    }

    /// Drops a connection made with [`Socket::connect`].
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Push)?;
    /// s.connect("inproc://blocking-disconnect")?;
    /// s.disconnect("inproc://blocking-disconnect")?;
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn disconnect(&self, endpoints: impl IntoEndpoints) -> Result<()> {
        self.inner.disconnect(endpoints)
    }

    /// The last endpoint bound or connected.
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// s.bind("inproc://blocking-last")?;
    /// assert_eq!(s.last_endpoint()?.as_deref(), Some("inproc://blocking-last"));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn last_endpoint(&self) -> Result<Option<String>> {
        self.inner.last_endpoint()
    }

    /// Endpoints bound or connected, newest first.
    ///
    /// ```
    /// use zmtp_api::EndpointMode;
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// s.bind("inproc://blocking-eps")?;
    /// assert_eq!(s.endpoints(EndpointMode::Bind)?, ["inproc://blocking-eps"]);
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn endpoints(&self, mode: EndpointMode) -> Result<Vec<String>> {
        self.inner.endpoints(mode)
    }

    /// Sets an option.
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// s.set_option(zmtp_api::SocketOption::RcvHwm(10))?;
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn set_option(&self, opt: SocketOption) -> Result<()> {
        self.inner.set_option(opt)
    }

    /// Subscribes (SUB).
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Sub)?;
    /// s.subscribe("a")?;
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn subscribe(&self, topic: impl AsRef<[u8]>) -> Result<()> {
        self.inner.subscribe(topic)
    }

    /// Removes one subscription (SUB).
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Sub)?;
    /// s.subscribe("a")?;
    /// s.unsubscribe("a")?;
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn unsubscribe(&self, topic: impl AsRef<[u8]>) -> Result<()> {
        self.inner.unsubscribe(topic)
    }

    /// Sends a whole message, waiting while the pipe is full (up to SNDTIMEO).
    ///
    /// ```
    /// let pull = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// pull.bind("inproc://blocking-send")?;
    /// let push = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Push)?;
    /// push.connect("inproc://blocking-send")?;
    /// push.send(["a", "b"])?;
    /// assert_eq!(pull.recv_multipart()?, ["a", "b"]);
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn send(&self, msg: impl Into<Message>) -> Result<()> {
        can_block()?;
        // Fast path: a pipe has room, no runtime hand-off needed.
        let msg = match self.inner.try_send_or_return(msg.into()) {
            Ok(settled) => return settled,
            Err(msg) => msg,
        };
        block_on_checked(&self.inner.runtime(), self.inner.send(msg))?
    }

    /// Sends a multipart message given as frames.
    ///
    /// ```
    /// let pull = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// pull.bind("inproc://blocking-send-multi")?;
    /// let push = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Push)?;
    /// push.connect("inproc://blocking-send-multi")?;
    /// push.send_multipart(vec![b"x".to_vec()])?;
    /// assert_eq!(pull.recv()?, "x");
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn send_multipart<I, T>(&self, frames: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: Into<Bytes>,
    {
        self.send(Message::from_frames(frames))
    }

    /// Sends without waiting.
    ///
    /// ```
    /// let push = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Push)?;
    /// assert!(matches!(push.try_send("x"), Err(zmtp_api::Error::WouldBlock)));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn try_send(&self, msg: impl Into<Message>) -> Result<()> {
        self.inner.try_send(msg)
    }

    /// Receives a whole message (up to RCVTIMEO).
    ///
    /// ```
    /// let pull = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// pull.bind("inproc://blocking-recv-msg")?;
    /// let push = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Push)?;
    /// push.connect("inproc://blocking-recv-msg")?;
    /// push.send("m")?;
    /// assert_eq!(pull.recv_message()?.frames(), ["m"]);
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn recv_message(&self) -> Result<Message> {
        can_block()?;
        // Fast path: a message is waiting, no runtime hand-off needed.
        if let Some(m) = self.inner.try_recv_message()? {
            return Ok(m);
        }
        block_on_checked(&self.inner.runtime(), self.inner.recv_message())?
    }

    /// Receives a single-frame message ([`Error::MultiFrame`] otherwise, message consumed).
    ///
    /// ```
    /// let pull = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// pull.bind("inproc://blocking-recv")?;
    /// let push = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Push)?;
    /// push.connect("inproc://blocking-recv")?;
    /// push.send("one")?;
    /// assert_eq!(pull.recv()?, "one");
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn recv(&self) -> Result<Bytes> {
        crate::message::single_frame(self.recv_message()?)
    }

    /// Receives all frames of the next message.
    ///
    /// ```
    /// let pull = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// pull.bind("inproc://blocking-recv-multi")?;
    /// let push = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Push)?;
    /// push.connect("inproc://blocking-recv-multi")?;
    /// push.send(["a", "b"])?;
    /// assert_eq!(pull.recv_multipart()?.len(), 2);
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn recv_multipart(&self) -> Result<Vec<Bytes>> {
        Ok(self.recv_message()?.into_frames().into_vec())
    }

    /// Receives a single-frame UTF-8 message.
    ///
    /// ```
    /// let pull = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// pull.bind("inproc://blocking-recv-str")?;
    /// let push = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Push)?;
    /// push.connect("inproc://blocking-recv-str")?;
    /// push.send("text")?;
    /// assert_eq!(pull.recv_string()?, "text");
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn recv_string(&self) -> Result<String> {
        Ok(String::from_utf8(self.recv()?.to_vec())?)
    }

    /// Receives a message, giving up after `timeout` with [`Error::Timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// let pull = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// let r = pull.recv_timeout(Duration::from_millis(10));
    /// assert!(matches!(r, Err(zmtp_api::Error::Timeout)));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn recv_timeout(&self, timeout: Duration) -> Result<Message> {
        // The timer is created inside the future, once the runtime is entered.
        let recv = async { tokio::time::timeout(timeout, self.inner.recv_message()).await };
        match block_on(&self.inner.runtime(), recv)? {
            Ok(r) => r,
            Err(_) => Err(Error::Timeout),
        }
    }

    /// Takes the next message if one is waiting.
    ///
    /// ```
    /// let pull = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// assert!(pull.try_recv_message()?.is_none());
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn try_recv_message(&self) -> Result<Option<Message>> {
        self.inner.try_recv_message()
    }

    /// Closes the socket (idempotent).
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// s.close();
    /// assert!(s.is_closed());
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn close(&self) {
        self.inner.close();
    }

    /// Closes and waits until queued messages left (or the linger time ran out).
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Push)?;
    /// s.close_and_flush()?;
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn close_and_flush(&self) -> Result<()> {
        block_on(&self.inner.runtime(), self.inner.close_and_flush())
    }

    /// True after close.
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// assert!(!s.is_closed());
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }
}

/// Waits until one of `sockets` has a message (or `timeout` passes: `Ok(None)`), and
/// returns its index and the message. Only the returned message is taken. A closed
/// socket is never ready (as a closed socket used as a Racket event); only when every
/// socket is closed does `select` fail, with [`Error::Closed`], instead of waiting for
/// ever.
///
/// ```
/// use zmtp_api::{blocking, SocketType};
/// let a = blocking::Socket::new(SocketType::Pull)?;
/// a.bind("inproc://select-a")?;
/// let b = blocking::Socket::new(SocketType::Pull)?;
/// b.bind("inproc://select-b")?;
/// let push = blocking::Socket::new(SocketType::Push)?;
/// push.connect("inproc://select-b")?;
/// push.send("for b")?;
/// let (i, msg) = blocking::select(&[&a, &b], None)?.unwrap();
/// assert_eq!((i, msg.frames()[0].as_ref()), (1, &b"for b"[..]));
/// assert!(blocking::select(&[&a], Some(std::time::Duration::from_millis(10)))?.is_none());
/// # Ok::<(), zmtp_api::Error>(())
/// ```
pub fn select(sockets: &[&Socket], timeout: Option<Duration>) -> Result<Option<(usize, Message)>> {
    let Some(first) = sockets.first() else {
        return Ok(None);
    };
    let any = futures::future::select_all(sockets.iter().enumerate().map(|(i, s)| {
        Box::pin(async move {
            match s.inner.recv_message().await {
                // A closed socket is never ready, unless every socket is closed: then
                // nothing could ever become ready.
                Err(Error::Closed) if !sockets.iter().all(|s| s.is_closed()) => {
                    std::future::pending().await
                }
                r => r.map(|m| (i, m)),
            }
        })
    }));
    let any = async move { any.await.0 };
    let handle = first.inner.runtime();
    match timeout {
        None => block_on(&handle, any)?.map(Some),
        Some(t) => match block_on(&handle, async { tokio::time::timeout(t, any).await })? {
            Ok(r) => r.map(Some),
            Err(_) => Ok(None),
        },
    }
}
