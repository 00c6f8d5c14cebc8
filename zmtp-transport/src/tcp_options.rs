//! [`TcpOptions`]: the socket-level settings libzmq applies to tcp listeners and
//! connections (keepalive, `TCP_USER_TIMEOUT`, buffer sizes, type of service, device
//! binding, listen backlog, dual-stack wildcard binds, connect timeout).

use std::io;
use std::time::Duration;

use socket2::{SockRef, TcpKeepalive};

/// Settings for tcp sockets; each `None` leaves the operating system's default, as
/// libzmq's `-1` does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TcpOptions {
    /// `SO_KEEPALIVE` (`ZMQ_TCP_KEEPALIVE` 1 / 0).
    pub keepalive: Option<bool>,
    /// `TCP_KEEPCNT` (`ZMQ_TCP_KEEPALIVE_CNT`), applied when keepalive is on.
    pub keepalive_count: Option<u32>,
    /// `TCP_KEEPIDLE` (`ZMQ_TCP_KEEPALIVE_IDLE`, seconds), applied when keepalive is on.
    pub keepalive_idle: Option<Duration>,
    /// `TCP_KEEPINTVL` (`ZMQ_TCP_KEEPALIVE_INTVL`, seconds), applied when keepalive is on.
    pub keepalive_interval: Option<Duration>,
    /// `TCP_USER_TIMEOUT` (`ZMQ_TCP_MAXRT`): how long sent data may stay unacknowledged.
    pub max_retransmit: Option<Duration>,
    /// `SO_SNDBUF` in bytes (`ZMQ_SNDBUF`).
    pub send_buffer: Option<usize>,
    /// `SO_RCVBUF` in bytes (`ZMQ_RCVBUF`).
    pub recv_buffer: Option<usize>,
    /// `IP_TOS` (`ZMQ_TOS`).
    pub tos: Option<u32>,
    /// `SO_BINDTODEVICE` (`ZMQ_BINDTODEVICE`): an interface name such as `lo`.
    pub bind_to_device: Option<Vec<u8>>,
    /// The listen backlog (`ZMQ_BACKLOG`; libzmq's default is 100).
    pub backlog: Option<u32>,
    /// `ZMQ_IPV6`: IPv6 addresses may be used, and a wildcard bind (`tcp://*:port`)
    /// listens on IPv6 and IPv4 (dual stack). Without it, as in libzmq, binding an IPv6
    /// address fails (`ENODEV`), connects use only the IPv4 addresses of a name and an
    /// IPv6 literal never connects.
    pub ipv6: bool,
    /// `ZMQ_CONNECT_TIMEOUT`: how long one connect attempt may take.
    pub connect_timeout: Option<Duration>,
}

impl TcpOptions {
    /// Applies the settings that belong on a socket before it binds or connects.
    pub(crate) fn apply_before(&self, socket: SockRef<'_>) -> io::Result<()> {
        if let Some(dev) = &self.bind_to_device {
            socket.bind_device(Some(dev))?;
        }
        if let Some(n) = self.send_buffer {
            socket.set_send_buffer_size(n)?;
        }
        if let Some(n) = self.recv_buffer {
            socket.set_recv_buffer_size(n)?;
        }
        if let Some(tos) = self.tos {
            // IPv6 sockets take the traffic class instead.
            if socket.set_tos_v4(tos).is_err() {
                socket.set_tclass_v6(tos)?;
            }
        }
        Ok(())
    }

    /// Applies the per-connection settings (keepalive, user timeout): on a connection
    /// made by `connect`, and on each one a listener accepts.
    pub(crate) fn apply_connection(&self, socket: SockRef<'_>) -> io::Result<()> {
        if let Some(on) = self.keepalive {
            socket.set_keepalive(on)?;
            if on {
                let mut ka = TcpKeepalive::new();
                if let Some(idle) = self.keepalive_idle {
                    ka = ka.with_time(idle);
                }
                if let Some(ivl) = self.keepalive_interval {
                    ka = ka.with_interval(ivl);
                }
                if let Some(n) = self.keepalive_count {
                    ka = ka.with_retries(n);
                }
                socket.set_tcp_keepalive(&ka)?;
            }
        }
        if let Some(t) = self.max_retransmit {
            socket.set_tcp_user_timeout(Some(t))?;
        }
        Ok(())
    }
}
