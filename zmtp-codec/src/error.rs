//! Protocol errors raised while decoding or driving a ZMTP connection.

use crate::SocketType;

/// libzmq's `ZMQ_PROTOCOL_ERROR_*` codes (values reported with the
/// `HANDSHAKE_FAILED_PROTOCOL` monitor event).
pub mod codes {
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED`
    pub const ZMTP_UNSPECIFIED: u32 = 0x1000_0000;
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND`
    pub const ZMTP_UNEXPECTED_COMMAND: u32 = 0x1000_0001;
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE`
    pub const ZMTP_INVALID_SEQUENCE: u32 = 0x1000_0002;
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE`
    pub const ZMTP_KEY_EXCHANGE: u32 = 0x1000_0003;
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED`
    pub const ZMTP_MALFORMED_COMMAND_UNSPECIFIED: u32 = 0x1000_0011;
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE`
    pub const ZMTP_MALFORMED_COMMAND_MESSAGE: u32 = 0x1000_0012;
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO`
    pub const ZMTP_MALFORMED_COMMAND_HELLO: u32 = 0x1000_0013;
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE`
    pub const ZMTP_MALFORMED_COMMAND_INITIATE: u32 = 0x1000_0014;
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR`
    pub const ZMTP_MALFORMED_COMMAND_ERROR: u32 = 0x1000_0015;
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY`
    pub const ZMTP_MALFORMED_COMMAND_READY: u32 = 0x1000_0016;
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME`
    pub const ZMTP_MALFORMED_COMMAND_WELCOME: u32 = 0x1000_0017;
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA`
    pub const ZMTP_INVALID_METADATA: u32 = 0x1000_0018;
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC`
    pub const ZMTP_CRYPTOGRAPHIC: u32 = 0x1100_0001;
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH`
    pub const ZMTP_MECHANISM_MISMATCH: u32 = 0x1100_0002;
}

