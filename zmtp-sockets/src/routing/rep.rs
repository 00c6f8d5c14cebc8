//! REP: fair-queued requests; the envelope (every frame up to and including the empty
//! delimiter) is saved and put back in front of the reply, which goes to the same peer.

use super::pattern::Pattern;
use super::{RecvAction, RoutingError, SendError};
use crate::message::{Frames, Message};
use crate::peer::{Ctrl, PeerId, PeerMeta, PeerSet};

/// REP routing state.
#[derive(Debug, Default)]
pub struct Rep {
    pending: Option<(PeerId, Frames)>,
}

impl Pattern for Rep {
    /// Requests are fair-queued by the engine: REP keeps no list of pipes.
    fn attach(&mut self, _id: PeerId) {}

    fn connected(&mut self, _id: PeerId, _meta: &PeerMeta, _peers: &mut impl PeerSet) -> Vec<Ctrl> {
        Vec::new()
    }

    fn disconnected(&mut self, _id: PeerId, _pending: usize) {}

    /// A reply owed to a departed peer is still accepted (and dropped at send).
    fn detach(&mut self, _id: PeerId, _pending: usize) {}

    /// Receiving is invalid while a reply is owed.
    fn check_recv(&self) -> Result<(), RoutingError> {
        if self.pending.is_some() {
            Err(RoutingError::State)
        } else {
            Ok(())
        }
    }

    /// Splits off the envelope; a request without a delimiter is dropped.
    /// The request keeps its connection's properties (as libzmq's REP does).
    fn on_recv(&mut self, from: PeerId, msg: Message) -> RecvAction {
        let props = msg.shared_properties();
        let frames = msg.into_frames();
        let Some(delim) = frames.iter().position(|f| f.is_empty()) else {
            return RecvAction::Drop;
        };
        let mut envelope = frames;
        let body: Frames = envelope.drain(delim + 1..).collect();
        if body.is_empty() {
            return RecvAction::Drop;
        }
        self.pending = Some((from, envelope));
        let mut request = Message::from_frame_vec(body);
        if let Some(props) = props {
            request.set_properties(props);
        }
        RecvAction::Deliver(request)
    }

    /// Sends the reply to the peer that asked; silently dropped when it is gone or full.
    fn send(&mut self, msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError> {
        let Some((peer, mut envelope)) = self.pending.take() else {
            return Err(SendError::State(msg));
        };
        envelope.extend(msg.into_frames());
        let _dropped_if_gone = peers.push(peer, Message::from_frame_vec(envelope));
        Ok(())
    }

    /// The saved envelope is per request: the application's next call depends on it.
    fn recv_in_batches(&self) -> bool {
        false
    }
}
