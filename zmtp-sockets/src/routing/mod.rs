//! Routing: one pure state machine per socket type, driven by the engine under the
//! socket's lock and testable without any I/O through the [`PeerSet`] trait.

pub mod lb;
pub mod pubsub;
pub mod rep;
pub mod req;
pub mod trie;

use bytes::Bytes;
use zmtp_codec::SocketType;

use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerSet};

/// Why a send could not be completed; the message is handed back where it still exists.
#[derive(Debug)]
pub enum SendError {
    /// Every eligible pipe is full (or there is no peer yet): wait and retry.
    WouldBlock(Message),
    /// The socket's state machine forbids sending now (REQ awaiting a reply, REP with no request).
    State(Message),
    /// This socket type cannot send.
    NotSupported(Message),
}

/// Why a receive is refused before looking at the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoutingError {
    /// The state machine forbids receiving now.
    State,
    /// This socket type cannot receive.
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

/// The routing state machine of one socket.
#[derive(Debug)]
pub enum Routing {
    /// REQ.
    Req(req::Req),
    /// REP.
    Rep(rep::Rep),
    /// PUSH.
    Push(lb::LoadBalancer),
    /// PULL.
    Pull,
    /// PUB.
    Pub(pubsub::Pub),
    /// SUB.
    Sub(pubsub::Sub),
}

impl Routing {
    /// The state machine for a socket type, or `None` for types not implemented yet.
    pub fn new(kind: SocketType) -> Option<Routing> {
        Some(match kind {
            SocketType::Req => Routing::Req(Default::default()),
            SocketType::Rep => Routing::Rep(Default::default()),
            SocketType::Push => Routing::Push(Default::default()),
            SocketType::Pull => Routing::Pull,
            SocketType::Pub => Routing::Pub(Default::default()),
            SocketType::Sub => Routing::Sub(Default::default()),
            _ => return None,
        })
    }

    /// A pipe to a peer now exists (a connecting socket creates it before the connection).
    pub fn attach(&mut self, id: PeerId) {
        match self {
            Routing::Req(r) => r.attach(id),
            Routing::Push(lb) => lb.attach(id),
            Routing::Sub(s) => s.attach(id),
            Routing::Rep(_) | Routing::Pull | Routing::Pub(_) => {}
        }
    }

    /// A connection to the peer completed its handshake; returns control items to send first.
    pub fn connected(&mut self, _id: PeerId) -> Vec<Ctrl> {
        match self {
            Routing::Sub(s) => s.connected(),
            _ => Vec::new(),
        }
    }

    /// The peer's connection ended (its pipe may live on for a reconnect).
    pub fn disconnected(&mut self, id: PeerId) {
        if let Routing::Pub(p) = self {
            p.disconnected(id);
        }
    }

    /// The pipe is gone for good.
    pub fn detach(&mut self, id: PeerId) {
        self.disconnected(id);
        match self {
            Routing::Req(r) => r.detach(id),
            Routing::Push(lb) => lb.detach(id),
            Routing::Sub(s) => s.detach(id),
            Routing::Rep(_) | Routing::Pull | Routing::Pub(_) => {}
        }
    }

    /// Routes an outgoing message.
    pub fn send(&mut self, msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError> {
        match self {
            Routing::Req(r) => r.send(msg, peers),
            Routing::Rep(r) => r.send(msg, peers),
            Routing::Push(lb) => lb
                .send(msg, peers)
                .map(|_| ())
                .map_err(SendError::WouldBlock),
            Routing::Pub(p) => p.send(msg, peers),
            Routing::Pull | Routing::Sub(_) => Err(SendError::NotSupported(msg)),
        }
    }

    /// Whether receiving is allowed at all right now.
    pub fn check_recv(&self) -> Result<(), RoutingError> {
        match self {
            Routing::Req(r) => r.check_recv(),
            Routing::Rep(r) => r.check_recv(),
            Routing::Pull | Routing::Sub(_) => Ok(()),
            Routing::Push(_) | Routing::Pub(_) => Err(RoutingError::NotSupported),
        }
    }

    /// Filters a message taken from the incoming queue.
    pub fn on_recv(&mut self, from: PeerId, msg: Message) -> RecvAction {
        match self {
            Routing::Req(r) => r.on_recv(from, msg),
            Routing::Rep(r) => r.on_recv(from, msg),
            Routing::Sub(s) => s.on_recv(msg),
            Routing::Pull => RecvAction::Deliver(msg),
            Routing::Push(_) | Routing::Pub(_) => RecvAction::Drop,
        }
    }

    /// A subscription from a peer.
    pub fn on_subscribe(&mut self, from: PeerId, topic: &[u8]) {
        if let Routing::Pub(p) = self {
            p.on_subscribe(from, topic);
        }
    }

    /// A cancel from a peer.
    pub fn on_cancel(&mut self, from: PeerId, topic: &[u8]) {
        if let Routing::Pub(p) = self {
            p.on_cancel(from, topic);
        }
    }

    /// Local subscribe (SUB); false when the type has no subscriptions.
    pub fn subscribe(&mut self, topic: Bytes, peers: &mut impl PeerSet) -> bool {
        match self {
            Routing::Sub(s) => {
                s.subscribe(topic, peers);
                true
            }
            _ => false,
        }
    }

    /// Local unsubscribe (SUB); false when the type has no subscriptions.
    pub fn unsubscribe(&mut self, topic: Bytes, peers: &mut impl PeerSet) -> bool {
        match self {
            Routing::Sub(s) => {
                s.unsubscribe(topic, peers);
                true
            }
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

/// Classifies an incoming message for a socket type: PUB takes `0x01`/`0x00`-prefixed
/// single frames as (un)subscriptions and discards everything else; PUSH discards everything.
/// Depends only on the type, so drivers call it without taking the socket lock.
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
