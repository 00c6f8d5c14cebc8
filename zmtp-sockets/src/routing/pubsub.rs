//! PUB fan-out with publisher-side filtering, and SUB subscription bookkeeping.

use std::collections::HashMap;

use bytes::Bytes;

use super::trie::SubscriptionTrie;
use super::{RecvAction, SendError};
use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerSet};

/// PUB routing state: one subscription trie over all subscribers.
#[derive(Debug, Default)]
pub struct Pub {
    subs: SubscriptionTrie,
    scratch: Vec<PeerId>,
    targets: Vec<PeerId>,
}

impl Pub {
    /// A subscriber's connection ended: its subscriptions go with it (a reconnect resends them).
    pub fn disconnected(&mut self, id: PeerId) {
        self.subs.remove_peer(id);
    }

    /// A subscription arrived from a peer.
    pub fn on_subscribe(&mut self, from: PeerId, topic: &[u8]) {
        self.subs.add(topic, from);
    }

    /// A cancel arrived from a peer.
    pub fn on_cancel(&mut self, from: PeerId, topic: &[u8]) {
        self.subs.remove(topic, from);
    }

    /// Fans the message out to every matching subscriber with room; never blocks.
    pub fn send(&mut self, msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError> {
        self.targets.clear();
        let first: &[u8] = msg.first().map(|b| &b[..]).unwrap_or(&[]);
        let targets = &mut self.targets;
        self.subs
            .for_each_match(first, &mut self.scratch, |p| targets.push(p));
        let n = self.targets.len();
        let mut msg = Some(msg);
        for (i, &id) in self.targets.iter().enumerate() {
            if !peers.has_room(id) {
                continue;
            }
            // The last target takes the message itself; the others get cheap clones.
            let m = if i + 1 == n { msg.take() } else { msg.clone() };
            if let Some(m) = m {
                let _dropped_at_hwm = peers.push(id, m);
            }
        }
        Ok(())
    }

    /// Number of (topic, subscriber) pairs.
    pub fn subscription_count(&self) -> usize {
        self.subs.len()
    }
}

/// SUB routing state: counted local subscriptions, replayed on every new connection.
#[derive(Debug, Default)]
pub struct Sub {
    counts: HashMap<Bytes, u32>,
    filter: SubscriptionTrie,
    peers: Vec<PeerId>,
}

const SELF: PeerId = PeerId(0);

impl Sub {
    /// A peer pipe was attached.
    pub fn attach(&mut self, id: PeerId) {
        if !self.peers.contains(&id) {
            self.peers.push(id);
        }
    }

    /// A peer pipe was removed.
    pub fn detach(&mut self, id: PeerId) {
        self.peers.retain(|p| *p != id);
    }

    /// Control items for a freshly connected peer: every current subscription once.
    pub fn connected(&self) -> Vec<Ctrl> {
        self.counts
            .keys()
            .map(|t| Ctrl::Subscribe(t.clone()))
            .collect()
    }

    /// Adds a subscription; every subscribe is forwarded to connected publishers.
    pub fn subscribe(&mut self, topic: Bytes, peers: &mut impl PeerSet) {
        let count = self.counts.entry(topic.clone()).or_insert(0);
        *count += 1;
        self.filter.add(&topic, SELF);
        for &id in &self.peers {
            if peers.is_connected(id) {
                peers.push_ctrl(id, Ctrl::Subscribe(topic.clone()));
            }
        }
    }

    /// Removes one subscription; the cancel is forwarded when the count reaches zero.
    pub fn unsubscribe(&mut self, topic: Bytes, peers: &mut impl PeerSet) {
        let Some(count) = self.counts.get_mut(&topic) else {
            return;
        };
        *count -= 1;
        if *count > 0 {
            return;
        }
        self.counts.remove(&topic);
        self.filter.remove(&topic, SELF);
        for &id in &self.peers {
            if peers.is_connected(id) {
                peers.push_ctrl(id, Ctrl::Cancel(topic.clone()));
            }
        }
    }

    /// Local filtering: only messages matching a subscription are delivered.
    pub fn on_recv(&self, msg: Message) -> RecvAction {
        let first: &[u8] = msg.first().map(|b| &b[..]).unwrap_or(&[]);
        if self.filter.matches(first) {
            RecvAction::Deliver(msg)
        } else {
            RecvAction::Drop
        }
    }
}
