//! Peer identifiers and the [`PeerSet`] view that routing state machines act upon.

use bytes::Bytes;
use zmtp_codec::SocketType;

use crate::message::Message;

/// Identifies one pipe (one peer) of a socket. Ids are never reused within a socket:
/// the low 32 bits are a slot index, the high 32 bits a generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeerId(pub u64);

impl PeerId {
    /// Builds an id from a slot index and its generation.
    pub fn new(index: u32, generation: u32) -> Self {
        PeerId(((generation as u64) << 32) | index as u64)
    }

    /// The slot index.
    pub fn index(self) -> usize {
        (self.0 & 0xFFFF_FFFF) as usize
    }

    /// The generation of the slot when this id was issued.
    pub fn generation(self) -> u32 {
        (self.0 >> 32) as u32
    }
}

/// A control item queued for a peer beside its messages: subscriptions travel as
/// SUBSCRIBE/CANCEL commands to ZMTP 3.1 peers and as `0x01`/`0x00` data frames to 3.0 peers.
/// Control items are never subject to the high-water mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ctrl {
    /// Subscribe to a topic prefix.
    Subscribe(Bytes),
    /// Cancel one subscription to a topic prefix.
    Cancel(Bytes),
}

/// What routing learns about a peer when its handshake completes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeerMeta {
    /// The peer's `Identity` property (empty when it sent none).
    pub identity: Bytes,
    /// The peer's socket type (`None` for raw STREAM connections).
    pub socket_type: Option<SocketType>,
    /// The routing id chosen locally for this connection with `ZMQ_CONNECT_ROUTING_ID`
    /// (ROUTER and STREAM only); takes precedence over `identity`.
    pub connect_routing_id: Option<Bytes>,
    /// The connection's properties, attached to each message it delivers (see
    /// [`Message::property`]); `None` for inproc.
    pub properties: Option<std::sync::Arc<zmtp_codec::Metadata>>,
}

/// What a routing state machine sees of the socket's outgoing pipes. The engine implements
/// it over its peer table; tests implement it over plain queues.
pub trait PeerSet {
    /// True when the peer exists and its outgoing pipe is below its high-water mark.
    fn has_room(&self, id: PeerId) -> bool;
    /// Queues a whole message for the peer; gives it back when the pipe is full or gone.
    fn push(&mut self, id: PeerId, msg: Message) -> Result<(), Message>;
    /// Queues a control item for the peer (dropped silently if the peer is gone).
    fn push_ctrl(&mut self, id: PeerId, ctrl: Ctrl);
    /// True when the peer has a live, handshaken connection.
    fn is_connected(&self, id: PeerId) -> bool;
    /// Drops the peer's connection (e.g. a duplicate ROUTER routing id, a STREAM closed by
    /// the application, a second PAIR peer). Routing has already forgotten the peer; the
    /// engine closes the connection and later reports it through `disconnected`/`detach`.
    fn kill(&mut self, id: PeerId, reason: &'static str);
    /// Closes the peer's connection once everything already queued for it is written
    /// (STREAM's `[id, ""]`); the pipe then ends as with [`PeerSet::kill`].
    fn close(&mut self, id: PeerId, reason: &'static str);
}
