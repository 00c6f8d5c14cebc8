//! PULL: fair-queued in (the engine's single incoming queue), delivered as is; it sends
//! nothing and keeps no state.

use super::pattern::Pattern;
use super::{RecvAction, SendError};
use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerMeta, PeerSet};

/// PULL routing state (none).
#[derive(Debug, Default)]
pub struct Pull;

impl Pattern for Pull {
    fn attach(&mut self, _id: PeerId) {}

    fn connected(&mut self, _id: PeerId, _meta: &PeerMeta, _peers: &mut impl PeerSet) -> Vec<Ctrl> {
        Vec::new()
    }

    fn disconnected(&mut self, _id: PeerId, _pending: usize) {}

    fn detach(&mut self, _id: PeerId, _pending: usize) {}

    /// PULL cannot send.
    fn send(&mut self, msg: Message, _peers: &mut impl PeerSet) -> Result<(), SendError> {
        Err(SendError::NotSupported(msg))
    }

    fn on_recv(&mut self, _from: PeerId, msg: Message) -> RecvAction {
        RecvAction::Deliver(msg)
    }
}
