//! How endpoints are given to the socket: [`IntoEndpoints`] (one or many, as text or
//! parsed [`Endpoint`] values) and [`EndpointMode`] (bound or connected).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use zmtp_transport::{Endpoint, TransportError};

/// Which endpoints to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointMode {
    /// Endpoints this socket is bound to.
    Bind,
    /// Endpoints this socket connects to.
    Connect,
}

/// One endpoint as given to `bind`, `connect`, `unbind` or `disconnect`: text that is
/// parsed once (after the policy check's rewriting, for bind and connect), or an
/// [`Endpoint`] already parsed.
///
/// ```
/// use zmtp_api::{Endpoint, EndpointArg};
/// let text = EndpointArg::from("inproc://a");
/// let parsed = EndpointArg::from("inproc://a".parse::<Endpoint>()?);
/// assert_eq!(text.parse()?, parsed.parse()?);
/// assert_eq!(text, "inproc://a");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointArg {
    /// Text such as `tcp://127.0.0.1:5555`.
    Text(String),
    /// A parsed endpoint.
    Parsed(Endpoint),
}

impl EndpointArg {
    /// The parsed endpoint (text is parsed here).
    ///
    /// ```
    /// let ep = zmtp_api::EndpointArg::from("tcp://127.0.0.1:5555").parse()?;
    /// assert_eq!(ep.to_string(), "tcp://127.0.0.1:5555");
    /// # Ok::<(), zmtp_api::TransportError>(())
    /// ```
    pub fn parse(&self) -> Result<Endpoint, TransportError> {
        match self {
            EndpointArg::Text(t) => t.parse(),
            EndpointArg::Parsed(e) => Ok(e.clone()),
        }
    }

    /// The endpoint as text, as the user gave it (or as a parsed endpoint prints).
    ///
    /// ```
    /// assert_eq!(zmtp_api::EndpointArg::from("inproc://x").text(), "inproc://x");
    /// ```
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            EndpointArg::Text(t) => Cow::Borrowed(t),
            EndpointArg::Parsed(e) => Cow::Owned(e.to_string()),
        }
    }
}

impl fmt::Display for EndpointArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl PartialEq<&str> for EndpointArg {
    fn eq(&self, other: &&str) -> bool {
        self.text() == *other
    }
}

impl From<&str> for EndpointArg {
    fn from(s: &str) -> Self {
        EndpointArg::Text(s.to_owned())
    }
}

impl From<String> for EndpointArg {
    fn from(s: String) -> Self {
        EndpointArg::Text(s)
    }
}

impl From<Endpoint> for EndpointArg {
    fn from(e: Endpoint) -> Self {
        EndpointArg::Parsed(e)
    }
}

/// One endpoint, by reference: strings (`&str`, `String`, `Box<str>`, `Arc<str>`,
/// `Cow<str>`), [`Endpoint`] and [`EndpointArg`] values, and references to these. It
/// is what the collections of [`IntoEndpoints`] hold.
///
/// ```
/// use zmtp_api::AsEndpoint;
/// assert_eq!("inproc://a".as_endpoint(), "inproc://a");
/// ```
pub trait AsEndpoint {
    /// The endpoint as an [`EndpointArg`].
    fn as_endpoint(&self) -> EndpointArg;
}

impl AsEndpoint for str {
    fn as_endpoint(&self) -> EndpointArg {
        EndpointArg::Text(self.to_owned())
    }
}

impl AsEndpoint for String {
    fn as_endpoint(&self) -> EndpointArg {
        EndpointArg::Text(self.clone())
    }
}

impl AsEndpoint for Box<str> {
    fn as_endpoint(&self) -> EndpointArg {
        EndpointArg::Text(self.to_string())
    }
}

impl AsEndpoint for Arc<str> {
    fn as_endpoint(&self) -> EndpointArg {
        EndpointArg::Text(self.to_string())
    }
}

impl AsEndpoint for Cow<'_, str> {
    fn as_endpoint(&self) -> EndpointArg {
        EndpointArg::Text(self.to_string())
    }
}

impl AsEndpoint for Endpoint {
    fn as_endpoint(&self) -> EndpointArg {
        EndpointArg::Parsed(self.clone())
    }
}

impl AsEndpoint for EndpointArg {
    fn as_endpoint(&self) -> EndpointArg {
        self.clone()
    }
}

impl<T: AsEndpoint + ?Sized> AsEndpoint for &T {
    fn as_endpoint(&self) -> EndpointArg {
        (**self).as_endpoint()
    }
}

/// One endpoint or several: strings, [`Endpoint`] values, and arrays, slices and `Vec`s
/// of them (anything [`AsEndpoint`]). (A lone `String` is passed as `&s`.) Racket's
/// `(zmq-bind s ep ...)` takes any number of endpoints; so do
/// [`Socket::bind`](crate::Socket::bind), [`Socket::connect`](crate::Socket::connect),
/// [`Socket::unbind`](crate::Socket::unbind) and
/// [`Socket::disconnect`](crate::Socket::disconnect).
///
/// ```
/// use zmtp_api::{Endpoint, IntoEndpoints};
/// assert_eq!("inproc://a".into_endpoints(), ["inproc://a"]);
/// assert_eq!(["inproc://a", "inproc://b"].into_endpoints().len(), 2);
/// assert!(Vec::<String>::new().into_endpoints().is_empty());
/// let ep: Endpoint = "tcp://127.0.0.1:5555".parse()?;
/// assert_eq!(ep.into_endpoints(), ["tcp://127.0.0.1:5555"]);
/// # Ok::<(), zmtp_api::TransportError>(())
/// ```
pub trait IntoEndpoints {
    /// The endpoints, in order.
    fn into_endpoints(self) -> Vec<EndpointArg>;
}

impl IntoEndpoints for &str {
    fn into_endpoints(self) -> Vec<EndpointArg> {
        vec![self.as_endpoint()]
    }
}

impl IntoEndpoints for &String {
    fn into_endpoints(self) -> Vec<EndpointArg> {
        vec![self.as_endpoint()]
    }
}

impl IntoEndpoints for Endpoint {
    fn into_endpoints(self) -> Vec<EndpointArg> {
        vec![EndpointArg::Parsed(self)]
    }
}

impl IntoEndpoints for &Endpoint {
    fn into_endpoints(self) -> Vec<EndpointArg> {
        vec![self.as_endpoint()]
    }
}

impl IntoEndpoints for EndpointArg {
    fn into_endpoints(self) -> Vec<EndpointArg> {
        vec![self]
    }
}

impl<T: AsEndpoint> IntoEndpoints for &[T] {
    fn into_endpoints(self) -> Vec<EndpointArg> {
        self.iter().map(AsEndpoint::as_endpoint).collect()
    }
}

impl<T: AsEndpoint, const N: usize> IntoEndpoints for [T; N] {
    fn into_endpoints(self) -> Vec<EndpointArg> {
        self.iter().map(AsEndpoint::as_endpoint).collect()
    }
}

impl<T: AsEndpoint, const N: usize> IntoEndpoints for &[T; N] {
    fn into_endpoints(self) -> Vec<EndpointArg> {
        self.iter().map(AsEndpoint::as_endpoint).collect()
    }
}

impl<T: AsEndpoint> IntoEndpoints for Vec<T> {
    fn into_endpoints(self) -> Vec<EndpointArg> {
        self.iter().map(AsEndpoint::as_endpoint).collect()
    }
}

impl<T: AsEndpoint> IntoEndpoints for &Vec<T> {
    fn into_endpoints(self) -> Vec<EndpointArg> {
        self.iter().map(AsEndpoint::as_endpoint).collect()
    }
}
