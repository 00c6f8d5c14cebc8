//! Routing state machines driven through a fake peer set: no I/O.

use std::collections::{BTreeMap, VecDeque};

use bytes::Bytes;
use zmtp_codec::SocketType;

use super::*;
use crate::peer::{Ctrl, PeerId, PeerSet};

#[derive(Default)]
struct Fake {
    pipes: BTreeMap<PeerId, (VecDeque<Message>, usize, bool)>,
    ctrl: Vec<(PeerId, Ctrl)>,
}

impl Fake {
    fn add(&mut self, id: u64, hwm: usize) -> PeerId {
        let id = PeerId(id);
        self.pipes.insert(id, (VecDeque::new(), hwm, true));
        id
    }
    fn take(&mut self, id: PeerId) -> Vec<Message> {
        self.pipes
            .get_mut(&id)
            .map(|p| p.0.drain(..).collect())
            .unwrap_or_default()
    }
}

impl PeerSet for Fake {
    fn has_room(&self, id: PeerId) -> bool {
        self.pipes.get(&id).is_some_and(|p| p.0.len() < p.1)
    }
    fn push(&mut self, id: PeerId, msg: Message) -> Result<(), Message> {
        match self.pipes.get_mut(&id) {
            Some(p) if p.0.len() < p.1 => {
                p.0.push_back(msg);
                Ok(())
            }
            _ => Err(msg),
        }
    }
    fn push_ctrl(&mut self, id: PeerId, ctrl: Ctrl) {
        self.ctrl.push((id, ctrl));
    }
    fn is_connected(&self, id: PeerId) -> bool {
        self.pipes.get(&id).is_some_and(|p| p.2)
    }
}

