//! Every socket-type pair between our own sockets over inproc, exact HWM counts, and
//! the pattern options end to end.

use std::time::Duration;

use zmtp_api::{Bytes, Error, Socket, SocketOption, SocketType};

const T: Duration = Duration::from_secs(10);

fn pair_of(a: SocketType, b: SocketType, name: &str) -> (Socket, Socket) {
    let binder = Socket::new(a).unwrap();
    binder.bind(&format!("inproc://types-{name}")).unwrap();
    let connector = Socket::new(b).unwrap();
    connector
        .connect(&format!("inproc://types-{name}"))
        .unwrap();
    (binder, connector)
}

async fn recv(s: &Socket) -> Vec<Bytes> {
    tokio::time::timeout(T, s.recv_multipart())
        .await
        .expect("timed out")
        .expect("recv")
}

async fn recv_within(s: &Socket, d: Duration) -> Option<Vec<Bytes>> {
    tokio::time::timeout(d, s.recv_multipart())
        .await
        .ok()
        .map(|r| r.expect("recv"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pair_pair() {
    let (a, b) = pair_of(SocketType::Pair, SocketType::Pair, "pair");
    b.send("ping").await.unwrap();
    assert_eq!(recv(&a).await, ["ping"]);
    a.send(["po", "ng"]).await.unwrap();
    assert_eq!(recv(&b).await, ["po", "ng"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dealer_router_and_back() {
    let (router, dealer) = pair_of(SocketType::Router, SocketType::Dealer, "dr");
    dealer.send("hi").await.unwrap();
    let m = recv(&router).await;
    assert_eq!(m.len(), 2);
    assert_eq!(m[0].len(), 5);
    assert_eq!(m[0][0], 0);
    router
        .send([m[0].clone(), Bytes::from_static(b"back")])
        .await
        .unwrap();
    assert_eq!(recv(&dealer).await, ["back"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn req_router_and_dealer_rep() {
    let (router, req) = pair_of(SocketType::Router, SocketType::Req, "reqrouter");
    req.send("q").await.unwrap();
    let m = recv(&router).await;
    assert_eq!(&m[1..], ["", "q"]);
    router
        .send([m[0].clone(), Bytes::new(), Bytes::from_static(b"a")])
        .await
        .unwrap();
    assert_eq!(recv(&req).await, ["a"]);

    let (rep, dealer) = pair_of(SocketType::Rep, SocketType::Dealer, "dealerrep");
    dealer.send(["", "q"]).await.unwrap();
    assert_eq!(recv(&rep).await, ["q"]);
    rep.send("a").await.unwrap();
    assert_eq!(recv(&dealer).await, ["", "a"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dealer_dealer_and_router_router() {
    let (a, b) = pair_of(SocketType::Dealer, SocketType::Dealer, "dd");
    b.send("x").await.unwrap();
    assert_eq!(recv(&a).await, ["x"]);

    let ra = Socket::new(SocketType::Router).unwrap();
    ra.set_option(SocketOption::RoutingId(Bytes::from_static(b"A")))
        .unwrap();
    ra.bind("inproc://types-rr").unwrap();
    let rb = Socket::new(SocketType::Router).unwrap();
    rb.set_option(SocketOption::RoutingId(Bytes::from_static(b"B")))
        .unwrap();
    rb.set_option(SocketOption::RouterMandatory(true)).unwrap();
    rb.connect("inproc://types-rr").unwrap();
    let deadline = tokio::time::Instant::now() + T;
    while rb.try_send(["A", "hello"]).is_err() {
        assert!(tokio::time::Instant::now() < deadline);
        tokio::task::yield_now().await;
    }
    assert_eq!(recv(&ra).await, ["B", "hello"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xpub_xsub_and_subscribers() {
    let (xpub, xsub) = pair_of(SocketType::XPub, SocketType::XSub, "xx");
    xsub.send(b"\x01news".to_vec()).await.unwrap();
    assert_eq!(recv(&xpub).await, [&b"\x01news"[..]]);
    xpub.send("sports").await.unwrap();
    xpub.send("news!").await.unwrap();
    assert_eq!(recv(&xsub).await, ["news!"]);
    // Upstream data from XSUB reaches the XPUB application.
    xsub.send("upstream").await.unwrap();
    assert_eq!(recv(&xpub).await, ["upstream"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hwm_counts_are_exact_over_inproc() {
    let router = Socket::new(SocketType::Router).unwrap();
    router.set_option(SocketOption::RcvHwm(3)).unwrap();
    router.bind("inproc://types-hwm").unwrap();
    let dealer = Socket::new(SocketType::Dealer).unwrap();
    dealer.set_option(SocketOption::SndHwm(2)).unwrap();
    dealer.connect("inproc://types-hwm").unwrap();
    let mut sent = 0;
    let deadline = tokio::time::Instant::now() + T;
    while sent < 5 && tokio::time::Instant::now() < deadline {
        match dealer.try_send("m") {
            Ok(()) => sent += 1,
            Err(Error::WouldBlock) => tokio::task::yield_now().await,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(sent, 5);
    // The pipe stays full: one more never fits while nobody reads.
    for _ in 0..100 {
        tokio::task::yield_now().await;
    }
    assert!(matches!(dealer.try_send("m"), Err(Error::WouldBlock)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conflate_keeps_only_the_newest() {
    let pull = Socket::new(SocketType::Pull).unwrap();
    pull.set_option(SocketOption::Conflate(true)).unwrap();
    pull.bind("inproc://types-conflate").unwrap();
    let push = Socket::new(SocketType::Push).unwrap();
    push.connect("inproc://types-conflate").unwrap();
    for i in 0..50 {
        push.send(format!("{i}")).await.unwrap();
    }
    // Let the pipe move everything before reading: then only the newest is left.
    push.close_and_flush().await;
    assert_eq!(
        recv(&pull).await,
        ["49"],
        "older messages were conflated away"
    );
    assert!(
        recv_within(&pull, Duration::from_millis(100))
            .await
            .is_none()
    );
    assert!(matches!(
        Socket::new(SocketType::Router)
            .unwrap()
            .set_option(SocketOption::Conflate(true)),
        Err(Error::OptionNotSupported(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn immediate_skips_unconnected_pipes() {
    let pull = Socket::new(SocketType::Pull).unwrap();
    pull.bind("inproc://types-immediate").unwrap();
    for immediate in [true, false] {
        let push = Socket::new(SocketType::Push).unwrap();
        push.set_option(SocketOption::Immediate(immediate)).unwrap();
        push.connect("inproc://types-nobody-binds-this").unwrap();
        push.connect("inproc://types-immediate").unwrap();
        for i in 0..10 {
            push.send(format!("{i}")).await.unwrap();
        }
        let mut got = 0;
        while recv_within(&pull, Duration::from_millis(200))
            .await
            .is_some()
        {
            got += 1;
        }
        // With IMMEDIATE all ten reach the live peer; without it half wait in the dead pipe.
        assert_eq!(got, if immediate { 10 } else { 5 }, "immediate={immediate}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_routing_id_names_the_peer() {
    let dealer = Socket::new(SocketType::Dealer).unwrap();
    dealer.bind("inproc://types-crid").unwrap();
    let router = Socket::new(SocketType::Router).unwrap();
    router
        .set_option(SocketOption::RouterMandatory(true))
        .unwrap();
    router
        .set_option(SocketOption::ConnectRoutingId(Bytes::from_static(
            b"peer-1",
        )))
        .unwrap();
    router.connect("inproc://types-crid").unwrap();
    let deadline = tokio::time::Instant::now() + T;
    while router.try_send(["peer-1", "hello"]).is_err() {
        assert!(tokio::time::Instant::now() < deadline);
        tokio::task::yield_now().await;
    }
    assert_eq!(recv(&dealer).await, ["hello"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn req_correlate_and_relaxed() {
    let (router, req) = pair_of(SocketType::Router, SocketType::Req, "correlate");
    req.set_option(SocketOption::ReqCorrelate(true)).unwrap();
    req.set_option(SocketOption::ReqRelaxed(true)).unwrap();
    req.send("first").await.unwrap();
    let first = recv(&router).await;
    assert_eq!(first.len(), 4, "[id, request-id, \"\", body]");
    assert_eq!(first[1].len(), 4);
    // Relaxed: a second request without waiting for the reply.
    req.send("second").await.unwrap();
    let second = recv(&router).await;
    assert_ne!(first[1], second[1]);
    // The late reply to the first request is dropped; the second one is delivered.
    router
        .send(vec![
            first[0].clone(),
            first[1].clone(),
            Bytes::new(),
            Bytes::from_static(b"late"),
        ])
        .await
        .unwrap();
    router
        .send(vec![
            second[0].clone(),
            second[1].clone(),
            Bytes::new(),
            Bytes::from_static(b"right"),
        ])
        .await
        .unwrap();
    assert_eq!(recv(&req).await, ["right"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invert_matching() {
    let (publisher, sub) = pair_of(SocketType::Pub, SocketType::Sub, "invert");
    publisher
        .set_option(SocketOption::InvertMatching(true))
        .unwrap();
    sub.set_option(SocketOption::InvertMatching(true)).unwrap();
    sub.subscribe("skip").unwrap();
    let deadline = tokio::time::Instant::now() + T;
    loop {
        publisher.send("skip-me").await.unwrap();
        publisher.send("keep").await.unwrap();
        if let Some(m) = recv_within(&sub, Duration::from_millis(20)).await {
            assert_eq!(m, ["keep"]);
            break;
        }
        assert!(tokio::time::Instant::now() < deadline);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xpub_nodrop_blocks_at_hwm() {
    let xpub = Socket::new(SocketType::XPub).unwrap();
    xpub.set_option(SocketOption::XpubNodrop(true)).unwrap();
    xpub.set_option(SocketOption::SndHwm(1)).unwrap();
    xpub.bind("inproc://types-nodrop").unwrap();
    let sub = Socket::new(SocketType::Sub).unwrap();
    sub.set_option(SocketOption::RcvHwm(1)).unwrap();
    sub.subscribe("").unwrap();
    sub.connect("inproc://types-nodrop").unwrap();
    assert_eq!(recv(&xpub).await, [&b"\x01"[..]]);
    let deadline = tokio::time::Instant::now() + T;
    let mut sent = 0;
    loop {
        match xpub.try_send("m") {
            Ok(()) => sent += 1,
            Err(Error::WouldBlock) if sent >= 2 => break,
            Err(Error::WouldBlock) => tokio::task::yield_now().await,
            Err(e) => panic!("{e}"),
        }
        assert!(
            tokio::time::Instant::now() < deadline && sent <= 2,
            "sent {sent}"
        );
    }
    assert_eq!(recv(&sub).await, ["m"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xpub_manual_and_verboser() {
    let xpub = Socket::new(SocketType::XPub).unwrap();
    xpub.set_option(SocketOption::XpubManual(true)).unwrap();
    xpub.bind("inproc://types-manual").unwrap();
    let sub = Socket::new(SocketType::Sub).unwrap();
    sub.subscribe("a").unwrap();
    sub.connect("inproc://types-manual").unwrap();
    assert_eq!(recv(&xpub).await, [&b"\x01a"[..]]);
    // Nothing is subscribed until the application says so.
    xpub.send("a1").await.unwrap();
    assert!(
        recv_within(&sub, Duration::from_millis(100))
            .await
            .is_none()
    );
    xpub.subscribe("a").unwrap();
    xpub.send("a2").await.unwrap();
    assert_eq!(recv(&sub).await, ["a2"]);

    let xpub = Socket::new(SocketType::XPub).unwrap();
    xpub.set_option(SocketOption::XpubVerboser(true)).unwrap();
    xpub.bind("inproc://types-verboser").unwrap();
    let (s1, s2) = (
        Socket::new(SocketType::Sub).unwrap(),
        Socket::new(SocketType::Sub).unwrap(),
    );
    for s in [&s1, &s2] {
        s.connect("inproc://types-verboser").unwrap();
        s.subscribe("v").unwrap();
        assert_eq!(recv(&xpub).await, [&b"\x01v"[..]]);
    }
    for s in [&s1, &s2] {
        s.unsubscribe("v").unwrap();
        assert_eq!(recv(&xpub).await, [&b"\x00v"[..]]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_routing_id_without_handover_is_not_served() {
    let router = Socket::new(SocketType::Router).unwrap();
    router.bind("inproc://types-dup").unwrap();
    let a = Socket::new(SocketType::Dealer).unwrap();
    a.set_option(SocketOption::RoutingId(Bytes::from_static(b"dup")))
        .unwrap();
    a.connect("inproc://types-dup").unwrap();
    a.send("from-a").await.unwrap();
    assert_eq!(recv(&router).await, ["dup", "from-a"]);
    let b = Socket::new(SocketType::Dealer).unwrap();
    b.set_option(SocketOption::RoutingId(Bytes::from_static(b"dup")))
        .unwrap();
    b.connect("inproc://types-dup").unwrap();
    b.send("from-b").await.unwrap();
    assert!(
        recv_within(&router, Duration::from_millis(200))
            .await
            .is_none()
    );
    router.send(["dup", "to-a"]).await.unwrap();
    assert_eq!(recv(&a).await, ["to-a"]);
}

// ---------------------------------------------------------------------------
// More pairs, exact HWM counts per pattern, and options over inproc. Each test uses its
// own Context, so inproc names cannot clash.
// ---------------------------------------------------------------------------
