//! DEALER, ROUTER, REQ and REP in every combination libzmq allows, ours on each side,
//! either side binding, over tcp and ipc: envelopes, routing ids (chosen and automatic),
//! replies routed back by id, round-robin and fair queueing across several peers.

mod common;

use common::types::*;
use common::*;
use std::time::Duration;

use zmtp_api::Error;

/// libzmq's automatic routing id: 5 bytes, the first 0x00.
#[track_caller]
fn assert_auto_id(id: &[u8]) {
    assert_eq!(id.len(), 5, "automatic routing id {id:02x?}");
    assert_eq!(id[0], 0, "automatic routing id {id:02x?}");
}

/// Our DEALER to a libzmq ROUTER: the ROUTER sees [our id, body..]; what it routes back
/// by that id reaches us without the id. An anonymous DEALER gets libzmq's automatic id.
async fn our_dealer_libzmq_router(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let ours = ours(SocketType::Dealer);
    ours.set_option(SocketOption::RoutingId(Bytes::from_static(b"our-dealer")))
        .unwrap();
    let mut z = Zmq::new(&ctx, zmq::ROUTER);
    let _a = wire(&ours, &z, binder, transport, "odlr");
    for m in standard_messages("d") {
        send_ours(&ours, &m).await;
        let got = z.recv_or("our dealer's message").await;
        assert_eq!(got[0], b"our-dealer");
        assert_msg_eq(&got[1..], &m);
    }
    z.send(msg(&[b"our-dealer", b"back", b"", b"3"]))
        .await
        .unwrap();
    assert_msg_eq(&recv_ours(&ours).await, &msg(&[b"back", b"", b"3"]));

    // Anonymous: libzmq names it.
    let anon = common::ours(SocketType::Dealer);
    let _b = wire(&anon, &z, binder, transport, "odlr-anon");
    send_ours(&anon, &msg(&[b"who am i"])).await;
    let got = z.recv_or("anonymous dealer").await;
    assert_auto_id(&got[0]);
    assert_eq!(&got[1..], &msg(&[b"who am i"])[..]);
    z.send(vec![got[0].clone(), b"you are you".to_vec()])
        .await
        .unwrap();
    assert_msg_eq(&recv_ours(&anon).await, &msg(&[b"you are you"]));
}

/// A libzmq DEALER to our ROUTER: we see [its ROUTING_ID, body..] and route back by it;
/// an anonymous one gets our automatic id (5 bytes, 0x00 first).
async fn libzmq_dealer_our_router(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let ours = ours(SocketType::Router);
    let mut named = Zmq::new(&ctx, zmq::DEALER);
    named.raw().set_identity(b"zd").unwrap();
    let _a = wire(&ours, &named, binder, transport, "ldor");
    for m in standard_messages("r") {
        named.send(m.clone()).await.unwrap();
        let got = recv_ours(&ours).await;
        assert_eq!(got[0], b"zd");
        assert_msg_eq(&got[1..], &m);
    }
    send_ours(&ours, &msg(&[b"zd", b"back", b"2"])).await;
    assert_msg_eq(&named.recv().await.unwrap(), &msg(&[b"back", b"2"]));

    let mut anon = Zmq::new(&ctx, zmq::DEALER);
    let _b = wire(&ours, &anon, binder, transport, "ldor-anon");
    anon.send(msg(&[b"anon"])).await.unwrap();
    let got = recv_ours(&ours).await;
    assert_auto_id(&got[0]);
    assert_eq!(&got[1..], &msg(&[b"anon"])[..]);
    send_ours(&ours, &msg(&[&got[0], b"yo"])).await;
    assert_msg_eq(&anon.recv().await.unwrap(), &msg(&[b"yo"]));
    // The named peer is still routed separately.
    send_ours(&ours, &msg(&[b"zd", b"still you"])).await;
    assert_msg_eq(&named.recv().await.unwrap(), &msg(&[b"still you"]));
}

