//! The `Pattern` implementors driven directly (PUSH, PULL, DEALER, REQ on DEALER, the
//! probe), and the per-type answers `Routing` forwards (options, receive checks, defaults).

use super::dealer::Dealer;
use super::probe::Probe;
use super::pull::Pull;
use super::push::Push;
use super::req::Req;
use super::*;

/// Every routing option, once.
fn all_options() -> Vec<RoutingOption> {
    use RoutingOption as O;
    vec![
        O::RouterMandatory(true),
        O::RouterHandover(true),
        O::ProbeRouter(true),
        O::ReqCorrelate(true),
        O::ReqRelaxed(true),
        O::XpubVerbose(true),
        O::XpubVerboser(true),
        O::XpubManual(true),
        O::XpubNodrop(true),
        O::XpubWelcomeMsg(Some(Bytes::from_static(b"hi"))),
        O::InvertMatching(true),
        O::StreamNotify(false),
    ]
}

/// Which options apply to which socket type (libzmq's rules).
fn applies(kind: SocketType, opt: &RoutingOption) -> bool {
    use RoutingOption as O;
    match kind {
        SocketType::Router => matches!(
            opt,
            O::RouterMandatory(_) | O::RouterHandover(_) | O::ProbeRouter(_)
        ),
        SocketType::Dealer => matches!(opt, O::ProbeRouter(_)),
        SocketType::Req => matches!(
            opt,
            O::ProbeRouter(_) | O::ReqCorrelate(_) | O::ReqRelaxed(_)
        ),
        SocketType::Pub | SocketType::XPub => matches!(
            opt,
            O::XpubVerbose(_)
                | O::XpubVerboser(_)
                | O::XpubManual(_)
                | O::XpubNodrop(_)
                | O::XpubWelcomeMsg(_)
                | O::InvertMatching(_)
        ),
        SocketType::Sub | SocketType::XSub => matches!(opt, O::InvertMatching(_)),
        SocketType::Stream => matches!(opt, O::StreamNotify(_)),
        SocketType::Pair | SocketType::Rep | SocketType::Pull | SocketType::Push => false,
    }
}

#[test]
fn each_type_takes_exactly_its_own_options() {
    for kind in SocketType::ALL {
        for opt in all_options() {
            let mut r = routing(kind, &[]);
            let expected = if applies(kind, &opt) {
                Ok(())
            } else {
                Err(RoutingError::NotSupported)
            };
            assert_eq!(r.set_option(opt.clone()), expected, "{opt:?} on {kind:?}");
        }
    }
}

#[test]
fn receive_checks_and_batching_per_type() {
    for kind in SocketType::ALL {
        let r = routing(kind, &[]);
        let check = match kind {
            SocketType::Push | SocketType::Pub => Err(RoutingError::NotSupported),
            SocketType::Req => Err(RoutingError::State),
            _ => Ok(()),
        };
        assert_eq!(r.check_recv(), check, "{kind:?}");
        let batches = !matches!(kind, SocketType::Req | SocketType::Rep);
        assert_eq!(r.recv_in_batches(), batches, "{kind:?}");
    }
}

#[test]
fn defaults_of_the_optional_hooks() {
    let mut f = Fake::default();
    for kind in SocketType::ALL {
        let mut r = routing(kind, &[]);
        assert!(!r.has_local(), "{kind:?}");
        assert!(r.take_local().is_none(), "{kind:?}");
        // Only SUB filters (and it subscribes to nothing yet).
        let wanted = kind != SocketType::Sub;
        assert_eq!(r.still_wanted(&m(&["anything"])), wanted, "{kind:?}");
        let local_subscribe = kind == SocketType::Sub;
        assert_eq!(
            r.subscribe(Bytes::from_static(b"t"), &mut f),
            local_subscribe,
            "{kind:?}"
        );
        assert_eq!(
            r.unsubscribe(Bytes::from_static(b"t"), &mut f),
            local_subscribe,
            "{kind:?}"
        );
        // A peer's subscription is ignored by everything but publishers.
        let p = PeerId(99);
        r.on_subscribe(p, b"t");
        r.on_cancel(p, b"t");
        assert_eq!(r.has_local(), kind == SocketType::XPub, "{kind:?}");
    }
}

