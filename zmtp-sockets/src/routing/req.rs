//! REQ: strict send/receive alternation, round-robin requests, replies only from the
//! peer last sent to, empty delimiter added on send and required on receipt.

use bytes::Bytes;

use super::lb::LoadBalancer;
use super::{RecvAction, RoutingError, SendError};
use crate::message::Message;
use crate::peer::{PeerId, PeerSet};

/// REQ routing state.
#[derive(Debug, Default)]
pub struct Req {
    lb: LoadBalancer,
    awaiting: Option<PeerId>,
}

impl Req {
    /// A peer pipe was attached.
    pub fn attach(&mut self, id: PeerId) {
        self.lb.attach(id);
    }

    /// A peer pipe was removed.
    pub fn detach(&mut self, id: PeerId) {
        self.lb.detach(id);
    }

    /// Sends a request: fails with a state error while a reply is outstanding.
    pub fn send(&mut self, mut msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError> {
        if self.awaiting.is_some() {
            return Err(SendError::State(msg));
        }
        msg.push_front(Bytes::new());
        match self.lb.send(msg, peers) {
            Ok(id) => {
                self.awaiting = Some(id);
                Ok(())
            }
            Err(mut m) => {
                m.pop_front();
                Err(SendError::WouldBlock(m))
            }
        }
    }

    /// Receiving is only valid while a reply is outstanding.
    pub fn check_recv(&self) -> Result<(), RoutingError> {
        if self.awaiting.is_some() {
            Ok(())
        } else {
            Err(RoutingError::State)
        }
    }

    /// Filters an incoming message.
    pub fn on_recv(&mut self, from: PeerId, mut msg: Message) -> RecvAction {
        if self.awaiting != Some(from) {
            return RecvAction::Drop;
        }
        match msg.first() {
            Some(d) if d.is_empty() && msg.len() > 1 => {
                msg.pop_front();
                self.awaiting = None;
                RecvAction::Deliver(msg)
            }
            _ => RecvAction::DropAndKill("REQ received a reply without an empty delimiter"),
        }
    }
}
