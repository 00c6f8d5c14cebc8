//! Per-socket options the engine honours.

use std::time::Duration;

use bytes::Bytes;

/// Engine options of one socket. Values are read when a connection starts, so a change
/// applies to connections made afterwards (as in libzmq).
#[derive(Clone, Debug)]
pub struct Options {
    /// ZMQ_SNDHWM: messages per outgoing pipe; 0 = unlimited.
    pub sndhwm: usize,
    /// ZMQ_RCVHWM: messages per incoming pipe; 0 = unlimited.
    pub rcvhwm: usize,
    /// ZMQ_LINGER: how long pending messages may keep a closed socket's connections open;
    /// `None` = until delivered.
    pub linger: Option<Duration>,
    /// ZMQ_RECONNECT_IVL; `None` = never reconnect.
    pub reconnect_ivl: Option<Duration>,
    /// ZMQ_RECONNECT_IVL_MAX; zero = no exponential backoff.
    pub reconnect_ivl_max: Duration,
    /// ZMQ_HANDSHAKE_IVL; `None` = no limit.
    pub handshake_ivl: Option<Duration>,
    /// ZMQ_MAXMSGSIZE per frame; `None` = unlimited.
    pub max_msg_size: Option<u64>,
    /// ZMQ_ROUTING_ID sent as the Identity property (REQ, DEALER, ROUTER).
    pub routing_id: Bytes,
    /// ZMQ_CONNECT_ROUTING_ID: the local name of the next outgoing connection (ROUTER,
    /// STREAM); consumed by the next connect.
    pub connect_routing_id: Option<Bytes>,
    /// ZMQ_IMMEDIATE: queue only to connections that completed their handshake.
    pub immediate: bool,
    /// ZMQ_CONFLATE: keep only the newest message in each queue.
    pub conflate: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            sndhwm: 1000,
            rcvhwm: 1000,
            linger: Some(Duration::from_millis(100)),
            reconnect_ivl: Some(Duration::from_millis(100)),
            reconnect_ivl_max: Duration::ZERO,
            handshake_ivl: Some(Duration::from_secs(30)),
            max_msg_size: None,
            routing_id: Bytes::new(),
            connect_routing_id: None,
            immediate: false,
            conflate: false,
        }
    }
}
