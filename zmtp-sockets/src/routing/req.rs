//! REQ: built on DEALER, as libzmq's `req_t` derives from `dealer_t`. The DEALER does the
//! load balancing, the pipes and PROBE_ROUTER; REQ adds the request/reply state: send and
//! receive alternate, replies are taken only from the peer last sent to, an empty
//! delimiter is added on send and required on receipt. REQ_CORRELATE adds a request id
//! before the delimiter; REQ_RELAXED allows a new request at any time.

use bytes::Bytes;

use super::dealer::Dealer;
use super::pattern::Pattern;
use super::{RecvAction, RoutingError, RoutingOption, SendError};
use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerMeta, PeerSet};

/// Length of a REQ_CORRELATE request id frame.
pub const REQUEST_ID_LEN: usize = 4;

/// The request a reply is awaited for.
#[derive(Debug, Clone, Copy)]
struct Pending {
    peer: PeerId,
    request_id: Option<u32>,
}

/// REQ routing state: a DEALER plus the outstanding request.
#[derive(Debug)]
pub struct Req {
    dealer: Dealer,
    awaiting: Option<Pending>,
    next_request_id: u32,
    /// REQ_CORRELATE: tag requests with an id and accept only the matching reply.
    correlate: bool,
    /// REQ_RELAXED: a new request may be sent before the reply; it replaces the old one.
    relaxed: bool,
}

impl Default for Req {
    fn default() -> Self {
        Req {
            dealer: Dealer::default(),
            awaiting: None,
            next_request_id: rand::random::<u32>(),
            correlate: false,
            relaxed: false,
        }
    }
}

impl Pattern for Req {
    /// REQ_CORRELATE and REQ_RELAXED here; the rest (PROBE_ROUTER) is the DEALER's.
    fn set_option(&mut self, opt: RoutingOption) -> Result<(), RoutingError> {
        match opt {
            RoutingOption::ReqCorrelate(on) => self.correlate = on,
            RoutingOption::ReqRelaxed(on) => self.relaxed = on,
            other => return self.dealer.set_option(other),
        }
        Ok(())
    }

    fn attach(&mut self, id: PeerId) {
        self.dealer.attach(id);
    }

    fn connected(&mut self, id: PeerId, meta: &PeerMeta, peers: &mut impl PeerSet) -> Vec<Ctrl> {
        self.dealer.connected(id, meta, peers)
    }

    fn disconnected(&mut self, id: PeerId, pending: usize) {
        self.dealer.disconnected(id, pending);
    }

    fn detach(&mut self, id: PeerId, pending: usize) {
        self.dealer.detach(id, pending);
    }

    /// Sends a request: a state error while a reply is outstanding, unless relaxed.
    fn send(&mut self, mut msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError> {
        if self.awaiting.is_some() && !self.relaxed {
            return Err(SendError::State(msg));
        }
        msg.push_front(Bytes::new());
        let request_id = self.correlate.then_some(self.next_request_id);
        if let Some(rid) = request_id {
            // libzmq writes the id in host byte order.
            msg.push_front(Bytes::copy_from_slice(&rid.to_ne_bytes()));
        }
        match self.dealer.send_to_next(msg, peers) {
            Ok(peer) => {
                self.awaiting = Some(Pending { peer, request_id });
                if request_id.is_some() {
                    self.next_request_id = self.next_request_id.wrapping_add(1);
                }
                Ok(())
            }
            Err(mut m) => {
                m.pop_front();
                if request_id.is_some() {
                    m.pop_front();
                }
                Err(SendError::WouldBlock(m))
            }
        }
    }

    /// Receiving is only valid while a reply is outstanding.
    fn check_recv(&self) -> Result<(), RoutingError> {
        if self.awaiting.is_some() {
            Ok(())
        } else {
            Err(RoutingError::State)
        }
    }

    /// Filters an incoming message. Any reply must be `["", body..]` or `[id4, "", body..]`
    /// (else the connection is dropped, as libzmq's REQ session does); only the reply to
    /// the outstanding request, from the peer it went to, is delivered.
    fn on_recv(&mut self, from: PeerId, mut msg: Message) -> RecvAction {
        let frames = msg.frames();
        let tagged = match frames {
            [d, _, ..] if d.is_empty() => None,
            [rid, d, _, ..] if rid.len() == REQUEST_ID_LEN && d.is_empty() => Some(&rid[..]),
            _ => return RecvAction::DropAndKill("REQ received a malformed reply"),
        };
        let Some(pending) = self.awaiting.filter(|p| p.peer == from) else {
            return RecvAction::Drop;
        };
        let expected = pending.request_id.map(u32::to_ne_bytes);
        if tagged != expected.as_ref().map(|e| &e[..]) {
            return RecvAction::Drop;
        }
        if tagged.is_some() {
            msg.pop_front();
        }
        msg.pop_front();
        self.awaiting = None;
        RecvAction::Deliver(msg)
    }

    /// The reply alternation is per message: the application's next call depends on it.
    fn recv_in_batches(&self) -> bool {
        false
    }
}
