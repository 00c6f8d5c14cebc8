//! The pattern options, one test each showing the effect against libzmq peers:
//! ROUTER_MANDATORY, ROUTER_HANDOVER (and duplicate ids without it), PROBE_ROUTER,
//! CONNECT_ROUTING_ID, REQ_CORRELATE / REQ_RELAXED, XPUB_VERBOSE / VERBOSER / MANUAL /
//! WELCOME_MSG / NODROP, unsubscribe notices, INVERT_MATCHING, CONFLATE, IMMEDIATE.

mod common;

use std::time::Duration;

use common::types::*;
use common::*;
use zmtp_api::Error;

/// A libzmq DEALER with a routing id connected to `ep`, announced by one message that
/// `router` receives.
async fn named_dealer(ctx: &zmq::Context, router: &Socket, ep: &str, id: &[u8]) -> Zmq {
    let mut d = Zmq::new(ctx, zmq::DEALER);
    d.raw().set_identity(id).unwrap();
    d.connect(ep);
    d.send(msg(&[b"hello"])).await.unwrap();
    assert_msg_eq(&recv_ours(router).await, &msg(&[id, b"hello"]));
    d
}

// ---------------------------------------------------------------------------
// ROUTER_MANDATORY
// ---------------------------------------------------------------------------

/// Unknown id: silently dropped by default (later messages still flow), HostUnreachable
/// with ROUTER_MANDATORY (and the message is not sent anywhere).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn router_mandatory_reports_unknown_ids() {
    let ctx = zmq::Context::new();
    let router = ours(SocketType::Router);
    let ep = bind_ours(&router, "tcp://127.0.0.1:*");
    let mut d = named_dealer(&ctx, &router, &ep, b"known").await;

    router.try_send(frames(&[b"unknown", b"dropped"])).unwrap();
    router
        .send(frames(&[b"unknown", b"dropped"]))
        .await
        .unwrap();
    router.try_send(frames(&[b"known", b"1"])).unwrap();
    assert_msg_eq(&d.recv().await.unwrap(), &msg(&[b"1"]));

    router
        .set_option(SocketOption::RouterMandatory(true))
        .unwrap();
    assert!(matches!(
        router.try_send(frames(&[b"unknown", b"x"])),
        Err(Error::HostUnreachable)
    ));
    assert!(matches!(
        router.send(frames(&[b"unknown", b"x"])).await,
        Err(Error::HostUnreachable)
    ));
    router.try_send(frames(&[b"known", b"2"])).unwrap();
    assert_msg_eq(&d.recv().await.unwrap(), &msg(&[b"2"]));
    assert!(d.recv_within(QUIET).await.is_none());
}

/// Sends 256 KiB messages to a libzmq DEALER that does not read until one is refused:
/// returns how many went through, or None if none was refused within `limit` sends.
async fn fill_until_would_block(router: &Socket, id: &[u8], limit: usize) -> Option<usize> {
    let body = Bytes::from(vec![7u8; 256 * 1024]);
    for i in 0..limit {
        match router.try_send(vec![Bytes::copy_from_slice(id), body.clone()]) {
            Ok(()) => {}
            Err(Error::WouldBlock) => return Some(i),
            Err(e) => panic!("unexpected {e}"),
        }
        // Let the connection drain into the kernel between attempts.
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    None
}

/// With ROUTER_MANDATORY a peer at its high-water mark makes the send fail with
/// WouldBlock; without it the messages are silently dropped and sends never fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn router_mandatory_reports_a_full_peer() {
    let ctx = zmq::Context::new();
    for mandatory in [true, false] {
        let router = ours(SocketType::Router);
        router.set_option(SocketOption::SndHwm(1)).unwrap();
        router
            .set_option(SocketOption::RouterMandatory(mandatory))
            .unwrap();
        let ep = bind_ours(&router, "tcp://127.0.0.1:*");
        let mut d = Zmq::new(&ctx, zmq::DEALER);
        d.raw().set_rcvhwm(1).unwrap();
        d.raw().set_identity(b"slow").unwrap();
        d.connect(&ep);
        d.send(msg(&[b"hello"])).await.unwrap();
        assert_msg_eq(&recv_ours(&router).await, &msg(&[b"slow", b"hello"]));
        let refused = fill_until_would_block(&router, b"slow", 2000).await;
        if mandatory {
            let n = refused.expect("a full peer never made the send fail");
            assert!(n >= 1, "the first send should fit");
        } else {
            assert_eq!(refused, None, "a send failed without ROUTER_MANDATORY");
        }
        // The peer still gets messages once it reads.
        assert_eq!(d.recv().await.unwrap()[0].len(), 256 * 1024);
    }
}

// ---------------------------------------------------------------------------
// ROUTER_HANDOVER and duplicate routing ids
// ---------------------------------------------------------------------------