fn m(frames: &[&'static str]) -> Message {
    Message::from_frames(frames.iter().map(|s| Bytes::from_static(s.as_bytes())))
}

#[test]
fn push_round_robins_and_blocks_at_hwm() {
    let mut f = Fake::default();
    let (a, b) = (f.add(1, 2), f.add(2, 2));
    let mut r = Routing::new(SocketType::Push).unwrap();
    r.attach(a);
    r.attach(b);
    for _ in 0..4 {
        r.send(m(&["x"]), &mut f).unwrap();
    }
    assert_eq!(f.pipes[&a].0.len(), 2);
    assert_eq!(f.pipes[&b].0.len(), 2);
    assert!(matches!(
        r.send(m(&["x"]), &mut f),
        Err(SendError::WouldBlock(_))
    ));
    f.take(b);
    r.send(m(&["y"]), &mut f).unwrap();
    assert_eq!(f.take(b), vec![m(&["y"])]);
    assert!(matches!(r.check_recv(), Err(RoutingError::NotSupported)));
}

#[test]
fn push_with_no_peer_would_block() {
    let mut f = Fake::default();
    let mut r = Routing::new(SocketType::Push).unwrap();
    assert!(matches!(
        r.send(m(&["x"]), &mut f),
        Err(SendError::WouldBlock(_))
    ));
}

#[test]
fn req_alternates_and_checks_delimiter() {
    let mut f = Fake::default();
    let (a, b) = (f.add(1, 10), f.add(2, 10));
    let mut r = Routing::new(SocketType::Req).unwrap();
    r.attach(a);
    r.attach(b);
    assert_eq!(r.check_recv(), Err(RoutingError::State));
    r.send(m(&["hello"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["", "hello"])]);
    assert!(matches!(
        r.send(m(&["again"]), &mut f),
        Err(SendError::State(_))
    ));
    // A reply from the wrong peer is dropped; from the right one it is delivered.
    assert!(matches!(r.on_recv(b, m(&["", "nope"])), RecvAction::Drop));
    match r.on_recv(a, m(&["", "world"])) {
        RecvAction::Deliver(msg) => assert_eq!(msg, m(&["world"])),
        other => panic!("{other:?}"),
    }
    // Next request goes to the next peer.
    r.send(m(&["2"]), &mut f).unwrap();
    assert_eq!(f.take(b), vec![m(&["", "2"])]);
    // A reply without delimiter is a protocol violation.
    assert!(matches!(
        r.on_recv(b, m(&["bad"])),
        RecvAction::DropAndKill(_)
    ));
}

#[test]
fn rep_keeps_envelope() {
    let mut f = Fake::default();
    let a = f.add(7, 10);
    let mut r = Routing::new(SocketType::Rep).unwrap();
    assert!(matches!(
        r.send(m(&["x"]), &mut f),
        Err(SendError::State(_))
    ));
    assert!(matches!(
        r.on_recv(a, m(&["no-delimiter"])),
        RecvAction::Drop
    ));
    match r.on_recv(a, m(&["id1", "id2", "", "req"])) {
        RecvAction::Deliver(msg) => assert_eq!(msg, m(&["req"])),
        other => panic!("{other:?}"),
    }
    assert_eq!(r.check_recv(), Err(RoutingError::State));
    r.send(m(&["rep"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["id1", "id2", "", "rep"])]);
    assert_eq!(r.check_recv(), Ok(()));
}

#[test]
fn rep_reply_to_vanished_peer_is_dropped() {
    let mut f = Fake::default();
    let a = f.add(1, 10);
    let mut r = Routing::new(SocketType::Rep).unwrap();
    assert!(matches!(
        r.on_recv(a, m(&["", "q"])),
        RecvAction::Deliver(_)
    ));
    f.pipes.clear();
    r.send(m(&["a"]), &mut f).unwrap();
    assert_eq!(r.check_recv(), Ok(()));
}

#[test]
fn pub_filters_per_subscriber_and_drops_at_hwm() {
    let mut f = Fake::default();
    let (a, b) = (f.add(1, 1), f.add(2, 5));
    let mut r = Routing::new(SocketType::Pub).unwrap();
    r.attach(a);
    r.attach(b);
    r.on_subscribe(a, b"wea");
    r.on_subscribe(b, b"");
    r.send(m(&["weather", "x"]), &mut f).unwrap();
    r.send(m(&["weather"]), &mut f).unwrap(); // a is full: dropped for a only
    r.send(m(&["sports"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["weather", "x"])]);
    assert_eq!(f.take(b).len(), 3);
    r.on_cancel(b, b"");
    r.disconnected(a);
    r.send(m(&["weather"]), &mut f).unwrap();
    assert!(f.take(a).is_empty() && f.take(b).is_empty());
}

#[test]
fn sub_counts_subscriptions_and_filters() {
    let mut f = Fake::default();
    let a = f.add(1, 10);
    let mut r = Routing::new(SocketType::Sub).unwrap();
    r.attach(a);
    assert!(r.subscribe(Bytes::from_static(b"A"), &mut f));
    assert!(r.subscribe(Bytes::from_static(b"A"), &mut f));
    assert_eq!(f.ctrl.len(), 2);
    assert!(matches!(r.on_recv(a, m(&["Abc"])), RecvAction::Deliver(_)));
    assert!(matches!(r.on_recv(a, m(&["B"])), RecvAction::Drop));
    r.unsubscribe(Bytes::from_static(b"A"), &mut f);
    assert_eq!(f.ctrl.len(), 2, "cancel only when the count reaches zero");
    assert!(matches!(r.on_recv(a, m(&["Abc"])), RecvAction::Deliver(_)));
    r.unsubscribe(Bytes::from_static(b"A"), &mut f);
    assert_eq!(
        f.ctrl.last(),
        Some(&(a, Ctrl::Cancel(Bytes::from_static(b"A"))))
    );
    assert!(matches!(r.on_recv(a, m(&["Abc"])), RecvAction::Drop));
    // Reconnect replays current subscriptions once each.
    r.subscribe(Bytes::from_static(b"Z"), &mut f);
    r.subscribe(Bytes::from_static(b"Z"), &mut f);
    assert_eq!(
        r.connected(a),
        vec![Ctrl::Subscribe(Bytes::from_static(b"Z"))]
    );
}

#[test]
fn classify_subscriptions_for_pub() {
    assert!(
        matches!(classify(SocketType::Pub, m(&["\x01top"])), Incoming::Subscription(true, t) if t == "top")
    );
    assert!(matches!(
        classify(SocketType::Pub, m(&["\x00top"])),
        Incoming::Subscription(false, _)
    ));
    assert!(matches!(
        classify(SocketType::Pub, m(&["data"])),
        Incoming::Discard
    ));
    assert!(matches!(
        classify(SocketType::Pull, m(&["\x01x"])),
        Incoming::Keep(_)
    ));
    assert!(matches!(
        classify(SocketType::Push, m(&["x"])),
        Incoming::Discard
    ));
}