#[test]
fn push_round_robins_and_receives_nothing() {
    let mut f = Fake::default();
    let (a, b) = (f.add(1, 10), f.add(2, 10));
    let mut push = Push::default();
    assert_eq!(
        push.set_option(RoutingOption::ProbeRouter(true)),
        Err(RoutingError::NotSupported)
    );
    push.attach(a);
    push.attach_dialed(b, Some(&Bytes::from_static(b"ignored")));
    assert!(push.connected(a, &PeerMeta::default(), &mut f).is_empty());
    assert_eq!(f.queued(a), 0, "PUSH sends no probe");
    for body in ["1", "2", "3"] {
        push.send(m(&[body]), &mut f).unwrap();
    }
    assert_eq!(f.take(a), vec![m(&["1"]), m(&["3"])]);
    assert_eq!(f.take(b), vec![m(&["2"])]);
    assert_eq!(push.check_recv(), Err(RoutingError::NotSupported));
    assert!(matches!(push.on_recv(a, m(&["x"])), RecvAction::Drop));
    // A disconnected pipe stays in the rotation (messages wait for the reconnect).
    push.disconnected(a, 0);
    push.send(m(&["4"]), &mut f).unwrap();
    push.send(m(&["5"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["5"])]);
    push.detach(b, 0);
    push.send(m(&["6"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["6"])]);
    push.detach(a, 0);
    assert!(matches!(
        push.send(m(&["7"]), &mut f),
        Err(SendError::WouldBlock(_))
    ));
}

#[test]
fn pull_delivers_as_is_and_cannot_send() {
    let mut f = Fake::default();
    let a = f.add(1, 10);
    let mut pull = Pull;
    assert_eq!(
        pull.set_option(RoutingOption::InvertMatching(true)),
        Err(RoutingError::NotSupported)
    );
    pull.attach(a);
    assert!(pull.connected(a, &PeerMeta::default(), &mut f).is_empty());
    assert_eq!(pull.check_recv(), Ok(()));
    assert_eq!(delivered(pull.on_recv(a, m(&["x", "y"]))), m(&["x", "y"]));
    match pull.send(m(&["x"]), &mut f) {
        Err(SendError::NotSupported(msg)) => assert_eq!(msg, m(&["x"])),
        other => panic!("{other:?}"),
    }
    pull.disconnected(a, 1);
    pull.detach(a, 1);
    assert_eq!(delivered(pull.on_recv(a, m(&["late"]))), m(&["late"]));
}

#[test]
fn dealer_names_the_peer_each_message_went_to() {
    let mut f = Fake::default();
    let (a, b) = (f.add(1, 1), f.add(2, 10));
    let mut dealer = Dealer::default();
    assert!(matches!(dealer.send_to_next(m(&["x"]), &mut f), Err(msg) if msg == m(&["x"])));
    dealer.attach(a);
    dealer.attach(b);
    assert_eq!(dealer.send_to_next(m(&["1"]), &mut f), Ok(a));
    assert_eq!(dealer.send_to_next(m(&["2"]), &mut f), Ok(b));
    // `a` is full: skipped.
    assert_eq!(dealer.send_to_next(m(&["3"]), &mut f), Ok(b));
}

#[test]
fn req_takes_its_own_options_and_leaves_the_rest_to_its_dealer() {
    let mut f = Fake::default();
    let mut req = Req::default();
    assert_eq!(req.set_option(RoutingOption::ProbeRouter(true)), Ok(()));
    assert_eq!(req.set_option(RoutingOption::ReqRelaxed(true)), Ok(()));
    assert_eq!(
        req.set_option(RoutingOption::RouterMandatory(true)),
        Err(RoutingError::NotSupported)
    );
    let a = f.add(1, 10);
    req.attach(a);
    assert!(req.connected(a, &PeerMeta::default(), &mut f).is_empty());
    assert_eq!(f.take(a), vec![m(&[""])], "the DEALER's probe");
    // The DEALER keeps a disconnected pipe in the rotation: the request waits in it.
    req.disconnected(a, 0);
    req.send(m(&["q"]), &mut f).unwrap();
    assert_eq!(f.take(a), vec![m(&["", "q"])]);
    req.detach(a, 0);
    assert!(matches!(
        req.send(m(&["q2"]), &mut f),
        Err(SendError::WouldBlock(msg)) if msg == m(&["q2"])
    ));
}

#[test]
fn probe_greets_only_when_enabled_and_never_blocks() {
    let mut f = Fake::default();
    let (a, full) = (f.add(1, 10), f.add(2, 0));
    let mut probe = Probe::default();
    assert!(!probe.enabled());
    probe.greet(a, &mut f);
    assert!(f.take(a).is_empty());
    probe.set(true);
    assert!(probe.enabled());
    probe.greet(a, &mut f);
    assert_eq!(f.take(a), vec![m(&[""])]);
    probe.greet(full, &mut f);
    assert_eq!(f.queued(full), 0, "dropped at a full pipe");
}
