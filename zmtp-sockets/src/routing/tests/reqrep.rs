//! REQ and REP.

use super::*;

#[test]
fn req_alternates_and_checks_delimiter() {
    let mut f = Fake::default();
    let (a, b) = (f.add(1, 10), f.add(2, 10));
    let mut r = routing(SocketType::Req, &[]);
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
    assert_eq!(delivered(r.on_recv(a, m(&["", "world"]))), m(&["world"]));
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
fn req_drops_connection_of_any_peer_sending_malformed_replies() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Req, &[]);
    let a = join(&mut r, &mut f, 1, 10);
    let b = join(&mut r, &mut f, 2, 10);
    r.send(m(&["q"]), &mut f).unwrap();
    assert!(matches!(r.on_recv(b, m(&[""])), RecvAction::DropAndKill(_)));
    assert!(matches!(
        r.on_recv(b, m(&["abcd", "x", "y"])),
        RecvAction::DropAndKill(_)
    ));
    // A well-formed but tagged reply is skipped when correlation is off.
    assert!(matches!(
        r.on_recv(a, m(&["abcd", "", "y"])),
        RecvAction::Drop
    ));
    assert_eq!(delivered(r.on_recv(a, m(&["", "", "y"]))), m(&["", "y"]));
}

#[test]
fn req_with_no_peer_would_block_and_stays_sendable() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Req, &[RoutingOption::ReqCorrelate(true)]);
    match r.send(m(&["q"]), &mut f) {
        Err(SendError::WouldBlock(msg)) => assert_eq!(msg, m(&["q"])),
        other => panic!("{other:?}"),
    }
    assert_eq!(r.check_recv(), Err(RoutingError::State));
}

fn request_id(msg: &Message) -> [u8; 4] {
    let Some(Ok(id)) = msg.first().map(|f| <[u8; 4]>::try_from(&f[..])) else {
        panic!("no request id in {msg:?}");
    };
    id
}

#[test]
fn req_correlate_frames_ids_and_drops_mismatches() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Req, &[RoutingOption::ReqCorrelate(true)]);
    let a = join(&mut r, &mut f, 1, 10);
    r.send(m(&["q1"]), &mut f).unwrap();
    let sent = f.take(a);
    assert_eq!(sent.len(), 1);
    let id1 = request_id(&sent[0]);
    assert_eq!(&sent[0].frames()[1..], m(&["", "q1"]).frames());
    // Wrong id, missing id: dropped without killing; the right id is delivered.
    let wrong = u32::from_ne_bytes(id1).wrapping_add(7).to_ne_bytes();
    assert!(matches!(
        r.on_recv(a, mb(&[&wrong, b"", b"r"])),
        RecvAction::Drop
    ));
    assert!(matches!(r.on_recv(a, m(&["", "r"])), RecvAction::Drop));
    assert_eq!(delivered(r.on_recv(a, mb(&[&id1, b"", b"r1"]))), m(&["r1"]));
    // The next request carries the next id (host byte order).
    r.send(m(&["q2"]), &mut f).unwrap();
    let id2 = request_id(&f.take(a)[0]);
    assert_eq!(
        u32::from_ne_bytes(id2),
        u32::from_ne_bytes(id1).wrapping_add(1)
    );
    assert!(matches!(
        r.on_recv(a, mb(&[&id1, b"", b"late"])),
        RecvAction::Drop
    ));
    assert_eq!(delivered(r.on_recv(a, mb(&[&id2, b"", b"r2"]))), m(&["r2"]));
}

#[test]
fn req_relaxed_allows_resend_and_drops_stale_replies() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Req, &[RoutingOption::ReqRelaxed(true)]);
    let a = join(&mut r, &mut f, 1, 10);
    let b = join(&mut r, &mut f, 2, 10);
    r.send(m(&["q1"]), &mut f).unwrap();
    r.send(m(&["q2"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["", "q1"])]);
    assert_eq!(f.take(b), vec![m(&["", "q2"])]);
    // The late reply to q1 (from a) is stale; only b's reply counts.
    assert!(matches!(r.on_recv(a, m(&["", "r1"])), RecvAction::Drop));
    assert_eq!(delivered(r.on_recv(b, m(&["", "r2"]))), m(&["r2"]));
    assert_eq!(r.check_recv(), Err(RoutingError::State));
}