/// With ROUTER_HANDOVER a second DEALER with the same ROUTING_ID takes the id over:
/// replies go to the newcomer. (The first DEALER does not reconnect here, so this checks
/// the handover itself; see `router_handover_is_stable` for what a reconnecting
/// displaced peer does.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn router_handover_routes_to_the_newcomer() {
    let ctx = zmq::Context::new();
    let router = ours(SocketType::Router);
    router
        .set_option(SocketOption::RouterHandover(true))
        .unwrap();
    let ep = bind_ours(&router, "tcp://127.0.0.1:*");
    let mut first = Zmq::new(&ctx, zmq::DEALER);
    first.raw().set_reconnect_ivl(-1).unwrap();
    first.raw().set_identity(b"same").unwrap();
    first.connect(&ep);
    first.send(msg(&[b"1"])).await.unwrap();
    assert_msg_eq(&recv_ours(&router).await, &msg(&[b"same", b"1"]));
    send_ours(&router, &msg(&[b"same", b"to-first"])).await;
    assert_msg_eq(&first.recv().await.unwrap(), &msg(&[b"to-first"]));

    let mut second = Zmq::new(&ctx, zmq::DEALER);
    second.raw().set_identity(b"same").unwrap();
    second.connect(&ep);
    second.send(msg(&[b"2"])).await.unwrap();
    assert_msg_eq(&recv_ours(&router).await, &msg(&[b"same", b"2"]));
    for i in 0..3u8 {
        send_ours(&router, &msg(&[b"same", &[i]])).await;
    }
    for i in 0..3u8 {
        assert_msg_eq(&second.recv().await.unwrap(), &msg(&[&[i]]));
    }
    assert!(first.recv_within(QUIET).await.is_none());
}

/// libzmq terminates the displaced peer's pipe but leaves its connection alone, so a
/// libzmq DEALER that lost its id to a newcomer stays connected and does not come back.
/// If we close its connection instead, it reconnects (a plain disconnect), takes the id
/// back, the newcomer reconnects in turn, and the id flaps between them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn router_handover_is_stable() {
    let ctx = zmq::Context::new();
    let router = ours(SocketType::Router);
    router
        .set_option(SocketOption::RouterHandover(true))
        .unwrap();
    let ep = bind_ours(&router, "tcp://127.0.0.1:*");
    // Monitor readers first, so they are dropped after the sockets they watch.
    let (mut mon1, mut mon2);
    let mut first = Zmq::new(&ctx, zmq::DEALER);
    first.raw().set_identity(b"same").unwrap();
    mon1 = first.monitor(&ctx, zmq::SocketEvent::CONNECTED.to_raw() as i32);
    first.connect(&ep);
    first.send(msg(&[b"1"])).await.unwrap();
    assert_msg_eq(&recv_ours(&router).await, &msg(&[b"same", b"1"]));
    let mut second = Zmq::new(&ctx, zmq::DEALER);
    second.raw().set_identity(b"same").unwrap();
    mon2 = second.monitor(&ctx, zmq::SocketEvent::CONNECTED.to_raw() as i32);
    second.connect(&ep);
    second.send(msg(&[b"2"])).await.unwrap();
    assert_msg_eq(&recv_ours(&router).await, &msg(&[b"same", b"2"]));
    let window = Duration::from_millis(1200);
    let (c1, c2) = tokio::join!(
        mon1.count_events(zmq::SocketEvent::CONNECTED, window),
        mon2.count_events(zmq::SocketEvent::CONNECTED, window)
    );
    for i in 0..5u8 {
        send_ours(&router, &msg(&[b"same", &[i]])).await;
    }
    let mut to_second = 0;
    while second.recv_within(QUIET).await.is_some() {
        to_second += 1;
    }
    assert!(
        c1 <= 1 && c2 <= 1 && to_second == 5,
        "connects: first {c1}, second {c2}; the newcomer got {to_second} of 5 replies"
    );
    assert!(first.recv_within(QUIET).await.is_none());
}

/// Without ROUTER_HANDOVER a second connection with a taken id is not served: its
/// messages are not delivered and replies keep going to the first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_routing_id_without_handover_is_not_served() {
    let ctx = zmq::Context::new();
    let router = ours(SocketType::Router);
    let ep = bind_ours(&router, "tcp://127.0.0.1:*");
    let mut first = named_dealer(&ctx, &router, &ep, b"dup").await;
    let mut mon;
    let mut second = Zmq::new(&ctx, zmq::DEALER);
    second.raw().set_identity(b"dup").unwrap();
    mon = second.monitor(&ctx, zmq::SocketEvent::CONNECTED.to_raw() as i32);
    second.connect(&ep);
    assert!(mon.wait_event(zmq::SocketEvent::CONNECTED).await);
    let _ = second.raw().send("from second", zmq::DONTWAIT);
    first.send(msg(&[b"from first"])).await.unwrap();
    assert_msg_eq(&recv_ours(&router).await, &msg(&[b"dup", b"from first"]));
    for i in 0..3u8 {
        send_ours(&router, &msg(&[b"dup", &[i]])).await;
    }
    for i in 0..3u8 {
        assert_msg_eq(&first.recv().await.unwrap(), &msg(&[&[i]]));
    }
    assert!(recv_ours_within(&router, QUIET).await.is_none());
    assert!(second.recv_within(QUIET).await.is_none());
}

