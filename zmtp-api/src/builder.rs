//! [`SocketBuilder`]: Racket's `(zmq-socket type #:identity #:bind #:connect #:subscribe)`.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use zmtp_codec::SocketType;
use zmtp_sockets::options::{OptionValue, SockOpt};

use crate::context::Context;
use crate::endpoint::{EndpointArg, IntoEndpoints};
use crate::error::Result;
use crate::policy::EndpointPolicy;
use crate::socket::Socket;

/// Racket's default linger: pending messages get 100 ms to leave after close.
pub const DEFAULT_LINGER: Duration = Duration::from_millis(100);

/// Creates a socket with its settings applied in Racket's order: linger (default
/// 100 ms), the [`option`](SocketBuilder::option)s in the order given, identity,
/// subscriptions, binds, connects. `S` is the socket form `build` returns:
/// [`Socket`] or [`crate::blocking::Socket`].
///
/// If a step fails, `build` closes the half-made socket and returns the error.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmtp_api::Result<()> {
/// use zmtp_api::{Socket, SocketType};
/// let publisher = Socket::builder(SocketType::Pub).bind("inproc://doc-builder").build()?;
/// let subscriber = Socket::builder(SocketType::Sub)
///     .subscribe("weather.")
///     .connect("inproc://doc-builder")
///     .build()?;
/// # let _ = (publisher, subscriber);
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until build() is called"]
pub struct SocketBuilder<S = Socket> {
    kind: SocketType,
    context: Option<Context>,
    linger: Option<Duration>,
    options: Vec<(SockOpt, OptionValue)>,
    identity: Option<Bytes>,
    subscribe: Vec<Bytes>,
    bind: Vec<EndpointArg>,
    connect: Vec<EndpointArg>,
    policy: Option<Arc<dyn EndpointPolicy>>,
    out: PhantomData<fn() -> S>,
}

impl<S> std::fmt::Debug for SocketBuilder<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SocketBuilder")
            .field("type", &self.kind)
            .field("linger", &self.linger)
            .field("options", &Redacted(&self.options))
            .field("identity", &self.identity)
            .field("subscribe", &self.subscribe)
            .field("bind", &self.bind)
            .field("connect", &self.connect)
            .finish_non_exhaustive()
    }
}

/// The builder's options for `Debug`, with passwords and secret keys hidden.
struct Redacted<'a>(&'a [(SockOpt, OptionValue)]);

impl std::fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut list = f.debug_list();
        for (opt, v) in self.0 {
            match opt {
                SockOpt::PlainPassword | SockOpt::CurveSecretKey => {
                    list.entry(&(opt, "<redacted>"))
                }
                _ => list.entry(&(opt, v)),
            };
        }
        list.finish()
    }
}

impl Socket {
    /// A builder for a socket of type `kind` (see [`SocketBuilder`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Socket, SocketType};
    /// let rep = Socket::builder(SocketType::Rep).bind("tcp://127.0.0.1:*").build()?;
    /// assert!(rep.last_endpoint()?.is_some());
    /// # Ok(()) }
    /// ```
    pub fn builder(kind: SocketType) -> SocketBuilder<Socket> {
        SocketBuilder::new(kind)
    }
}

impl crate::blocking::Socket {
    /// A builder whose `build` returns a blocking socket (see [`SocketBuilder`]).
    ///
    /// ```
    /// use zmtp_api::{blocking, SocketType};
    /// let pull = blocking::Socket::builder(SocketType::Pull).bind("inproc://doc-bb").build()?;
    /// let push = blocking::Socket::builder(SocketType::Push).connect("inproc://doc-bb").build()?;
    /// push.send("hi")?;
    /// assert_eq!(pull.recv()?, "hi");
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn builder(kind: SocketType) -> SocketBuilder<crate::blocking::Socket> {
        SocketBuilder::new(kind)
    }
}

impl From<Socket> for crate::blocking::Socket {
    fn from(s: Socket) -> Self {
        crate::blocking::Socket::from_async(s)
    }
}

impl<S: From<Socket>> SocketBuilder<S> {
    fn new(kind: SocketType) -> Self {
        SocketBuilder {
            kind,
            context: None,
            linger: Some(DEFAULT_LINGER),
            options: Vec::new(),
            identity: None,
            subscribe: Vec::new(),
            bind: Vec::new(),
            connect: Vec::new(),
            policy: None,
            out: PhantomData,
        }
    }

    /// Makes the socket in `context` instead of [`Context::current`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Context, Socket, SocketType};
    /// let ctx = Context::new();
    /// let s = Socket::builder(SocketType::Pair).context(&ctx).build()?;
    /// assert!(s.context().same_as(&ctx));
    /// # Ok(()) }
    /// ```
    pub fn context(mut self, context: &Context) -> Self {
        self.context = Some(context.clone());
        self
    }

    /// How long pending messages may take to leave after close (default 100 ms;
    /// `Duration::ZERO` drops them).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use std::time::Duration;
    /// use zmtp_api::{OptionValue, SockOpt, Socket, SocketType};
    /// let s = Socket::builder(SocketType::Push).linger(Duration::ZERO).build()?;
    /// assert_eq!(s.get_option(SockOpt::Linger)?, OptionValue::Int(0));
    /// # Ok(()) }
    /// ```
    pub fn linger(mut self, linger: Duration) -> Self {
        self.linger = Some(linger);
        self
    }

