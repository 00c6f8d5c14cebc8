//! Our own sockets over inproc, third part: routing ids, XPUB/XSUB and REQ over linked
//! sockets (the first part is `types_inproc.rs`).

mod inproc_common;

use std::time::Duration;

use inproc_common::*;
use zmtp_api::{Bytes, Error, Socket, SocketOption, SocketType};

/// ROUTER_MANDATORY over inproc: exactly SNDHWM + RCVHWM fit, then WouldBlock; without
/// it the same sends all "succeed" and the extra ones are dropped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn router_mandatory_exact_hwm() {
    for mandatory in [true, false] {
        let ctx = zmtp_api::Context::new();
        let dealer = Socket::with_context(SocketType::Dealer, &ctx).unwrap();
        dealer.set_option(SocketOption::RcvHwm(3)).unwrap();
        dealer
            .set_option(SocketOption::RoutingId(Bytes::from_static(b"D")))
            .unwrap();
        dealer.bind("inproc://mand").unwrap();
        let router = Socket::with_context(SocketType::Router, &ctx).unwrap();
        router.set_option(SocketOption::SndHwm(2)).unwrap();
        router
            .set_option(SocketOption::RouterMandatory(true))
            .unwrap();
        router.connect("inproc://mand").unwrap();
        let deadline = tokio::time::Instant::now() + T;
        while router.try_send(["D", "probe"]).is_err() {
            assert!(tokio::time::Instant::now() < deadline);
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert_eq!(recv(&dealer).await, ["probe"]);
        router
            .set_option(SocketOption::RouterMandatory(mandatory))
            .unwrap();
        let mut ok = 0;
        for i in 0..10 {
            match router.try_send(vec![Bytes::from_static(b"D"), Bytes::from(i.to_string())]) {
                Ok(()) => ok += 1,
                Err(Error::WouldBlock) => assert!(mandatory),
                Err(e) => panic!("{e}"),
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!(ok, if mandatory { 5 } else { 10 });
        let got = drain(&dealer, SETTLE).await;
        assert_eq!(got.len(), 5, "mandatory={mandatory}: {got:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn router_handover_over_inproc() {
    let ctx = zmtp_api::Context::new();
    let router = Socket::with_context(SocketType::Router, &ctx).unwrap();
    router
        .set_option(SocketOption::RouterHandover(true))
        .unwrap();
    router.bind("inproc://handover").unwrap();
    let mut dealers = Vec::new();
    for n in ["1", "2"] {
        let d = Socket::with_context(SocketType::Dealer, &ctx).unwrap();
        d.set_option(SocketOption::RoutingId(Bytes::from_static(b"same")))
            .unwrap();
        d.connect("inproc://handover").unwrap();
        send(&d, n).await;
        assert_eq!(recv(&router).await, ["same", n]);
        dealers.push(d);
    }
    send(&router, ["same", "to the newcomer"]).await;
    assert_eq!(recv(&dealers[1]).await, ["to the newcomer"]);
    assert!(recv_within(&dealers[0], SETTLE).await.is_none());
}

/// libzmq names a connect-side ROUTER pipe with CONNECT_ROUTING_ID at connect(), so a
/// send right after connect() is routed (and waits in the pipe).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_routing_id_routable_right_after_connect() {
    let ctx = zmtp_api::Context::new();
    let router = Socket::with_context(SocketType::Router, &ctx).unwrap();
    router
        .set_option(SocketOption::RouterMandatory(true))
        .unwrap();
    router
        .set_option(SocketOption::ConnectRoutingId(Bytes::from_static(b"early")))
        .unwrap();
    // Connect before anybody binds: the pipe exists, the peer does not yet.
    router.connect("inproc://crid-early").unwrap();
    let sent = router.try_send(["early", "queued"]);
    assert!(sent.is_ok(), "{sent:?}");
    let dealer = Socket::with_context(SocketType::Dealer, &ctx).unwrap();
    dealer.bind("inproc://crid-early").unwrap();
    assert_eq!(recv(&dealer).await, ["queued"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xpub_welcome_and_verbose_over_inproc() {
    let ctx = zmtp_api::Context::new();
    let xpub = Socket::with_context(SocketType::XPub, &ctx).unwrap();
    xpub.set_option(SocketOption::XpubWelcomeMsg(Bytes::from_static(b"W-hello")))
        .unwrap();
    xpub.set_option(SocketOption::XpubVerbose(true)).unwrap();
    xpub.bind("inproc://welcome").unwrap();
    let a = Socket::with_context(SocketType::Sub, &ctx).unwrap();
    a.subscribe("W").unwrap();
    a.connect("inproc://welcome").unwrap();
    assert_eq!(recv(&a).await, ["W-hello"]);
    assert_eq!(recv(&xpub).await, [&b"\x01W"[..]]);
    let b = Socket::with_context(SocketType::Sub, &ctx).unwrap();
    b.subscribe("W").unwrap();
    b.connect("inproc://welcome").unwrap();
    assert_eq!(recv(&b).await, ["W-hello"]);
    // Verbose: the duplicate is reported.
    assert_eq!(recv(&xpub).await, [&b"\x01W"[..]]);
}

/// A SUB closing over inproc is reported to the XPUB as `\x00topic` (libzmq's
/// test_disconnect_inproc), and an application waiting in recv() is woken for it. The
/// first of two holders leaving is not reported; the last one is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xpub_reports_departure_over_inproc() {
    let ctx = zmtp_api::Context::new();
    let xpub = Socket::with_context(SocketType::XPub, &ctx).unwrap();
    xpub.bind("inproc://departure").unwrap();
    let a = Socket::with_context(SocketType::Sub, &ctx).unwrap();
    a.subscribe("W").unwrap();
    a.connect("inproc://departure").unwrap();
    assert_eq!(recv(&xpub).await, [&b"\x01W"[..]]);
    let b = Socket::with_context(SocketType::Sub, &ctx).unwrap();
    b.subscribe("W").unwrap();
    b.subscribe("b-ready").unwrap();
    b.connect("inproc://departure").unwrap();
    assert_eq!(recv(&xpub).await, [&b"\x01b-ready"[..]]);
    // Wait in recv() before the departures happen, so the wake-up is what is tested.
    let waiter = {
        let xpub = xpub.clone();
        tokio::spawn(async move { recv(&xpub).await })
    };
    // Give the waiter time to park (only makes a lost wake-up visible; with a prompt
    // wake-up the test passes however long this is).
    tokio::time::sleep(Duration::from_millis(50)).await;
    a.close();
    b.close();
    let first = waiter.await.unwrap();
    let second = recv(&xpub).await;
    let mut got = vec![first, second];
    got.sort();
    assert_eq!(
        got,
        [
            vec![Bytes::from_static(b"\x00W")],
            vec![Bytes::from_static(b"\x00b-ready")]
        ]
    );
    assert!(recv_within(&xpub, SETTLE).await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xsub_to_pub_and_xpub_to_sub() {
    let ctx = zmtp_api::Context::new();
    let (publisher, xsub) = linked(&ctx, SocketType::Pub, SocketType::XSub);
    send(&xsub, b"\x01t".to_vec()).await;
    let deadline = tokio::time::Instant::now() + T;
    loop {
        send(&publisher, "u").await;
        send(&publisher, "t1").await;
        if let Some(m) = recv_within(&xsub, Duration::from_millis(20)).await {
            assert_eq!(m, ["t1"]);
            break;
        }
        assert!(tokio::time::Instant::now() < deadline);
    }
    let ctx = zmtp_api::Context::new();
    let (sub, xpub) = linked(&ctx, SocketType::Sub, SocketType::XPub);
    sub.subscribe("s").unwrap();
    assert_eq!(recv(&xpub).await, [&b"\x01s"[..]]);
    send(&xpub, "x").await;
    send(&xpub, "s1").await;
    assert_eq!(recv(&sub).await, ["s1"]);
}

/// The forwarder over inproc: PUB -> XSUB | proxy | XPUB -> SUB, subscriptions upstream.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xsub_xpub_forwarder_over_inproc() {
    let ctx = zmtp_api::Context::new();
    let publisher = Socket::with_context(SocketType::Pub, &ctx).unwrap();
    publisher.bind("inproc://up").unwrap();
    let xsub = Socket::with_context(SocketType::XSub, &ctx).unwrap();
    xsub.connect("inproc://up").unwrap();
    let xpub = Socket::with_context(SocketType::XPub, &ctx).unwrap();
    xpub.bind("inproc://down").unwrap();
    let (a, b) = (xsub.clone(), xpub.clone());
    let proxy = tokio::spawn(async move {
        loop {
            tokio::select! {
                m = a.recv_message() => match m {
                    Ok(m) => { let _ = b.send(m).await; }
                    Err(_) => break,
                },
                m = b.recv_message() => match m {
                    Ok(m) => { let _ = a.send(m).await; }
                    Err(_) => break,
                },
            }
        }
    });
    let sub = Socket::with_context(SocketType::Sub, &ctx).unwrap();
    sub.subscribe("w").unwrap();
    sub.connect("inproc://down").unwrap();
    let deadline = tokio::time::Instant::now() + T;
    loop {
        send(&publisher, "x").await;
        send(&publisher, ["w1", "part"]).await;
        if let Some(m) = recv_within(&sub, Duration::from_millis(20)).await {
            assert_eq!(m, ["w1", "part"]);
            break;
        }
        assert!(tokio::time::Instant::now() < deadline);
    }
    xsub.close();
    xpub.close();
    let _ = proxy.await;
}

/// Over inproc libzmq's REQ skips a malformed reply (no empty delimiter) and returns the
/// next good one (the connection-dropping check lives in libzmq's tcp/ipc session only).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn req_skips_malformed_reply_over_inproc() {
    let ctx = zmtp_api::Context::new();
    let (router, req) = linked(&ctx, SocketType::Router, SocketType::Req);
    send(&req, "r").await;
    let m = recv(&router).await;
    assert_eq!(&m[1..], ["", "r"]);
    send(
        &router,
        vec![m[0].clone(), Bytes::from_static(b"no delimiter")],
    )
    .await;
    // Let the REQ take (and discard) the bad reply before the good one is even sent.
    for _ in 0..20 {
        assert!(req.try_recv_message().unwrap().is_none());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    send(
        &router,
        vec![m[0].clone(), Bytes::new(), Bytes::from_static(b"good")],
    )
    .await;
    assert_eq!(recv(&req).await, ["good"]);
}

/// Messages already taken off the incoming queue ahead of the application (the receive
/// side routes them in batches) still obey a later unsubscribe, as libzmq's SUB filters
/// at read time: after unsubscribing "A", no queued "A" message is delivered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sub_unsubscribe_filters_messages_already_queued() {
    let ctx = zmtp_api::Context::new();
    let (publisher, sub) = linked(&ctx, SocketType::Pub, SocketType::Sub);
    sub.subscribe("A").unwrap();
    sub.subscribe("B").unwrap();
    let deadline = tokio::time::Instant::now() + T;
    loop {
        send(&publisher, "B-sync").await;
        if recv_within(&sub, Duration::from_millis(20)).await.is_some() {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "never subscribed");
    }
    while recv_within(&sub, Duration::from_millis(20)).await.is_some() {}
    for i in 0..20 {
        send(&publisher, format!("A{i}")).await;
        send(&publisher, format!("B{i}")).await;
    }
    send(&publisher, "B-end").await;
    // The first receive routes a batch ahead; then "A" goes.
    assert_eq!(recv(&sub).await, ["A0"]);
    sub.unsubscribe("A").unwrap();
    let mut rest = Vec::new();
    loop {
        let m = recv(&sub).await;
        let body = String::from_utf8(m[0].to_vec()).unwrap();
        if body == "B-end" {
            break;
        }
        rest.push(body);
    }
    let want: Vec<String> = (0..20).map(|i| format!("B{i}")).collect();
    assert_eq!(rest, want, "no A after the unsubscribe, every B in order");
}
