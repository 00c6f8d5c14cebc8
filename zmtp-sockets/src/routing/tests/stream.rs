//! STREAM: raw connections addressed by routing id.

use super::*;

fn connect_notice(r: &mut Routing) -> Bytes {
    let mut got = locals(r);
    assert_eq!(got.len(), 1, "one notification: {got:?}");
    let msg = got.remove(0);
    assert_eq!(msg.len(), 2);
    assert!(msg.frames()[1].is_empty());
    msg.frames()[0].clone()
}

#[test]
fn stream_notifies_connect_and_disconnect_with_auto_ids() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Stream, &[]);
    let a = join(&mut r, &mut f, 1, 10);
    assert!(r.has_local());
    let id = connect_notice(&mut r);
    assert_eq!(id.len(), 5);
    assert_eq!(id[0], 0);
    assert_eq!(
        delivered(r.on_recv(a, m(&["GET /"]))),
        Message::from_frames([id.clone(), Bytes::from_static(b"GET /")])
    );
    r.disconnected(a, 0);
    assert_eq!(
        locals(&mut r),
        vec![Message::from_frames([id.clone(), Bytes::new()])]
    );
    // Chunks that arrived before the disconnect still carry the id; no second notice.
    assert!(matches!(r.on_recv(a, m(&["tail"])), RecvAction::Deliver(_)));
    r.detach(a, 0);
    assert!(!r.has_local());
    let b = join(&mut r, &mut f, 2, 10);
    let id_b = connect_notice(&mut r);
    assert_ne!(id, id_b);
    r.detach(b, 0);
    assert_eq!(
        locals(&mut r),
        vec![Message::from_frames([id_b, Bytes::new()])]
    );
}

#[test]
fn stream_without_notify_is_silent() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Stream, &[RoutingOption::StreamNotify(false)]);
    let a = join(&mut r, &mut f, 1, 10);
    r.disconnected(a, 0);
    assert!(!r.has_local());
}

#[test]
fn stream_sends_raw_data_and_closes_on_empty_data() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Stream, &[]);
    let a = join(&mut r, &mut f, 1, 1);
    let id = connect_notice(&mut r);
    r.send(
        Message::from_frames([id.clone(), Bytes::from_static(b"HTTP/1.0 200")]),
        &mut f,
    )
    .unwrap();
    assert_eq!(f.take(a), vec![m(&["HTTP/1.0 200"])]);
    r.send(
        Message::from_frames([id.clone(), Bytes::from_static(b"1")]),
        &mut f,
    )
    .unwrap();
    assert!(matches!(
        r.send(
            Message::from_frames([id.clone(), Bytes::from_static(b"2")]),
            &mut f
        ),
        Err(SendError::WouldBlock(_))
    ));
    r.send(Message::from_frames([id.clone(), Bytes::new()]), &mut f)
        .unwrap();
    assert!(
        f.was_closed(a) && !f.was_killed(a),
        "closed after what is queued"
    );
    assert!(matches!(
        r.send(
            Message::from_frames([id.clone(), Bytes::from_static(b"3")]),
            &mut f
        ),
        Err(SendError::HostUnreachable(_))
    ));
    // Closed by the application: no disconnect notification follows.
    r.disconnected(a, 0);
    r.detach(a, 0);
    assert!(!r.has_local());
}

#[test]
fn stream_unknown_id_is_unreachable_and_lone_id_ignored() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Stream, &[]);
    match r.send(m(&["nobody", "x"]), &mut f) {
        Err(SendError::HostUnreachable(msg)) => assert_eq!(msg, m(&["nobody", "x"])),
        other => panic!("{other:?}"),
    }
    r.send(m(&["nobody"]), &mut f).unwrap();
}

#[test]
fn stream_honours_connect_routing_id() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Stream, &[]);
    let local = PeerMeta {
        identity: Bytes::from_static(b"raw peers have none"),
        connect_routing_id: Some(Bytes::from_static(b"conn1")),
        ..Default::default()
    };
    let (a, _) = join_as(&mut r, &mut f, 1, 10, &local);
    assert_eq!(connect_notice(&mut r), "conn1");
    r.send(m(&["conn1", "hello"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["hello"])]);
    // The same id again while it lives: the newcomer is refused.
    let (b, _) = join_as(&mut r, &mut f, 2, 10, &local);
    assert!(f.was_killed(b));
    assert!(!r.has_local());
}

#[test]
fn stream_dialed_pipe_is_named_at_connect_and_keeps_its_id() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Stream, &[]);
    let a = f.add(1, 10);
    r.attach_dialed(a, Some(&Bytes::from_static(b"early")));
    r.send(m(&["early", "queued"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["queued"])]);
    assert!(!r.has_local(), "no notice before the connection");
    r.connected(a, &PeerMeta::default(), &mut f);
    assert_eq!(connect_notice(&mut r), "early");
    r.disconnected(a, 0);
    assert_eq!(locals(&mut r), vec![m(&["early", ""])]);
    r.disconnected(a, 0);
    assert!(!r.has_local(), "announced once");
    r.connected(a, &PeerMeta::default(), &mut f);
    assert_eq!(
        connect_notice(&mut r),
        "early",
        "same id after the reconnect"
    );
    r.detach(a, 0);
    assert_eq!(locals(&mut r), vec![m(&["early", ""])]);
    // Without CONNECT_ROUTING_ID: an automatic id, also kept.
    let b = f.add(2, 10);
    r.attach_dialed(b, None);
    r.connected(b, &PeerMeta::default(), &mut f);
    let id = connect_notice(&mut r);
    assert_eq!(id.len(), 5);
    r.disconnected(b, 0);
    locals(&mut r);
    r.connected(b, &PeerMeta::default(), &mut f);
    assert_eq!(connect_notice(&mut r), id);
    // Closed by the application while down: no notice when the pipe goes.
    r.disconnected(b, 0);
    locals(&mut r);
    r.send(Message::from_frames([id, Bytes::new()]), &mut f)
        .unwrap();
    assert!(f.was_closed(b));
    r.detach(b, 0);
    assert!(!r.has_local());
}

#[test]
fn stream_disconnect_notice_follows_the_last_chunk() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Stream, &[]);
    let a = join(&mut r, &mut f, 1, 10);
    let id = connect_notice(&mut r);
    // Two chunks still queued for the application when the connection goes.
    r.detach(a, 2);
    assert!(!r.has_local(), "held until the chunks are read");
    let first = delivered(r.on_recv(a, m(&["c1"])));
    assert_eq!(first.frames(), [id.clone(), Bytes::from_static(b"c1")]);
    assert!(!r.has_local());
    delivered(r.on_recv(a, m(&["c2"])));
    assert_eq!(
        locals(&mut r),
        vec![Message::from_frames([id, Bytes::new()])]
    );
}
