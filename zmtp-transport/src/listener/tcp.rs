//! Binding `tcp://` listeners.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};

use tokio::net::{TcpListener, TcpSocket};

use crate::TransportError;
use crate::endpoint::{Endpoint, Host, Port};
use crate::resolve::resolve_blocking;

/// Listen backlog (libzmq's `ZMQ_BACKLOG` defaults to 100; the kernel caps it
/// at `net.core.somaxconn`).
const BACKLOG: u32 = 1024;

/// Binds `host:port` with `SO_REUSEADDR` (as libzmq) so a port can be bound
/// again at once after its previous listener closed. `*` means `0.0.0.0`; a
/// name is resolved and its first address (IPv4 preferred) is used.
pub(super) fn bind(ep: &Endpoint, host: &Host, port: Port) -> Result<TcpListener, TransportError> {
    let port = match port {
        Port::Any => 0,
        Port::Num(n) => n,
    };
    let addr = match host {
        Host::Any => SocketAddr::from((Ipv4Addr::UNSPECIFIED, port)),
        Host::Ip(ip) => SocketAddr::new(*ip, port),
        Host::Name(name) => resolve_blocking(name, port)
            .into_iter()
            .next()
            .ok_or_else(|| TransportError::Resolve(ep.to_string()))?,
    };
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr).map_err(|e| bind_error(ep, e))?;
    Ok(socket.listen(BACKLOG)?)
}

/// Maps `EADDRINUSE` to [`TransportError::AddrInUse`].
fn bind_error(ep: &Endpoint, e: io::Error) -> TransportError {
    if e.kind() == io::ErrorKind::AddrInUse {
        TransportError::AddrInUse(ep.to_string())
    } else {
        TransportError::Io(e)
    }
}
