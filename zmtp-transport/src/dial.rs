//! [`connect`]: dial a tcp or ipc endpoint.

use std::io;
use std::net::SocketAddr;

use tokio::net::{TcpStream, UnixStream};

use crate::endpoint::{Endpoint, Host, IpcAddr, Port};
use crate::resolve::resolve;
use crate::unix_addr::abstract_addr;
use crate::{Stream, TransportError};

/// Connects to a `tcp://` or `ipc://` endpoint.
///
/// For tcp, host names are resolved (IPv4 addresses first) and each address is
/// tried in order; the error of the last attempt is returned if all fail.
/// `TCP_NODELAY` is set on the resulting stream. `inproc://` endpoints and
/// wildcard hosts/ports are rejected with [`TransportError::Invalid`]; an
/// unresolvable name gives [`TransportError::Resolve`].
///
/// One attempt only: retrying (see [`Backoff`](crate::Backoff)) is the
/// caller's job.
pub async fn connect(ep: &Endpoint) -> Result<Stream, TransportError> {
    ep.for_connect()?;
    match ep {
        Endpoint::Tcp { host, port } => {
            let Port::Num(port) = *port else {
                return Err(TransportError::invalid(&ep.to_string(), "wildcard port"));
            };
            let addrs = match host {
                Host::Ip(ip) => vec![SocketAddr::new(*ip, port)],
                Host::Name(name) => resolve(name, port).await,
                Host::Any => {
                    return Err(TransportError::invalid(&ep.to_string(), "wildcard host"));
                }
            };
            if addrs.is_empty() {
                return Err(TransportError::Resolve(ep.to_string()));
            }
            connect_tcp(&addrs).await.map(Stream::from_tcp)
        }
        Endpoint::Ipc(IpcAddr::Path(path)) => Ok(Stream::Ipc(UnixStream::connect(path).await?)),
        Endpoint::Ipc(IpcAddr::Abstract(name)) => {
            let addr = abstract_addr(name)?;
            Ok(Stream::Ipc(UnixStream::connect_addr(&addr.into()).await?))
        }
        Endpoint::Inproc(_) => Err(TransportError::invalid(
            &ep.to_string(),
            "inproc endpoints have no stream; use InprocRegistry",
        )),
    }
}

/// Tries each address in order, returning the first connection.
async fn connect_tcp(addrs: &[SocketAddr]) -> Result<TcpStream, TransportError> {
    let mut last = io::Error::new(io::ErrorKind::AddrNotAvailable, "no address to connect to");
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => return Ok(stream),
            Err(e) => {
                tracing::debug!(target: crate::LOG_TARGET, %addr, error = %e, "tcp connect failed");
                last = e;
            }
        }
    }
    Err(last.into())
}
