//! Bind, connect, unbind and disconnect, each taking one endpoint or many
//! ([`IntoEndpoints`]), with the endpoint policy checked on bind and connect; the
//! endpoint lists; the socket's policy. Each endpoint is parsed once here and handed to
//! the engine parsed.

use std::sync::Arc;

use zmtp_transport::Endpoint;

use crate::context::Context;
use crate::endpoint::{AsEndpoint, EndpointArg, EndpointMode, IntoEndpoints};
use crate::error::{Error, Result};
use crate::policy::{self, EndpointPolicy};
use crate::socket::Socket;

impl Socket {
    /// The context and socket policies, in checking order.
    fn policies(&self) -> Vec<Arc<dyn EndpointPolicy>> {
        let own = self
            .policy_slot()
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        self.context_ref().policy().into_iter().chain(own).collect()
    }

    /// The last endpoint bound or connected, with a wildcard port resolved. Fails with
    /// [`Error::Closed`] on a closed socket, as libzmq's `ZMQ_LAST_ENDPOINT` does.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pub)?;
    /// assert_eq!(s.last_endpoint()?, None);
    /// s.bind("inproc://doc-last")?;
    /// assert_eq!(s.last_endpoint()?.as_deref(), Some("inproc://doc-last"));
    /// # Ok(()) }
    /// ```
    pub fn last_endpoint(&self) -> Result<Option<String>> {
        Ok(self.last_endpoint_parsed()?.map(|e| e.to_string()))
    }

