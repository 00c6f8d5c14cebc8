//! Routing: one pure state machine per socket type, driven by the engine under the
//! socket's lock and testable without any I/O through the [`PeerSet`] trait.
//!
//! Shared mechanics live in their own modules: round-robin in [`lb`], subscription
//! matching in [`trie`], routing ids in [`ids`]. Fair queueing is the engine's single
//! incoming queue; routing only filters and transforms what comes out of it
//! ([`Routing::on_recv`]) and may add messages of its own ([`Routing::take_local`]).

pub mod dealer;
pub mod ids;
pub mod lb;
pub mod pair;
pub mod publisher;
pub mod rep;
pub mod req;
pub mod router;
pub mod stream;
pub mod subscriber;
pub mod trie;

use bytes::Bytes;
use zmtp_codec::SocketType;

use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerMeta, PeerSet};

/// Why a send could not be completed; the message is handed back.
#[derive(Debug)]
pub enum SendError {
    /// Every eligible pipe is full (or there is no peer yet): wait and retry.
    WouldBlock(Message),
    /// The socket's state machine forbids sending now (REQ awaiting a reply, REP with no request).
    State(Message),
    /// This socket type cannot send.
    NotSupported(Message),
    /// No peer has that routing id (ROUTER with ROUTER_MANDATORY, STREAM).
    HostUnreachable(Message),
}

/// Why a receive (or an option) is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoutingError {
    /// The state machine forbids receiving now.
    State,
    /// This socket type cannot receive, or the option does not apply to it.
    NotSupported,
}

/// What to do with a message taken from the incoming queue.
#[derive(Debug)]
pub enum RecvAction {
    /// Hand it to the application.
    Deliver(Message),
    /// Discard it silently.
    Drop,
    /// Discard it and drop the connection it came from (protocol violation).
    DropAndKill(&'static str),
}

/// A socket option that changes routing (libzmq names; all default off except
/// `StreamNotify`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoutingOption {
    /// ROUTER: unknown id → `HostUnreachable`, full peer → `WouldBlock` (instead of dropping).
    RouterMandatory(bool),
    /// ROUTER: a new connection with a taken id displaces the old one.
    RouterHandover(bool),
    /// ROUTER, DEALER, REQ: send an empty message on every new connection.
    ProbeRouter(bool),
    /// REQ: tag requests with an id and accept only the matching reply.
    ReqCorrelate(bool),
    /// REQ: allow a new request before the reply arrives.
    ReqRelaxed(bool),
    /// PUB/XPUB: report every subscribe, not only the first per topic.
    XpubVerbose(bool),
    /// PUB/XPUB: report every subscribe and every unsubscribe.
    XpubVerboser(bool),
    /// PUB/XPUB: the application sets subscriptions itself.
    XpubManual(bool),
    /// PUB/XPUB: `WouldBlock` instead of dropping at a full subscriber.
    XpubNodrop(bool),
    /// PUB/XPUB: message sent to every new peer (`None` or empty: none).
    XpubWelcomeMsg(Option<Bytes>),
    /// PUB/XPUB/SUB/XSUB: match the messages that match no subscription.
    InvertMatching(bool),
    /// STREAM: deliver `[id, ""]` on connect and disconnect (default on).
    StreamNotify(bool),
}