#[test]
fn req_relaxed_and_correlated_drops_stale_reply_from_same_peer() {
    let mut f = Fake::default();
    let opts = [
        RoutingOption::ReqRelaxed(true),
        RoutingOption::ReqCorrelate(true),
    ];
    let mut r = routing(SocketType::Req, &opts);
    let a = join(&mut r, &mut f, 1, 10);
    r.send(m(&["q1"]), &mut f).unwrap();
    r.send(m(&["q2"]), &mut f).unwrap();
    let sent = f.take(a);
    let (id1, id2) = (request_id(&sent[0]), request_id(&sent[1]));
    assert!(matches!(
        r.on_recv(a, mb(&[&id1, b"", b"r1"])),
        RecvAction::Drop
    ));
    assert_eq!(delivered(r.on_recv(a, mb(&[&id2, b"", b"r2"]))), m(&["r2"]));
}

#[test]
fn req_probe_router_sends_empty_message_without_changing_state() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Req, &[RoutingOption::ProbeRouter(true)]);
    let a = join(&mut r, &mut f, 1, 10);
    assert_eq!(f.take(a), vec![m(&[""])]);
    assert_eq!(r.check_recv(), Err(RoutingError::State));
    r.send(m(&["q"]), &mut f).unwrap();
}

#[test]
fn rep_keeps_envelope() {
    let mut f = Fake::default();
    let a = f.add(7, 10);
    let mut r = routing(SocketType::Rep, &[]);
    assert!(matches!(
        r.send(m(&["x"]), &mut f),
        Err(SendError::State(_))
    ));
    assert!(matches!(
        r.on_recv(a, m(&["no-delimiter"])),
        RecvAction::Drop
    ));
    assert!(matches!(r.on_recv(a, m(&["id", ""])), RecvAction::Drop));
    assert_eq!(
        delivered(r.on_recv(a, m(&["id1", "id2", "", "req"]))),
        m(&["req"])
    );
    assert_eq!(r.check_recv(), Err(RoutingError::State));
    r.send(m(&["rep"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["id1", "id2", "", "rep"])]);
    assert_eq!(r.check_recv(), Ok(()));
}

#[test]
fn rep_preserves_multi_hop_and_correlated_envelopes() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Rep, &[]);
    let a = join(&mut r, &mut f, 1, 10);
    let b = join(&mut r, &mut f, 2, 10);
    // ROUTER/DEALER chain: three hops of ids, then a REQ_CORRELATE request id.
    let req = mb(&[
        b"\x00hop1",
        b"hop2",
        b"hop3",
        b"\x01\x02\x03\x04",
        b"",
        b"A",
        b"B",
    ]);
    assert_eq!(delivered(r.on_recv(b, req)), m(&["A", "B"]));
    r.send(m(&["R"]), &mut f).unwrap();
    assert!(f.take(a).is_empty());
    assert_eq!(
        f.take(b),
        vec![mb(&[
            b"\x00hop1",
            b"hop2",
            b"hop3",
            b"\x01\x02\x03\x04",
            b"",
            b"R"
        ])]
    );
    // DEALER talking directly: ["", "A"] in, ["", "A"] back.
    assert_eq!(delivered(r.on_recv(a, m(&["", "A"]))), m(&["A"]));
    r.send(m(&["A"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["", "A"])]);
}

#[test]
fn rep_reply_to_vanished_peer_is_dropped() {
    let mut f = Fake::default();
    let a = f.add(1, 10);
    let mut r = routing(SocketType::Rep, &[]);
    assert!(matches!(
        r.on_recv(a, m(&["", "q"])),
        RecvAction::Deliver(_)
    ));
    f.pipes.clear();
    r.send(m(&["a"]), &mut f).unwrap();
    assert_eq!(r.check_recv(), Ok(()));
}

/// The request REP delivers keeps its connection's properties (libzmq's REP does; found
/// by the OMQ.rs PLAIN interop tests: a REP server could not see `User-Id`).
#[test]
fn rep_request_keeps_connection_properties() {
    let mut f = Fake::default();
    let a = f.add(7, 10);
    let mut r = routing(SocketType::Rep, &[]);
    let mut props = zmtp_codec::Metadata::new();
    props.push("User-Id", "alice").unwrap();
    let mut req = m(&["", "req"]);
    req.set_properties(std::sync::Arc::new(props));
    let got = delivered(r.on_recv(a, req));
    assert_eq!(got, m(&["req"]));
    assert_eq!(got.property("User-Id").map(|v| &v[..]), Some(&b"alice"[..]));
}