/// Everything that can go wrong on the wire. Every variant is fatal for the
/// connection it came from; [`stops_reconnect`](Self::stops_reconnect) tells
/// whether a connecting socket should also give up on the endpoint, and
/// [`peer_reason`](Self::peer_reason) what the peer is told in an ERROR
/// command before the connection closes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// The peer speaks ZMTP 1.0 or 2.0 and this socket cannot talk to it: a socket
    /// with a security mechanism (PLAIN, CURVE) or a ZAP domain speaks only ZMTP 3,
    /// as in libzmq. `major` is 1 for ZMTP 1.0 (with or without a revision) and 2
    /// for ZMTP 2.0.
    #[error(
        "a ZMTP {major}.0 peer, refused: a socket with a security mechanism or a ZAP domain speaks only ZMTP 3"
    )]
    UnsupportedVersion {
        /// The peer's ZMTP major version (1 or 2).
        major: u8,
    },
    /// A frame is malformed (a ZMTP 1.0 length of 0 or reserved flag bits, a
    /// command from a peer whose protocol has none, an identity over 255 bytes).
    #[error("malformed frame: {0}")]
    MalformedFrame(&'static str),
    /// The greeting is malformed in some other way.
    #[error("bad greeting: {0}")]
    BadGreeting(&'static str),
    /// The peer's greeting names another security mechanism.
    #[error("security mechanism mismatch: ours {ours}, peer's {theirs}")]
    MechanismMismatch {
        /// Our mechanism name.
        ours: String,
        /// The peer's mechanism name (lossy UTF-8, NULs trimmed).
        theirs: String,
    },
    /// A frame header declared a body larger than allowed (MAXMSGSIZE, or
    /// more than 2^63-1 bytes).
    #[error("frame of {size} bytes exceeds the limit of {max} bytes")]
    FrameTooLarge {
        /// Declared body size.
        size: u64,
        /// Limit in force.
        max: u64,
    },
    /// A command frame does not follow its grammar.
    #[error("malformed command: {0}")]
    MalformedCommand(&'static str),
    /// A command arrived that is not allowed at this point (name, lossy UTF-8).
    #[error("unexpected command {0:?}")]
    UnexpectedCommand(String),
    /// A data frame arrived before the handshake finished.
    #[error("data frame received before the handshake completed")]
    DataBeforeReady,
    /// Metadata (READY/INITIATE properties) is malformed.
    #[error("invalid metadata: {0}")]
    InvalidMetadata(&'static str),
    /// The peer's Socket-Type cannot talk to ours.
    #[error("incompatible peer socket type {theirs:?} for a {ours} socket")]
    IncompatibleSocketType {
        /// Our socket type.
        ours: SocketType,
        /// The peer's Socket-Type property (lossy UTF-8).
        theirs: String,
    },
    /// The peer sent an ERROR command (reason, lossy UTF-8).
    #[error("peer reported error: {0:?}")]
    PeerError(String),
    /// Authentication failed with a ZAP status code (300, 400 or 500): either the
    /// peer told us so in an ERROR command whose reason is exactly that code, or
    /// our authenticator refused the peer (then the ERROR, if any, has already been
    /// queued by the mechanism). libzmq reports this as `HANDSHAKE_FAILED_AUTH`
    /// with the status; a connecting socket stops reconnecting.
    #[error("authentication failed (ZAP status {status})")]
    AuthFailed {
        /// The ZAP status code (300, 400 or 500).
        status: u16,
    },
    /// A mechanism-specific failure (PLAIN/CURVE).
    #[error("security mechanism failure: {0}")]
    Mechanism(String),
    /// A mechanism-specific failure that maps to a specific libzmq protocol
    /// error code (see [`codes`]).
    #[error("security mechanism failure: {reason}")]
    MechanismCode {
        /// One of the [`codes`] constants.
        code: u32,
        /// Human-readable reason.
        reason: String,
    },
    /// A data-phase operation was attempted before the handshake completed
    /// (a local usage error, not a peer fault).
    #[error("the handshake has not completed yet")]
    NotReady,
    /// The handshake did not complete within the configured interval
    /// (ZMQ_HANDSHAKE_IVL). A timeout, not a protocol violation: a connecting
    /// socket reconnects.
    #[error("the handshake timed out")]
    HandshakeTimeout,
    /// ZMTP heartbeats: the peer sent nothing within ZMQ_HEARTBEAT_TIMEOUT
    /// of our PING, or within the TTL of its own PING. A timeout, as in
    /// libzmq (`timeout_error`): the peer is not told, a connecting socket
    /// reconnects.
    #[error("the peer sent nothing within the heartbeat timeout")]
    HeartbeatTimeout,
}

impl ProtocolError {
    /// libzmq's `ZMQ_PROTOCOL_ERROR_*` code for this error
    /// ([`codes::ZMTP_UNSPECIFIED`] when none is more specific).
    pub fn code(&self) -> u32 {
        match self {
            ProtocolError::MechanismMismatch { .. } => codes::ZMTP_MECHANISM_MISMATCH,
            ProtocolError::MalformedCommand(_) => codes::ZMTP_MALFORMED_COMMAND_UNSPECIFIED,
            ProtocolError::UnexpectedCommand(_) | ProtocolError::DataBeforeReady => {
                codes::ZMTP_UNEXPECTED_COMMAND
            }
            ProtocolError::InvalidMetadata(_) | ProtocolError::IncompatibleSocketType { .. } => {
                codes::ZMTP_INVALID_METADATA
            }
            ProtocolError::MechanismCode { code, .. } => *code,
            ProtocolError::UnsupportedVersion { .. }
            | ProtocolError::BadGreeting(_)
            | ProtocolError::MalformedFrame(_)
            | ProtocolError::FrameTooLarge { .. }
            | ProtocolError::PeerError(_)
            | ProtocolError::AuthFailed { .. }
            | ProtocolError::Mechanism(_)
            | ProtocolError::NotReady
            | ProtocolError::HandshakeTimeout
            | ProtocolError::HeartbeatTimeout => codes::ZMTP_UNSPECIFIED,
        }
    }

    /// The reason sent to the peer in an ERROR command when this error ends
    /// the connection (`None`: close without telling). The session queues
    /// that command itself when it fails; this is the one place that decides
    /// what the peer is told.
    pub fn peer_reason(&self) -> Option<&[u8]> {
        match self {
            // libzmq sends exactly this reason; its peer then treats the
            // refusal as a protocol error and stops reconnecting.
            ProtocolError::IncompatibleSocketType { .. } => Some(b"incompatible socket type"),
            _ => None,
        }
    }

    /// Whether a connecting socket should stop reconnecting to the endpoint
    /// after this error (libzmq's `protocol_error`). `false` for
    /// [`HandshakeTimeout`](Self::HandshakeTimeout) and
    /// [`HeartbeatTimeout`](Self::HeartbeatTimeout) (libzmq's
    /// `timeout_error`: the connect side retries) and for the local usage
    /// error [`NotReady`](Self::NotReady).
    pub fn stops_reconnect(&self) -> bool {
        !matches!(
            self,
            ProtocolError::HandshakeTimeout
                | ProtocolError::HeartbeatTimeout
                | ProtocolError::NotReady
        )
    }
}