/// The routing state machine of one socket.
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
    Pull,
    /// PUSH.
    Push(lb::LoadBalancer),
    /// XPUB.
    XPub(publisher::Publisher),
    /// XSUB.
    XSub(subscriber::Subscriber),
    /// STREAM.
    Stream(stream::Stream),
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
            SocketType::Pull => Routing::Pull,
            SocketType::Push => Routing::Push(Default::default()),
            SocketType::XPub => Routing::XPub(publisher::Publisher::new(true)),
            SocketType::XSub => Routing::XSub(subscriber::Subscriber::new(true)),
            SocketType::Stream => Routing::Stream(Default::default()),
        })
    }

    /// Applies a routing option; `NotSupported` when it does not apply to this type.
    pub fn set_option(&mut self, opt: RoutingOption) -> Result<(), RoutingError> {
        use RoutingOption as O;
        match (self, opt) {
            (Routing::Router(r), O::RouterMandatory(on)) => r.mandatory = on,
            (Routing::Router(r), O::RouterHandover(on)) => r.handover = on,
            (Routing::Router(r), O::ProbeRouter(on)) => r.probe = on,
            (Routing::Dealer(d), O::ProbeRouter(on)) => d.probe = on,
            (Routing::Req(r), O::ProbeRouter(on)) => r.probe = on,
            (Routing::Req(r), O::ReqCorrelate(on)) => r.correlate = on,
            (Routing::Req(r), O::ReqRelaxed(on)) => r.relaxed = on,
            (Routing::Pub(p) | Routing::XPub(p), opt) => match opt {
                O::XpubVerbose(on) => p.set_verbose(on),
                O::XpubVerboser(on) => p.set_verboser(on),
                O::XpubManual(on) => p.manual = on,
                O::XpubNodrop(on) => p.nodrop = on,
                O::XpubWelcomeMsg(msg) => p.set_welcome(msg),
                O::InvertMatching(on) => p.invert = on,
                _ => return Err(RoutingError::NotSupported),
            },
            (Routing::Sub(s) | Routing::XSub(s), O::InvertMatching(on)) => s.invert = on,
            (Routing::Stream(s), O::StreamNotify(on)) => s.notify = on,
            _ => return Err(RoutingError::NotSupported),
        }
        Ok(())
    }

    /// A pipe to a peer now exists (a connecting socket creates it before the connection).
    pub fn attach(&mut self, id: PeerId) {
        match self {
            Routing::Pair(p) => p.attach(id),
            Routing::Req(r) => r.attach(id),
            Routing::Dealer(d) => d.attach(id),
            Routing::Push(lb) => lb.attach(id),
            Routing::Sub(s) | Routing::XSub(s) => s.attach(id),
            _ => {}
        }
    }

    /// A connecting socket created a pipe (before its connection exists): as
    /// [`Routing::attach`], and ROUTER and STREAM name it at once, as libzmq does, so the
    /// application can send to it right away and it keeps its name across reconnects.
    /// ROUTER names it only with `connect_routing_id`; STREAM picks an automatic id
    /// without one.
    pub fn attach_dialed(&mut self, id: PeerId, connect_routing_id: Option<&Bytes>) {
        self.attach(id);
        match self {
            Routing::Router(r) => r.name_dialed(id, connect_routing_id),
            Routing::Stream(s) => s.name_dialed(id, connect_routing_id),
            _ => {}
        }
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
        match self {
            Routing::Pair(p) => p.connected(id, peers),
            Routing::Pub(p) | Routing::XPub(p) => p.connected(id, peers),
            Routing::Sub(s) | Routing::XSub(s) => return s.connected(id),
            Routing::Req(r) => r.connected(id, peers),
            Routing::Dealer(d) => d.connected(id, peers),
            Routing::Router(r) => r.connected(id, meta, peers),
            Routing::Stream(s) => s.connected(id, meta, peers),
            Routing::Rep(_) | Routing::Pull | Routing::Push(_) => {}
        }
        Vec::new()
    }

    /// The peer's connection ended (its pipe lives on for a reconnect); `pending` of
    /// the messages it sent still wait in the incoming queue.
    pub fn disconnected(&mut self, id: PeerId, pending: usize) {
        match self {
            Routing::Pub(p) | Routing::XPub(p) => p.disconnected(id),
            Routing::Sub(s) | Routing::XSub(s) => s.disconnected(id),
            Routing::Router(r) => r.disconnected(id),
            Routing::Stream(s) => s.disconnected(id, pending),
            _ => {}
        }
    }

    /// The pipe is gone for good (implies `disconnected`); `pending` of the messages it
    /// sent still wait in the incoming queue and are delivered as if it were there.
    pub fn detach(&mut self, id: PeerId, pending: usize) {
        match self {
            Routing::Pair(p) => p.detach(id, pending),
            Routing::Pub(p) | Routing::XPub(p) => p.disconnected(id),
            Routing::Sub(s) | Routing::XSub(s) => s.detach(id),
            Routing::Req(r) => r.detach(id),
            Routing::Dealer(d) => d.detach(id),
            Routing::Router(r) => r.detach(id, pending),
            Routing::Push(lb) => lb.detach(id),
            Routing::Stream(s) => s.detach(id, pending),
            Routing::Rep(_) | Routing::Pull => {}
        }
    }

    /// Routes an outgoing message.
    pub fn send(&mut self, msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError> {
        match self {
            Routing::Pair(p) => p.send(msg, peers),
            Routing::Pub(p) | Routing::XPub(p) => p.send(msg, peers),
            Routing::Sub(s) | Routing::XSub(s) => s.send(msg, peers),
            Routing::Req(r) => r.send(msg, peers),
            Routing::Rep(r) => r.send(msg, peers),
            Routing::Dealer(d) => d.send(msg, peers),
            Routing::Router(r) => r.send(msg, peers),
            Routing::Push(lb) => lb
                .send(msg, peers)
                .map(|_| ())
                .map_err(SendError::WouldBlock),
            Routing::Stream(s) => s.send(msg, peers),
            Routing::Pull => Err(SendError::NotSupported(msg)),
        }
    }

    /// Whether receiving is allowed at all right now.
    pub fn check_recv(&self) -> Result<(), RoutingError> {
        match self {
            Routing::Req(r) => r.check_recv(),
            Routing::Rep(r) => r.check_recv(),
            Routing::Push(_) | Routing::Pub(_) => Err(RoutingError::NotSupported),
            _ => Ok(()),
        }
    }

    /// Filters (and for ROUTER/STREAM/REQ/REP transforms) a message taken from the
    /// incoming queue.
    pub fn on_recv(&mut self, from: PeerId, msg: Message) -> RecvAction {
        match self {
            Routing::Pair(p) => p.on_recv(from, msg),
            Routing::Pub(p) | Routing::XPub(p) => p.on_recv(msg),
            Routing::Sub(s) | Routing::XSub(s) => s.on_recv(msg),
            Routing::Req(r) => r.on_recv(from, msg),
            Routing::Rep(r) => r.on_recv(from, msg),
            Routing::Router(r) => r.on_recv(from, msg),
            Routing::Stream(s) => s.on_recv(from, msg),
            Routing::Dealer(_) | Routing::Pull => RecvAction::Deliver(msg),
            Routing::Push(_) => RecvAction::Drop,
        }
    }

    /// True when received messages can be routed ahead of the application in batches:
    /// `on_recv` keeps no per-message state the application's next call depends on
    /// (REQ and REP do: envelopes and the request/reply alternation).
    pub fn recv_in_batches(&self) -> bool {
        !matches!(self, Routing::Req(_) | Routing::Rep(_))
    }

    /// Whether a message routed ahead is still deliverable after the application changed
    /// subscriptions or options (SUB filtering; everything else stays).
    pub fn still_wanted(&self, msg: &Message) -> bool {
        match self {
            Routing::Sub(s) => s.wants(msg),
            _ => true,
        }
    }

    /// A subscription from a peer (PUB/XPUB; ignored by other types).
    pub fn on_subscribe(&mut self, from: PeerId, topic: &[u8]) {
        if let Routing::Pub(p) | Routing::XPub(p) = self {
            p.on_subscribe(from, topic);
        }
    }

    /// A cancel from a peer (PUB/XPUB; ignored by other types).
    pub fn on_cancel(&mut self, from: PeerId, topic: &[u8]) {
        if let Routing::Pub(p) | Routing::XPub(p) = self {
            p.on_cancel(from, topic);
        }
    }

    /// Local subscribe: SUB, or PUB/XPUB with XPUB_MANUAL (for the peer whose notice was
    /// read last). False when the type (or its current options) has no local subscribe.
    pub fn subscribe(&mut self, topic: Bytes, peers: &mut impl PeerSet) -> bool {
        match self {
            Routing::Sub(s) | Routing::XSub(s) => s.subscribe(topic, peers),
            Routing::Pub(p) | Routing::XPub(p) => p.subscribe(&topic),
            _ => false,
        }
    }

    /// Local unsubscribe; same rules as [`Routing::subscribe`].
    pub fn unsubscribe(&mut self, topic: Bytes, peers: &mut impl PeerSet) -> bool {
        match self {
            Routing::Sub(s) | Routing::XSub(s) => s.unsubscribe(topic, peers),
            Routing::Pub(p) | Routing::XPub(p) => p.unsubscribe(&topic),
            _ => false,
        }
    }

    /// The next message synthesized for the application (XPUB subscription notices,
    /// STREAM connect/disconnect notifications); served before the incoming queue.
    pub fn take_local(&mut self) -> Option<Message> {
        match self {
            Routing::XPub(p) => p.take_local(),
            Routing::Stream(s) => s.take_local(),
            _ => None,
        }
    }

    /// True when [`Routing::take_local`] has something.
    pub fn has_local(&self) -> bool {
        match self {
            Routing::XPub(p) => p.has_local(),
            Routing::Stream(s) => s.has_local(),
            _ => false,
        }
    }
}

