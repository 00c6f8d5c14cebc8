//! ROUTER: every connected peer gets a routing id; incoming messages are prefixed with the
//! sender's id and outgoing messages are addressed by their first frame.

use std::collections::HashSet;

use bytes::Bytes;

use super::ids::RoutingIds;
use super::pattern::Pattern;
use super::probe::Probe;
use super::{RecvAction, RoutingError, RoutingOption, SendError};
use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerMeta, PeerSet};

/// ROUTER routing state.
#[derive(Debug, Default)]
pub struct Router {
    ids: RoutingIds,
    /// Connect-side pipes named with CONNECT_ROUTING_ID when they were created: they stay
    /// routable while their connection is down (messages queue for the reconnect).
    named_at_connect: HashSet<PeerId>,
    /// ROUTER_MANDATORY: report unroutable messages instead of dropping them.
    mandatory: bool,
    /// ROUTER_HANDOVER: a newcomer with a taken id displaces the old peer.
    handover: bool,
    /// PROBE_ROUTER: greet every new connection with an empty message.
    probe: Probe,
}

/// The id a new connection is known by: the locally chosen one, else the peer's own
/// `Identity`, else `None` (an automatic id is due).
fn requested_id(meta: &PeerMeta) -> Option<Bytes> {
    meta.connect_routing_id
        .iter()
        .chain(std::iter::once(&meta.identity))
        .find(|id| !id.is_empty())
        .cloned()
}

impl Pattern for Router {
    fn set_option(&mut self, opt: RoutingOption) -> Result<(), RoutingError> {
        match opt {
            RoutingOption::RouterMandatory(on) => self.mandatory = on,
            RoutingOption::RouterHandover(on) => self.handover = on,
            RoutingOption::ProbeRouter(on) => self.probe.set(on),
            _ => return Err(RoutingError::NotSupported),
        }
        Ok(())
    }

    /// Pipes are known by their routing id, given when their connection completes.
    fn attach(&mut self, _id: PeerId) {}

    /// A connect-side pipe was created with CONNECT_ROUTING_ID: it is routable from now
    /// on (if the id is free), before its connection exists, and keeps the id across
    /// reconnects, as in libzmq.
    fn attach_dialed(&mut self, id: PeerId, name: Option<&Bytes>) {
        let Some(name) = name.filter(|n| !n.is_empty()) else {
            return;
        };
        if self.ids.peer(name).is_none() {
            self.ids.insert(name.clone(), id);
            self.named_at_connect.insert(id);
        }
    }

    /// Names the new connection and resolves id clashes: without handover the newcomer
    /// stays connected but unnamed, so it is never served (libzmq does the same, and a
    /// libzmq peer is not pushed into a reconnect loop); with handover the newcomer takes
    /// the id and the old holder stays connected but unserved (libzmq ends only its pipe,
    /// so a libzmq peer does not reconnect and take the id back).
    fn connected(&mut self, id: PeerId, meta: &PeerMeta, peers: &mut impl PeerSet) -> Vec<Ctrl> {
        if self.named_at_connect.contains(&id) {
            self.probe.greet(id, peers);
            return Vec::new();
        }
        let name = match requested_id(meta) {
            Some(name) => name,
            None => self.ids.auto_id(),
        };
        match self.ids.peer(&name) {
            Some(old) if old != id && self.handover => {
                self.ids.displace(old);
                self.named_at_connect.remove(&old);
            }
            Some(old) if old != id => {
                self.ids.remove(id, 0);
                return Vec::new();
            }
            _ => {}
        }
        self.ids.insert(name, id);
        self.probe.greet(id, peers);
        Vec::new()
    }

    /// The connection ended: the id is free again (messages it queued keep it), unless
    /// the pipe was named at connect, which keeps its id for the reconnect.
    fn disconnected(&mut self, id: PeerId, _pending: usize) {
        if !self.named_at_connect.contains(&id) {
            self.ids.unroute(id);
        }
    }

    /// The pipe is gone for good; `pending` of its messages still wait for the
    /// application and are delivered under its id.
    fn detach(&mut self, id: PeerId, pending: usize) {
        self.named_at_connect.remove(&id);
        self.ids.remove(id, pending);
    }

    /// Prefixes the sender's routing id; messages from unnamed peers are dropped.
    fn on_recv(&mut self, from: PeerId, msg: Message) -> RecvAction {
        self.ids.prefix(from, msg)
    }

    /// Strips the routing id and queues the rest for that peer. A lone id frame is ignored;
    /// unknown ids and full pipes drop the message unless ROUTER_MANDATORY is set.
    fn send(&mut self, mut msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError> {
        if msg.len() < 2 {
            return Ok(());
        }
        let target = msg.first().and_then(|name| self.ids.peer(name));
        let Some(target) = target else {
            return if self.mandatory {
                Err(SendError::HostUnreachable(msg))
            } else {
                Ok(())
            };
        };
        if !peers.has_room(target) {
            return if self.mandatory {
                Err(SendError::WouldBlock(msg))
            } else {
                Ok(())
            };
        }
        let name = msg.pop_front();
        match peers.push(target, msg) {
            Err(mut back) if self.mandatory => {
                if let Some(name) = name {
                    back.push_front(name);
                }
                Err(SendError::WouldBlock(back))
            }
            _ => Ok(()),
        }
    }
}
