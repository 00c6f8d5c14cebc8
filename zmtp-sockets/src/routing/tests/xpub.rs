//! XPUB: subscription notices and its options.

use super::*;

fn sub(topic: &[u8]) -> Message {
    notice_of(1, topic)
}

fn unsub(topic: &[u8]) -> Message {
    notice_of(0, topic)
}

fn notice_of(flag: u8, topic: &[u8]) -> Message {
    let mut v = vec![flag];
    v.extend_from_slice(topic);
    Message::from(v)
}

#[test]
fn xpub_reports_first_subscribe_and_last_unsubscribe_per_topic() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XPub, &[]);
    let a = join(&mut r, &mut f, 1, 10);
    let b = join(&mut r, &mut f, 2, 10);
    r.on_subscribe(a, b"A");
    r.on_subscribe(b, b"A");
    r.on_subscribe(a, b"A"); // same peer again: still one
    r.on_subscribe(b, b"");
    assert!(r.has_local());
    assert_eq!(locals(&mut r), vec![sub(b"A"), sub(b"")]);
    r.on_cancel(a, b"A");
    assert!(locals(&mut r).is_empty(), "b still holds A");
    r.on_cancel(b, b"A");
    assert_eq!(locals(&mut r), vec![unsub(b"A")]);
    // As in libzmq, a cancel for a topic the peer never held is reported.
    r.on_cancel(a, b"never");
    assert_eq!(locals(&mut r), vec![unsub(b"never")]);
    assert!(!r.has_local());
    // Upstream messages are delivered as they are.
    assert_eq!(r.check_recv(), Ok(()));
    assert_eq!(delivered(r.on_recv(a, m(&["up", "x"]))), m(&["up", "x"]));
}

#[test]
fn xpub_verbose_reports_every_subscribe_but_dedups_unsubscribes() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XPub, &[RoutingOption::XpubVerbose(true)]);
    let a = join(&mut r, &mut f, 1, 10);
    let b = join(&mut r, &mut f, 2, 10);
    r.on_subscribe(a, b"A");
    r.on_subscribe(b, b"A");
    r.on_subscribe(b, b"A");
    assert_eq!(locals(&mut r), vec![sub(b"A"), sub(b"A"), sub(b"A")]);
    r.on_cancel(a, b"A");
    assert!(locals(&mut r).is_empty());
    r.on_cancel(b, b"A");
    assert_eq!(locals(&mut r), vec![unsub(b"A")]);
}

#[test]
fn xpub_verboser_reports_every_subscribe_and_unsubscribe() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XPub, &[RoutingOption::XpubVerboser(true)]);
    let a = join(&mut r, &mut f, 1, 10);
    let b = join(&mut r, &mut f, 2, 10);
    r.on_subscribe(a, b"A");
    r.on_subscribe(b, b"A");
    r.on_cancel(a, b"A");
    r.on_cancel(b, b"A");
    let expected = vec![sub(b"A"), sub(b"A"), unsub(b"A"), unsub(b"A")];
    assert_eq!(locals(&mut r), expected);
    // XPUB_VERBOSE afterwards turns verbose unsubscribes off again, as in libzmq.
    r.set_option(RoutingOption::XpubVerbose(true)).unwrap();
    r.on_subscribe(a, b"B");
    r.on_subscribe(b, b"B");
    r.on_cancel(a, b"B");
    assert_eq!(locals(&mut r), vec![sub(b"B"), sub(b"B")]);
}

#[test]
fn xpub_unsubscribes_topics_of_a_departed_subscriber() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XPub, &[]);
    let a = join(&mut r, &mut f, 1, 10);
    let b = join(&mut r, &mut f, 2, 10);
    r.on_subscribe(a, b"A");
    r.on_subscribe(a, b"B");
    r.on_subscribe(b, b"A");
    locals(&mut r);
    r.disconnected(a, 0);
    assert_eq!(locals(&mut r), vec![unsub(b"B")]);
    r.detach(a, 0); // already gone: nothing more
    assert!(locals(&mut r).is_empty());
    r.detach(b, 0);
    assert_eq!(locals(&mut r), vec![unsub(b"A")]);
    r.send(m(&["A"]), &mut f).unwrap();
    assert!(f.take(a).is_empty() && f.take(b).is_empty());
}