    /// Endpoints bound or connected, newest first. Fails with [`Error::Closed`] on a
    /// closed socket (Racket's `zmq-list-endpoints` raises there too).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::EndpointMode;
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pub)?;
    /// s.bind("inproc://doc-a")?;
    /// s.bind("inproc://doc-b")?;
    /// assert_eq!(s.endpoints(EndpointMode::Bind)?, ["inproc://doc-b", "inproc://doc-a"]);
    /// # Ok(()) }
    /// ```
    pub fn endpoints(&self, mode: EndpointMode) -> Result<Vec<String>> {
        self.check_open()?;
        Ok(self
            .core()
            .endpoints(mode == EndpointMode::Bind)
            .iter()
            .map(ToString::to_string)
            .collect())
    }

    /// The last endpoint bound or connected, parsed, with a wildcard port resolved
    /// ([`Error::Closed`] on a closed socket).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pub)?;
    /// s.bind("tcp://127.0.0.1:*")?;
    /// let ep: zmtp_api::Endpoint = s.last_endpoint_parsed()?.unwrap();
    /// assert_eq!(ep.transport(), "tcp");
    /// # Ok(()) }
    /// ```
    pub fn last_endpoint_parsed(&self) -> Result<Option<Endpoint>> {
        self.check_open()?;
        Ok(self.core().last_endpoint())
    }

    /// Binds to each endpoint in turn (`tcp://*:5555`, `tcp://127.0.0.1:*`,
    /// `ipc:///tmp/x`, `ipc://@abstract`, `inproc://name`) and starts accepting
    /// connections; returns once listening. Each endpoint is checked against the endpoint
    /// policy first ([`Error::PolicyDenied`]); relative `ipc://` paths are made absolute.
    /// On an error the endpoints before it stay bound.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pull)?;
    /// s.bind("tcp://127.0.0.1:*")?;
    /// assert!(s.last_endpoint()?.unwrap().starts_with("tcp://127.0.0.1:"));
    /// s.bind(["inproc://doc-bind-1", "inproc://doc-bind-2"])?;
    /// assert_eq!(s.endpoints(zmtp_api::EndpointMode::Bind)?.len(), 3);
    /// # Ok(()) }
    /// ```
    pub fn bind(&self, endpoints: impl IntoEndpoints) -> Result<()> {
        self.check_open()?;
        let policies = self.policies();
        for arg in endpoints.into_endpoints() {
            let ep = policy::check(&arg, EndpointMode::Bind, &policies)?;
            self.core().bind(&ep)?;
        }
        Ok(())
    }

    /// Binds to one endpoint and returns it resolved (a wildcard port filled in).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pull)?;
    /// let ep = s.bind_one("tcp://127.0.0.1:*")?;
    /// assert!(!ep.ends_with(":*"));
    /// # Ok(()) }
    /// ```
    pub fn bind_one(&self, endpoint: impl AsEndpoint) -> Result<String> {
        self.check_open()?;
        let arg = endpoint.as_endpoint();
        let ep = policy::check(&arg, EndpointMode::Bind, &self.policies())?;
        Ok(self.core().bind(&ep)?.to_string())
    }

    /// Connects to each endpoint in turn. Returns at once: the connection is made (and
    /// remade after failures) in the background, and messages queue meanwhile. Each
    /// endpoint is checked against the endpoint policy first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Push)?;
    /// s.connect("tcp://127.0.0.1:5999")?; // nobody listens yet: fine
    /// s.connect(vec!["inproc://doc-c1".to_string(), "inproc://doc-c2".to_string()])?;
    /// # Ok(()) }
    /// ```
    pub fn connect(&self, endpoints: impl IntoEndpoints) -> Result<()> {
        self.check_open()?;
        let policies = self.policies();
        for arg in endpoints.into_endpoints() {
            let ep = policy::check(&arg, EndpointMode::Connect, &policies)?;
            self.core().connect(&ep)?;
        }
        Ok(())
    }

    /// Like [`Socket::bind`] without any policy check or rewriting (Racket's
    /// `zmq-unsafe-bind`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{policy::DenyAll, Socket, SocketType};
    /// let s = Socket::builder(SocketType::Pull).policy(DenyAll).build()?;
    /// s.bind_unchecked("inproc://doc-unchecked")?;
    /// # Ok(()) }
    /// ```
    pub fn bind_unchecked(&self, endpoints: impl IntoEndpoints) -> Result<()> {
        self.check_open()?;
        for arg in endpoints.into_endpoints() {
            self.core().bind(&parse(&arg)?)?;
        }
        Ok(())
    }

    /// Like [`Socket::connect`] without any policy check or rewriting (Racket's
    /// `zmq-unsafe-connect`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{policy::DenyAll, Socket, SocketType};
    /// let s = Socket::builder(SocketType::Push).policy(DenyAll).build()?;
    /// s.connect_unchecked("tcp://[::1]:5999")?;
    /// # Ok(()) }
    /// ```
    pub fn connect_unchecked(&self, endpoints: impl IntoEndpoints) -> Result<()> {
        self.check_open()?;
        for arg in endpoints.into_endpoints() {
            self.core().connect(&parse(&arg)?)?;
        }
        Ok(())
    }

    /// Stops listening on each bound endpoint; connections already accepted stay. Give
    /// the resolved endpoint for a wildcard bind (as [`Socket::endpoints`] lists it).
    /// An endpoint the socket is not bound to fails with [`Error::NoSuchEndpoint`]. Not
    /// policy-checked.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pull)?;
    /// let ep = s.bind_one("tcp://127.0.0.1:*")?;
    /// s.unbind(&ep)?;
    /// assert!(matches!(s.unbind(&ep), Err(zmtp_api::Error::NoSuchEndpoint(_))));
    /// # Ok(()) }
    /// ```
    pub fn unbind(&self, endpoints: impl IntoEndpoints) -> Result<()> {
        self.check_open()?;
        for arg in endpoints.into_endpoints() {
            retry_absolute(&arg, |e| self.core().unbind(e))?;
        }
        Ok(())
    }

    /// Drops each connection made with [`Socket::connect`], with the messages queued for
    /// it. An endpoint the socket is not connected to fails with
    /// [`Error::NoSuchEndpoint`]. Not policy-checked.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Push)?;
    /// s.connect(["tcp://127.0.0.1:5999", "inproc://doc-disc"])?;
    /// s.disconnect(["tcp://127.0.0.1:5999", "inproc://doc-disc"])?;
    /// assert!(s.endpoints(zmtp_api::EndpointMode::Connect)?.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn disconnect(&self, endpoints: impl IntoEndpoints) -> Result<()> {
        self.check_open()?;
        for arg in endpoints.into_endpoints() {
            retry_absolute(&arg, |e| self.core().disconnect(e))?;
        }
        Ok(())
    }

    /// Sets this socket's own endpoint policy (checked together with the context's and
    /// any [`policy::scope`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{policy::DenyAll, Error, Socket, SocketType};
    /// let s = Socket::new(SocketType::Pub)?;
    /// s.set_policy(DenyAll);
    /// assert!(matches!(s.bind("inproc://doc-set-policy"), Err(Error::PolicyDenied { .. })));
    /// # Ok(()) }
    /// ```
    pub fn set_policy(&self, policy: impl EndpointPolicy) {
        self.set_policy_arc(Arc::new(policy));
    }

    /// Same as [`Socket::set_policy`] for a shared policy.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use std::sync::Arc;
    /// use zmtp_api::{policy::{AllowList, EndpointPolicy}, Socket, SocketType};
    /// let shared: Arc<dyn EndpointPolicy> = Arc::new(AllowList::new().inproc());
    /// let s = Socket::new(SocketType::Pub)?;
    /// s.set_policy_arc(shared.clone());
    /// s.bind("inproc://doc-shared-policy")?;
    /// # Ok(()) }
    /// ```
    pub fn set_policy_arc(&self, policy: Arc<dyn EndpointPolicy>) {
        *self
            .policy_slot()
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Some(policy);
    }

    /// The context this socket was made in (Racket's `zmq-unsafe-get-ctx` gives the
    /// implicit one).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Context, Socket, SocketType};
    /// let s = Socket::new(SocketType::Pub)?;
    /// assert!(s.context().same_as(&Context::current()));
    /// # Ok(()) }
    /// ```
    pub fn context(&self) -> Context {
        self.context_ref().clone()
    }
}

/// Runs `f` on the endpoint; when it is unknown and is a relative ipc path, runs it again
/// on the absolute form (which a checked bind/connect used).
fn retry_absolute(
    arg: &EndpointArg,
    f: impl Fn(&Endpoint) -> std::result::Result<(), zmtp_sockets::SocketError>,
) -> Result<()> {
    let missing = || Error::NoSuchEndpoint(arg.text().into_owned());
    match f(&parse(arg)?) {
        Err(zmtp_sockets::SocketError::NoSuchEndpoint(_)) => {
            match policy::absolute_ipc(&arg.text()) {
                Some(abs) => f(&parse(&EndpointArg::Text(abs))?).map_err(|err| match err {
                    zmtp_sockets::SocketError::NoSuchEndpoint(_) => missing(),
                    other => other.into(),
                }),
                None => Err(missing()),
            }
        }
        other => Ok(other?),
    }
}

/// Parses an endpoint given by the application (no policy, no rewriting).
fn parse(arg: &EndpointArg) -> Result<Endpoint> {
    arg.parse().map_err(Error::InvalidEndpoint)
}