/// Our DEALER to a libzmq REP: the DEALER writes the empty delimiter itself and gets it
/// back in front of the reply; extra envelope frames survive the round trip.
async fn our_dealer_libzmq_rep(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let ours = ours(SocketType::Dealer);
    let mut z = Zmq::new(&ctx, zmq::REP);
    let _a = wire(&ours, &z, binder, transport, "odlp");
    send_ours(&ours, &msg(&[b"", b"q", b"2"])).await;
    assert_msg_eq(&z.recv().await.unwrap(), &msg(&[b"q", b"2"]));
    z.send(msg(&[b"a"])).await.unwrap();
    assert_msg_eq(&recv_ours(&ours).await, &msg(&[b"", b"a"]));
    send_ours(&ours, &msg(&[b"hop", b"", b"q2"])).await;
    assert_msg_eq(&z.recv().await.unwrap(), &msg(&[b"q2"]));
    z.send(msg(&[b"a2"])).await.unwrap();
    assert_msg_eq(&recv_ours(&ours).await, &msg(&[b"hop", b"", b"a2"]));
}

/// A libzmq DEALER to our REP: the envelope up to the delimiter is saved and restored.
async fn libzmq_dealer_our_rep(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let ours = ours(SocketType::Rep);
    let mut z = Zmq::new(&ctx, zmq::DEALER);
    let _a = wire(&ours, &z, binder, transport, "ldop");
    // A request without a delimiter is discarded; the next good one is served.
    z.send(msg(&[b"no delimiter"])).await.unwrap();
    z.send(msg(&[b"hop1", b"hop2", b"", b"q"])).await.unwrap();
    assert_msg_eq(&recv_ours(&ours).await, &msg(&[b"q"]));
    assert!(matches!(ours.try_recv_message(), Err(Error::InvalidState)));
    send_ours(&ours, &msg(&[b"a", b"b"])).await;
    assert_msg_eq(
        &z.recv().await.unwrap(),
        &msg(&[b"hop1", b"hop2", b"", b"a", b"b"]),
    );
}

/// A libzmq REQ to our ROUTER: we see [auto id, "", body] and reply through the envelope.
async fn libzmq_req_our_router(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let ours = ours(SocketType::Router);
    let mut z = Zmq::new(&ctx, zmq::REQ);
    let _a = wire(&ours, &z, binder, transport, "lror");
    for i in 0..3u8 {
        let body = [b'q', b'0' + i];
        z.send(msg(&[&body, b"tail"])).await.unwrap();
        let got = recv_ours(&ours).await;
        assert_eq!(got.len(), 4, "{}", describe(&got));
        assert_auto_id(&got[0]);
        assert_eq!(&got[1..], &msg(&[b"", &body, b"tail"])[..]);
        send_ours(&ours, &msg(&[&got[0], b"", b"a", &body])).await;
        assert_msg_eq(&z.recv().await.unwrap(), &msg(&[b"a", &body]));
    }
}

/// Our REQ to a libzmq ROUTER: the ROUTER sees [id, "", body]; the reply reaches us bare.
async fn our_req_libzmq_router(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let ours = ours(SocketType::Req);
    ours.set_option(SocketOption::RoutingId(Bytes::from_static(b"rq")))
        .unwrap();
    let mut z = Zmq::new(&ctx, zmq::ROUTER);
    let _a = wire(&ours, &z, binder, transport, "orlr");
    for i in 0..3u8 {
        let body = [b'q', b'0' + i];
        send_ours(&ours, &msg(&[&body])).await;
        assert!(matches!(ours.try_send("again"), Err(Error::InvalidState)));
        assert_msg_eq(&z.recv().await.unwrap(), &msg(&[b"rq", b"", &body]));
        z.send(msg(&[b"rq", b"", b"a", &body])).await.unwrap();
        assert_msg_eq(&recv_ours(&ours).await, &msg(&[b"a", &body]));
    }
}

/// Our REQ to a libzmq REP and a libzmq REQ to our REP (the classic pair, for symmetry).
async fn req_rep_both_ways(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let req = ours(SocketType::Req);
    let mut rep = Zmq::new(&ctx, zmq::REP);
    let _a = wire(&req, &rep, binder, transport, "orep");
    send_ours(&req, &msg(&[b"ping", b""])).await;
    assert_msg_eq(&rep.recv().await.unwrap(), &msg(&[b"ping", b""]));
    rep.send(msg(&[b"pong"])).await.unwrap();
    assert_msg_eq(&recv_ours(&req).await, &msg(&[b"pong"]));

    let our_rep = ours(SocketType::Rep);
    let mut zreq = Zmq::new(&ctx, zmq::REQ);
    let _b = wire(&our_rep, &zreq, binder, transport, "lrep");
    zreq.send(msg(&[b"ping"])).await.unwrap();
    assert_msg_eq(&recv_ours(&our_rep).await, &msg(&[b"ping"]));
    send_ours(&our_rep, &msg(&[b"pong", b"2"])).await;
    assert_msg_eq(&zreq.recv().await.unwrap(), &msg(&[b"pong", b"2"]));
}

