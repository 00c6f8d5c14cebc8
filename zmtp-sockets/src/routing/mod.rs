//! Routing: one pure state machine per socket type, driven by the engine under the
//! socket's lock and testable without any I/O through the [`PeerSet`] trait.
//!
//! Every socket type's state machine implements [`Pattern`]; [`Routing`] holds one of them
//! and forwards each call through a single exhaustive `match` (static dispatch, no boxing).
//! Shared mechanics live in their own modules: round-robin in [`lb`], PROBE_ROUTER in
//! [`probe`], subscription matching in [`trie`], routing ids in [`ids`]. REQ is built on
//! DEALER ([`req`], [`dealer`]). Fair queueing is the engine's single incoming queue;
//! routing only filters and transforms what comes out of it ([`Routing::on_recv`]) and may
//! add messages of its own ([`Routing::take_local`]).

pub mod dealer;
pub mod ids;
pub mod incoming;
pub mod lb;
pub mod option;
pub mod outcome;
pub mod pair;
pub mod pattern;
pub mod probe;
pub mod publisher;
pub mod pull;
pub mod push;
pub mod rep;
pub mod req;
pub mod router;
pub mod stream;
pub mod subscriber;
pub mod trie;

use bytes::Bytes;
use zmtp_codec::SocketType;

pub use incoming::{Incoming, classify};
pub use option::RoutingOption;
pub use outcome::{RecvAction, RoutingError, SendError};
pub use pattern::Pattern;

use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerMeta, PeerSet};

/// The routing state machine of one socket: one variant per socket type.
#[derive(Debug)]
pub enum Routing {
    /// PAIR.
    Pair(pair::Pair),
    /// PUB.
    Pub(publisher::Publisher),
    /// SUB.
    Sub(subscriber::Subscriber),
    /// REQ.
    Req(req::Req),
    /// REP.
    Rep(rep::Rep),
    /// DEALER.
    Dealer(dealer::Dealer),
    /// ROUTER.
    Router(router::Router),
    /// PULL.
    Pull(pull::Pull),
    /// PUSH.
    Push(push::Push),
    /// XPUB.
    XPub(publisher::Publisher),
    /// XSUB.
    XSub(subscriber::Subscriber),
    /// STREAM.
    Stream(stream::Stream),
}

/// Runs `$body` with `$p` bound to the variant's state machine. Every variant is listed
/// once and there is no wildcard arm, so a new variant cannot compile without its arm.
macro_rules! dispatch {
    ($self:expr, $p:ident => $body:expr) => {
        match $self {
            Routing::Pair($p) => $body,
            Routing::Pub($p) => $body,
            Routing::Sub($p) => $body,
            Routing::Req($p) => $body,
            Routing::Rep($p) => $body,
            Routing::Dealer($p) => $body,
            Routing::Router($p) => $body,
            Routing::Pull($p) => $body,
            Routing::Push($p) => $body,
            Routing::XPub($p) => $body,
            Routing::XSub($p) => $body,
            Routing::Stream($p) => $body,
        }
    };
}

impl Routing {
    /// The state machine for a socket type (`Some` for all twelve).
    pub fn new(kind: SocketType) -> Option<Routing> {
        Some(match kind {
            SocketType::Pair => Routing::Pair(Default::default()),
            SocketType::Pub => Routing::Pub(publisher::Publisher::new(false)),
            SocketType::Sub => Routing::Sub(subscriber::Subscriber::new(false)),
            SocketType::Req => Routing::Req(Default::default()),
            SocketType::Rep => Routing::Rep(Default::default()),
            SocketType::Dealer => Routing::Dealer(Default::default()),
            SocketType::Router => Routing::Router(Default::default()),
            SocketType::Pull => Routing::Pull(Default::default()),
            SocketType::Push => Routing::Push(Default::default()),
            SocketType::XPub => Routing::XPub(publisher::Publisher::new(true)),
            SocketType::XSub => Routing::XSub(subscriber::Subscriber::new(true)),
            SocketType::Stream => Routing::Stream(Default::default()),
        })
    }

    /// Applies a routing option; `NotSupported` when it does not apply to this type.
    pub fn set_option(&mut self, opt: RoutingOption) -> Result<(), RoutingError> {
        dispatch!(self, p => p.set_option(opt))
    }

    /// A pipe to a peer now exists (a connecting socket creates it before the connection).
    pub fn attach(&mut self, id: PeerId) {
        dispatch!(self, p => p.attach(id))
    }

