//! Per-connection settings of a ZMTP [`Session`](super::Session).

use std::time::Duration;

use bytes::Bytes;

use crate::SocketType;
use crate::frame::DEFAULT_COPY_THRESHOLD;

/// libzmq's default ZMQ_HANDSHAKE_IVL: 30 seconds.
pub const DEFAULT_HANDSHAKE_IVL: Duration = Duration::from_secs(30);

/// Per-connection settings.
#[derive(Clone, Debug)]
pub struct SessionConfig {
    /// Our socket type (sent as `Socket-Type`, checked against the peer's).
    pub socket_type: SocketType,
    /// Our routing identity (sent as `Identity` by REQ, DEALER and ROUTER).
    pub identity: Bytes,
    /// MAXMSGSIZE: largest accepted frame body, handshake commands included
    /// (`None` = unlimited).
    pub max_msg_size: Option<u64>,
    /// Received bodies shorter than this are copied out of the read buffer.
    pub copy_threshold: usize,
    /// ZMQ_HANDSHAKE_IVL: the handshake must complete this long after the
    /// session is created (`None` = no limit).
    pub handshake_ivl: Option<Duration>,
}

impl SessionConfig {
    /// Defaults for `socket_type`: empty identity, no size limit, copy
    /// threshold [`DEFAULT_COPY_THRESHOLD`], handshake interval
    /// [`DEFAULT_HANDSHAKE_IVL`].
    pub fn new(socket_type: SocketType) -> SessionConfig {
        SessionConfig {
            socket_type,
            identity: Bytes::new(),
            max_msg_size: None,
            copy_threshold: DEFAULT_COPY_THRESHOLD,
            handshake_ivl: Some(DEFAULT_HANDSHAKE_IVL),
        }
    }
}
