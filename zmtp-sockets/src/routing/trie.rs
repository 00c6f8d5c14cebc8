//! Prefix trie of subscriptions: which peers subscribed to which topic prefixes.

use crate::peer::PeerId;

/// One node: the peers subscribed to exactly the prefix that leads here.
#[derive(Debug, Default)]
struct Node {
    peers: Vec<PeerId>,
    children: Vec<(u8, Node)>,
}

impl Node {
    fn is_empty(&self) -> bool {
        self.peers.is_empty() && self.children.is_empty()
    }

    fn child(&self, b: u8) -> Option<&Node> {
        self.children.iter().find(|(k, _)| *k == b).map(|(_, n)| n)
    }
}

/// A set of (topic prefix, peer) subscriptions. Adding the same pair twice is idempotent,
/// as in libzmq's PUB side.
#[derive(Debug, Default)]
pub struct SubscriptionTrie {
    root: Node,
    pairs: usize,
}

impl SubscriptionTrie {
    /// Adds `peer` under `topic`; returns true if the pair is new.
    pub fn add(&mut self, topic: &[u8], peer: PeerId) -> bool {
        let mut node = &mut self.root;
        for &b in topic {
            let pos = match node.children.iter().position(|(k, _)| *k == b) {
                Some(p) => p,
                None => {
                    node.children.push((b, Node::default()));
                    node.children.len() - 1
                }
            };
            node = &mut node.children[pos].1;
        }
        if node.peers.contains(&peer) {
            false
        } else {
            node.peers.push(peer);
            self.pairs += 1;
            true
        }
    }

    /// Removes `peer` from `topic`; returns true if the pair existed.
    pub fn remove(&mut self, topic: &[u8], peer: PeerId) -> bool {
        let removed = Self::remove_in(&mut self.root, topic, peer);
        if removed {
            self.pairs -= 1;
        }
        removed
    }

    fn remove_in(node: &mut Node, topic: &[u8], peer: PeerId) -> bool {
        match topic.split_first() {
            None => match node.peers.iter().position(|p| *p == peer) {
                Some(i) => {
                    node.peers.swap_remove(i);
                    true
                }
                None => false,
            },
            Some((&b, rest)) => {
                let Some(pos) = node.children.iter().position(|(k, _)| *k == b) else {
                    return false;
                };
                let removed = Self::remove_in(&mut node.children[pos].1, rest, peer);
                if node.children[pos].1.is_empty() {
                    node.children.swap_remove(pos);
                }
                removed
            }
        }
    }

    /// Removes every subscription of `peer` (it went away); returns the topics it held.
    pub fn remove_peer(&mut self, peer: PeerId) -> Vec<Vec<u8>> {
        let mut topics = Vec::new();
        let mut prefix = Vec::new();
        Self::remove_peer_in(&mut self.root, peer, &mut prefix, &mut topics);
        self.pairs -= topics.len();
        topics
    }

    fn remove_peer_in(node: &mut Node, peer: PeerId, prefix: &mut Vec<u8>, out: &mut Vec<Vec<u8>>) {
        if let Some(i) = node.peers.iter().position(|p| *p == peer) {
            node.peers.swap_remove(i);
            out.push(prefix.clone());
        }
        let mut i = 0;
        while i < node.children.len() {
            prefix.push(node.children[i].0);
            Self::remove_peer_in(&mut node.children[i].1, peer, prefix, out);
            prefix.pop();
            if node.children[i].1.is_empty() {
                node.children.swap_remove(i);
            } else {
                i += 1;
            }
        }
    }

    /// True when some peer holds exactly `topic`.
    pub fn has_topic(&self, topic: &[u8]) -> bool {
        let mut node = &self.root;
        for &b in topic {
            match node.child(b) {
                Some(n) => node = n,
                None => return false,
            }
        }
        !node.peers.is_empty()
    }

    /// Calls `f` once for every peer holding a prefix of `data` (each peer at most once).
    /// `seen` is scratch space; afterwards it holds the matched peers, sorted when they
    /// came from more than one prefix. A peer appears once per node, so duplicates are
    /// only possible across nodes: they are removed by one sort instead of a scan per
    /// peer (which made fan-out to many subscribers quadratic).
    pub fn for_each_match(&self, data: &[u8], seen: &mut Vec<PeerId>, mut f: impl FnMut(PeerId)) {
        seen.clear();
        let mut nodes = 0;
        let mut node = &self.root;
        let mut i = 0;
        loop {
            if !node.peers.is_empty() {
                nodes += 1;
                seen.extend_from_slice(&node.peers);
            }
            let Some(&b) = data.get(i) else { break };
            match node.child(b) {
                Some(n) => node = n,
                None => break,
            }
            i += 1;
        }
        if nodes > 1 {
            seen.sort_unstable();
            seen.dedup();
        }
        for &p in seen.iter() {
            f(p);
        }
    }

    /// True when any subscription is a prefix of `data`.
    pub fn matches(&self, data: &[u8]) -> bool {
        let mut node = &self.root;
        let mut i = 0;
        loop {
            if !node.peers.is_empty() {
                return true;
            }
            let Some(&b) = data.get(i) else { return false };
            match node.child(b) {
                Some(n) => node = n,
                None => return false,
            }
            i += 1;
        }
    }

    /// Number of (topic, peer) pairs.
    pub fn len(&self) -> usize {
        self.pairs
    }

    /// True when there are no subscriptions.
    pub fn is_empty(&self) -> bool {
        self.pairs == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_matching_and_removal() {
        let (a, b) = (PeerId(1), PeerId(2));
        let mut t = SubscriptionTrie::default();
        assert!(t.add(b"ab", a));
        assert!(!t.add(b"ab", a));
        assert!(t.add(b"", b));
        assert!(t.add(b"a", a));
        let mut seen = Vec::new();
        let mut hits = Vec::new();
        t.for_each_match(b"abc", &mut seen, |p| hits.push(p));
        hits.sort();
        assert_eq!(hits, vec![a, b]);
        assert!(t.remove(b"", b));
        hits.clear();
        t.for_each_match(b"x", &mut seen, |p| hits.push(p));
        assert!(hits.is_empty());
        assert!(t.matches(b"abz"));
        assert!(!t.matches(b"b"));
        let mut topics = t.remove_peer(a);
        topics.sort();
        assert_eq!(topics, vec![b"a".to_vec(), b"ab".to_vec()]);
        assert!(t.is_empty());
        assert!(!t.matches(b"abc"));
    }
}
