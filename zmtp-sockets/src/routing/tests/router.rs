//! ROUTER.

use super::*;

/// The routing id the ROUTER prefixes to `from`'s messages.
fn id_of(r: &mut Routing, from: PeerId) -> Bytes {
    let msg = delivered(r.on_recv(from, m(&["probe"])));
    let Some(id) = msg.first() else {
        panic!("no id frame");
    };
    assert_eq!(msg.len(), 2);
    id.clone()
}

#[test]
fn router_auto_ids_are_unique_five_bytes_with_zero_first() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Router, &[]);
    let peers: Vec<PeerId> = (1..=50).map(|i| join(&mut r, &mut f, i, 10)).collect();
    let mut ids: Vec<Bytes> = peers.iter().map(|&p| id_of(&mut r, p)).collect();
    for id in &ids {
        assert_eq!(id.len(), 5);
        assert_eq!(id[0], 0);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 50);
}

#[test]
fn router_uses_identity_and_connect_routing_id() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Router, &[]);
    let (a, _) = join_as(&mut r, &mut f, 1, 10, &meta(b"alice"));
    let local = PeerMeta {
        identity: Bytes::from_static(b"ignored"),
        connect_routing_id: Some(Bytes::from_static(b"mine")),
        ..Default::default()
    };
    let (b, _) = join_as(&mut r, &mut f, 2, 10, &local);
    assert_eq!(delivered(r.on_recv(a, m(&["hi"]))), m(&["alice", "hi"]));
    assert_eq!(id_of(&mut r, b), "mine");
    r.send(m(&["mine", "x", "y"]), &mut f).unwrap();
    r.send(m(&["alice", "z"]), &mut f).unwrap();
    assert_eq!(f.take(b), vec![m(&["x", "y"])]);
    assert_eq!(f.take(a), vec![m(&["z"])]);
}

#[test]
fn router_drops_unroutable_silently_by_default() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Router, &[]);
    let (a, _) = join_as(&mut r, &mut f, 1, 1, &meta(b"A"));
    r.send(m(&["nobody", "x"]), &mut f).unwrap();
    r.send(m(&["A"]), &mut f).unwrap(); // a lone id frame is ignored
    r.send(m(&["A", "1"]), &mut f).unwrap();
    r.send(m(&["A", "2"]), &mut f).unwrap(); // full: dropped
    assert_eq!(f.take(a), vec![m(&["1"])]);
}

#[test]
fn router_mandatory_reports_unknown_ids_and_full_peers() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Router, &[RoutingOption::RouterMandatory(true)]);
    let (a, _) = join_as(&mut r, &mut f, 1, 1, &meta(b"A"));
    match r.send(m(&["nobody", "x"]), &mut f) {
        Err(SendError::HostUnreachable(msg)) => assert_eq!(msg, m(&["nobody", "x"])),
        other => panic!("{other:?}"),
    }
    r.send(m(&["A", "1"]), &mut f).unwrap();
    match r.send(m(&["A", "2"]), &mut f) {
        Err(SendError::WouldBlock(msg)) => assert_eq!(msg, m(&["A", "2"])),
        other => panic!("{other:?}"),
    }
    assert_eq!(f.take(a), vec![m(&["1"])]);
    r.send(m(&["A", "2"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["2"])]);
}

#[test]
fn router_attached_but_unconnected_pipe_is_not_routable() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Router, &[RoutingOption::RouterMandatory(true)]);
    let a = f.add(1, 10);
    r.attach(a);
    assert!(matches!(
        r.send(m(&["A", "x"]), &mut f),
        Err(SendError::HostUnreachable(_))
    ));
    r.connected(a, &meta(b"A"), &mut f);
    r.send(m(&["A", "x"]), &mut f).unwrap();
    // Disconnected: unroutable again, but what it sent before still carries its id.
    r.disconnected(a, 0);
    assert!(matches!(
        r.send(m(&["A", "y"]), &mut f),
        Err(SendError::HostUnreachable(_))
    ));
    assert_eq!(delivered(r.on_recv(a, m(&["late"]))), m(&["A", "late"]));
    r.detach(a, 0);
    assert!(matches!(r.on_recv(a, m(&["later"])), RecvAction::Drop));
}

