//! PUSH: round-robin out over the pipes with room; it receives nothing.

use super::lb::LoadBalancer;
use super::pattern::Pattern;
use super::{RecvAction, RoutingError, SendError};
use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerMeta, PeerSet};

/// PUSH routing state.
#[derive(Debug, Default)]
pub struct Push {
    lb: LoadBalancer,
}

impl Pattern for Push {
    fn attach(&mut self, id: PeerId) {
        self.lb.attach(id);
    }

    fn connected(&mut self, _id: PeerId, _meta: &PeerMeta, _peers: &mut impl PeerSet) -> Vec<Ctrl> {
        Vec::new()
    }

    /// The pipe stays in the rotation while it waits for a reconnect.
    fn disconnected(&mut self, _id: PeerId, _pending: usize) {}

    fn detach(&mut self, id: PeerId, _pending: usize) {
        self.lb.detach(id);
    }

    fn send(&mut self, msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError> {
        self.lb
            .send(msg, peers)
            .map(|_| ())
            .map_err(SendError::WouldBlock)
    }

    /// PUSH cannot receive.
    fn check_recv(&self) -> Result<(), RoutingError> {
        Err(RoutingError::NotSupported)
    }

    /// Anything a peer sends is discarded (the drivers already drop it on arrival).
    fn on_recv(&mut self, _from: PeerId, _msg: Message) -> RecvAction {
        RecvAction::Drop
    }
}
