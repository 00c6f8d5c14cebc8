//! Blocking forms of the options, endpoint, policy and context methods (none of them
//! waits; they are the async socket's methods under the same names).

use std::sync::Arc;

use crate::policy::EndpointPolicy;
use crate::{Context, OptionMode, OptionValue, Result, SockOpt, SocketType};

use super::socket::Socket;

impl Socket {
    /// Creates a socket in the given context.
    ///
    /// ```
    /// use zmtp_api::{blocking::Socket, Context, SocketType};
    /// let ctx = Context::new();
    /// let s = Socket::with_context(SocketType::Pair, &ctx)?;
    /// assert!(s.context().same_as(&ctx));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn with_context(kind: SocketType, context: &Context) -> Result<Socket> {
        Ok(Socket::from_async(crate::Socket::with_context(
            kind, context,
        )?))
    }

    /// The context the socket was made in.
    ///
    /// ```
    /// use zmtp_api::{blocking::Socket, Context, SocketType};
    /// let s = Socket::new(SocketType::Pair)?;
    /// assert!(s.context().same_as(&Context::current()));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn context(&self) -> Context {
        self.inner.context()
    }

    /// True when both handles refer to the same socket.
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pair)?;
    /// assert!(s.same_socket(&s.clone()));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn same_socket(&self, other: &Socket) -> bool {
        self.inner.same_socket(&other.inner)
    }

    /// Binds to one endpoint and returns it resolved (see [`crate::Socket::bind_one`]).
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// let ep = s.bind_one("tcp://127.0.0.1:*")?;
    /// assert!(!ep.ends_with(":*"));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn bind_one(&self, endpoint: &str) -> Result<String> {
        self.inner.bind_one(endpoint)
    }

    /// Binds without the policy check (see [`crate::Socket::bind_unchecked`]).
    ///
    /// ```
    /// use zmtp_api::{blocking::Socket, policy::DenyAll, SocketType};
    /// let s = Socket::builder(SocketType::Pull).policy(DenyAll).build()?;
    /// s.bind_unchecked("inproc://blocking-unchecked")?;
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn bind_unchecked(&self, endpoints: impl crate::IntoEndpoints) -> Result<()> {
        self.inner.bind_unchecked(endpoints)
    }

    /// Connects without the policy check (see [`crate::Socket::connect_unchecked`]).
    ///
    /// ```
    /// use zmtp_api::{blocking::Socket, policy::DenyAll, SocketType};
    /// let s = Socket::builder(SocketType::Push).policy(DenyAll).build()?;
    /// s.connect_unchecked("tcp://127.0.0.1:5997")?;
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn connect_unchecked(&self, endpoints: impl crate::IntoEndpoints) -> Result<()> {
        self.inner.connect_unchecked(endpoints)
    }

    /// Sets this socket's endpoint policy (see [`crate::Socket::set_policy`]).
    ///
    /// ```
    /// use zmtp_api::{blocking::Socket, policy::DenyAll, Error, SocketType};
    /// let s = Socket::new(SocketType::Pub)?;
    /// s.set_policy(DenyAll);
    /// assert!(matches!(s.bind("inproc://blocking-policy"), Err(Error::PolicyDenied { .. })));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn set_policy(&self, policy: impl EndpointPolicy) {
        self.inner.set_policy(policy);
    }

    /// Same as [`Socket::set_policy`] for a shared policy.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use zmtp_api::{blocking::Socket, policy::AllowAll, SocketType};
    /// let s = Socket::new(SocketType::Pub)?;
    /// s.set_policy_arc(Arc::new(AllowAll));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn set_policy_arc(&self, policy: Arc<dyn EndpointPolicy>) {
        self.inner.set_policy_arc(policy);
    }

    /// The options [`Socket::get_option`] or [`Socket::set_option_value`] accept (see
    /// [`crate::Socket::list_options`]).
    ///
    /// ```
    /// use zmtp_api::{blocking::Socket, OptionMode, SockOpt};
    /// assert!(Socket::list_options(OptionMode::Set).contains(&SockOpt::Linger));
    /// ```
    pub fn list_options(mode: OptionMode) -> &'static [SockOpt] {
        crate::Socket::list_options(mode)
    }

    /// Reads an option (see [`crate::Socket::get_option`]).
    ///
    /// ```
    /// use zmtp_api::{blocking::Socket, OptionValue, SockOpt, SocketType};
    /// let s = Socket::new(SocketType::Pull)?;
    /// assert_eq!(s.get_option(SockOpt::Linger)?, OptionValue::Int(100));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn get_option(&self, opt: SockOpt) -> Result<OptionValue> {
        self.inner.get_option(opt)
    }

    /// Sets an option (see [`crate::Socket::set_option_value`]).
    ///
    /// ```
    /// use zmtp_api::{blocking::Socket, OptionValue, SockOpt, SocketType};
    /// let s = Socket::new(SocketType::Pull)?;
    /// s.set_option_value(SockOpt::RcvHwm, 5)?;
    /// assert_eq!(s.get_option(SockOpt::RcvHwm)?, OptionValue::Int(5));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn set_option_value(&self, opt: SockOpt, value: impl Into<OptionValue>) -> Result<()> {
        self.inner.set_option_value(opt, value)
    }

    /// Reads an option by its libzmq name (see [`crate::Socket::get_option_named`]).
    ///
    /// ```
    /// use zmtp_api::{blocking::Socket, OptionValue, SocketType};
    /// let s = Socket::new(SocketType::Sub)?;
    /// assert_eq!(s.get_option_named("type")?, OptionValue::Int(2));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn get_option_named(&self, name: &str) -> Result<OptionValue> {
        self.inner.get_option_named(name)
    }

    /// Sets an option by its libzmq name (see [`crate::Socket::set_option_named`]).
    ///
    /// ```
    /// use zmtp_api::{blocking::Socket, SocketType};
    /// let s = Socket::new(SocketType::Sub)?;
    /// s.set_option_named("subscribe", "topic")?;
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn set_option_named(&self, name: &str, value: impl Into<OptionValue>) -> Result<()> {
        self.inner.set_option_named(name, value)
    }
}
