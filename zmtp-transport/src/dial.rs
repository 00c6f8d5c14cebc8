//! [`connect`]: dial a tcp or ipc endpoint.

use std::io;
use std::net::SocketAddr;

use socket2::SockRef;
use tokio::net::{TcpSocket, TcpStream, UnixStream};

use crate::endpoint::{Endpoint, Host, IpcAddr, Port, TcpSource};
use crate::resolve::resolve;
use crate::unix_addr::abstract_addr;
use crate::{Stream, TcpOptions, TransportError};

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
    connect_with(ep, &TcpOptions::default()).await
}

/// As [`connect`], with tcp socket settings (ignored for ipc). With
/// [`TcpOptions::connect_timeout`], an attempt that takes longer fails with
/// `TimedOut`.
pub async fn connect_with(ep: &Endpoint, tcp: &TcpOptions) -> Result<Stream, TransportError> {
    match tcp.connect_timeout {
        Some(limit) => match tokio::time::timeout(limit, connect_once(ep, tcp)).await {
            Ok(r) => r,
            Err(_) => Err(io::Error::from(io::ErrorKind::TimedOut).into()),
        },
        None => connect_once(ep, tcp).await,
    }
}

async fn connect_once(ep: &Endpoint, tcp: &TcpOptions) -> Result<Stream, TransportError> {
    ep.for_connect()?;
    match ep {
        Endpoint::Tcp { host, port, source } => {
            let local = match source {
                Some(src) => Some(source_addrs(ep, src).await?),
                None => None,
            };
            let Port::Num(port) = *port else {
                return Err(TransportError::invalid(&ep.to_string(), "wildcard port"));
            };
            let addrs = match host {
                Host::Ip(ip) => vec![SocketAddr::new(*ip, port)],
                Host::Ip6Zone(ip, zone) => vec![crate::zone::scoped(*ip, zone, port)?],
                Host::Name(name) => resolve(name, port).await,
                Host::Any => {
                    return Err(TransportError::invalid(&ep.to_string(), "wildcard host"));
                }
            };
            // As libzmq: without ZMQ_IPV6 only IPv4 addresses are used (an IPv6 literal
            // then never connects).
            let addrs: Vec<SocketAddr> = addrs
                .into_iter()
                .filter(|a| a.is_ipv4() || tcp.ipv6)
                .collect();
            if addrs.is_empty() {
                return Err(TransportError::Resolve(ep.to_string()));
            }
            connect_tcp(&addrs, local.as_deref(), tcp)
                .await
                .map(Stream::from_tcp)
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
/// The local addresses a `source;` may bind (its port, or any).
async fn source_addrs(ep: &Endpoint, src: &TcpSource) -> Result<Vec<SocketAddr>, TransportError> {
    let port = match src.port {
        Port::Num(n) => n,
        Port::Any => 0,
    };
    let addrs = match &src.host {
        Host::Ip(ip) => vec![SocketAddr::new(*ip, port)],
        Host::Ip6Zone(ip, zone) => vec![crate::zone::scoped(*ip, zone, port)?],
        Host::Any => vec![
            SocketAddr::from((std::net::Ipv4Addr::UNSPECIFIED, port)),
            SocketAddr::from((std::net::Ipv6Addr::UNSPECIFIED, port)),
        ],
        Host::Name(name) => resolve(name, port).await,
    };
    if addrs.is_empty() {
        return Err(TransportError::Resolve(ep.to_string()));
    }
    Ok(addrs)
}

/// Tries each address in order (from a local address of the same family, when a source
/// is given), returning the first connection.
async fn connect_tcp(
    addrs: &[SocketAddr],
    local: Option<&[SocketAddr]>,
    tcp: &TcpOptions,
) -> Result<TcpStream, TransportError> {
    let mut last = io::Error::new(io::ErrorKind::AddrNotAvailable, "no address to connect to");
    for addr in addrs {
        let from = match local {
            None => None,
            Some(local) => match local.iter().find(|l| l.is_ipv4() == addr.is_ipv4()) {
                Some(l) => Some(*l),
                // No source of this address family: try the next address.
                None => continue,
            },
        };
        match connect_addr(*addr, from, tcp).await {
            Ok(stream) => return Ok(stream),
            Err(e) => {
                tracing::debug!(target: crate::LOG_TARGET, %addr, error = %e, "tcp connect failed");
                last = e;
            }
        }
    }
    Err(last.into())
}

/// One tcp connection attempt with the socket settings applied before and after.
async fn connect_addr(
    addr: SocketAddr,
    from: Option<SocketAddr>,
    tcp: &TcpOptions,
) -> io::Result<TcpStream> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    tcp.apply_before(SockRef::from(&socket))?;
    if let Some(from) = from {
        if from.port() != 0 {
            // A fixed source port is reused by every reconnect.
            socket.set_reuseaddr(true)?;
        }
        socket.bind(from)?;
    }
    let stream = socket.connect(addr).await?;
    tcp.apply_connection(SockRef::from(&stream))?;
    Ok(stream)
}
