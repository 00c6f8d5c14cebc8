//! Our own sockets over inproc, second part: the patterns across linked sockets and
//! every pattern's exact HWM sums (the first part is `types_inproc.rs`).

mod inproc_common;

use std::time::Duration;

use inproc_common::*;
use zmtp_api::{Bytes, Socket, SocketOption, SocketType};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pub_sub_and_push_pull_and_req_rep() {
    let ctx = zmtp_api::Context::new();
    let (publisher, sub) = linked(&ctx, SocketType::Pub, SocketType::Sub);
    sub.subscribe("a").unwrap();
    // inproc subscriptions travel asynchronously: publish until one lands.
    let deadline = tokio::time::Instant::now() + T;
    loop {
        send(&publisher, "b-skip").await;
        send(&publisher, ["a-take", "2"]).await;
        if let Some(m) = recv_within(&sub, Duration::from_millis(20)).await {
            assert_eq!(m, ["a-take", "2"]);
            break;
        }
        assert!(tokio::time::Instant::now() < deadline);
    }

    let ctx = zmtp_api::Context::new();
    let (pull, push) = linked(&ctx, SocketType::Pull, SocketType::Push);
    for i in 0..10 {
        send(&push, format!("{i}")).await;
    }
    for i in 0..10 {
        assert_eq!(recv(&pull).await, [format!("{i}")]);
    }

    let ctx = zmtp_api::Context::new();
    let (rep, req) = linked(&ctx, SocketType::Rep, SocketType::Req);
    for i in 0..3 {
        send(&req, format!("q{i}")).await;
        assert_eq!(recv(&rep).await, [format!("q{i}")]);
        send(&rep, format!("a{i}")).await;
        assert_eq!(recv(&req).await, [format!("a{i}")]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rep_keeps_the_dealer_envelope() {
    let ctx = zmtp_api::Context::new();
    let (rep, dealer) = linked(&ctx, SocketType::Rep, SocketType::Dealer);
    send(&dealer, ["no delimiter"]).await;
    send(&dealer, ["x", "y", "", "q"]).await;
    assert_eq!(recv(&rep).await, ["q"]);
    send(&rep, ["a", "b"]).await;
    assert_eq!(recv(&dealer).await, ["x", "y", "", "a", "b"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn router_routes_among_several_dealers() {
    let ctx = zmtp_api::Context::new();
    let router = Socket::with_context(SocketType::Router, &ctx).unwrap();
    router.bind("inproc://rr").unwrap();
    let mut dealers = Vec::new();
    for name in ["d0", "d1", "d2"] {
        let d = Socket::with_context(SocketType::Dealer, &ctx).unwrap();
        d.set_option(SocketOption::RoutingId(Bytes::from_static(name.as_bytes())))
            .unwrap();
        d.connect("inproc://rr").unwrap();
        send(&d, ["hi", name]).await;
        dealers.push(d);
    }
    let mut seen = Vec::new();
    for _ in 0..3 {
        let m = recv(&router).await;
        assert_eq!(m[0], m[2], "{m:?}");
        seen.push(m[0].clone());
    }
    seen.sort();
    assert_eq!(seen, ["d0", "d1", "d2"]);
    for (i, name) in ["d2", "d0", "d1"].iter().enumerate() {
        send(
            &router,
            vec![Bytes::from(*name), Bytes::from(format!("reply {i}"))],
        )
        .await;
    }
    assert_eq!(recv(&dealers[2]).await, ["reply 0"]);
    assert_eq!(recv(&dealers[0]).await, ["reply 1"]);
    assert_eq!(recv(&dealers[1]).await, ["reply 2"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn router_router_with_probe() {
    let ctx = zmtp_api::Context::new();
    let bound = Socket::with_context(SocketType::Router, &ctx).unwrap();
    bound.bind("inproc://probe").unwrap();
    let prober = Socket::with_context(SocketType::Router, &ctx).unwrap();
    prober.set_option(SocketOption::ProbeRouter(true)).unwrap();
    prober
        .set_option(SocketOption::RoutingId(Bytes::from_static(b"P")))
        .unwrap();
    prober.connect("inproc://probe").unwrap();
    assert_eq!(recv(&bound).await, ["P", ""]);
    send(&bound, ["P", "hello"]).await;
    let m = recv(&prober).await;
    assert_eq!(m.len(), 2);
    assert_eq!(m[0].len(), 5, "automatic id of the bound router");
    assert_eq!(m[1], "hello");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pair_second_peer_is_not_served() {
    let ctx = zmtp_api::Context::new();
    let (a, b) = linked(&ctx, SocketType::Pair, SocketType::Pair);
    send(&b, "first").await;
    assert_eq!(recv(&a).await, ["first"]);
    let intruder = Socket::with_context(SocketType::Pair, &ctx).unwrap();
    intruder.connect("inproc://link").unwrap();
    let _ = intruder.try_send("intruder");
    send(&b, "second").await;
    assert_eq!(recv(&a).await, ["second"]);
    send(&a, "to b").await;
    assert_eq!(recv(&b).await, ["to b"]);
    assert!(recv_within(&intruder, SETTLE).await.is_none());
    assert!(recv_within(&a, SETTLE).await.is_none());
}

/// SNDHWM of the sender plus RCVHWM of the receiver, exactly, for each blocking pattern
/// (libzmq's inproc capacity); then everything arrives in order once the receiver reads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hwm_sum_is_exact_for_each_pattern() {
    let cases = [
        (SocketType::Pull, SocketType::Push),
        (SocketType::Pair, SocketType::Pair),
        (SocketType::Dealer, SocketType::Dealer),
        (SocketType::Router, SocketType::Dealer),
    ];
    for (recv_kind, send_kind) in cases {
        let ctx = zmtp_api::Context::new();
        let receiver = Socket::with_context(recv_kind, &ctx).unwrap();
        receiver.set_option(SocketOption::RcvHwm(3)).unwrap();
        receiver.bind("inproc://hwm").unwrap();
        let sender = Socket::with_context(send_kind, &ctx).unwrap();
        sender.set_option(SocketOption::SndHwm(2)).unwrap();
        sender.connect("inproc://hwm").unwrap();
        let sent = fill(&sender, SETTLE).await;
        assert_eq!(sent, 5, "{send_kind:?} -> {recv_kind:?}");
        for i in 0..5 {
            let m = recv(&receiver).await;
            assert_eq!(m.last().unwrap(), &i.to_string(), "{send_kind:?}");
        }
    }
}

/// Defaults: 1000 + 1000 = 2000 over inproc (libzmq test_hwm).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_inproc_capacity_is_2000() {
    let ctx = zmtp_api::Context::new();
    let (_pull, push) = linked(&ctx, SocketType::Pull, SocketType::Push);
    assert_eq!(fill(&push, SETTLE).await, 2000);
}

/// Connect before bind: the connecting PUSH's own pipe holds SNDHWM messages; once the
/// PULL binds, its RCVHWM more fit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hwm_connect_before_bind() {
    let ctx = zmtp_api::Context::new();
    let push = Socket::with_context(SocketType::Push, &ctx).unwrap();
    push.set_option(SocketOption::SndHwm(2)).unwrap();
    push.connect("inproc://later").unwrap();
    assert_eq!(fill(&push, SETTLE).await, 2);
    let pull = Socket::with_context(SocketType::Pull, &ctx).unwrap();
    pull.set_option(SocketOption::RcvHwm(3)).unwrap();
    pull.bind("inproc://later").unwrap();
    assert_eq!(fill(&push, SETTLE).await, 3);
    let got = drain(&pull, SETTLE).await;
    let want: Vec<Vec<Bytes>> = ["0", "1", "0", "1", "2"]
        .iter()
        .map(|s| vec![Bytes::from_static(s.as_bytes())])
        .collect();
    assert_eq!(got, want);
}

/// PUB drops at HWM (per subscriber): of 10 published, exactly SNDHWM + RCVHWM arrive,
/// the first ones. XPUB_NODROP refuses the 6th instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pub_drops_and_nodrop_refuses_at_exact_hwm() {
    for nodrop in [false, true] {
        let ctx = zmtp_api::Context::new();
        let xpub = Socket::with_context(SocketType::XPub, &ctx).unwrap();
        xpub.set_option(SocketOption::SndHwm(2)).unwrap();
        xpub.set_option(SocketOption::XpubNodrop(nodrop)).unwrap();
        xpub.bind("inproc://pubhwm").unwrap();
        let sub = Socket::with_context(SocketType::Sub, &ctx).unwrap();
        sub.set_option(SocketOption::RcvHwm(3)).unwrap();
        sub.subscribe("").unwrap();
        sub.connect("inproc://pubhwm").unwrap();
        assert_eq!(recv(&xpub).await, [&b"\x01"[..]]);
        if nodrop {
            assert_eq!(fill(&xpub, SETTLE).await, 5);
        } else {
            for i in 0..10 {
                xpub.try_send(Bytes::from(i.to_string())).unwrap();
                // Drops must depend only on the HWMs: the first RCVHWM messages reach
                // the subscriber (waited for), the next SNDHWM wait in the pipe, the
                // rest find it full. (A fixed pause here flaked under CPU load.)
                if i < 3 {
                    assert!(xpub.flush(Some(T)).await, "message {i} not moved on");
                }
            }
        }
        let got: Vec<String> = drain(&sub, SETTLE)
            .await
            .into_iter()
            .map(|m| String::from_utf8(m[0].to_vec()).unwrap())
            .collect();
        assert_eq!(got, ["0", "1", "2", "3", "4"], "nodrop={nodrop}");
    }
}
