//! The routing-id table shared by ROUTER and STREAM: which peer answers to which id, and
//! the generator of automatic ids (`0x00` followed by a big-endian `u32` counter).

use std::collections::HashMap;

use bytes::Bytes;

use super::RecvAction;
use crate::message::Message;
use crate::peer::PeerId;

/// Length of an automatically generated routing id.
pub const AUTO_ID_LEN: usize = 5;

/// Two-way map between routing ids and peers.
///
/// A peer keeps its last id after it stops being routable (disconnected, or displaced by a
/// handover), so messages it queued before that are still delivered under a recognisable
/// id; only routable peers can be found by id.
#[derive(Debug)]
pub struct RoutingIds {
    routable: HashMap<Bytes, PeerId>,
    names: HashMap<PeerId, Bytes>,
    /// Removed peers whose messages still wait in the incoming queue: their name and how
    /// many messages are left (forgotten when the last one is delivered).
    departed: HashMap<PeerId, (Bytes, usize)>,
    next_auto: u32,
}

impl Default for RoutingIds {
    fn default() -> Self {
        RoutingIds {
            routable: HashMap::new(),
            names: HashMap::new(),
            departed: HashMap::new(),
            next_auto: rand::random::<u32>(),
        }
    }
}

impl RoutingIds {
    /// A fresh automatic id not currently routable: `0x00` + counter (big-endian).
    pub fn auto_id(&mut self) -> Bytes {
        loop {
            let mut id = [0u8; AUTO_ID_LEN];
            id[1..].copy_from_slice(&self.next_auto.to_be_bytes());
            self.next_auto = self.next_auto.wrapping_add(1);
            let id = Bytes::copy_from_slice(&id);
            if !self.routable.contains_key(&id) {
                return id;
            }
        }
    }

    /// The routable peer answering to `id`.
    pub fn peer(&self, id: &[u8]) -> Option<PeerId> {
        self.routable.get(id).copied()
    }

    /// Prefixes a received message with its sender's routing id (ROUTER, STREAM);
    /// messages from peers without an id are dropped. A removed peer's last messages are
    /// still delivered under its id.
    pub fn prefix(&mut self, from: PeerId, mut msg: Message) -> RecvAction {
        if let Some(name) = self.names.get(&from) {
            msg.push_front(name.clone());
            return RecvAction::Deliver(msg);
        }
        let Some((name, left)) = self.departed.get_mut(&from) else {
            return RecvAction::Drop;
        };
        msg.push_front(name.clone());
        *left -= 1;
        if *left == 0 {
            self.departed.remove(&from);
        }
        RecvAction::Deliver(msg)
    }

    /// True while a removed peer still has messages waiting for delivery.
    pub fn is_departing(&self, peer: PeerId) -> bool {
        self.departed.contains_key(&peer)
    }

    /// The id under which `peer`'s messages are delivered, if it has one.
    pub fn name(&self, peer: PeerId) -> Option<&Bytes> {
        self.names.get(&peer)
    }

    /// Makes `peer` routable under `id`, replacing any id it had. The caller has checked
    /// that `id` is free.
    pub fn insert(&mut self, id: Bytes, peer: PeerId) {
        self.unroute(peer);
        self.routable.insert(id.clone(), peer);
        self.names.insert(peer, id);
    }

    /// Stops routing to `peer` but keeps its name for messages it already queued; returns
    /// the id it was routable under.
    pub fn unroute(&mut self, peer: PeerId) -> Option<Bytes> {
        let name = self.names.get(&peer)?;
        if self.routable.get(name) == Some(&peer) {
            let name = name.clone();
            self.routable.remove(&name);
            Some(name)
        } else {
            None
        }
    }

    /// Renames a peer that lost its id to a newcomer (ROUTER_HANDOVER): it stops being
    /// routable and its queued messages are delivered under a fresh automatic id.
    pub fn displace(&mut self, peer: PeerId) {
        self.unroute(peer);
        let fresh = self.auto_id();
        self.names.insert(peer, fresh);
    }

    /// Forgets `peer`; returns the id it was routable under. With `pending` messages of
    /// it still queued for the application, its name is kept until those are delivered.
    pub fn remove(&mut self, peer: PeerId, pending: usize) -> Option<Bytes> {
        let routed = self.unroute(peer);
        if let Some(name) = self.names.remove(&peer)
            && pending > 0
        {
            self.departed.insert(peer, (name, pending));
        }
        routed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_ids_are_five_bytes_and_skip_taken_ones() {
        let mut ids = RoutingIds {
            next_auto: u32::MAX,
            ..Default::default()
        };
        let a = ids.auto_id();
        assert_eq!(&a[..], &[0, 0xFF, 0xFF, 0xFF, 0xFF]);
        ids.insert(Bytes::from_static(&[0, 0, 0, 0, 1]), PeerId(9));
        assert_eq!(&ids.auto_id()[..], &[0, 0, 0, 0, 0]);
        assert_eq!(&ids.auto_id()[..], &[0, 0, 0, 0, 2], "taken id skipped");
    }

    #[test]
    fn unrouted_peers_keep_their_name() {
        let mut ids = RoutingIds::default();
        let (p, q) = (PeerId(1), PeerId(2));
        ids.insert(Bytes::from_static(b"A"), p);
        assert_eq!(ids.unroute(p).as_deref(), Some(&b"A"[..]));
        assert_eq!(ids.peer(b"A"), None);
        assert_eq!(ids.name(p).map(|b| &b[..]), Some(&b"A"[..]));
        ids.insert(Bytes::from_static(b"A"), q);
        assert_eq!(ids.unroute(p), None, "the newcomer keeps the route");
        assert_eq!(ids.peer(b"A"), Some(q));
        ids.displace(q);
        assert_eq!(ids.peer(b"A"), None);
        assert_eq!(ids.name(q).map(Bytes::len), Some(AUTO_ID_LEN));
        assert_eq!(ids.remove(q, 0), None);
        assert_eq!(ids.name(q), None);
    }

    #[test]
    fn removed_peers_keep_their_name_for_queued_messages() {
        let mut ids = RoutingIds::default();
        let p = PeerId(1);
        ids.insert(Bytes::from_static(b"A"), p);
        assert_eq!(ids.remove(p, 2).as_deref(), Some(&b"A"[..]));
        assert_eq!(ids.peer(b"A"), None, "not routable once removed");
        for body in ["1", "2"] {
            match ids.prefix(p, Message::from(Bytes::from_static(body.as_bytes()))) {
                RecvAction::Deliver(m) => assert_eq!(m.frames()[0], "A"),
                other => panic!("{other:?}"),
            }
        }
        assert!(!ids.is_departing(p));
        assert!(matches!(
            ids.prefix(p, Message::from(Bytes::from_static(b"3"))),
            RecvAction::Drop
        ));
    }
}