    /// Pending messages get unlimited time to leave after close (libzmq's default, -1).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{OptionValue, SockOpt, Socket, SocketType};
    /// let s = Socket::builder(SocketType::Push).linger_forever().build()?;
    /// assert_eq!(s.get_option(SockOpt::Linger)?, OptionValue::Int(-1));
    /// # Ok(()) }
    /// ```
    pub fn linger_forever(mut self) -> Self {
        self.linger = None;
        self
    }

    /// Sets an option (after linger, before identity); options apply in the order given.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{OptionValue, SockOpt, Socket, SocketType};
    /// let s = Socket::builder(SocketType::Push).option(SockOpt::SndHwm, 5).build()?;
    /// assert_eq!(s.get_option(SockOpt::SndHwm)?, OptionValue::Int(5));
    /// # Ok(()) }
    /// ```
    pub fn option(mut self, opt: SockOpt, value: impl Into<OptionValue>) -> Self {
        self.options.push((opt, value.into()));
        self
    }

    /// Sets the routing id (1 to 255 bytes).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{OptionValue, SockOpt, Socket, SocketType};
    /// let s = Socket::builder(SocketType::Dealer).identity("me").build()?;
    /// assert_eq!(s.get_option(SockOpt::Identity)?, OptionValue::from("me"));
    /// # Ok(()) }
    /// ```
    pub fn identity(mut self, identity: impl AsRef<[u8]>) -> Self {
        self.identity = Some(Bytes::copy_from_slice(identity.as_ref()));
        self
    }

    /// Adds a subscription (SUB, XSUB); call once per topic.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Socket, SocketType};
    /// let sub = Socket::builder(SocketType::Sub).subscribe("a").subscribe("b").build()?;
    /// # let _ = sub;
    /// # Ok(()) }
    /// ```
    pub fn subscribe(mut self, topic: impl AsRef<[u8]>) -> Self {
        self.subscribe.push(Bytes::copy_from_slice(topic.as_ref()));
        self
    }

    /// Binds to one or more endpoints (policy-checked).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{EndpointMode, Socket, SocketType};
    /// let s = Socket::builder(SocketType::Pull)
    ///     .bind(["inproc://doc-b1", "inproc://doc-b2"])
    ///     .build()?;
    /// assert_eq!(s.endpoints(EndpointMode::Bind)?, ["inproc://doc-b2", "inproc://doc-b1"]);
    /// # Ok(()) }
    /// ```
    pub fn bind(mut self, endpoints: impl IntoEndpoints) -> Self {
        self.bind.extend(endpoints.into_endpoints());
        self
    }

    /// Connects to one or more endpoints (policy-checked), after the binds.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{EndpointMode, Socket, SocketType};
    /// let s = Socket::builder(SocketType::Push).connect("tcp://127.0.0.1:5999").build()?;
    /// assert_eq!(s.endpoints(EndpointMode::Connect)?, ["tcp://127.0.0.1:5999"]);
    /// # Ok(()) }
    /// ```
    pub fn connect(mut self, endpoints: impl IntoEndpoints) -> Self {
        self.connect.extend(endpoints.into_endpoints());
        self
    }

    /// Sets the socket's own endpoint policy, in force from the builder's binds on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{policy::AllowList, Error, Socket, SocketType};
    /// let r = Socket::builder(SocketType::Pull)
    ///     .policy(AllowList::new().inproc())
    ///     .bind("tcp://127.0.0.1:*")
    ///     .build();
    /// assert!(matches!(r, Err(Error::PolicyDenied { .. })));
    /// # Ok(()) }
    /// ```
    pub fn policy(mut self, policy: impl EndpointPolicy) -> Self {
        self.policy = Some(Arc::new(policy));
        self
    }

    /// Creates the socket and applies the settings in order.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Error, Socket, SocketType};
    /// // Subscribing is applied before binding, and fails on a PUSH socket.
    /// let r = Socket::builder(SocketType::Push).subscribe("x").bind("inproc://doc-never").build();
    /// assert!(matches!(r, Err(Error::NotSupported(SocketType::Push))));
    /// # Ok(()) }
    /// ```
    pub fn build(self) -> Result<S> {
        let ctx = self.context.unwrap_or_else(Context::current);
        let s = Socket::with_context(self.kind, &ctx)?;
        let r = Self::apply(&s, self.linger, self.options, self.identity, self.subscribe).and_then(
            |()| {
                if let Some(p) = self.policy {
                    s.set_policy_arc(p);
                }
                s.bind(self.bind)?;
                s.connect(self.connect)
            },
        );
        match r {
            Ok(()) => Ok(S::from(s)),
            Err(e) => {
                s.close();
                Err(e)
            }
        }
    }

    fn apply(
        s: &Socket,
        linger: Option<Duration>,
        options: Vec<(SockOpt, OptionValue)>,
        identity: Option<Bytes>,
        subscribe: Vec<Bytes>,
    ) -> Result<()> {
        let linger = linger.map_or(OptionValue::Int(-1), OptionValue::from);
        s.set_option_value(SockOpt::Linger, linger)?;
        for (opt, v) in options {
            s.set_option_value(opt, v)?;
        }
        if let Some(id) = identity {
            s.set_option_value(SockOpt::Identity, id)?;
        }
        for t in subscribe {
            s.subscribe(t)?;
        }
        Ok(())
    }
}
