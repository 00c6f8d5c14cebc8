//! PUB and XPUB: fan-out with publisher-side prefix filtering. XPUB also shows the
//! application its subscribers' (un)subscriptions as `0x01topic` / `0x00topic` messages
//! and accepts upstream messages from XSUB peers.

use std::collections::VecDeque;

use bytes::{BufMut, Bytes, BytesMut};

use super::pattern::Pattern;
use super::trie::SubscriptionTrie;
use super::{RecvAction, RoutingError, RoutingOption, SendError};
use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerMeta, PeerSet};

/// PUB/XPUB routing state.
#[derive(Debug, Default)]
pub struct Publisher {
    /// XPUB (shows subscription notices and upstream messages) rather than PUB.
    xpub: bool,
    /// Who receives what: fed by peers, or by the application under XPUB_MANUAL.
    subs: SubscriptionTrie,
    /// XPUB_MANUAL: what each peer asked for, to report it gone when the peer leaves.
    requested: SubscriptionTrie,
    connected: Vec<PeerId>,
    /// Notices for the application, with the peer each one came from.
    local: VecDeque<(PeerId, Message)>,
    /// XPUB_MANUAL: the peer whose notice the application read last.
    last_peer: Option<PeerId>,
    verbose_subs: bool,
    verbose_unsubs: bool,
    /// XPUB_MANUAL: the application decides the subscriptions.
    manual: bool,
    /// XPUB_NODROP: refuse to send (WouldBlock) rather than drop at a full subscriber.
    nodrop: bool,
    /// INVERT_MATCHING: send to the peers whose subscriptions do *not* match.
    invert: bool,
    /// XPUB_WELCOME_MSG: sent to every new peer (never empty).
    welcome: Option<Bytes>,
    scratch: Vec<PeerId>,
    targets: Vec<PeerId>,
}

/// `0x01topic` or `0x00topic`, the form in which XPUB applications see (un)subscriptions.
pub fn notice(subscribe: bool, topic: &[u8]) -> Message {
    let mut b = BytesMut::with_capacity(topic.len() + 1);
    b.put_u8(u8::from(subscribe));
    b.put_slice(topic);
    Message::from(b.freeze())
}

impl Publisher {
    /// A PUB (`xpub == false`) or XPUB state machine.
    pub fn new(xpub: bool) -> Self {
        Publisher {
            xpub,
            ..Default::default()
        }
    }

    /// Number of (topic, subscriber) pairs.
    pub fn subscription_count(&self) -> usize {
        self.subs.len()
    }

    fn select_targets(&mut self, msg: &Message) {
        self.targets.clear();
        let first: &[u8] = msg.first().map(|b| &b[..]).unwrap_or(&[]);
        if self.invert {
            self.subs.for_each_match(first, &mut self.scratch, |_| {});
            self.scratch.sort_unstable();
            let matched = &self.scratch;
            self.targets.extend(
                self.connected
                    .iter()
                    .filter(|p| matched.binary_search(p).is_err()),
            );
        } else {
            let targets = &mut self.targets;
            self.subs
                .for_each_match(first, &mut self.scratch, |p| targets.push(p));
        }
    }
}

impl Pattern for Publisher {
    fn set_option(&mut self, opt: RoutingOption) -> Result<(), RoutingError> {
        match opt {
            // XPUB_VERBOSE reports every subscribe and stops reporting every unsubscribe.
            RoutingOption::XpubVerbose(on) => {
                (self.verbose_subs, self.verbose_unsubs) = (on, false)
            }
            RoutingOption::XpubVerboser(on) => (self.verbose_subs, self.verbose_unsubs) = (on, on),
            RoutingOption::XpubManual(on) => self.manual = on,
            RoutingOption::XpubNodrop(on) => self.nodrop = on,
            // `None` or an empty message turns the welcome message off.
            RoutingOption::XpubWelcomeMsg(msg) => self.welcome = msg.filter(|m| !m.is_empty()),
            RoutingOption::InvertMatching(on) => self.invert = on,
            _ => return Err(RoutingError::NotSupported),
        }
        Ok(())
    }

    /// Subscribers count from their connection on: a pipe alone changes nothing.
    fn attach(&mut self, _id: PeerId) {}