/// DEALER to DEALER: no envelope manipulation in either direction.
async fn dealer_dealer(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let ours = ours(SocketType::Dealer);
    let mut z = Zmq::new(&ctx, zmq::DEALER);
    let _a = wire(&ours, &z, binder, transport, "dd");
    for m in standard_messages("dd") {
        send_ours(&ours, &m).await;
        assert_msg_eq(&z.recv().await.unwrap(), &m);
        z.send(m.clone()).await.unwrap();
        assert_msg_eq(&recv_ours(&ours).await, &m);
    }
    // Empty frames are ordinary data to a DEALER.
    z.send(msg(&[b"", b""])).await.unwrap();
    assert_msg_eq(&recv_ours(&ours).await, &msg(&[b"", b""]));
}

/// ROUTER to ROUTER with routing ids set on both: the side that learns the other's id
/// first (after the handshake) can start; ROUTER_MANDATORY reports the id as unknown
/// until then.
async fn router_router_named(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let ours = ours(SocketType::Router);
    ours.set_option(SocketOption::RoutingId(Bytes::from_static(b"ours")))
        .unwrap();
    ours.set_option(SocketOption::RouterMandatory(true))
        .unwrap();
    let mut z = Zmq::new(&ctx, zmq::ROUTER);
    z.raw().set_identity(b"lib").unwrap();
    let _a = wire(&ours, &z, binder, transport, "rrn");
    let got = ours_send_until_libzmq_gets(&ours, &mut z, &[b"lib", b"ping"]).await;
    assert_msg_eq(&got, &msg(&[b"ours", b"ping"]));
    z.send(msg(&[b"ours", b"pong", b"2"])).await.unwrap();
    assert_msg_eq(&recv_ours(&ours).await, &msg(&[b"lib", b"pong", b"2"]));
}

/// ROUTER to ROUTER where the connecting side probes: the bound ROUTER learns the
/// prober's id from the empty probe message and can answer at once.
async fn router_router_probe(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let ours = ours(SocketType::Router);
    let mut z = Zmq::new(&ctx, zmq::ROUTER);
    match binder {
        Binder::Ours => {
            // libzmq connects and probes; we learn its (automatic) id from the probe.
            z.raw().set_probe_router(true).unwrap();
            let _a = wire(&ours, &z, binder, transport, "rrp");
            let probe = recv_ours(&ours).await;
            assert_eq!(probe.len(), 2, "{}", describe(&probe));
            assert!(probe[1].is_empty(), "probe is an empty message");
            send_ours(&ours, &msg(&[&probe[0], b"hello prober"])).await;
            let got = z.recv().await.unwrap();
            assert_auto_id(&got[0]);
            assert_eq!(&got[1..], &msg(&[b"hello prober"])[..]);
        }
        Binder::Libzmq => {
            // We connect and probe; libzmq learns our id from the probe.
            ours.set_option(SocketOption::ProbeRouter(true)).unwrap();
            ours.set_option(SocketOption::RoutingId(Bytes::from_static(b"prober")))
                .unwrap();
            let _a = wire(&ours, &z, binder, transport, "rrp");
            assert_msg_eq(&z.recv().await.unwrap(), &msg(&[b"prober", b""]));
            z.send(msg(&[b"prober", b"hello prober"])).await.unwrap();
            let got = recv_ours(&ours).await;
            assert_auto_id(&got[0]);
            assert_eq!(&got[1..], &msg(&[b"hello prober"])[..]);
        }
    }
}

crate::each_binder_and_transport! {
    our_dealer_to_libzmq_router => our_dealer_libzmq_router;
    libzmq_dealer_to_our_router => libzmq_dealer_our_router;
    our_dealer_to_libzmq_rep => our_dealer_libzmq_rep;
    libzmq_dealer_to_our_rep => libzmq_dealer_our_rep;
    libzmq_req_to_our_router => libzmq_req_our_router;
    our_req_to_libzmq_router => our_req_libzmq_router;
    req_rep => req_rep_both_ways;
    dealer_to_dealer => dealer_dealer;
    router_to_router_named => router_router_named;
    router_to_router_probe => router_router_probe;
}