/// How an incoming message is treated before it reaches the incoming queue.
#[derive(Debug)]
pub enum Incoming {
    /// A subscription (`true`) or cancel (`false`) sent as a ZMTP 3.0 data frame.
    Subscription(bool, Bytes),
    /// Queue it for the application.
    Keep(Message),
    /// Discard it (e.g. data sent to a PUB).
    Discard,
}

/// Classifies an incoming message for a socket type: PUB/XPUB take `0x01`/`0x00`-prefixed
/// single frames as (un)subscriptions; PUB discards everything else, XPUB keeps it; PUSH
/// discards everything; every other type keeps everything. Depends only on the type, so
/// drivers call it without taking the socket lock.
pub fn classify(kind: SocketType, msg: Message) -> Incoming {
    match kind {
        SocketType::Pub | SocketType::XPub => {
            if msg.len() == 1
                && let Some(first) = msg.first()
            {
                match first.first() {
                    Some(1) => return Incoming::Subscription(true, first.slice(1..)),
                    Some(0) => return Incoming::Subscription(false, first.slice(1..)),
                    _ => {}
                }
            }
            if kind == SocketType::XPub {
                Incoming::Keep(msg)
            } else {
                Incoming::Discard
            }
        }
        SocketType::Push => Incoming::Discard,
        _ => Incoming::Keep(msg),
    }
}

#[cfg(test)]
mod tests;
