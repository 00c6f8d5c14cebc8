//! Round-robin load balancing over the peers whose pipes have room (PUSH, REQ, DEALER).

use crate::message::Message;
use crate::peer::{PeerId, PeerSet};

/// Round-robin over attached peers, skipping those at their high-water mark.
#[derive(Debug, Default)]
pub struct LoadBalancer {
    peers: Vec<PeerId>,
    next: usize,
}

impl LoadBalancer {
    /// Adds a peer at the end of the rotation.
    pub fn attach(&mut self, id: PeerId) {
        if !self.peers.contains(&id) {
            self.peers.push(id);
        }
    }

    /// Removes a peer from the rotation.
    pub fn detach(&mut self, id: PeerId) {
        if let Some(pos) = self.peers.iter().position(|p| *p == id) {
            self.peers.remove(pos);
            if pos < self.next {
                self.next -= 1;
            }
            if self.next >= self.peers.len() {
                self.next = 0;
            }
        }
    }

    /// Number of peers in the rotation.
    pub fn len(&self) -> usize {
        self.peers.len()
    }

    /// True when no peer is attached.
    pub fn is_empty(&self) -> bool {
        self.peers.is_empty()
    }

    /// Sends to the next peer with room; returns the peer used, or the message when every
    /// pipe is full (or there is no peer).
    pub fn send(&mut self, msg: Message, peers: &mut impl PeerSet) -> Result<PeerId, Message> {
        let n = self.peers.len();
        let mut msg = msg;
        for step in 0..n {
            let i = (self.next + step) % n;
            let id = self.peers[i];
            if !peers.has_room(id) {
                continue;
            }
            match peers.push(id, msg) {
                Ok(()) => {
                    self.next = (i + 1) % n;
                    return Ok(id);
                }
                Err(m) => msg = m,
            }
        }
        Err(msg)
    }
}