    /// A connecting socket created a pipe (before its connection exists): as
    /// [`Routing::attach`], and ROUTER and STREAM name it at once, as libzmq does, so the
    /// application can send to it right away and it keeps its name across reconnects.
    /// ROUTER names it only with `connect_routing_id`; STREAM picks an automatic id
    /// without one.
    pub fn attach_dialed(&mut self, id: PeerId, connect_routing_id: Option<&Bytes>) {
        dispatch!(self, p => p.attach_dialed(id, connect_routing_id))
    }

    /// A connection to the peer completed its handshake. Returns control items to send
    /// before anything else (SUB/XSUB: every current subscription once). May queue
    /// messages for the peer (probe, welcome), kill connections through `peers` (duplicate
    /// routing id, second PAIR peer) and synthesize messages for the application.
    pub fn connected(
        &mut self,
        id: PeerId,
        meta: &PeerMeta,
        peers: &mut impl PeerSet,
    ) -> Vec<Ctrl> {
        dispatch!(self, p => p.connected(id, meta, peers))
    }

    /// The peer's connection ended (its pipe lives on for a reconnect); `pending` of
    /// the messages it sent still wait in the incoming queue.
    pub fn disconnected(&mut self, id: PeerId, pending: usize) {
        dispatch!(self, p => p.disconnected(id, pending))
    }

    /// The pipe is gone for good (implies `disconnected`); `pending` of the messages it
    /// sent still wait in the incoming queue and are delivered as if it were there.
    pub fn detach(&mut self, id: PeerId, pending: usize) {
        dispatch!(self, p => p.detach(id, pending))
    }

    /// Routes an outgoing message.
    pub fn send(&mut self, msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError> {
        dispatch!(self, p => p.send(msg, peers))
    }

    /// Whether receiving is allowed at all right now.
    pub fn check_recv(&self) -> Result<(), RoutingError> {
        dispatch!(self, p => p.check_recv())
    }

    /// Filters (and for ROUTER/STREAM/REQ/REP transforms) a message taken from the
    /// incoming queue.
    pub fn on_recv(&mut self, from: PeerId, msg: Message) -> RecvAction {
        dispatch!(self, p => p.on_recv(from, msg))
    }

    /// True when received messages can be routed ahead of the application in batches:
    /// `on_recv` keeps no per-message state the application's next call depends on
    /// (REQ and REP do: envelopes and the request/reply alternation).
    pub fn recv_in_batches(&self) -> bool {
        dispatch!(self, p => p.recv_in_batches())
    }

    /// Whether a message routed ahead is still deliverable after the application changed
    /// subscriptions or options (SUB filtering; everything else stays).
    pub fn still_wanted(&self, msg: &Message) -> bool {
        dispatch!(self, p => p.still_wanted(msg))
    }

    /// A subscription from a peer (PUB/XPUB; ignored by other types).
    pub fn on_subscribe(&mut self, from: PeerId, topic: &[u8]) {
        dispatch!(self, p => p.on_subscribe(from, topic))
    }

    /// A cancel from a peer (PUB/XPUB; ignored by other types).
    pub fn on_cancel(&mut self, from: PeerId, topic: &[u8]) {
        dispatch!(self, p => p.on_cancel(from, topic))
    }

    /// Local subscribe: SUB, or PUB/XPUB with XPUB_MANUAL (for the peer whose notice was
    /// read last). False when the type (or its current options) has no local subscribe.
    pub fn subscribe(&mut self, topic: Bytes, peers: &mut impl PeerSet) -> bool {
        dispatch!(self, p => p.subscribe(topic, peers))
    }

    /// Local unsubscribe; same rules as [`Routing::subscribe`].
    pub fn unsubscribe(&mut self, topic: Bytes, peers: &mut impl PeerSet) -> bool {
        dispatch!(self, p => p.unsubscribe(topic, peers))
    }

    /// The next message synthesized for the application (XPUB subscription notices,
    /// STREAM connect/disconnect notifications); served before the incoming queue.
    pub fn take_local(&mut self) -> Option<Message> {
        dispatch!(self, p => p.take_local())
    }

    /// True when [`Routing::take_local`] has something.
    pub fn has_local(&self) -> bool {
        dispatch!(self, p => p.has_local())
    }
}

#[cfg(test)]
mod tests;