/// libzmq ignores a duplicate-id connection but leaves it open, so the refused DEALER
/// connects once. Closing it makes libzmq reconnect every ~100-200 ms, forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_routing_id_is_not_made_to_reconnect() {
    let ctx = zmq::Context::new();
    let router = ours(SocketType::Router);
    let ep = bind_ours(&router, "tcp://127.0.0.1:*");
    let _first = named_dealer(&ctx, &router, &ep, b"dup").await;
    let mut mon;
    let second = Zmq::new(&ctx, zmq::DEALER);
    second.raw().set_identity(b"dup").unwrap();
    mon = second.monitor(&ctx, zmq::SocketEvent::CONNECTED.to_raw() as i32);
    second.connect(&ep);
    let n = mon
        .count_events(zmq::SocketEvent::CONNECTED, Duration::from_millis(1200))
        .await;
    assert!(n <= 2, "the duplicate connected {n} times in 1.2 s");
}

// ---------------------------------------------------------------------------
// PROBE_ROUTER
// ---------------------------------------------------------------------------

async fn probe_from(kind: SocketType, transport: Transport) {
    let ctx = zmq::Context::new();
    let mut z = Zmq::new(&ctx, zmq::ROUTER);
    let addr = BindAddr::new(transport, "probe");
    let ep = z.bind(&addr.endpoint);
    let s = ours(kind);
    s.set_option(SocketOption::ProbeRouter(true)).unwrap();
    s.set_option(SocketOption::RoutingId(Bytes::from_static(b"prober")))
        .unwrap();
    s.connect(&ep).unwrap();
    // The probe arrives without the application sending anything.
    assert_msg_eq(&z.recv_or("probe").await, &msg(&[b"prober", b""]));
    if kind == SocketType::Dealer {
        z.send(msg(&[b"prober", b"answer"])).await.unwrap();
        assert_msg_eq(&recv_ours(&s).await, &msg(&[b"answer"]));
    }
}

async fn probe_from_dealer(transport: Transport) {
    probe_from(SocketType::Dealer, transport).await
}

async fn probe_from_router(transport: Transport) {
    probe_from(SocketType::Router, transport).await
}

async fn probe_from_req(transport: Transport) {
    probe_from(SocketType::Req, transport).await
}

/// Our bound ROUTER with PROBE_ROUTER greets every new libzmq DEALER with an empty message.
async fn probe_from_bound_router(transport: Transport) {
    let ctx = zmq::Context::new();
    let router = ours(SocketType::Router);
    router.set_option(SocketOption::ProbeRouter(true)).unwrap();
    let addr = BindAddr::new(transport, "probe-bound");
    let ep = bind_ours(&router, &addr.endpoint);
    let mut d = Zmq::new(&ctx, zmq::DEALER);
    d.connect(&ep);
    assert_msg_eq(&d.recv_or("probe").await, &msg(&[b""]));
}

crate::each_transport! {
    probe_router_dealer => probe_from_dealer;
    probe_router_router => probe_from_router;
    probe_router_req => probe_from_req;
    probe_router_bound_router => probe_from_bound_router;
}

// ---------------------------------------------------------------------------
// CONNECT_ROUTING_ID
// ---------------------------------------------------------------------------

/// CONNECT_ROUTING_ID names our ROUTER's next connection locally, overriding the peer's
/// own ROUTING_ID; the connection after it is named by the peer again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_routing_id_names_the_connection() {
    let ctx = zmq::Context::new();
    let mut a = Zmq::new(&ctx, zmq::DEALER);
    a.raw().set_identity(b"a-own").unwrap();
    let ea = a.bind("tcp://127.0.0.1:*");
    let mut b = Zmq::new(&ctx, zmq::DEALER);
    b.raw().set_identity(b"b-own").unwrap();
    let eb = b.bind("tcp://127.0.0.1:*");
    let router = ours(SocketType::Router);
    router
        .set_option(SocketOption::RouterMandatory(true))
        .unwrap();
    router
        .set_option(SocketOption::ConnectRoutingId(Bytes::from_static(
            b"chosen",
        )))
        .unwrap();
    router.connect(&ea).unwrap();
    router.connect(&eb).unwrap();
    poll_for("routable as \"chosen\"", || {
        router.try_send(frames(&[b"chosen", b"to a"])).ok()
    })
    .await;
    assert_msg_eq(&a.recv().await.unwrap(), &msg(&[b"to a"]));
    poll_for("routable as \"b-own\"", || {
        router.try_send(frames(&[b"b-own", b"to b"])).ok()
    })
    .await;
    assert_msg_eq(&b.recv().await.unwrap(), &msg(&[b"to b"]));
    assert!(matches!(
        router.try_send(frames(&[b"a-own", b"x"])),
        Err(Error::HostUnreachable)
    ));
    a.send(msg(&[b"from a"])).await.unwrap();
    assert_msg_eq(&recv_ours(&router).await, &msg(&[b"chosen", b"from a"]));
    b.send(msg(&[b"from b"])).await.unwrap();
    assert_msg_eq(&recv_ours(&router).await, &msg(&[b"b-own", b"from b"]));
}

