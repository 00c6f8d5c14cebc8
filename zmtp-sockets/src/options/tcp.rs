//! The tcp socket settings a socket's options ask for, as the transport takes them.

use std::time::Duration;

use zmtp_transport::TcpOptions;

use super::table::Options;

/// `-1` (the system default) as `None`, any other value as `Some`.
fn set(v: i64) -> Option<u64> {
    u64::try_from(v).ok()
}

impl Options {
    /// The tcp settings for listeners and connections made now (BACKLOG, BINDTODEVICE,
    /// CONNECT_TIMEOUT, IPV6, RCVBUF, SNDBUF, TCP_KEEPALIVE*, TCP_MAXRT, TOS).
    pub fn tcp_options(&self) -> TcpOptions {
        let secs = |v: i64| set(v).map(Duration::from_secs);
        TcpOptions {
            keepalive: match self.tcp_keepalive {
                0 => Some(false),
                1 => Some(true),
                _ => None,
            },
            keepalive_count: set(self.tcp_keepalive_cnt).and_then(|v| u32::try_from(v).ok()),
            keepalive_idle: secs(self.tcp_keepalive_idle),
            keepalive_interval: secs(self.tcp_keepalive_intvl),
            max_retransmit: self.tcp_maxrt,
            send_buffer: set(self.sndbuf).and_then(|v| usize::try_from(v).ok()),
            recv_buffer: set(self.rcvbuf).and_then(|v| usize::try_from(v).ok()),
            tos: (self.tos > 0).then(|| u32::try_from(self.tos).unwrap_or(u32::MAX)),
            bind_to_device: (!self.bind_to_device.is_empty()).then(|| self.bind_to_device.to_vec()),
            backlog: Some(u32::try_from(self.backlog).unwrap_or(u32::MAX)),
            ipv6: self.ipv6,
            connect_timeout: self.connect_timeout,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_leave_the_system_defaults() {
        let t = Options::default().tcp_options();
        assert_eq!(
            t,
            TcpOptions {
                backlog: Some(100),
                ..TcpOptions::default()
            }
        );
    }

    #[test]
    fn values_map_to_the_transport() {
        let o = Options {
            tcp_keepalive: 1,
            tcp_keepalive_cnt: 3,
            tcp_keepalive_idle: 30,
            tcp_keepalive_intvl: 5,
            sndbuf: 0,
            tos: 8,
            bind_to_device: bytes::Bytes::from_static(b"lo"),
            ..Options::default()
        };
        let t = o.tcp_options();
        assert_eq!(t.keepalive, Some(true));
        assert_eq!(t.keepalive_count, Some(3));
        assert_eq!(t.keepalive_idle, Some(Duration::from_secs(30)));
        assert_eq!(t.keepalive_interval, Some(Duration::from_secs(5)));
        assert_eq!(t.send_buffer, Some(0));
        assert_eq!(t.recv_buffer, None);
        assert_eq!(t.tos, Some(8));
        assert_eq!(t.bind_to_device.as_deref(), Some(&b"lo"[..]));
    }
}
