//! Binding `tcp://` listeners.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

use socket2::SockRef;
use tokio::net::{TcpListener, TcpSocket};

use crate::endpoint::{Endpoint, Host, Port};
use crate::resolve::resolve_blocking;
use crate::{TcpOptions, TransportError};

/// Listen backlog when none is set (libzmq's `ZMQ_BACKLOG` defaults to 100; we allow
/// bursts of more; the kernel caps it at `net.core.somaxconn`).
const BACKLOG: u32 = 1024;

/// Binds `host:port` with `SO_REUSEADDR` (as libzmq) so a port can be bound
/// again at once after its previous listener closed. `*` means `0.0.0.0` (`[::]`, dual
/// stack, with [`TcpOptions::ipv6`]); a name is resolved and its first address (IPv4
/// preferred) is used.
pub(super) fn bind(
    ep: &Endpoint,
    host: &Host,
    port: Port,
    opts: &TcpOptions,
) -> Result<TcpListener, TransportError> {
    let port = match port {
        Port::Any => 0,
        Port::Num(n) => n,
    };
    let addr = match host {
        Host::Any if opts.ipv6 => SocketAddr::from((Ipv6Addr::UNSPECIFIED, port)),
        Host::Any => SocketAddr::from((Ipv4Addr::UNSPECIFIED, port)),
        Host::Ip(ip) if ip.is_ipv6() && !opts.ipv6 => {
            // As libzmq: an IPv6 address needs ZMQ_IPV6 (it fails with ENODEV).
            return Err(TransportError::Io(io::Error::from_raw_os_error(
                libc::ENODEV,
            )));
        }
        Host::Ip(ip) => SocketAddr::new(*ip, port),
        Host::Ip6Zone(..) if !opts.ipv6 => {
            return Err(TransportError::Io(io::Error::from_raw_os_error(
                libc::ENODEV,
            )));
        }
        Host::Ip6Zone(ip, zone) => crate::zone::scoped(*ip, zone, port)?,
        Host::Name(name) => resolve_blocking(name, port)
            .into_iter()
            .find(|a| a.is_ipv4() || opts.ipv6)
            .ok_or_else(|| TransportError::Resolve(ep.to_string()))?,
    };
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    if addr.is_ipv6() && matches!(host, Host::Any) {
        SockRef::from(&socket).set_only_v6(false)?;
    }
    opts.apply_before(SockRef::from(&socket))?;
    socket.bind(addr).map_err(|e| bind_error(ep, e))?;
    Ok(socket.listen(opts.backlog.unwrap_or(BACKLOG))?)
}

/// Maps `EADDRINUSE` to [`TransportError::AddrInUse`].
fn bind_error(ep: &Endpoint, e: io::Error) -> TransportError {
    if e.kind() == io::ErrorKind::AddrInUse {
        TransportError::AddrInUse(ep.to_string())
    } else {
        TransportError::Io(e)
    }
}