/// libzmq names a connect-side pipe with CONNECT_ROUTING_ID when connect() creates it,
/// so the application can send to that id right away (libzmq's test_connect_rid does);
/// the message waits in the pipe until the connection is up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_routing_id_is_routable_right_after_connect() {
    let ctx = zmq::Context::new();
    let mut d = Zmq::new(&ctx, zmq::DEALER);
    let ep = d.bind("tcp://127.0.0.1:*");
    let router = ours(SocketType::Router);
    router
        .set_option(SocketOption::RouterMandatory(true))
        .unwrap();
    router
        .set_option(SocketOption::ConnectRoutingId(Bytes::from_static(b"now")))
        .unwrap();
    router.connect(&ep).unwrap();
    let sent = router.try_send(frames(&[b"now", b"queued"]));
    assert!(sent.is_ok(), "send right after connect: {sent:?}");
    assert_msg_eq(&d.recv_or("queued message").await, &msg(&[b"queued"]));
}

// ---------------------------------------------------------------------------
// REQ_CORRELATE / REQ_RELAXED
// ---------------------------------------------------------------------------

/// Against a libzmq REP: a strict REQ refuses a second send; with RELAXED + CORRELATE a
/// second request may go out before the reply, and only the reply to it is delivered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn req_relaxed_and_correlate_against_libzmq_rep() {
    let ctx = zmq::Context::new();
    let mut rep = Zmq::new(&ctx, zmq::REP);
    let ep = rep.bind("tcp://127.0.0.1:*");

    let strict = ours(SocketType::Req);
    strict.connect(&ep).unwrap();
    send_ours(&strict, &msg(&[b"s1"])).await;
    assert!(matches!(strict.try_send("s2"), Err(Error::InvalidState)));
    assert!(matches!(strict.send("s2").await, Err(Error::InvalidState)));
    assert_msg_eq(&rep.recv().await.unwrap(), &msg(&[b"s1"]));
    rep.send(msg(&[b"r-s1"])).await.unwrap();
    assert_msg_eq(&recv_ours(&strict).await, &msg(&[b"r-s1"]));
    strict.close();

    let req = ours(SocketType::Req);
    req.set_option(SocketOption::ReqRelaxed(true)).unwrap();
    req.set_option(SocketOption::ReqCorrelate(true)).unwrap();
    req.connect(&ep).unwrap();
    send_ours(&req, &msg(&[b"1"])).await;
    assert_msg_eq(&rep.recv().await.unwrap(), &msg(&[b"1"]));
    // The REP owes "1" a reply; the REQ moves on anyway.
    send_ours(&req, &msg(&[b"2"])).await;
    rep.send(msg(&[b"reply to 1"])).await.unwrap();
    assert_msg_eq(&rep.recv().await.unwrap(), &msg(&[b"2"]));
    rep.send(msg(&[b"reply to 2"])).await.unwrap();
    assert_msg_eq(&recv_ours(&req).await, &msg(&[b"reply to 2"]));
    // The stale reply was discarded, not queued behind.
    assert!(matches!(req.try_recv_message(), Err(Error::InvalidState)));
    send_ours(&req, &msg(&[b"3"])).await;
    assert_msg_eq(&rep.recv().await.unwrap(), &msg(&[b"3"]));
    rep.send(msg(&[b"reply to 3"])).await.unwrap();
    assert_msg_eq(&recv_ours(&req).await, &msg(&[b"reply to 3"]));
}

/// The wire form of REQ_CORRELATE as a libzmq ROUTER sees it: [id, request id (4 bytes,
/// host order, +1 per request), "", body]; a reply with a wrong request id is dropped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn req_correlate_frames_seen_by_libzmq_router() {
    let ctx = zmq::Context::new();
    let mut router = Zmq::new(&ctx, zmq::ROUTER);
    let ep = router.bind("tcp://127.0.0.1:*");
    let req = ours(SocketType::Req);
    req.set_option(SocketOption::ReqCorrelate(true)).unwrap();
    req.set_option(SocketOption::ReqRelaxed(true)).unwrap();
    req.set_option(SocketOption::RoutingId(Bytes::from_static(b"cr")))
        .unwrap();
    req.connect(&ep).unwrap();
    send_ours(&req, &msg(&[b"first"])).await;
    let first = router.recv().await.unwrap();
    assert_eq!(first.len(), 4, "{}", describe(&first));
    assert_eq!(first[0], b"cr");
    assert_eq!(first[1].len(), 4);
    assert_eq!(&first[2..], &msg(&[b"", b"first"])[..]);
    send_ours(&req, &msg(&[b"second"])).await;
    let second = router.recv().await.unwrap();
    let id1 = u32::from_ne_bytes(first[1][..].try_into().unwrap());
    let id2 = u32::from_ne_bytes(second[1][..].try_into().unwrap());
    assert_eq!(id2, id1.wrapping_add(1));
    // Wrong id (the first request's), then an unrelated id, then the right one.
    router
        .send(vec![
            b"cr".to_vec(),
            first[1].clone(),
            vec![],
            b"late".to_vec(),
        ])
        .await
        .unwrap();
    router
        .send(vec![
            b"cr".to_vec(),
            id2.wrapping_add(7).to_ne_bytes().to_vec(),
            vec![],
            b"bogus".to_vec(),
        ])
        .await
        .unwrap();
    router
        .send(vec![
            b"cr".to_vec(),
            second[1].clone(),
            vec![],
            b"right".to_vec(),
        ])
        .await
        .unwrap();
    assert_msg_eq(&recv_ours(&req).await, &msg(&[b"right"]));
}