/// Three libzmq DEALERs on our bound ROUTER: fair queueing takes everything from all of
/// them, and each reply reaches exactly the DEALER whose id it carries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn router_routes_replies_to_the_right_dealer() {
    let ctx = zmq::Context::new();
    let router = ours(SocketType::Router);
    let ep = bind_ours(&router, "tcp://127.0.0.1:*");
    let names: [&[u8]; 3] = [b"alpha", b"beta", b"gamma"];
    let mut dealers: Vec<Zmq> = names
        .iter()
        .map(|n| {
            let d = Zmq::new(&ctx, zmq::DEALER);
            d.raw().set_identity(n).unwrap();
            d.connect(&ep);
            d
        })
        .collect();
    const N: usize = 50;
    for d in &dealers {
        for i in 0..N {
            d.raw().send(format!("{i}").as_bytes(), 0).unwrap();
        }
    }
    let mut counts = [0usize; 3];
    for _ in 0..3 * N {
        let m = recv_ours(&router).await;
        let who = names.iter().position(|n| m[0] == *n).expect("known id");
        // Per-peer order is kept.
        assert_eq!(m[1], format!("{}", counts[who]).as_bytes());
        counts[who] += 1;
    }
    assert_eq!(counts, [N; 3]);
    for (i, n) in names.iter().enumerate().rev() {
        send_ours(&router, &msg(&[n, format!("for {i}").as_bytes()])).await;
    }
    for (i, d) in dealers.iter_mut().enumerate() {
        assert_msg_eq(
            &d.recv().await.unwrap(),
            &msg(&[format!("for {i}").as_bytes()]),
        );
    }
    // Nothing was misrouted: a second round arrives first everywhere.
    for n in names {
        send_ours(&router, &msg(&[n, b"second"])).await;
    }
    for d in &mut dealers {
        assert_msg_eq(&d.recv().await.unwrap(), &msg(&[b"second"]));
    }
}

/// Our DEALER connected to two libzmq ROUTERs round-robins: each gets every other message
/// (the pipes exist from connect(), so the split does not depend on connection timing).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dealer_round_robins_over_libzmq_routers() {
    let ctx = zmq::Context::new();
    let mut a = Zmq::new(&ctx, zmq::ROUTER);
    let mut b = Zmq::new(&ctx, zmq::ROUTER);
    let ea = a.bind("tcp://127.0.0.1:*");
    let eb = b.bind("tcp://127.0.0.1:*");
    let dealer = ours(SocketType::Dealer);
    dealer
        .set_option(SocketOption::RoutingId(Bytes::from_static(b"rr")))
        .unwrap();
    dealer.connect(&ea).unwrap();
    dealer.connect(&eb).unwrap();
    for i in 0..10u8 {
        send_ours(&dealer, &msg(&[&[i]])).await;
    }
    let mut got_a = Vec::new();
    let mut got_b = Vec::new();
    for _ in 0..5 {
        got_a.push(a.recv().await.unwrap()[1][0]);
        got_b.push(b.recv().await.unwrap()[1][0]);
    }
    assert_eq!(got_a, [0, 2, 4, 6, 8]);
    assert_eq!(got_b, [1, 3, 5, 7, 9]);
    // Replies from both are fair-queued back.
    a.send(msg(&[b"rr", b"from a"])).await.unwrap();
    b.send(msg(&[b"rr", b"from b"])).await.unwrap();
    let mut replies = vec![recv_ours(&dealer).await, recv_ours(&dealer).await];
    replies.sort();
    assert_eq!(replies, [msg(&[b"from a"]), msg(&[b"from b"])]);
}

/// Our REQ connected to two libzmq REPs: requests alternate between them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn req_round_robins_over_libzmq_reps() {
    let ctx = zmq::Context::new();
    let mut reps = [Zmq::new(&ctx, zmq::REP), Zmq::new(&ctx, zmq::REP)];
    let req = ours(SocketType::Req);
    for r in &reps {
        req.connect(&r.bind("tcp://127.0.0.1:*")).unwrap();
    }
    for i in 0..6u8 {
        send_ours(&req, &msg(&[&[i]])).await;
        let r = &mut reps[i as usize % 2];
        assert_msg_eq(&r.recv().await.unwrap(), &msg(&[&[i]]));
        r.send(msg(&[&[i + 100]])).await.unwrap();
        assert_msg_eq(&recv_ours(&req).await, &msg(&[&[i + 100]]));
    }
}

