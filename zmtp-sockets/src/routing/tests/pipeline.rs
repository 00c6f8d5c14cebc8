//! PUSH, PULL, DEALER and message classification.

use super::*;

#[test]
fn push_round_robins_and_blocks_at_hwm() {
    let mut f = Fake::default();
    let (a, b) = (f.add(1, 2), f.add(2, 2));
    let mut r = routing(SocketType::Push, &[]);
    r.attach(a);
    r.attach(b);
    for _ in 0..4 {
        r.send(m(&["x"]), &mut f).unwrap();
    }
    assert_eq!(f.queued(a), 2);
    assert_eq!(f.queued(b), 2);
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
    let mut r = routing(SocketType::Push, &[]);
    assert!(matches!(
        r.send(m(&["x"]), &mut f),
        Err(SendError::WouldBlock(_))
    ));
}

#[test]
fn pull_delivers_and_cannot_send() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Pull, &[]);
    let a = join(&mut r, &mut f, 1, 10);
    assert_eq!(r.check_recv(), Ok(()));
    assert_eq!(delivered(r.on_recv(a, m(&["x", "y"]))), m(&["x", "y"]));
    assert!(matches!(
        r.send(m(&["x"]), &mut f),
        Err(SendError::NotSupported(_))
    ));
}

#[test]
fn dealer_round_robins_and_delivers_as_is() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Dealer, &[]);
    assert!(matches!(
        r.send(m(&["x"]), &mut f),
        Err(SendError::WouldBlock(_))
    ));
    let a = join(&mut r, &mut f, 1, 1);
    let b = join(&mut r, &mut f, 2, 1);
    assert!(f.take(a).is_empty(), "no probe by default");
    r.send(m(&["1"]), &mut f).unwrap();
    r.send(m(&["2", "x"]), &mut f).unwrap();
    assert!(matches!(
        r.send(m(&["3"]), &mut f),
        Err(SendError::WouldBlock(_))
    ));
    assert_eq!(f.take(a), vec![m(&["1"])]);
    assert_eq!(f.take(b), vec![m(&["2", "x"])]);
    assert_eq!(r.check_recv(), Ok(()));
    assert_eq!(delivered(r.on_recv(b, m(&["", "rep"]))), m(&["", "rep"]));
    r.detach(a, 0);
    r.send(m(&["4"]), &mut f).unwrap();
    assert_eq!(f.take(b), vec![m(&["4"])]);
}

#[test]
fn dealer_probe_router_sends_empty_message_on_connect() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Dealer, &[RoutingOption::ProbeRouter(true)]);
    let a = join(&mut r, &mut f, 1, 10);
    assert_eq!(f.take(a), vec![m(&[""])]);
}

#[test]
fn classify_subscriptions_for_pub_and_xpub() {
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
    assert!(
        matches!(classify(SocketType::XPub, m(&["\x01t"])), Incoming::Subscription(true, t) if t == "t")
    );
    assert!(matches!(
        classify(SocketType::XPub, m(&["\x01t", "more"])),
        Incoming::Keep(_)
    ));
    assert!(matches!(
        classify(SocketType::XPub, m(&["up"])),
        Incoming::Keep(_)
    ));
    assert!(matches!(
        classify(SocketType::Pull, m(&["\x01x"])),
        Incoming::Keep(_)
    ));
    assert!(matches!(
        classify(SocketType::Stream, m(&["\x00x"])),
        Incoming::Keep(_)
    ));
    assert!(matches!(
        classify(SocketType::Push, m(&["x"])),
        Incoming::Discard
    ));
}