/// A libzmq REQ with REQ_CORRELATE talking to our ROUTER and to our REP: the request id
/// is part of the envelope, and our REP gives it back so libzmq accepts the reply.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libzmq_req_correlate_with_our_router_and_rep() {
    let ctx = zmq::Context::new();
    let router = ours(SocketType::Router);
    let ep = bind_ours(&router, "tcp://127.0.0.1:*");
    let mut zreq = Zmq::new(&ctx, zmq::REQ);
    zreq.raw().set_req_correlate(true).unwrap();
    zreq.raw().set_req_relaxed(true).unwrap();
    zreq.raw().set_identity(b"zr").unwrap();
    zreq.connect(&ep);
    zreq.send(msg(&[b"q"])).await.unwrap();
    let got = recv_ours(&router).await;
    assert_eq!(got.len(), 4, "{}", describe(&got));
    assert_eq!(got[0], b"zr");
    assert_eq!(got[1].len(), 4);
    assert_eq!(&got[2..], &msg(&[b"", b"q"])[..]);
    send_ours(&router, &msg(&[b"zr", &got[1], b"", b"a"])).await;
    assert_msg_eq(&zreq.recv().await.unwrap(), &msg(&[b"a"]));

    let rep = ours(SocketType::Rep);
    let ep = bind_ours(&rep, "tcp://127.0.0.1:*");
    let mut zreq = Zmq::new(&ctx, zmq::REQ);
    zreq.raw().set_req_correlate(true).unwrap();
    zreq.connect(&ep);
    for i in 0..3u8 {
        zreq.send(msg(&[&[i]])).await.unwrap();
        assert_msg_eq(&recv_ours(&rep).await, &msg(&[&[i]]));
        send_ours(&rep, &msg(&[&[i + 10]])).await;
        assert_msg_eq(&zreq.recv().await.unwrap(), &msg(&[&[i + 10]]));
    }
}

// ---------------------------------------------------------------------------
// XPUB options
// ---------------------------------------------------------------------------

/// A libzmq SUB subscribed to `topics` (set before connecting) and connected to `ep`.
fn sub_to(ctx: &zmq::Context, ep: &str, topics: &[&[u8]]) -> Zmq {
    let s = Zmq::new(ctx, zmq::SUB);
    for t in topics {
        s.raw().set_subscribe(t).unwrap();
    }
    s.connect(ep);
    s
}

/// Two SUBs subscribe the same topic: XPUB_VERBOSE reports both, the default only the
/// first. A later subscription from the second SUB ("zz") travels behind its duplicate on
/// the same connection, so reading it proves the duplicate was processed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xpub_verbose_reports_duplicate_subscriptions() {
    let ctx = zmq::Context::new();
    for verbose in [false, true] {
        let xpub = ours(SocketType::XPub);
        xpub.set_option(SocketOption::XpubVerbose(verbose)).unwrap();
        let ep = bind_ours(&xpub, "tcp://127.0.0.1:*");
        let a = sub_to(&ctx, &ep, &[b"x"]);
        assert_msg_eq(
            &recv_ours_poking(&xpub, &[&a], "first").await,
            &msg(&[b"\x01x"]),
        );
        let b = sub_to(&ctx, &ep, &[b"x"]);
        b.raw().set_subscribe(b"zz").unwrap();
        let mut notices = Vec::new();
        loop {
            let m = recv_ours_poking(&xpub, &[&b], "second").await;
            let done = m == msg(&[b"\x01zz"]);
            notices.push(m);
            if done {
                break;
            }
        }
        let want: Vec<Vec<Vec<u8>>> = if verbose {
            vec![msg(&[b"\x01x"]), msg(&[b"\x01zz"])]
        } else {
            vec![msg(&[b"\x01zz"])]
        };
        assert_eq!(notices, want, "verbose={verbose}");
    }
}

