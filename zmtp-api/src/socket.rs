//! The async socket handle.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use bytes::Bytes;

use zmtp_sockets::routing::RoutingOption;

use crate::{EndpointMode, Error, Message, Result, SocketOption, SocketType};

struct Inner {
    core: zmtp_sockets::Socket,
    /// RCVTIMEO / SNDTIMEO in ms; -1 = none.
    rcvtimeo: AtomicI64,
    sndtimeo: AtomicI64,
    /// Option values the engine cannot report back.
    shadow: crate::options::Shadow,
    /// The context the socket was made in (its policy applies).
    context: crate::Context,
    /// The socket's own endpoint policy.
    policy: std::sync::RwLock<Option<Arc<dyn crate::policy::EndpointPolicy>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.core.close();
    }
}

/// A ZeroMQ socket: a cheap `Clone + Send + Sync` handle. Dropping the last handle closes
/// the socket.
#[derive(Clone)]
pub struct Socket {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket")
            .field("type", &self.socket_type())
            .field("bound", &self.endpoints(EndpointMode::Bind))
            .field("connected", &self.endpoints(EndpointMode::Connect))
            .finish()
    }
}

fn ms(v: i64, name: &'static str) -> Result<Option<Duration>> {
    match v {
        -1 => Ok(None),
        v if v >= 0 => Ok(Some(Duration::from_millis(v as u64))),
        _ => Err(Error::InvalidOptionValue(name)),
    }
}

fn routing(core: &zmtp_sockets::Socket, opt: RoutingOption, name: &'static str) -> Result<()> {
    core.set_routing_option(opt).map_err(|e| match e {
        zmtp_sockets::SocketError::NotSupported(_) => Error::OptionNotSupported(name),
        other => other.into(),
    })
}

impl Socket {
    /// Creates a socket of the given type. Inside a tokio runtime it runs there; outside
    /// one it uses an internal I/O thread.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Push)?;
    /// assert_eq!(s.socket_type(), zmtp_api::SocketType::Push);
    /// # Ok(()) }
    /// ```
    pub fn new(kind: SocketType) -> Result<Socket> {
        Socket::with_context(kind, &crate::Context::current())
    }

    /// Creates a socket in the given context (its inproc namespace and policy).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Context, Socket, SocketType};
    /// let ctx = Context::new();
    /// let a = Socket::with_context(SocketType::Pair, &ctx)?;
    /// a.bind("inproc://ctx-private")?;
    /// // The same name is free in another context.
    /// Socket::new(SocketType::Pair)?.bind("inproc://ctx-private")?;
    /// # Ok(()) }
    /// ```
    pub fn with_context(kind: SocketType, context: &crate::Context) -> Result<Socket> {
        let core = zmtp_sockets::Socket::with_context(kind, context.engine())?;
        Ok(Socket {
            inner: Arc::new(Inner {
                core,
                rcvtimeo: AtomicI64::new(-1),
                sndtimeo: AtomicI64::new(-1),
                shadow: Default::default(),
                context: context.clone(),
                policy: Default::default(),
            }),
        })
    }

    /// The socket's type.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::XPub)?;
    /// assert_eq!(s.socket_type(), zmtp_api::SocketType::XPub);
    /// # Ok(()) }
    /// ```
    pub fn socket_type(&self) -> SocketType {
        self.inner.core.kind()
    }

    /// The last endpoint bound or connected, with a wildcard port resolved.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pub)?;
    /// assert_eq!(s.last_endpoint(), None);
    /// s.bind("inproc://doc-last")?;
    /// assert_eq!(s.last_endpoint().as_deref(), Some("inproc://doc-last"));
    /// # Ok(()) }
    /// ```
    pub fn last_endpoint(&self) -> Option<String> {
        self.inner.core.last_endpoint().map(|e| e.to_string())
    }

