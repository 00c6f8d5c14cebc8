//! `tcp://` and `ipc://` endpoints of the raw peer.

use std::io;
use std::path::PathBuf;

/// A parsed `tcp://` or `ipc://` endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// `host:port` for tcp.
    Tcp(String),
    /// Filesystem path for ipc.
    Ipc(PathBuf),
}

impl Endpoint {
    /// Parses `tcp://host:port` or `ipc:///path` (abstract `ipc://@name` is not supported).
    pub fn parse(endpoint: &str) -> io::Result<Endpoint> {
        if let Some(rest) = endpoint.strip_prefix("tcp://") {
            Ok(Endpoint::Tcp(rest.to_string()))
        } else if let Some(rest) = endpoint.strip_prefix("ipc://") {
            if rest.starts_with('@') || rest.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    format!("raw peer: unsupported ipc endpoint {endpoint}"),
                ));
            }
            Ok(Endpoint::Ipc(PathBuf::from(rest)))
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("raw peer: unsupported endpoint {endpoint}"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_endpoints() {
        assert_eq!(
            Endpoint::parse("tcp://127.0.0.1:5").unwrap(),
            Endpoint::Tcp("127.0.0.1:5".into())
        );
        assert_eq!(
            Endpoint::parse("ipc:///tmp/x").unwrap(),
            Endpoint::Ipc("/tmp/x".into())
        );
        assert!(Endpoint::parse("inproc://x").is_err());
    }
}