/// XPUB_VERBOSER reports every unsubscribe too; by default an unsubscribe is reported
/// only when the last holder of the topic drops it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xpub_verboser_reports_every_unsubscribe() {
    let ctx = zmq::Context::new();
    for verboser in [false, true] {
        let xpub = ours(SocketType::XPub);
        xpub.set_option(SocketOption::XpubVerboser(verboser))
            .unwrap();
        let ep = bind_ours(&xpub, "tcp://127.0.0.1:*");
        let a = sub_to(&ctx, &ep, &[b"x"]);
        assert_msg_eq(
            &recv_ours_poking(&xpub, &[&a], "a").await,
            &msg(&[b"\x01x"]),
        );
        let b = sub_to(&ctx, &ep, &[b"x"]);
        b.raw().set_subscribe(b"b-ready").unwrap();
        loop {
            let m = recv_ours_poking(&xpub, &[&b], "b").await;
            if m == msg(&[b"\x01b-ready"]) {
                break;
            }
            assert!(verboser, "duplicate reported without verbose: {m:?}");
        }
        // A drops "x" while B still holds it, then sends a marker behind it.
        a.raw().set_unsubscribe(b"x").unwrap();
        a.raw().set_subscribe(b"a-marker").unwrap();
        let first = recv_ours_poking(&xpub, &[&a], "a unsubscribes").await;
        if verboser {
            assert_msg_eq(&first, &msg(&[b"\x00x"]));
            assert_msg_eq(&recv_ours(&xpub).await, &msg(&[b"\x01a-marker"]));
        } else {
            assert_msg_eq(&first, &msg(&[b"\x01a-marker"]));
        }
        // B was the last holder: reported either way.
        b.raw().set_unsubscribe(b"x").unwrap();
        assert_msg_eq(
            &recv_ours_poking(&xpub, &[&b], "b unsubscribes").await,
            &msg(&[b"\x00x"]),
        );
    }
}

/// XPUB_MANUAL: notices are reported but nothing is subscribed until the application
/// calls subscribe() on the XPUB after reading the notice; the application may subscribe
/// the peer to something else than it asked for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xpub_manual_subscribes_only_on_request() {
    let ctx = zmq::Context::new();
    let xpub = ours(SocketType::XPub);
    xpub.set_option(SocketOption::XpubManual(true)).unwrap();
    let ep = bind_ours(&xpub, "tcp://127.0.0.1:*");
    let mut sub = sub_to(&ctx, &ep, &[b"a"]);
    assert_msg_eq(
        &recv_ours_poking(&xpub, &[&sub], "notice").await,
        &msg(&[b"\x01a"]),
    );
    send_ours(&xpub, &msg(&[b"a-before"])).await;
    xpub.subscribe("a").unwrap();
    send_ours(&xpub, &msg(&[b"a-after"])).await;
    // FIFO per pipe: had "a-before" been sent, it would come first.
    assert_msg_eq(&sub.recv().await.unwrap(), &msg(&[b"a-after"]));
    // Manual unsubscribe for the same peer.
    xpub.unsubscribe("a").unwrap();
    send_ours(&xpub, &msg(&[b"a-unsubscribed"])).await;
    xpub.subscribe("a-m").unwrap();
    send_ours(&xpub, &msg(&[b"a-marker"])).await;
    assert_msg_eq(&sub.recv().await.unwrap(), &msg(&[b"a-marker"]));
    // A duplicate subscription from a second SUB is reported too (manual sees all).
    let sub2 = sub_to(&ctx, &ep, &[b"a"]);
    assert_msg_eq(
        &recv_ours_poking(&xpub, &[&sub2], "second notice").await,
        &msg(&[b"\x01a"]),
    );
    // The SUB going away is reported for what it asked for.
    sub.close();
    assert_msg_eq(&recv_ours(&xpub).await, &msg(&[b"\x00a"]));
}

async fn welcome(transport: Transport) {
    let ctx = zmq::Context::new();
    let xpub = ours(SocketType::XPub);
    xpub.set_option(SocketOption::XpubWelcomeMsg(Bytes::from_static(b"Welcome")))
        .unwrap();
    let addr = BindAddr::new(transport, "welcome");
    let ep = bind_ours(&xpub, &addr.endpoint);
    let mut w = sub_to(&ctx, &ep, &[b"W"]);
    assert_msg_eq(&w.recv_or("welcome").await, &msg(&[b"Welcome"]));
    assert_msg_eq(
        &recv_ours_poking(&xpub, &[&w], "notice").await,
        &msg(&[b"\x01W"]),
    );
    // A SUB not subscribed to "W" filters the welcome out: its first message is data.
    let mut d = sub_to(&ctx, &ep, &[b"data"]);
    assert_msg_eq(
        &recv_ours_poking(&xpub, &[&d], "notice").await,
        &msg(&[b"\x01data"]),
    );
    send_ours(&xpub, &msg(&[b"data-1"])).await;
    assert_msg_eq(&d.recv().await.unwrap(), &msg(&[b"data-1"]));
}

crate::each_transport! {
    xpub_welcome_msg => welcome;
}