    /// Endpoints bound or connected, newest first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::EndpointMode;
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pub)?;
    /// s.bind("inproc://doc-a")?;
    /// s.bind("inproc://doc-b")?;
    /// assert_eq!(s.endpoints(EndpointMode::Bind), ["inproc://doc-b", "inproc://doc-a"]);
    /// # Ok(()) }
    /// ```
    pub fn endpoints(&self, mode: EndpointMode) -> Vec<String> {
        self.inner
            .core
            .endpoints(mode == EndpointMode::Bind)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Sets an option. Like libzmq, changes apply to connections made afterwards.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::SocketOption;
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Push)?;
    /// s.set_option(SocketOption::SndHwm(10))?;
    /// assert!(s.set_option(SocketOption::Linger(-5)).is_err());
    /// # Ok(()) }
    /// ```
    pub fn set_option(&self, opt: SocketOption) -> Result<()> {
        self.apply_option(opt.clone())?;
        self.inner.shadow.record(&opt);
        Ok(())
    }

    fn apply_option(&self, opt: SocketOption) -> Result<()> {
        let core = &self.inner.core;
        match opt {
            SocketOption::SndHwm(n) => core.update_options(|o| o.sndhwm = n),
            SocketOption::RcvHwm(n) => core.update_options(|o| o.rcvhwm = n),
            SocketOption::Linger(v) => {
                let d = ms(v, "linger")?;
                core.update_options(|o| o.linger = d);
            }
            SocketOption::ReconnectIvl(v) => {
                let d = ms(v, "reconnect_ivl")?;
                core.update_options(|o| o.reconnect_ivl = d.filter(|d| !d.is_zero()));
            }
            SocketOption::ReconnectIvlMax(v) => {
                let d = ms(v, "reconnect_ivl_max")?
                    .ok_or(Error::InvalidOptionValue("reconnect_ivl_max"))?;
                core.update_options(|o| o.reconnect_ivl_max = d);
            }
            SocketOption::HandshakeIvl(v) => {
                if v < 0 {
                    return Err(Error::InvalidOptionValue("handshake_ivl"));
                }
                let d = (v > 0).then(|| Duration::from_millis(v as u64));
                core.update_options(|o| o.handshake_ivl = d);
            }
            SocketOption::MaxMsgSize(v) => {
                if v < -1 {
                    return Err(Error::InvalidOptionValue("maxmsgsize"));
                }
                let m = (v >= 0).then_some(v as u64);
                core.update_options(|o| o.max_msg_size = m);
            }
            SocketOption::RoutingId(id) => {
                if id.is_empty() || id.len() > 255 {
                    return Err(Error::InvalidOptionValue("routing_id"));
                }
                core.update_options(|o| o.routing_id = id);
            }
            SocketOption::ConnectRoutingId(id) => {
                if id.is_empty() || id.len() > 255 {
                    return Err(Error::InvalidOptionValue("connect_routing_id"));
                }
                core.update_options(|o| o.connect_routing_id = Some(id));
            }
            SocketOption::Immediate(v) => core.update_options(|o| o.immediate = v),
            SocketOption::Conflate(v) => {
                use SocketType as T;
                if !matches!(
                    self.socket_type(),
                    T::Dealer | T::Pull | T::Push | T::Pub | T::Sub
                ) {
                    return Err(Error::OptionNotSupported("conflate"));
                }
                core.update_options(|o| o.conflate = v);
            }
            SocketOption::RouterMandatory(v) => {
                routing(core, RoutingOption::RouterMandatory(v), "router_mandatory")?
            }
            SocketOption::RouterHandover(v) => {
                routing(core, RoutingOption::RouterHandover(v), "router_handover")?
            }
            SocketOption::ProbeRouter(v) => {
                routing(core, RoutingOption::ProbeRouter(v), "probe_router")?
            }
            SocketOption::ReqCorrelate(v) => {
                routing(core, RoutingOption::ReqCorrelate(v), "req_correlate")?
            }
            SocketOption::ReqRelaxed(v) => {
                routing(core, RoutingOption::ReqRelaxed(v), "req_relaxed")?
            }
            SocketOption::XpubVerbose(v) => {
                routing(core, RoutingOption::XpubVerbose(v), "xpub_verbose")?
            }
            SocketOption::XpubVerboser(v) => {
                routing(core, RoutingOption::XpubVerboser(v), "xpub_verboser")?
            }
            SocketOption::XpubManual(v) => {
                routing(core, RoutingOption::XpubManual(v), "xpub_manual")?
            }
            SocketOption::XpubNodrop(v) => {
                routing(core, RoutingOption::XpubNodrop(v), "xpub_nodrop")?
            }
            SocketOption::XpubWelcomeMsg(m) => {
                let m = (!m.is_empty()).then_some(m);
                routing(core, RoutingOption::XpubWelcomeMsg(m), "xpub_welcome_msg")?
            }
            SocketOption::InvertMatching(v) => {
                routing(core, RoutingOption::InvertMatching(v), "invert_matching")?
            }
            SocketOption::StreamNotify(v) => {
                routing(core, RoutingOption::StreamNotify(v), "stream_notify")?
            }
            SocketOption::RcvTimeo(v) => {
                ms(v, "rcvtimeo")?;
                self.inner.rcvtimeo.store(v, Ordering::Relaxed);
            }
            SocketOption::SndTimeo(v) => {
                ms(v, "sndtimeo")?;
                self.inner.sndtimeo.store(v, Ordering::Relaxed);
            }
        }
        Ok(())
    }

    /// Subscribes to messages whose first frame starts with `topic` (SUB); `""` takes all.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Sub)?;
    /// s.subscribe("weather.")?;
    /// # Ok(()) }
    /// ```
    pub fn subscribe(&self, topic: impl AsRef<[u8]>) -> Result<()> {
        self.inner
            .core
            .subscribe(Bytes::copy_from_slice(topic.as_ref()))?;
        Ok(())
    }

    /// Removes one subscription (SUB).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Sub)?;
    /// s.subscribe("a")?;
    /// s.unsubscribe("a")?;
    /// # Ok(()) }
    /// ```
    pub fn unsubscribe(&self, topic: impl AsRef<[u8]>) -> Result<()> {
        self.inner
            .core
            .unsubscribe(Bytes::copy_from_slice(topic.as_ref()))?;
        Ok(())
    }

    /// Sends a whole message (one or more frames), waiting while the pipe is full.
    /// Cancel-safe: if the future is dropped, either all of the message was queued or none.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Socket, SocketType};
    /// let pull = Socket::new(SocketType::Pull)?;
    /// pull.bind("inproc://doc-send")?;
    /// let push = Socket::new(SocketType::Push)?;
    /// push.connect("inproc://doc-send")?;
    /// push.send("one frame").await?;
    /// push.send(["two", "frames"]).await?;
    /// assert_eq!(pull.recv().await?, "one frame");
    /// assert_eq!(pull.recv_multipart().await?, ["two", "frames"]);
    /// # Ok(()) }
    /// ```
    pub async fn send(&self, msg: impl Into<Message>) -> Result<()> {
        // Fast path with a small future: most sends find room at once. Only a send that
        // must wait (its pipes are full) builds, and boxes, the waiting future, so the
        // common call moves no large future around.
        match self.try_send_or_return(msg.into()) {
            Ok(settled) => settled,
            Err(msg) => Box::pin(self.send_waiting(msg)).await,
        }
    }

    /// The waiting part of [`Socket::send`] (SNDTIMEO applies).
    async fn send_waiting(&self, msg: Message) -> Result<()> {
        let send = self.inner.core.send(msg);
        match ms(self.inner.sndtimeo.load(Ordering::Relaxed), "sndtimeo")? {
            None => send.await?,
            Some(t) => tokio::time::timeout(t, send)
                .await
                .map_err(|_| Error::Timeout)??,
        }
        Ok(())
    }

    /// Sends a multipart message given as frames.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Socket, SocketType};
    /// let pull = Socket::new(SocketType::Pull)?;
    /// pull.bind("inproc://doc-multi")?;
    /// let push = Socket::new(SocketType::Push)?;
    /// push.connect("inproc://doc-multi")?;
    /// push.send_multipart(vec![b"a".to_vec(), b"b".to_vec()]).await?;
    /// assert_eq!(pull.recv_multipart().await?.len(), 2);
    /// # Ok(()) }
    /// ```
    pub async fn send_multipart<I, T>(&self, frames: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: Into<Bytes>,
    {
        self.send(Message::from_frames(frames)).await
    }

    /// Sends without waiting; [`Error::WouldBlock`] when no pipe has room now.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let push = zmtp_api::Socket::new(zmtp_api::SocketType::Push)?;
    /// // No peer and no pipe yet: nothing can take the message.
    /// assert!(matches!(push.try_send("x"), Err(zmtp_api::Error::WouldBlock)));
    /// # Ok(()) }
    /// ```
    pub fn try_send(&self, msg: impl Into<Message>) -> Result<()> {
        self.inner
            .core
            .try_send(msg.into())
            .map_err(|f| f.error.into())
    }

    /// Queues `msg` if a pipe has room now: `Ok(result)` when the send is settled (sent,
    /// or failed for good), `Err(msg)` handed back when it would have to wait.
    pub(crate) fn try_send_or_return(
        &self,
        msg: Message,
    ) -> std::result::Result<Result<()>, Message> {
        match self.inner.core.try_send(msg) {
            Ok(()) => Ok(Ok(())),
            Err(zmtp_sockets::SendFailure {
                error: zmtp_sockets::SocketError::WouldBlock,
                message: Some(m),
            }) => Err(m),
            Err(f) => Ok(Err(f.error.into())),
        }
    }

    /// Receives the next whole message. Cancel-safe: a dropped future loses nothing.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Socket, SocketType};
    /// let pull = Socket::new(SocketType::Pull)?;
    /// pull.bind("inproc://doc-recv-msg")?;
    /// let push = Socket::new(SocketType::Push)?;
    /// push.connect("inproc://doc-recv-msg")?;
    /// push.send(["a", "b"]).await?;
    /// let msg = pull.recv_message().await?;
    /// assert_eq!(msg.frames(), ["a", "b"]);
    /// # Ok(()) }
    /// ```
    pub async fn recv_message(&self) -> Result<Message> {
        // Fast path: take a waiting message without building the waiting future. With
        // RCVTIMEO the waiting future is boxed (see `send`).
        if let Some(m) = self.try_recv_message()? {
            return Ok(m);
        }
        match ms(self.inner.rcvtimeo.load(Ordering::Relaxed), "rcvtimeo")? {
            None => Ok(self.inner.core.recv().await?),
            Some(t) => {
                Box::pin(async move {
                    tokio::time::timeout(t, self.inner.core.recv())
                        .await
                        .map_err(|_| Error::Timeout)?
                        .map_err(Error::from)
                })
                .await
            }
        }
    }

    /// Receives a single-frame message. A multi-frame message is consumed and returned
    /// inside [`Error::MultiFrame`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Error, Socket, SocketType};
    /// let pull = Socket::new(SocketType::Pull)?;
    /// pull.bind("inproc://doc-recv")?;
    /// let push = Socket::new(SocketType::Push)?;
    /// push.connect("inproc://doc-recv")?;
    /// push.send(["a", "b"]).await?;
    /// assert!(matches!(pull.recv().await, Err(Error::MultiFrame { frames: 2, .. })));
    /// # Ok(()) }
    /// ```
    pub async fn recv(&self) -> Result<Bytes> {
        single_frame(self.recv_message().await?)
    }

    /// Receives all frames of the next message.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Socket, SocketType};
    /// let pull = Socket::new(SocketType::Pull)?;
    /// pull.bind("inproc://doc-recv-multi")?;
    /// let push = Socket::new(SocketType::Push)?;
    /// push.connect("inproc://doc-recv-multi")?;
    /// push.send(["x", "y", "z"]).await?;
    /// assert_eq!(pull.recv_multipart().await?, ["x", "y", "z"]);
    /// # Ok(()) }
    /// ```
    pub async fn recv_multipart(&self) -> Result<Vec<Bytes>> {
        Ok(self.recv_message().await?.into_frames().into_vec())
    }

    /// Receives a single-frame message as UTF-8 text.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Socket, SocketType};
    /// let pull = Socket::new(SocketType::Pull)?;
    /// pull.bind("inproc://doc-recv-str")?;
    /// let push = Socket::new(SocketType::Push)?;
    /// push.connect("inproc://doc-recv-str")?;
    /// push.send("héllo").await?;
    /// assert_eq!(pull.recv_string().await?, "héllo");
    /// # Ok(()) }
    /// ```
    pub async fn recv_string(&self) -> Result<String> {
        let b = self.recv().await?;
        Ok(String::from_utf8(b.to_vec())?)
    }

    /// Takes the next message if one is waiting.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let pull = zmtp_api::Socket::new(zmtp_api::SocketType::Pull)?;
    /// assert!(pull.try_recv_message()?.is_none());
    /// # Ok(()) }
    /// ```
    pub fn try_recv_message(&self) -> Result<Option<Message>> {
        Ok(self.inner.core.try_recv()?)
    }

    /// Waits until queued outgoing messages have been handed to the connections (or the
    /// timeout passes); returns whether everything left. Useful before exiting a sender.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let push = zmtp_api::Socket::new(zmtp_api::SocketType::Push)?;
    /// assert!(push.flush(Some(std::time::Duration::from_millis(10))).await);
    /// # Ok(()) }
    /// ```
    pub async fn flush(&self, timeout: Option<Duration>) -> bool {
        self.inner.core.flush(timeout).await
    }

    /// A stream of incoming messages, usable in `tokio::select!`: a message is only taken
    /// when the stream yields it, so a dropped `next()` loses nothing. The stream ends when
    /// the socket closes.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use futures::StreamExt;
    /// use zmtp_api::{Socket, SocketType};
    /// let pull = Socket::new(SocketType::Pull)?;
    /// pull.bind("inproc://doc-messages")?;
    /// let push = Socket::new(SocketType::Push)?;
    /// push.connect("inproc://doc-messages")?;
    /// push.send("m").await?;
    /// let mut messages = pull.messages();
    /// let msg = messages.next().await.unwrap()?;
    /// assert_eq!(msg.frames(), ["m"]);
    /// # Ok(()) }
    /// ```
    pub fn messages(&self) -> crate::Messages {
        crate::stream::messages(self.clone())
    }

    /// A future that completes once the socket is closed; clone it freely, many tasks
    /// can wait and none consumes the signal.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pull)?;
    /// let closed = s.closed();
    /// s.close();
    /// closed.clone().await;
    /// closed.await;
    /// # Ok(()) }
    /// ```
    pub fn closed(&self) -> crate::Closed {
        crate::Closed::new(self.inner.core.closed_token())
    }

    /// The blocking form of this socket (same methods, no `async`), sharing the socket.
    ///
    /// ```
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pull).unwrap();
    /// let b = s.blocking();
    /// assert!(b.try_recv_message().unwrap().is_none());
    /// ```
    pub fn blocking(&self) -> crate::blocking::Socket {
        crate::blocking::Socket::from_async(self.clone())
    }

    pub(crate) fn runtime(&self) -> tokio::runtime::Handle {
        self.inner.core.runtime()
    }

    /// True when both handles refer to the same socket.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let a = zmtp_api::Socket::new(zmtp_api::SocketType::Pair)?;
    /// let b = zmtp_api::Socket::new(zmtp_api::SocketType::Pair)?;
    /// assert!(a.same_socket(&a.clone()));
    /// assert!(!a.same_socket(&b));
    /// # Ok(()) }
    /// ```
    pub fn same_socket(&self, other: &Socket) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    pub(crate) fn context_ref(&self) -> &crate::Context {
        &self.inner.context
    }

    pub(crate) fn policy_slot(
        &self,
    ) -> &std::sync::RwLock<Option<Arc<dyn crate::policy::EndpointPolicy>>> {
        &self.inner.policy
    }

    pub(crate) fn core(&self) -> &zmtp_sockets::Socket {
        &self.inner.core
    }

    pub(crate) fn shadow(&self) -> &crate::options::Shadow {
        &self.inner.shadow
    }

    /// RCVTIMEO (`rcv`) or SNDTIMEO in ms; -1 = none.
    pub(crate) fn timeout_ms(&self, rcv: bool) -> i64 {
        let t = if rcv {
            &self.inner.rcvtimeo
        } else {
            &self.inner.sndtimeo
        };
        t.load(Ordering::Relaxed)
    }

    /// Closes the socket. Idempotent; pending messages get the linger time to leave.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pull)?;
    /// s.close();
    /// s.close();
    /// assert!(s.is_closed());
    /// assert!(matches!(s.recv().await, Err(zmtp_api::Error::Closed)));
    /// # Ok(()) }
    /// ```
    pub fn close(&self) {
        self.inner.core.close();
    }

    /// Closes the socket and waits until queued messages have been written (or the linger
    /// time ran out) and every connection has ended. Use it before a sender exits.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Socket, SocketType};
    /// let pull = Socket::new(SocketType::Pull)?;
    /// pull.bind("tcp://127.0.0.1:*")?;
    /// let push = Socket::new(SocketType::Push)?;
    /// push.connect(&pull.last_endpoint().unwrap())?;
    /// push.send("last words").await?;
    /// push.close_and_flush().await;
    /// assert_eq!(pull.recv().await?, "last words");
    /// # Ok(()) }
    /// ```
    pub async fn close_and_flush(&self) {
        self.inner.core.close_and_flush().await;
    }

    /// True after [`Socket::close`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pull)?;
    /// assert!(!s.is_closed());
    /// # Ok(()) }
    /// ```
    pub fn is_closed(&self) -> bool {
        self.inner.core.is_closed()
    }
}

/// The body of a single-frame message; a multi-frame one is handed back in
/// [`Error::MultiFrame`].
#[inline]
pub(crate) fn single_frame(msg: Message) -> Result<Bytes> {
    if msg.is_single_frame() {
        let mut frames = msg.into_frames();
        frames.pop().ok_or(Error::EmptyMessage)
    } else {
        Err(Error::MultiFrame {
            frames: msg.len(),
            message: msg,
        })
    }
}