/// A ROUTER message consisting of the id frame alone is ignored (libzmq behaviour); so is
/// a message to an unknown id (no ROUTER_MANDATORY). What follows is delivered normally.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn router_ignores_lone_id_and_unknown_ids() {
    let ctx = zmq::Context::new();
    let router = ours(SocketType::Router);
    let ep = bind_ours(&router, "tcp://127.0.0.1:*");
    let mut d = Zmq::new(&ctx, zmq::DEALER);
    d.raw().set_identity(b"d").unwrap();
    d.connect(&ep);
    d.send(msg(&[b"hi"])).await.unwrap();
    assert_msg_eq(&recv_ours(&router).await, &msg(&[b"d", b"hi"]));
    router.try_send(frames(&[b"d"])).unwrap();
    router.try_send(frames(&[b"nobody", b"lost"])).unwrap();
    router.try_send(frames(&[b"d", b"marker"])).unwrap();
    assert_msg_eq(&d.recv().await.unwrap(), &msg(&[b"marker"]));
    assert!(d.recv_within(QUIET).await.is_none());
}

/// After a libzmq DEALER reconnects (its ROUTER-side connection dropped by a restart of
/// our ROUTER on the same port) it is routed by its id again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn router_restart_reroutes_named_dealer() {
    let ctx = zmq::Context::new();
    let r1 = ours(SocketType::Router);
    let ep = bind_ours(&r1, "tcp://127.0.0.1:*");
    let mut d = Zmq::new(&ctx, zmq::DEALER);
    d.raw().set_identity(b"sticky").unwrap();
    d.connect(&ep);
    d.send(msg(&[b"1"])).await.unwrap();
    assert_msg_eq(&recv_ours(&r1).await, &msg(&[b"sticky", b"1"]));
    r1.close_and_flush().await;
    let r2 = ours(SocketType::Router);
    r2.set_option(SocketOption::RouterMandatory(true)).unwrap();
    bind_ours_retry(&r2, &ep).await;
    let got = ours_send_until_libzmq_gets(&r2, &mut d, &[b"sticky", b"again"]).await;
    assert_msg_eq(&got, &msg(&[b"again"]));
}

/// Our REQ getting a malformed reply (no empty delimiter) over tcp drops the connection,
/// as libzmq's REQ session does, and being the connecting side does not reconnect.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn req_drops_connection_on_malformed_reply() {
    let ctx = zmq::Context::new();
    let mut mon;
    let mut router = Zmq::new(&ctx, zmq::ROUTER);
    let ep = router.bind("tcp://127.0.0.1:*");
    mon = router.monitor(
        &ctx,
        (zmq::SocketEvent::ACCEPTED.to_raw() | zmq::SocketEvent::DISCONNECTED.to_raw()) as i32,
    );
    let req = ours(SocketType::Req);
    req.connect(&ep).unwrap();
    send_ours(&req, &msg(&[b"q"])).await;
    let got = router.recv().await.unwrap();
    assert_eq!(&got[1..], &msg(&[b"", b"q"])[..]);
    assert!(mon.wait_event(zmq::SocketEvent::ACCEPTED).await);
    // The application is waiting for its reply (our REQ validates replies as it takes
    // them; libzmq's session does on arrival).
    let waiter = {
        let req = req.clone();
        tokio::spawn(async move { recv_ours_within(&req, Duration::from_secs(1)).await })
    };
    router
        .send(vec![got[0].clone(), b"no delimiter".to_vec()])
        .await
        .unwrap();
    assert!(mon.wait_event(zmq::SocketEvent::DISCONNECTED).await);
    let again = mon
        .count_events(zmq::SocketEvent::ACCEPTED, Duration::from_millis(600))
        .await;
    assert_eq!(again, 0, "our REQ reconnected after a protocol error");
    assert!(
        waiter.await.unwrap().is_none(),
        "the malformed reply was delivered"
    );
}

/// A REP whose requester went away drops the reply silently and serves the next
/// requester normally.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rep_survives_a_vanished_requester() {
    let ctx = zmq::Context::new();
    let rep = ours(SocketType::Rep);
    let ep = bind_ours(&rep, "tcp://127.0.0.1:*");
    let mut a = Zmq::new(&ctx, zmq::REQ);
    a.connect(&ep);
    a.send(msg(&[b"from a"])).await.unwrap();
    assert_msg_eq(&recv_ours(&rep).await, &msg(&[b"from a"]));
    a.close();
    let mut b = Zmq::new(&ctx, zmq::REQ);
    b.connect(&ep);
    b.send(msg(&[b"from b"])).await.unwrap();
    // The reply to the vanished A goes nowhere, without error.
    send_ours(&rep, &msg(&[b"to a"])).await;
    assert_msg_eq(&recv_ours(&rep).await, &msg(&[b"from b"]));
    send_ours(&rep, &msg(&[b"to b"])).await;
    assert_msg_eq(&b.recv().await.unwrap(), &msg(&[b"to b"]));
}

