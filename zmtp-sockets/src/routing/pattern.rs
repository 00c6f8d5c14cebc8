//! The [`Pattern`] trait: what every socket type's routing state machine implements.
//!
//! The hooks every type must decide for itself (attach, connected, disconnected, detach,
//! send, on_recv) have no default, so a new socket type cannot compile with one missing.
//! The others only concern some types; their defaults are the right behaviour for every
//! type that does not override them.

use bytes::Bytes;

use super::{RecvAction, RoutingError, RoutingOption, SendError};
use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerMeta, PeerSet};

/// One socket type's routing: a pure state machine driven by the engine under the socket's
/// lock, seeing the outgoing pipes only through a [`PeerSet`].
pub trait Pattern {
    /// Applies a routing option. Default: refused, the option does not apply to this type.
    fn set_option(&mut self, opt: RoutingOption) -> Result<(), RoutingError> {
        let _ = opt;
        Err(RoutingError::NotSupported)
    }

    /// A pipe to a peer now exists (a connecting socket creates it before the connection).
    fn attach(&mut self, id: PeerId);

    /// A connecting socket created a pipe, with the `CONNECT_ROUTING_ID` given for it, if
    /// any. Default: [`Pattern::attach`] (only types that address peers by name, ROUTER and
    /// STREAM, name the pipe at once).
    fn attach_dialed(&mut self, id: PeerId, connect_routing_id: Option<&Bytes>) {
        let _ = connect_routing_id;
        self.attach(id);
    }

    /// A connection to the peer completed its handshake. Returns control items to send
    /// before anything else; may queue messages for the peer, kill connections through
    /// `peers` and synthesize messages for the application.
    fn connected(&mut self, id: PeerId, meta: &PeerMeta, peers: &mut impl PeerSet) -> Vec<Ctrl>;

    /// The peer's connection ended (its pipe lives on for a reconnect); `pending` of the
    /// messages it sent still wait in the incoming queue.
    fn disconnected(&mut self, id: PeerId, pending: usize);

    /// The pipe is gone for good (implies `disconnected`); `pending` of the messages it
    /// sent still wait in the incoming queue and are delivered as if it were there.
    fn detach(&mut self, id: PeerId, pending: usize);

    /// Routes an outgoing message.
    fn send(&mut self, msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError>;

    /// Whether receiving is allowed at all right now. Default: always.
    fn check_recv(&self) -> Result<(), RoutingError> {
        Ok(())
    }

    /// Filters (and possibly transforms) a message taken from the incoming queue.
    fn on_recv(&mut self, from: PeerId, msg: Message) -> RecvAction;

    /// True when received messages can be routed ahead of the application in batches:
    /// `on_recv` keeps no per-message state the application's next call depends on.
    /// Default: true.
    fn recv_in_batches(&self) -> bool {
        true
    }

    /// Whether a message routed ahead is still deliverable after the application changed
    /// subscriptions or options. Default: always.
    fn still_wanted(&self, msg: &Message) -> bool {
        let _ = msg;
        true
    }

    /// A subscription from a peer. Default: ignored (only publishers take them).
    fn on_subscribe(&mut self, from: PeerId, topic: &[u8]) {
        let _ = (from, topic);
    }

    /// A cancel from a peer. Default: ignored (only publishers take them).
    fn on_cancel(&mut self, from: PeerId, topic: &[u8]) {
        let _ = (from, topic);
    }

    /// Local subscribe; false when the type (or its current options) has none. Default:
    /// false.
    fn subscribe(&mut self, topic: Bytes, peers: &mut impl PeerSet) -> bool {
        let _ = (topic, peers);
        false
    }

    /// Local unsubscribe; same rules as [`Pattern::subscribe`]. Default: false.
    fn unsubscribe(&mut self, topic: Bytes, peers: &mut impl PeerSet) -> bool {
        let _ = (topic, peers);
        false
    }

    /// The next message synthesized for the application, served before the incoming
    /// queue. Default: none.
    fn take_local(&mut self) -> Option<Message> {
        None
    }

    /// True when [`Pattern::take_local`] has something. Default: false.
    fn has_local(&self) -> bool {
        false
    }
}
