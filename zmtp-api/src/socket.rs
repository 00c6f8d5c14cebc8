//! The async socket handle: its shared state, creation and closing. The other methods
//! live by concept in [`crate::send`], [`crate::recv`], [`crate::options`],
//! [`crate::endpoints`] and [`crate::stream`], each an `impl Socket` block that depends on
//! this module, never the reverse.

use std::sync::{Arc, RwLock};

use zmtp_codec::SocketType;

use crate::context::Context;
use crate::error::Result;
use crate::policy::EndpointPolicy;

struct Inner {
    core: zmtp_sockets::Socket,
    /// The context the socket was made in (its policy applies).
    context: Context,
    /// The socket's own endpoint policy.
    policy: RwLock<Option<Arc<dyn EndpointPolicy>>>,
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
        let list = |bound: bool| -> Vec<String> {
            let eps = self.inner.core.endpoints(bound);
            eps.iter().map(ToString::to_string).collect()
        };
        f.debug_struct("Socket")
            .field("type", &self.socket_type())
            .field("bound", &list(true))
            .field("connected", &list(false))
            .finish()
    }
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
        Socket::with_context(kind, &Context::current())
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
    pub fn with_context(kind: SocketType, context: &Context) -> Result<Socket> {
        let core = zmtp_sockets::Socket::with_context(kind, context.engine())?;
        Ok(Socket {
            inner: Arc::new(Inner {
                core,
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

    pub(crate) fn runtime(&self) -> tokio::runtime::Handle {
        self.inner.core.runtime()
    }

    pub(crate) fn context_ref(&self) -> &Context {
        &self.inner.context
    }

    pub(crate) fn policy_slot(&self) -> &RwLock<Option<Arc<dyn EndpointPolicy>>> {
        &self.inner.policy
    }

    pub(crate) fn core(&self) -> &zmtp_sockets::Socket {
        &self.inner.core
    }

    /// Closes the socket. Idempotent; pending messages get the linger time to leave.
    ///
    /// Afterwards every operation fails with [`Error::Closed`](crate::Error::Closed)
    /// (Racket: "socket is closed"; libzmq: `ENOTSOCK`): send, receive and their `try_`
    /// forms, bind, connect, unbind and disconnect in all their forms, subscribe,
    /// unsubscribe, and reading or setting options. Deliberately exempt, by what they
    /// are for: `close` and `close_and_flush` (idempotent), `is_closed`, `closed` and
    /// `wait_closed` (they report the closing), `messages` (the stream or iterator ends,
    /// and in `blocking::select` a closed socket is never ready, like a closed socket as
    /// a Racket event), `proxy` (ends with `ProxyEnd::Closed`, as Racket's `zmq-proxy`
    /// returns when a socket closes), `flush` (queued messages may still leave within
    /// the linger time), the local facts `socket_type`, `same_socket`, `context`,
    /// `set_policy` and `list_options`. `last_endpoint` and `endpoints` fail too, as
    /// libzmq's `ZMQ_LAST_ENDPOINT` and Racket's `zmq-list-endpoints` do.
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
    /// push.connect(&pull.last_endpoint()?.unwrap())?;
    /// push.send("last words").await?;
    /// push.close_and_flush().await;
    /// assert_eq!(pull.recv().await?, "last words");
    /// # Ok(()) }
    /// ```
    pub async fn close_and_flush(&self) {
        self.inner.core.close_and_flush().await;
    }

    /// [`Error::Closed`](crate::Error::Closed) once the socket is closed; every
    /// operation that is not exempt (see [`Socket::close`]) checks this first.
    pub(crate) fn check_open(&self) -> Result<()> {
        if self.is_closed() {
            Err(crate::Error::Closed)
        } else {
            Ok(())
        }
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

impl Context {
    /// Creates a socket in this context.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Context, SocketType};
    /// let ctx = Context::new();
    /// let s = ctx.socket(SocketType::Pair)?;
    /// assert!(s.context().same_as(&ctx));
    /// # Ok(()) }
    /// ```
    pub fn socket(&self, kind: SocketType) -> Result<Socket> {
        Socket::with_context(kind, self)
    }
}
