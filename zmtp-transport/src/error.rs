//! The single error type of this crate.

use std::io;

/// Errors from endpoint parsing, binding, connecting and accepting.
///
/// [`EndpointError`](crate::EndpointError) is an alias of this type.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The endpoint string is malformed (libzmq: `EINVAL`).
    #[error("cannot parse {endpoint:?}: {reason}")]
    Invalid {
        /// The endpoint as given.
        endpoint: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// An `ipc://` path or abstract name longer than 107 bytes (libzmq: `ENAMETOOLONG`).
    #[error("ipc path too long (max 107 bytes): {0:?}")]
    PathTooLong(String),
    /// The scheme is not `tcp`, `ipc` or `inproc` (libzmq: `EPROTONOSUPPORT`).
    #[error("unsupported transport {0:?}")]
    UnsupportedTransport(String),
    /// The address is already bound (libzmq: `EADDRINUSE`); holds the endpoint.
    #[error("address already in use: {0}")]
    AddrInUse(String),
    /// A host name could not be resolved to any address; holds the endpoint.
    #[error("cannot resolve {0}")]
    Resolve(String),
    /// A synchronous bind was attempted outside a tokio runtime context.
    #[error("no tokio runtime: Listener::bind must be called within a tokio runtime context")]
    NoRuntime,
    /// Any other operating-system error.
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl TransportError {
    /// Shorthand for [`TransportError::Invalid`].
    pub(crate) fn invalid(endpoint: &str, reason: &'static str) -> Self {
        TransportError::Invalid {
            endpoint: endpoint.to_owned(),
            reason,
        }
    }
}
