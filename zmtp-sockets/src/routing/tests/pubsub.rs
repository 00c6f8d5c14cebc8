//! PUB and SUB (including INVERT_MATCHING on both sides).

use super::*;

#[test]
fn pub_filters_per_subscriber_and_drops_at_hwm() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Pub, &[]);
    let a = join(&mut r, &mut f, 1, 1);
    let b = join(&mut r, &mut f, 2, 5);
    r.on_subscribe(a, b"wea");
    r.on_subscribe(b, b"");
    r.send(m(&["weather", "x"]), &mut f).unwrap();
    r.send(m(&["weather"]), &mut f).unwrap(); // a is full: dropped for a only
    r.send(m(&["sports"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["weather", "x"])]);
    assert_eq!(f.take(b).len(), 3);
    r.on_cancel(b, b"");
    r.disconnected(a, 0);
    r.send(m(&["weather"]), &mut f).unwrap();
    assert!(f.take(a).is_empty() && f.take(b).is_empty());
    assert_eq!(r.check_recv(), Err(RoutingError::NotSupported));
    assert!(!r.has_local(), "PUB never reports subscriptions");
    assert!(!r.subscribe(Bytes::from_static(b"x"), &mut f));
}

#[test]
fn pub_invert_matching_sends_to_peers_without_a_match() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Pub, &[RoutingOption::InvertMatching(true)]);
    let a = join(&mut r, &mut f, 1, 10);
    let b = join(&mut r, &mut f, 2, 10);
    let c = join(&mut r, &mut f, 3, 10); // no subscription at all
    r.on_subscribe(a, b"A");
    r.on_subscribe(b, b"B");
    r.send(m(&["Apple"]), &mut f).unwrap();
    r.send(m(&["Banana"]), &mut f).unwrap();
    r.send(m(&["Cherry"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["Banana"]), m(&["Cherry"])]);
    assert_eq!(f.take(b), vec![m(&["Apple"]), m(&["Cherry"])]);
    assert_eq!(f.take(c).len(), 3);
    r.disconnected(c, 0);
    r.send(m(&["Cherry"]), &mut f).unwrap();
    assert!(f.take(c).is_empty());
}

#[test]
fn sub_counts_subscriptions_and_filters() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Sub, &[]);
    let a = join(&mut r, &mut f, 1, 10);
    assert!(r.subscribe(Bytes::from_static(b"A"), &mut f));
    assert!(r.subscribe(Bytes::from_static(b"A"), &mut f));
    assert_eq!(f.take_ctrl(a).len(), 2, "every subscribe is forwarded");
    assert!(matches!(r.on_recv(a, m(&["Abc"])), RecvAction::Deliver(_)));
    assert!(matches!(r.on_recv(a, m(&["B"])), RecvAction::Drop));
    r.unsubscribe(Bytes::from_static(b"A"), &mut f);
    assert!(
        f.take_ctrl(a).is_empty(),
        "cancel only when the count reaches zero"
    );
    assert!(matches!(r.on_recv(a, m(&["Abc"])), RecvAction::Deliver(_)));
    r.unsubscribe(Bytes::from_static(b"A"), &mut f);
    assert_eq!(f.take_ctrl(a), vec![Ctrl::Cancel(Bytes::from_static(b"A"))]);
    assert!(matches!(r.on_recv(a, m(&["Abc"])), RecvAction::Drop));
    // An unknown unsubscribe is harmless and silent.
    assert!(r.unsubscribe(Bytes::from_static(b"Q"), &mut f));
    assert!(f.take_ctrl(a).is_empty());
    assert!(matches!(
        r.send(m(&["x"]), &mut f),
        Err(SendError::NotSupported(_))
    ));
}

#[test]
fn sub_replays_subscriptions_once_each_on_connect() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Sub, &[]);
    // Connect-side pipe before its connection: nothing is sent to it yet.
    let a = f.add(1, 10);
    r.attach(a);
    r.subscribe(Bytes::from_static(b"Z"), &mut f);
    r.subscribe(Bytes::from_static(b"Z"), &mut f);
    assert!(f.take_ctrl(a).is_empty());
    assert_eq!(
        r.connected(a, &PeerMeta::default(), &mut f),
        vec![Ctrl::Subscribe(Bytes::from_static(b"Z"))]
    );
    r.disconnected(a, 0);
    r.subscribe(Bytes::from_static(b"Y"), &mut f);
    assert!(f.take_ctrl(a).is_empty(), "not sent while disconnected");
    let mut replay = r.connected(a, &PeerMeta::default(), &mut f);
    replay.sort_by(|x, y| format!("{x:?}").cmp(&format!("{y:?}")));
    assert_eq!(
        replay,
        vec![
            Ctrl::Subscribe(Bytes::from_static(b"Y")),
            Ctrl::Subscribe(Bytes::from_static(b"Z")),
        ]
    );
}

#[test]
fn sub_invert_matching_delivers_only_non_matching() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Sub, &[RoutingOption::InvertMatching(true)]);
    let a = join(&mut r, &mut f, 1, 10);
    assert!(matches!(
        r.on_recv(a, m(&["anything"])),
        RecvAction::Deliver(_)
    ));
    r.subscribe(Bytes::from_static(b"A"), &mut f);
    assert_eq!(
        f.take_ctrl(a),
        vec![Ctrl::Subscribe(Bytes::from_static(b"A"))],
        "the subscription itself is still sent"
    );
    assert!(matches!(r.on_recv(a, m(&["Apple"])), RecvAction::Drop));
    assert!(matches!(
        r.on_recv(a, m(&["Banana"])),
        RecvAction::Deliver(_)
    ));
}
