//! XSUB: subscriptions sent as messages, counted, forwarded and replayed.

use super::*;

#[test]
fn xsub_forwards_every_subscribe_and_the_last_cancel_as_data() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XSub, &[]);
    let a = join(&mut r, &mut f, 1, 10);
    let b = join(&mut r, &mut f, 2, 10);
    r.send(m(&["\x01A"]), &mut f).unwrap();
    r.send(m(&["\x01A"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["\x01A"]), m(&["\x01A"])]);
    assert_eq!(f.take(b).len(), 2);
    assert!(
        f.ctrl.is_empty(),
        "application subscriptions travel as data"
    );
    r.send(m(&["\x00A"]), &mut f).unwrap();
    assert!(f.take(a).is_empty(), "count still 1: cancel held back");
    r.send(m(&["\x00A"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["\x00A"])]);
    assert_eq!(f.take(b), vec![m(&["\x00A"])]);
    // A cancel for an unknown topic is not forwarded.
    r.send(m(&["\x00Z"]), &mut f).unwrap();
    assert!(f.take(a).is_empty());
}

#[test]
fn xsub_sends_other_messages_upstream_to_all_and_delivers_everything() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XSub, &[]);
    let a = join(&mut r, &mut f, 1, 1);
    let b = join(&mut r, &mut f, 2, 10);
    r.send(m(&["up", "x"]), &mut f).unwrap();
    r.send(m(&["up2"]), &mut f).unwrap(); // a is full: dropped for a only
    r.send(m(&[""]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["up", "x"])]);
    assert_eq!(f.take(b), vec![m(&["up", "x"]), m(&["up2"]), m(&[""])]);
    // No local filtering: everything is delivered, subscribed or not.
    assert_eq!(delivered(r.on_recv(a, m(&["anything"]))), m(&["anything"]));
    assert!(!r.subscribe(Bytes::from_static(b"A"), &mut f));
}

#[test]
fn xsub_replays_current_subscriptions_on_connect() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XSub, &[]);
    r.send(m(&["\x01A"]), &mut f).unwrap();
    r.send(m(&["\x01A"]), &mut f).unwrap();
    r.send(m(&["\x01B"]), &mut f).unwrap();
    r.send(m(&["\x00B"]), &mut f).unwrap();
    let (a, ctrl) = join_as(&mut r, &mut f, 1, 10, &PeerMeta::default());
    assert_eq!(ctrl, vec![Ctrl::Subscribe(Bytes::from_static(b"A"))]);
    assert!(f.take(a).is_empty(), "nothing sent before the connection");
    r.disconnected(a, 0);
    r.send(m(&["\x01C"]), &mut f).unwrap();
    assert!(f.take(a).is_empty(), "not sent while disconnected");
}

#[test]
fn xsub_queues_upstream_messages_in_pipes_still_connecting() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XSub, &[]);
    let a = f.add(1, 10);
    r.attach(a);
    r.send(m(&["early upstream"]), &mut f).unwrap();
    r.send(m(&["\x01t"]), &mut f).unwrap();
    assert_eq!(
        f.take(a),
        vec![m(&["early upstream"])],
        "subscriptions wait"
    );
    let ctrl = r.connected(a, &PeerMeta::default(), &mut f);
    assert_eq!(ctrl, vec![Ctrl::Subscribe(Bytes::from_static(b"t"))]);
    r.detach(a, 0);
    r.send(m(&["after"]), &mut f).unwrap();
    assert!(f.take(a).is_empty(), "detached pipes get nothing");
}

#[test]
fn xsub_invert_matching_is_accepted_and_changes_nothing() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XSub, &[RoutingOption::InvertMatching(true)]);
    let a = join(&mut r, &mut f, 1, 10);
    r.send(m(&["\x01A"]), &mut f).unwrap();
    assert_eq!(delivered(r.on_recv(a, m(&["Apple"]))), m(&["Apple"]));
}
