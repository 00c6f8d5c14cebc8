//! What a connection reports to its driver: [`Event`]s and the peer's
//! handshake information ([`PeerInfo`]).

use bytes::Bytes;

use crate::SocketType;
use crate::auth::AuthRequest;
use crate::metadata::Metadata;

/// What the peer told us during the handshake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerInfo {
    /// The peer's `Socket-Type` (`None` when it sent none, which libzmq
    /// accepts, and for raw STREAM connections).
    pub socket_type: Option<SocketType>,
    /// The peer's `Identity` property (empty when absent).
    pub identity: Bytes,
    /// Major version from the peer's greeting.
    pub major: u8,
    /// Minor version from the peer's greeting.
    pub minor: u8,
    /// All properties the peer sent.
    pub metadata: Metadata,
}

/// Something that happened on the connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Handshake finished. The peer's `Socket-Type` (if present; a missing
    /// one is accepted, as libzmq does) was checked with
    /// [`SocketType::can_talk_to`].
    Ready(PeerInfo),
    /// One data frame (messages are assembled by the caller from `more`).
    Frame {
        /// More frames of this message follow.
        more: bool,
        /// Frame body.
        body: Bytes,
    },
    /// A SUBSCRIBE command (ZMTP 3.1) with its topic.
    Subscribe(Bytes),
    /// A CANCEL command (ZMTP 3.1) with its topic.
    Cancel(Bytes),
    /// A PING arrived; the PONG (context echoed, at most 16 bytes) has
    /// already been queued for output.
    Ping {
        /// The peer's TTL in tenths of a second (0 = none).
        ttl_deciseconds: u16,
    },
    /// A PONG arrived.
    Pong,
    /// The security mechanism waits for the authenticator (ZAP): the driver
    /// fills in [`AuthRequest::address`], asks the authenticator and feeds
    /// the answer back with
    /// [`Protocol::handle_auth_reply`](crate::Protocol::handle_auth_reply).
    /// Emitted once per request; no handshake input is decoded meanwhile.
    /// Boxed so that this rare event does not grow every [`Event`].
    AuthRequest(Box<AuthRequest>),
}