#[test]
fn router_duplicate_id_without_handover_leaves_newcomer_unserved() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Router, &[]);
    let (a, _) = join_as(&mut r, &mut f, 1, 10, &meta(b"X"));
    let (b, _) = join_as(&mut r, &mut f, 2, 10, &meta(b"X"));
    assert!(!f.was_killed(b) && !f.was_killed(a));
    assert!(matches!(r.on_recv(b, m(&["from b"])), RecvAction::Drop));
    r.send(m(&["X", "m"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["m"])]);
    assert!(f.take(b).is_empty());
    // Once the holder is gone the id is free again.
    r.detach(a, 0);
    let (c, _) = join_as(&mut r, &mut f, 3, 10, &meta(b"X"));
    assert!(!f.was_killed(c));
    assert_eq!(id_of(&mut r, c), "X");
}

#[test]
fn router_handover_unroutes_old_holder_and_routes_to_newcomer() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Router, &[RoutingOption::RouterHandover(true)]);
    let (a, _) = join_as(&mut r, &mut f, 1, 10, &meta(b"X"));
    let (b, _) = join_as(&mut r, &mut f, 2, 10, &meta(b"X"));
    // The old holder's connection is left alone (libzmq ends only its pipe).
    assert!(!f.was_killed(a) && !f.was_killed(b));
    r.send(m(&["X", "m"]), &mut f).unwrap();
    assert_eq!(f.take(b), vec![m(&["m"])]);
    assert!(f.take(a).is_empty());
    assert_eq!(id_of(&mut r, b), "X");
    // The old peer's leftovers no longer impersonate the id.
    let old = id_of(&mut r, a);
    assert_ne!(old, "X");
    // Its late disconnect must not unroute the newcomer.
    r.disconnected(a, 0);
    r.detach(a, 0);
    r.send(m(&["X", "n"]), &mut f).unwrap();
    assert_eq!(f.take(b), vec![m(&["n"])]);
}

#[test]
fn router_probe_pushes_empty_message_on_connect() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Router, &[RoutingOption::ProbeRouter(true)]);
    let (a, _) = join_as(&mut r, &mut f, 1, 10, &meta(b"A"));
    assert_eq!(f.take(a), vec![m(&[""])]);
}

#[test]
fn router_connect_routing_id_is_routable_from_connect_and_across_reconnects() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Router, &[RoutingOption::RouterMandatory(true)]);
    let a = f.add(1, 10);
    r.attach_dialed(a, Some(&Bytes::from_static(b"early")));
    r.send(m(&["early", "queued"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["queued"])]);
    let local = PeerMeta {
        identity: Bytes::from_static(b"peer's own"),
        connect_routing_id: Some(Bytes::from_static(b"early")),
        ..Default::default()
    };
    r.connected(a, &local, &mut f);
    assert_eq!(id_of(&mut r, a), "early");
    r.disconnected(a, 0);
    r.send(m(&["early", "while down"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["while down"])]);
    // A second pipe asking for the same id is not named.
    let b = f.add(2, 10);
    r.attach_dialed(b, Some(&Bytes::from_static(b"early")));
    r.connected(b, &local, &mut f);
    assert!(matches!(r.on_recv(b, m(&["x"])), RecvAction::Drop));
    r.detach(a, 0);
    assert!(matches!(
        r.send(m(&["early", "gone"]), &mut f),
        Err(SendError::HostUnreachable(_))
    ));
    // Without CONNECT_ROUTING_ID a dialed pipe is named at the handshake, as before.
    let c = f.add(3, 10);
    r.attach_dialed(c, None);
    assert!(matches!(
        r.send(m(&["C", "x"]), &mut f),
        Err(SendError::HostUnreachable(_))
    ));
    r.connected(c, &meta(b"C"), &mut f);
    assert_eq!(id_of(&mut r, c), "C");
}

#[test]
fn router_delivers_what_a_departed_peer_sent_under_its_id() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Router, &[RoutingOption::RouterMandatory(true)]);
    let (a, _) = join_as(&mut r, &mut f, 1, 10, &meta(b"A"));
    r.detach(a, 1);
    assert!(matches!(
        r.send(m(&["A", "x"]), &mut f),
        Err(SendError::HostUnreachable(_))
    ));
    assert_eq!(delivered(r.on_recv(a, m(&["last"]))), m(&["A", "last"]));
    assert!(matches!(r.on_recv(a, m(&["more"])), RecvAction::Drop));
}
