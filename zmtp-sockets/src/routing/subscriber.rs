//! SUB and XSUB: counted subscriptions, forwarded to every connected publisher and
//! replayed on each new connection. SUB filters what it receives; XSUB takes its
//! subscriptions as `0x01topic` / `0x00topic` messages and passes everything else upstream.

use std::collections::HashMap;

use bytes::Bytes;

use super::pattern::Pattern;
use super::trie::SubscriptionTrie;
use super::{RecvAction, RoutingError, RoutingOption, SendError};
use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerMeta, PeerSet};

/// SUB/XSUB routing state.
#[derive(Debug, Default)]
pub struct Subscriber {
    /// XSUB (no filtering, sends upstream) rather than SUB.
    xsub: bool,
    counts: HashMap<Bytes, u32>,
    filter: SubscriptionTrie,
    /// Every pipe, connected or not (XSUB's upstream messages queue in all of them).
    attached: Vec<PeerId>,
    /// Pipes with a live connection (subscriptions go to these; others get them replayed
    /// when they connect).
    connected: Vec<PeerId>,
    /// INVERT_MATCHING (SUB): deliver the messages that match *no* subscription.
    invert: bool,
}

/// The single owner of the local filter's entries.
const SELF: PeerId = PeerId(0);

/// What a counted subscription change means for the publishers.
enum Change {
    /// Tell them (every subscribe; the cancel that brings the count to zero).
    Forward,
    /// Nothing to tell.
    Quiet,
}

impl Subscriber {
    /// A SUB (`xsub == false`) or XSUB state machine.
    pub fn new(xsub: bool) -> Self {
        Subscriber {
            xsub,
            ..Default::default()
        }
    }

    fn add(&mut self, topic: Bytes) -> Change {
        self.filter.add(&topic, SELF);
        *self.counts.entry(topic).or_insert(0) += 1;
        Change::Forward
    }

    fn remove(&mut self, topic: &[u8]) -> Change {
        let Some(count) = self.counts.get_mut(topic) else {
            return Change::Quiet;
        };
        *count = count.saturating_sub(1);
        if *count > 0 {
            return Change::Quiet;
        }
        self.counts.remove(topic);
        self.filter.remove(topic, SELF);
        Change::Forward
    }

    fn forward_ctrl(&self, ctrl: Ctrl, peers: &mut impl PeerSet) {
        for &id in &self.connected {
            peers.push_ctrl(id, ctrl.clone());
        }
    }

    /// Whether the current subscriptions let `msg` through (always, for XSUB).
    pub fn wants(&self, msg: &Message) -> bool {
        if self.xsub {
            return true;
        }
        let first: &[u8] = msg.first().map(|b| &b[..]).unwrap_or(&[]);
        self.filter.matches(first) != self.invert
    }
}

impl Pattern for Subscriber {
    fn set_option(&mut self, opt: RoutingOption) -> Result<(), RoutingError> {
        match opt {
            RoutingOption::InvertMatching(on) => self.invert = on,
            _ => return Err(RoutingError::NotSupported),
        }
        Ok(())
    }

    /// A pipe to a publisher now exists (a connecting socket has it before the connection).
    fn attach(&mut self, id: PeerId) {
        if !self.attached.contains(&id) {
            self.attached.push(id);
        }
    }

    /// A publisher connected: every current subscription, once each, to send it first.
    fn connected(&mut self, id: PeerId, _meta: &PeerMeta, _peers: &mut impl PeerSet) -> Vec<Ctrl> {
        self.attach(id);
        if !self.connected.contains(&id) {
            self.connected.push(id);
        }
        self.counts
            .keys()
            .map(|t| Ctrl::Subscribe(t.clone()))
            .collect()
    }

    /// A publisher's connection ended (or its pipe went away).
    fn disconnected(&mut self, id: PeerId, _pending: usize) {
        self.connected.retain(|p| *p != id);
    }

    /// The pipe is gone for good.
    fn detach(&mut self, id: PeerId, _pending: usize) {
        self.attached.retain(|p| *p != id);
        self.connected.retain(|p| *p != id);
    }

    /// SUB's subscribe: counted, forwarded as a SUBSCRIBE to connected publishers. False
    /// on XSUB, which subscribes by sending `0x01topic`.
    fn subscribe(&mut self, topic: Bytes, peers: &mut impl PeerSet) -> bool {
        if self.xsub {
            return false;
        }
        if let Change::Forward = self.add(topic.clone()) {
            self.forward_ctrl(Ctrl::Subscribe(topic), peers);
        }
        true
    }

    /// SUB's unsubscribe: the CANCEL goes out when the count reaches zero. False on XSUB.
    fn unsubscribe(&mut self, topic: Bytes, peers: &mut impl PeerSet) -> bool {
        if self.xsub {
            return false;
        }
        if let Change::Forward = self.remove(&topic) {
            self.forward_ctrl(Ctrl::Cancel(topic), peers);
        }
        true
    }

    /// XSUB's send: `0x01topic` / `0x00topic` update the counted subscriptions and are
    /// forwarded as they are to the connected publishers (a cancel only when its count
    /// reaches zero; the others get the current set when they connect); anything else
    /// goes to every pipe, queued in those still connecting, as libzmq does. Full pipes
    /// drop the message.
    fn send(&mut self, msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError> {
        if !self.xsub {
            return Err(SendError::NotSupported(msg));
        }
        let (change, targets) = match msg.first() {
            Some(f) if f.first() == Some(&1) => (self.add(f.slice(1..)), &self.connected),
            Some(f) if f.first() == Some(&0) => (self.remove(&f[1..]), &self.connected),
            _ => (Change::Forward, &self.attached),
        };
        if let Change::Forward = change {
            for &id in targets {
                let _dropped_at_hwm = peers.push(id, msg.clone());
            }
        }
        Ok(())
    }

    /// SUB delivers the messages whose first frame matches a subscription (or, inverted,
    /// matches none); XSUB delivers everything.
    fn on_recv(&mut self, _from: PeerId, msg: Message) -> RecvAction {
        if self.wants(&msg) {
            RecvAction::Deliver(msg)
        } else {
            RecvAction::Drop
        }
    }

    /// SUB re-filters what was routed ahead after a subscription change.
    fn still_wanted(&self, msg: &Message) -> bool {
        self.wants(msg)
    }
}