/// XPUB_NODROP over tcp: with a subscriber that does not read, a send eventually fails
/// with WouldBlock instead of dropping; without NODROP sends never fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xpub_nodrop_refuses_instead_of_dropping() {
    let ctx = zmq::Context::new();
    for nodrop in [true, false] {
        let xpub = ours(SocketType::XPub);
        xpub.set_option(SocketOption::XpubNodrop(nodrop)).unwrap();
        xpub.set_option(SocketOption::SndHwm(1)).unwrap();
        let ep = bind_ours(&xpub, "tcp://127.0.0.1:*");
        let s = Zmq::new(&ctx, zmq::SUB);
        s.raw().set_rcvhwm(1).unwrap();
        s.raw().set_subscribe(b"").unwrap();
        s.connect(&ep);
        assert_msg_eq(
            &recv_ours_poking(&xpub, &[&s], "notice").await,
            &msg(&[b"\x01"]),
        );
        let body = Bytes::from(vec![1u8; 256 * 1024]);
        let mut refused = None;
        for i in 0..2000 {
            match xpub.try_send(body.clone()) {
                Ok(()) => {}
                Err(Error::WouldBlock) => {
                    refused = Some(i);
                    break;
                }
                Err(e) => panic!("{e}"),
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert_eq!(refused.is_some(), nodrop, "nodrop={nodrop}: {refused:?}");
    }
}

/// A libzmq SUB going away is reported as `\x00topic` for each of its topics.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xpub_reports_unsubscribe_when_libzmq_sub_closes() {
    let ctx = zmq::Context::new();
    let xpub = ours(SocketType::XPub);
    let ep = bind_ours(&xpub, "tcp://127.0.0.1:*");
    let mut s = sub_to(&ctx, &ep, &[b"one", b"two"]);
    let mut got = vec![
        recv_ours_poking(&xpub, &[&s], "1").await,
        recv_ours_poking(&xpub, &[&s], "2").await,
    ];
    got.sort();
    assert_eq!(got, [msg(&[b"\x01one"]), msg(&[b"\x01two"])]);
    s.close();
    let mut gone = vec![recv_ours(&xpub).await, recv_ours(&xpub).await];
    gone.sort();
    assert_eq!(gone, [msg(&[b"\x00one"]), msg(&[b"\x00two"])]);
}

// ---------------------------------------------------------------------------
// INVERT_MATCHING
// ---------------------------------------------------------------------------

/// Publishes rounds of ("skip-N", "keep-N") until the subscriber gets "keep-N" first;
/// then five more rounds must all give "keep-N" only.
async fn rounds_until_inverted(publish: impl Fn(&[u8]), recv: &mut Zmq) {
    let deadline = tokio::time::Instant::now() + T;
    let mut clean = 0;
    let mut n = 0u32;
    while clean < 5 {
        n += 1;
        let skip = format!("skip-{n}");
        let keep = format!("keep-{n}");
        publish(skip.as_bytes());
        publish(keep.as_bytes());
        match recv.recv_within(Duration::from_millis(30)).await {
            Some(m) if m == msg(&[keep.as_bytes()]) => clean += 1,
            Some(m) => {
                assert_eq!(clean, 0, "matching message after the filter was in place");
                assert_msg_eq(&m, &msg(&[skip.as_bytes()]));
                assert_msg_eq(&recv.recv().await.unwrap(), &msg(&[keep.as_bytes()]));
            }
            None => assert_eq!(clean, 0, "round {n} lost"),
        }
        assert!(tokio::time::Instant::now() < deadline, "never inverted");
    }
}

/// INVERT_MATCHING on our PUB and a libzmq SUB: the SUB receives only what does not
/// match its subscription.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invert_matching_our_pub_libzmq_sub() {
    let ctx = zmq::Context::new();
    let publisher = ours(SocketType::Pub);
    publisher
        .set_option(SocketOption::InvertMatching(true))
        .unwrap();
    let ep = bind_ours(&publisher, "tcp://127.0.0.1:*");
    let mut s = Zmq::new(&ctx, zmq::SUB);
    s.set_int_option(zopt::INVERT_MATCHING, 1);
    s.raw().set_subscribe(b"skip").unwrap();
    s.connect(&ep);
    let p = publisher.clone();
    rounds_until_inverted(
        move |m| p.try_send(Bytes::copy_from_slice(m)).unwrap(),
        &mut s,
    )
    .await;
}

/// INVERT_MATCHING on our PUB alone, seen through a libzmq XSUB (which does not filter):
/// once the subscription is in, the PUB itself sends only non-matching messages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invert_matching_filters_at_our_pub() {
    let ctx = zmq::Context::new();
    let publisher = ours(SocketType::Pub);
    publisher
        .set_option(SocketOption::InvertMatching(true))
        .unwrap();
    let ep = bind_ours(&publisher, "tcp://127.0.0.1:*");
    let mut x = Zmq::new(&ctx, zmq::XSUB);
    x.connect(&ep);
    x.send(msg(&[b"\x01skip"])).await.unwrap();
    let p = publisher.clone();
    rounds_until_inverted(
        move |m| p.try_send(Bytes::copy_from_slice(m)).unwrap(),
        &mut x,
    )
    .await;
}

/// INVERT_MATCHING on a libzmq PUB and our SUB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invert_matching_libzmq_pub_our_sub() {
    let ctx = zmq::Context::new();
    let mut publisher = Zmq::new(&ctx, zmq::PUB);
    publisher.set_int_option(zopt::INVERT_MATCHING, 1);
    let ep = publisher.bind("tcp://127.0.0.1:*");
    let sub = ours(SocketType::Sub);
    sub.set_option(SocketOption::InvertMatching(true)).unwrap();
    sub.subscribe("skip").unwrap();
    sub.connect(&ep).unwrap();
    let first = libzmq_send_until_ours_gets(&publisher, &sub, &[b"keep-0"]).await;
    assert_msg_eq(&first, &msg(&[b"keep-0"]));
    while recv_ours_within(&sub, Duration::from_millis(50))
        .await
        .is_some()
    {}
    for i in 1..5u8 {
        publisher
            .raw()
            .send([b's', b'k', b'i', b'p', i].as_slice(), 0)
            .unwrap();
        publisher.raw().send([b'k', i].as_slice(), 0).unwrap();
        assert_msg_eq(&recv_ours(&sub).await, &msg(&[&[b'k', i]]));
    }
}