#[test]
fn xpub_verboser_unsubscribes_every_topic_of_a_departed_subscriber() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XPub, &[RoutingOption::XpubVerboser(true)]);
    let a = join(&mut r, &mut f, 1, 10);
    let b = join(&mut r, &mut f, 2, 10);
    r.on_subscribe(a, b"A");
    r.on_subscribe(b, b"A");
    locals(&mut r);
    r.disconnected(a, 0);
    assert_eq!(locals(&mut r), vec![unsub(b"A")]);
}

#[test]
fn xpub_manual_lets_the_application_choose_subscriptions() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XPub, &[RoutingOption::XpubManual(true)]);
    let a = join(&mut r, &mut f, 1, 10);
    let b = join(&mut r, &mut f, 2, 10);
    // Not read yet: no peer to apply a manual subscription to.
    assert!(r.subscribe(Bytes::from_static(b"early"), &mut f));
    r.on_subscribe(a, b"A");
    r.on_subscribe(b, b"A");
    r.send(m(&["A"]), &mut f).unwrap();
    r.send(m(&["early"]), &mut f).unwrap();
    assert!(f.take(a).is_empty(), "peers do not update the trie");
    // Every notice is delivered; reading a's makes a the target.
    assert_eq!(r.take_local(), Some(sub(b"A")));
    assert!(r.subscribe(Bytes::from_static(b"XA"), &mut f));
    r.send(m(&["XA-1"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["XA-1"])]);
    assert!(f.take(b).is_empty());
    assert_eq!(r.take_local(), Some(sub(b"A")));
    r.subscribe(Bytes::from_static(b"XA"), &mut f);
    r.send(m(&["XA-2"]), &mut f).unwrap();
    assert_eq!(f.take(a).len(), 1);
    assert_eq!(f.take(b).len(), 1);
    // Unsubscribe applies to the last peer (b) only.
    assert!(r.unsubscribe(Bytes::from_static(b"XA"), &mut f));
    r.send(m(&["XA-3"]), &mut f).unwrap();
    assert_eq!(f.take(a).len(), 1);
    assert!(f.take(b).is_empty());
    // Cancels are always reported; a departed peer's requests are reported gone.
    r.on_subscribe(a, b"C");
    r.on_cancel(a, b"C");
    assert_eq!(locals(&mut r), vec![sub(b"C"), unsub(b"C")]);
    r.disconnected(a, 0);
    assert_eq!(locals(&mut r), vec![unsub(b"A")]);
    r.send(m(&["XA-4"]), &mut f).unwrap();
    assert!(f.take(a).is_empty());
}

#[test]
fn xpub_manual_forgets_a_departed_last_peer() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XPub, &[RoutingOption::XpubManual(true)]);
    let a = join(&mut r, &mut f, 1, 10);
    r.on_subscribe(a, b"A");
    r.disconnected(a, 0);
    // The notice outlived its peer: reading it targets nobody.
    assert_eq!(r.take_local(), Some(sub(b"A")));
    r.subscribe(Bytes::from_static(b"A"), &mut f);
    let a2 = join(&mut r, &mut f, 2, 10);
    r.send(m(&["A"]), &mut f).unwrap();
    assert!(f.take(a).is_empty() && f.take(a2).is_empty());
}

#[test]
fn non_manual_xpub_refuses_local_subscribe() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XPub, &[]);
    assert!(!r.subscribe(Bytes::from_static(b"A"), &mut f));
    assert!(!r.unsubscribe(Bytes::from_static(b"A"), &mut f));
}