/// A DEALER's peer going away leaves the rotation: afterwards every message goes to the
/// remaining peer; and with ROUTER_MANDATORY a departed peer's id becomes unreachable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn departed_peers_leave_the_rotation_and_the_id_table() {
    let ctx = zmq::Context::new();
    let dealer = ours(SocketType::Dealer);
    let ep = bind_ours(&dealer, "tcp://127.0.0.1:*");
    let mut stay = Zmq::new(&ctx, zmq::DEALER);
    stay.connect(&ep);
    let mut leave = Zmq::new(&ctx, zmq::DEALER);
    leave.connect(&ep);
    // Both are connected once each has been heard from.
    stay.send(msg(&[b"s"])).await.unwrap();
    leave.send(msg(&[b"l"])).await.unwrap();
    recv_ours(&dealer).await;
    recv_ours(&dealer).await;
    leave.close();
    // Until the departure is noticed, round-robin alternates and every other message is
    // lost with the dead pipe; two in a row at the remaining peer prove it was noticed,
    // and from then on nothing may be lost.
    let deadline = tokio::time::Instant::now() + T;
    let mut n = 0u32;
    let mut consecutive = 0;
    while consecutive < 10 {
        n += 1;
        send_ours(&dealer, &[n.to_be_bytes().to_vec()]).await;
        match stay.recv_within(Duration::from_millis(50)).await {
            Some(m) => {
                assert_eq!(m, [n.to_be_bytes().to_vec()], "out of order");
                consecutive += 1;
            }
            None => {
                assert!(
                    consecutive < 2,
                    "lost a message after the departure was seen"
                );
                consecutive = 0;
            }
        }
        assert!(tokio::time::Instant::now() < deadline);
    }

    let router = ours(SocketType::Router);
    router
        .set_option(SocketOption::RouterMandatory(true))
        .unwrap();
    let ep = bind_ours(&router, "tcp://127.0.0.1:*");
    let mut d = Zmq::new(&ctx, zmq::DEALER);
    d.raw().set_identity(b"gone-soon").unwrap();
    d.connect(&ep);
    d.send(msg(&[b"hi"])).await.unwrap();
    assert_msg_eq(&recv_ours(&router).await, &msg(&[b"gone-soon", b"hi"]));
    d.close();
    poll_for("departed id unreachable", || {
        matches!(
            router.try_send(frames(&[b"gone-soon", b"x"])),
            Err(zmtp_api::Error::HostUnreachable)
        )
        .then_some(())
    })
    .await;
}

/// libzmq delivers what a peer sent before it went away (its pipe ends only once read):
/// a libzmq DEALER sends three messages and closes; our ROUTER reads them only after it
/// has seen the disconnect (the id is no longer routable), and gets all three under the
/// DEALER's id.
async fn router_delivers_messages_from_a_departed_peer(transport: Transport) {
    let ctx = zmq::Context::new();
    let router = ours(SocketType::Router);
    router
        .set_option(SocketOption::RouterMandatory(true))
        .unwrap();
    let addr = BindAddr::new(transport, "departed");
    let ep = bind_ours(&router, &addr.endpoint);
    let mut d = Zmq::new(&ctx, zmq::DEALER);
    d.raw().set_identity(b"leaver").unwrap();
    d.raw().set_linger(5000).unwrap();
    d.connect(&ep);
    for i in 0..3u8 {
        d.send(msg(&[b"bye", &[i]])).await.unwrap();
    }
    poll_for("our ROUTER to learn the DEALER's id", || {
        router.try_send(frames(&[b"leaver", b"ping"])).ok()
    })
    .await;
    d.close();
    drop(ctx);
    poll_for("our ROUTER to see the DEALER leave", || {
        matches!(
            router.try_send(frames(&[b"leaver", b"ping"])),
            Err(Error::HostUnreachable)
        )
        .then_some(())
    })
    .await;
    for i in 0..3u8 {
        assert_msg_eq(&recv_ours(&router).await, &msg(&[b"leaver", b"bye", &[i]]));
    }
}

crate::each_transport! {
    router_delivers_from_departed_peer => router_delivers_messages_from_a_departed_peer;
}
