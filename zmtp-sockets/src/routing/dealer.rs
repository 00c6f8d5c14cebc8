//! DEALER: round-robin out, everything in delivered as is. REQ is built on it.

use super::lb::LoadBalancer;
use super::pattern::Pattern;
use super::probe::Probe;
use super::{RecvAction, RoutingError, RoutingOption, SendError};
use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerMeta, PeerSet};

/// DEALER routing state: load balancing over the pipes, and PROBE_ROUTER.
#[derive(Debug, Default)]
pub struct Dealer {
    lb: LoadBalancer,
    probe: Probe,
}

impl Dealer {
    /// Sends to the next peer with room and names it; hands the message back when every
    /// pipe is full (or there is no peer). REQ uses it to know where its request went.
    pub fn send_to_next(
        &mut self,
        msg: Message,
        peers: &mut impl PeerSet,
    ) -> Result<PeerId, Message> {
        self.lb.send(msg, peers)
    }
}

impl Pattern for Dealer {
    fn set_option(&mut self, opt: RoutingOption) -> Result<(), RoutingError> {
        match opt {
            RoutingOption::ProbeRouter(on) => self.probe.set(on),
            _ => return Err(RoutingError::NotSupported),
        }
        Ok(())
    }

    fn attach(&mut self, id: PeerId) {
        self.lb.attach(id);
    }

    /// Greets the connection with an empty message under PROBE_ROUTER.
    fn connected(&mut self, id: PeerId, _meta: &PeerMeta, peers: &mut impl PeerSet) -> Vec<Ctrl> {
        self.probe.greet(id, peers);
        Vec::new()
    }

    /// The pipe stays in the rotation while it waits for a reconnect.
    fn disconnected(&mut self, _id: PeerId, _pending: usize) {}

    fn detach(&mut self, id: PeerId, _pending: usize) {
        self.lb.detach(id);
    }

    fn send(&mut self, msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError> {
        self.send_to_next(msg, peers)
            .map(|_| ())
            .map_err(SendError::WouldBlock)
    }

    fn on_recv(&mut self, _from: PeerId, msg: Message) -> RecvAction {
        RecvAction::Deliver(msg)
    }
}