// ---------------------------------------------------------------------------
// CONFLATE
// ---------------------------------------------------------------------------

/// Our PUSH with CONFLATE keeps only the newest message while no peer is there: the
/// libzmq PULL that appears later receives just that one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conflate_on_our_push_keeps_the_newest() {
    let ctx = zmq::Context::new();
    let path = IpcPath::new("conflate-push");
    let push = ours(SocketType::Push);
    push.set_option(SocketOption::Conflate(true)).unwrap();
    push.connect(&path.endpoint()).unwrap();
    for i in 0..20u8 {
        push.try_send(vec![Bytes::copy_from_slice(&[i])]).unwrap();
    }
    let mut pull = Zmq::new(&ctx, zmq::PULL);
    pull.bind(&path.endpoint());
    assert_msg_eq(&pull.recv_or("newest").await, &msg(&[&[19]]));
    push.try_send("end").unwrap();
    assert_msg_eq(&pull.recv().await.unwrap(), &msg(&[b"end"]));
}

/// Our PULL with CONFLATE: a burst queued by a libzmq PUSH before we bind arrives
/// conflated; what we read is strictly increasing and ends with the newest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conflate_on_our_pull_keeps_the_newest() {
    let ctx = zmq::Context::new();
    let path = IpcPath::new("conflate-pull");
    let push = Zmq::new(&ctx, zmq::PUSH);
    push.connect(&path.endpoint());
    const N: u32 = 200;
    for i in 0..N {
        push.raw().send(i.to_be_bytes().as_slice(), 0).unwrap();
    }
    let pull = ours(SocketType::Pull);
    pull.set_option(SocketOption::Conflate(true)).unwrap();
    bind_ours(&pull, &path.endpoint());
    let mut got = Vec::new();
    let deadline = tokio::time::Instant::now() + T;
    while got.last() != Some(&(N - 1)) {
        assert!(tokio::time::Instant::now() < deadline, "got {got:?}");
        push.poke();
        // Read slowly so the burst piles up and is conflated.
        tokio::time::sleep(Duration::from_millis(20)).await;
        while let Some(m) = pull.try_recv_message().unwrap() {
            let f = m.frames();
            got.push(u32::from_be_bytes(f[0][..].try_into().unwrap()));
        }
    }
    assert!(got.windows(2).all(|w| w[0] < w[1]), "{got:?}");
    assert!(got.len() < N as usize, "nothing was conflated: {got:?}");
}

// ---------------------------------------------------------------------------
// IMMEDIATE
// ---------------------------------------------------------------------------

/// Our PUSH connected to a dead endpoint and to a live libzmq PULL. With IMMEDIATE every
/// message goes to the live peer (the dead one has no pipe); without it round-robin puts
/// every other message in the dead endpoint's pipe, where a PULL that binds there later
/// finds them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn immediate_queues_only_to_live_connections() {
    let ctx = zmq::Context::new();
    for immediate in [true, false] {
        let mut live = Zmq::new(&ctx, zmq::PULL);
        let live_ep = live.bind("tcp://127.0.0.1:*");
        let dead = IpcPath::new("immediate-dead");
        let push = ours(SocketType::Push);
        push.set_option(SocketOption::Immediate(immediate)).unwrap();
        push.connect(&dead.endpoint()).unwrap();
        push.connect(&live_ep).unwrap();
        for i in 0..10u8 {
            send_ours(&push, &msg(&[&[i]])).await;
        }
        let expect_live = if immediate { 10 } else { 5 };
        let mut at_live = Vec::new();
        for _ in 0..expect_live {
            at_live.push(live.recv_or("live").await[0][0]);
        }
        // Revive the dead endpoint.
        let mut revived = Zmq::new(&ctx, zmq::PULL);
        revived.bind(&dead.endpoint());
        if immediate {
            assert_eq!(at_live, (0..10).collect::<Vec<u8>>());
            // Only messages sent after the revived connection exists can reach it.
            let mut n = 100u8;
            let first = loop {
                let _ = push.try_send(vec![Bytes::copy_from_slice(&[n])]);
                n += 1;
                if let Some(m) = revived.recv_within(Duration::from_millis(30)).await {
                    break m[0][0];
                }
                assert!(n < 250, "revived endpoint never served");
            };
            assert!(first >= 100, "a message from before the revival: {first}");
        } else {
            let mut at_dead = Vec::new();
            for _ in 0..5 {
                at_dead.push(revived.recv_or("queued for the dead endpoint").await[0][0]);
            }
            let mut all = [at_live.clone(), at_dead.clone()].concat();
            all.sort();
            assert_eq!(all, (0..10).collect::<Vec<u8>>(), "{at_live:?} {at_dead:?}");
            assert_eq!(at_dead, [0, 2, 4, 6, 8], "round-robin order");
        }
    }
}