    /// A subscriber connected: it gets the welcome message, if any.
    fn connected(&mut self, id: PeerId, _meta: &PeerMeta, peers: &mut impl PeerSet) -> Vec<Ctrl> {
        if !self.connected.contains(&id) {
            self.connected.push(id);
        }
        if let Some(w) = &self.welcome {
            let _dropped_if_full = peers.push(id, Message::from(w.clone()));
        }
        Vec::new()
    }

    /// A subscriber left: its subscriptions go with it (a reconnect resends them), and an
    /// XPUB reports the topics nobody else holds (every topic with XPUB_VERBOSER, every
    /// topic the peer asked for under XPUB_MANUAL).
    fn disconnected(&mut self, id: PeerId, _pending: usize) {
        self.connected.retain(|p| *p != id);
        let held = self.subs.remove_peer(id);
        let asked = self.requested.remove_peer(id);
        if self.last_peer == Some(id) {
            self.last_peer = None;
        }
        if !self.xpub {
            return;
        }
        if self.manual {
            for topic in asked {
                self.local.push_back((id, notice(false, &topic)));
            }
            return;
        }
        for topic in held {
            if self.verbose_unsubs || !self.subs.has_topic(&topic) {
                self.local.push_back((id, notice(false, &topic)));
            }
        }
    }

    /// As `disconnected` (which it implies).
    fn detach(&mut self, id: PeerId, pending: usize) {
        self.disconnected(id, pending);
    }

    /// A subscription arrived from a peer.
    fn on_subscribe(&mut self, from: PeerId, topic: &[u8]) {
        let report = if self.manual {
            self.requested.add(topic, from);
            true
        } else {
            let first = !self.subs.has_topic(topic);
            self.subs.add(topic, from);
            first || self.verbose_subs
        };
        if report && self.xpub {
            self.local.push_back((from, notice(true, topic)));
        }
    }

    /// A cancel arrived from a peer. As in libzmq, it is reported unless the peer held the
    /// topic and others still do (a cancel for something the peer never held is reported).
    fn on_cancel(&mut self, from: PeerId, topic: &[u8]) {
        let report = if self.manual {
            self.requested.remove(topic, from);
            true
        } else {
            let removed = self.subs.remove(topic, from);
            !removed || !self.subs.has_topic(topic) || self.verbose_unsubs
        };
        if report && self.xpub {
            self.local.push_back((from, notice(false, topic)));
        }
    }

    /// XPUB_MANUAL: subscribes the peer whose notice was read last; false without manual.
    fn subscribe(&mut self, topic: Bytes, _peers: &mut impl PeerSet) -> bool {
        if let (true, Some(peer)) = (self.manual, self.last_peer) {
            self.subs.add(&topic, peer);
        }
        self.manual
    }

    /// XPUB_MANUAL: unsubscribes the peer whose notice was read last; false without manual.
    fn unsubscribe(&mut self, topic: Bytes, _peers: &mut impl PeerSet) -> bool {
        if let (true, Some(peer)) = (self.manual, self.last_peer) {
            self.subs.remove(&topic, peer);
        }
        self.manual
    }

    /// Fans the message out to every matching subscriber with room. Never blocks, except
    /// with XPUB_NODROP: then nothing is sent unless every target has room.
    fn send(&mut self, msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError> {
        self.select_targets(&msg);
        if self.nodrop && self.targets.iter().any(|&id| !peers.has_room(id)) {
            return Err(SendError::WouldBlock(msg));
        }
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

    /// XPUB receives upstream messages and subscription notices; PUB receives nothing.
    fn check_recv(&self) -> Result<(), RoutingError> {
        if self.xpub {
            Ok(())
        } else {
            Err(RoutingError::NotSupported)
        }
    }

    /// XPUB delivers upstream messages as they are; PUB discards them.
    fn on_recv(&mut self, _from: PeerId, msg: Message) -> RecvAction {
        if self.xpub {
            RecvAction::Deliver(msg)
        } else {
            RecvAction::Drop
        }
    }

    /// The next subscription notice for the application (XPUB only). Under XPUB_MANUAL,
    /// reading it makes its peer the target of `subscribe`/`unsubscribe`.
    fn take_local(&mut self) -> Option<Message> {
        let (peer, msg) = self.local.pop_front()?;
        if self.manual {
            self.last_peer = self.connected.contains(&peer).then_some(peer);
        }
        Some(msg)
    }

    /// True when a notice is waiting.
    fn has_local(&self) -> bool {
        !self.local.is_empty()
    }
}
