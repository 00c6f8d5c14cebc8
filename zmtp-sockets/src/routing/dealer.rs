//! DEALER: round-robin out, everything in delivered as is.

use bytes::Bytes;

use super::SendError;
use super::lb::LoadBalancer;
use crate::message::Message;
use crate::peer::{PeerId, PeerSet};

/// DEALER routing state.
#[derive(Debug, Default)]
pub struct Dealer {
    lb: LoadBalancer,
    /// PROBE_ROUTER: greet every new connection with an empty message.
    pub probe: bool,
}

impl Dealer {
    /// A peer pipe was attached.
    pub fn attach(&mut self, id: PeerId) {
        self.lb.attach(id);
    }

    /// A peer pipe was removed.
    pub fn detach(&mut self, id: PeerId) {
        self.lb.detach(id);
    }

    /// A connection completed its handshake.
    pub fn connected(&mut self, id: PeerId, peers: &mut impl PeerSet) {
        if self.probe {
            send_probe(id, peers);
        }
    }

    /// Sends to the next peer with room.
    pub fn send(&mut self, msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError> {
        self.lb
            .send(msg, peers)
            .map(|_| ())
            .map_err(SendError::WouldBlock)
    }
}

/// PROBE_ROUTER: one empty message to a new connection, ahead of anything else.
pub fn send_probe(id: PeerId, peers: &mut impl PeerSet) {
    let _dropped_if_full = peers.push(id, Message::from(Bytes::new()));
}
