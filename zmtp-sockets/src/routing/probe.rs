//! PROBE_ROUTER, shared by ROUTER, DEALER and REQ: one empty message to every new
//! connection, ahead of anything else, so a ROUTER peer learns the routing id at once.

use crate::message::Message;
use crate::peer::{PeerId, PeerSet};

/// The PROBE_ROUTER setting of one socket (default off).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Probe {
    enabled: bool,
}

impl Probe {
    /// Turns probing on or off.
    pub fn set(&mut self, on: bool) {
        self.enabled = on;
    }

    /// True when new connections are probed.
    pub fn enabled(self) -> bool {
        self.enabled
    }

    /// A connection completed its handshake: probe it if probing is on.
    pub fn greet(self, id: PeerId, peers: &mut impl PeerSet) {
        if self.enabled {
            send_probe(id, peers);
        }
    }
}

/// One empty message to a new connection (dropped if its pipe is already full).
pub fn send_probe(id: PeerId, peers: &mut impl PeerSet) {
    let _dropped_if_full = peers.push(id, Message::from(bytes::Bytes::new()));
}