#[test]
fn xpub_nodrop_is_all_or_nothing() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XPub, &[RoutingOption::XpubNodrop(true)]);
    let a = join(&mut r, &mut f, 1, 1);
    let b = join(&mut r, &mut f, 2, 5);
    let c = join(&mut r, &mut f, 3, 1);
    r.on_subscribe(a, b"A");
    r.on_subscribe(b, b"");
    r.on_subscribe(c, b"C");
    r.send(m(&["A1"]), &mut f).unwrap();
    r.send(m(&["C1"]), &mut f).unwrap();
    match r.send(m(&["A2"]), &mut f) {
        Err(SendError::WouldBlock(msg)) => assert_eq!(msg, m(&["A2"])),
        other => panic!("{other:?}"),
    }
    assert_eq!(f.queued(b), 2, "b got nothing of the refused message");
    // A full subscriber that does not match does not block.
    r.send(m(&["B1"]), &mut f).unwrap();
    assert_eq!(f.take(b), vec![m(&["A1"]), m(&["C1"]), m(&["B1"])]);
    f.take(a);
    r.send(m(&["A2"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["A2"])]);
}

#[test]
fn xpub_without_nodrop_drops_at_full_subscribers() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XPub, &[]);
    let a = join(&mut r, &mut f, 1, 1);
    r.on_subscribe(a, b"");
    r.send(m(&["1"]), &mut f).unwrap();
    r.send(m(&["2"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["1"])]);
}

#[test]
fn xpub_welcome_message_goes_to_every_new_peer() {
    let mut f = Fake::default();
    let welcome = RoutingOption::XpubWelcomeMsg(Some(Bytes::from_static(b"W")));
    let mut r = routing(SocketType::XPub, &[welcome]);
    let a = join(&mut r, &mut f, 1, 10);
    let b = join(&mut r, &mut f, 2, 10);
    assert_eq!(f.take(a), vec![m(&["W"])]);
    assert_eq!(f.take(b), vec![m(&["W"])]);
    r.set_option(RoutingOption::XpubWelcomeMsg(Some(Bytes::new())))
        .unwrap();
    let c = join(&mut r, &mut f, 3, 10);
    assert!(f.take(c).is_empty(), "an empty welcome message is none");
}

#[test]
fn xpub_invert_matching() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::XPub, &[RoutingOption::InvertMatching(true)]);
    let a = join(&mut r, &mut f, 1, 10);
    let b = join(&mut r, &mut f, 2, 10);
    r.on_subscribe(a, b"A");
    r.send(m(&["Apple"]), &mut f).unwrap();
    assert!(f.take(a).is_empty());
    assert_eq!(f.take(b), vec![m(&["Apple"])]);
}

#[test]
fn pub_disconnect_is_silent() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Pub, &[RoutingOption::XpubVerboser(true)]);
    let a = join(&mut r, &mut f, 1, 10);
    r.on_subscribe(a, b"A");
    r.on_cancel(a, b"A");
    r.on_subscribe(a, b"B");
    r.disconnected(a, 0);
    assert!(!r.has_local() && r.take_local().is_none());
}

#[test]
fn pub_accepts_nodrop_and_welcome() {
    let mut f = Fake::default();
    let opts = [
        RoutingOption::XpubNodrop(true),
        RoutingOption::XpubWelcomeMsg(Some(Bytes::from_static(b"hi"))),
    ];
    let mut r = routing(SocketType::Pub, &opts);
    let a = join(&mut r, &mut f, 1, 2);
    r.on_subscribe(a, b"");
    r.send(m(&["1"]), &mut f).unwrap();
    assert!(matches!(
        r.send(m(&["2"]), &mut f),
        Err(SendError::WouldBlock(_))
    ));
    assert_eq!(f.take(a), vec![m(&["hi"]), m(&["1"])]);
}
