//! PAIR: exactly one peer. The first pipe wins; a second connection while it lives is
//! left open but not served (as libzmq does, so a libzmq peer does not reconnect in a
//! loop): nothing is routed to it and what it sends is discarded.

use std::collections::HashMap;

use super::pattern::Pattern;
use super::{RecvAction, SendError};
use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerMeta, PeerSet};

/// PAIR routing state.
#[derive(Debug, Default)]
pub struct Pair {
    peer: Option<PeerId>,
    /// A former peer's messages still queued for the application (how many are left).
    leftovers: HashMap<PeerId, usize>,
}

impl Pattern for Pair {
    /// A pipe exists: it becomes the peer unless one is already held.
    fn attach(&mut self, id: PeerId) {
        self.peer.get_or_insert(id);
    }

    /// A connection completed its handshake: it becomes the peer if there is none.
    fn connected(&mut self, id: PeerId, _meta: &PeerMeta, _peers: &mut impl PeerSet) -> Vec<Ctrl> {
        self.peer.get_or_insert(id);
        Vec::new()
    }

    /// The pipe stays the peer while it waits for a reconnect.
    fn disconnected(&mut self, _id: PeerId, _pending: usize) {}

    /// The pipe is gone for good: the next one may take its place. The `pending`
    /// messages it sent that still wait for the application are delivered.
    fn detach(&mut self, id: PeerId, pending: usize) {
        if self.peer == Some(id) {
            self.peer = None;
            if pending > 0 {
                self.leftovers.insert(id, pending);
            }
        }
    }

    /// Sends to the peer.
    fn send(&mut self, msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError> {
        match self.peer {
            Some(id) if peers.has_room(id) => peers.push(id, msg).map_err(SendError::WouldBlock),
            _ => Err(SendError::WouldBlock(msg)),
        }
    }

    /// Delivers messages from the peer (and a former peer's last ones) only.
    fn on_recv(&mut self, from: PeerId, msg: Message) -> RecvAction {
        if self.peer == Some(from) {
            return RecvAction::Deliver(msg);
        }
        match self.leftovers.get_mut(&from) {
            Some(left) => {
                *left -= 1;
                if *left == 0 {
                    self.leftovers.remove(&from);
                }
                RecvAction::Deliver(msg)
            }
            None => RecvAction::Drop,
        }
    }
}
