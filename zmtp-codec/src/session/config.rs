//! Per-connection settings of a ZMTP [`Session`](super::Session).

use std::time::Duration;

use bytes::Bytes;

use crate::SocketType;
use crate::frame::DEFAULT_COPY_THRESHOLD;

/// libzmq's default ZMQ_HANDSHAKE_IVL: 30 seconds.
pub const DEFAULT_HANDSHAKE_IVL: Duration = Duration::from_secs(30);

/// The largest TTL a PING can carry: 65535 deciseconds (6553.5 s).
pub const MAX_HEARTBEAT_TTL: Duration = Duration::from_millis(u16::MAX as u64 * 100);

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
    /// ZMQ_HEARTBEAT_IVL: in the data phase, a PING goes out this often,
    /// the first one this long after the handshake completed (`None` or
    /// zero = no PINGs).
    pub heartbeat_ivl: Option<Duration>,
    /// ZMQ_HEARTBEAT_TTL: the time-to-live our PINGs announce, rounded down
    /// to deciseconds and capped at [`MAX_HEARTBEAT_TTL`] (zero = none).
    pub heartbeat_ttl: Duration,
    /// ZMQ_HEARTBEAT_TIMEOUT, resolved: after one of our PINGs the peer must
    /// send something within this, or the connection fails with
    /// [`ProtocolError::HeartbeatTimeout`](crate::ProtocolError::HeartbeatTimeout)
    /// (`None` or zero = no limit; only used when PINGs are sent). libzmq's
    /// default, -1, means the interval: the caller resolves it.
    pub heartbeat_timeout: Option<Duration>,
    /// The connecting side: the rest of our ZMTP 3 greeting waits for the peer's
    /// whole greeting. A libzmq peer sends its rest as soon as it has our major
    /// version, but if it reads our rest in the same go it judges our mechanism at
    /// once and, at a mismatch, closes without flushing its own rest: the connecting
    /// side would never learn why and redial. Holding ours back makes the mismatch
    /// ours to see, every time. The accepting side must not wait (or two waiting
    /// sides would deadlock); libzmq's accepting side never does.
    pub connecting: bool,
}

impl SessionConfig {
    /// Defaults for `socket_type`: empty identity, no size limit, copy
    /// threshold [`DEFAULT_COPY_THRESHOLD`], handshake interval
    /// [`DEFAULT_HANDSHAKE_IVL`], no heartbeats.
    pub fn new(socket_type: SocketType) -> SessionConfig {
        SessionConfig {
            socket_type,
            identity: Bytes::new(),
            max_msg_size: None,
            copy_threshold: DEFAULT_COPY_THRESHOLD,
            handshake_ivl: Some(DEFAULT_HANDSHAKE_IVL),
            heartbeat_ivl: None,
            heartbeat_ttl: Duration::ZERO,
            heartbeat_timeout: None,
            connecting: false,
        }
    }

    /// The TTL our PINGs carry, in deciseconds: [`heartbeat_ttl`](Self::heartbeat_ttl)
    /// rounded down (as libzmq's setsockopt does) and capped at 65535.
    pub fn ttl_deciseconds(&self) -> u16 {
        u16::try_from(self.heartbeat_ttl.as_millis() / 100).unwrap_or(u16::MAX)
    }
}
