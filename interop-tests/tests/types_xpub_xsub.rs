//! XPUB and XSUB against libzmq SUB, PUB, XSUB and XPUB, ours on each side, either side
//! binding, tcp and ipc; and an XSUB/XPUB forwarder between libzmq peers.

mod common;

use std::time::Duration;

use common::types::*;
use common::*;

/// Our XPUB, a libzmq SUB: the XPUB application reads `\x01topic` and `\x00topic`, and
/// only matching messages reach the SUB.
async fn our_xpub_libzmq_sub(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let xpub = ours(SocketType::XPub);
    let mut z = Zmq::new(&ctx, zmq::SUB);
    z.raw().set_subscribe(b"topic").unwrap();
    let _a = wire(&xpub, &z, binder, transport, "xps");
    let notice = recv_ours_poking(&xpub, &[&z], "subscription").await;
    assert_msg_eq(&notice, &msg(&[b"\x01topic"]));
    // The subscription is in place once the notice is read: no slow joiner from here on.
    send_ours(&xpub, &msg(&[b"other"])).await;
    send_ours(&xpub, &msg(&[b"topic-1", b"more"])).await;
    send_ours(&xpub, &msg(&[b"topi"])).await;
    send_ours(&xpub, &msg(&[b"topic"])).await;
    assert_msg_eq(&z.recv().await.unwrap(), &msg(&[b"topic-1", b"more"]));
    assert_msg_eq(&z.recv().await.unwrap(), &msg(&[b"topic"]));

    z.raw().set_subscribe(b"").unwrap();
    assert_msg_eq(
        &recv_ours_poking(&xpub, &[&z], "subscribe all").await,
        &msg(&[b"\x01"]),
    );
    z.raw().set_unsubscribe(b"topic").unwrap();
    assert_msg_eq(
        &recv_ours_poking(&xpub, &[&z], "unsubscribe").await,
        &msg(&[b"\x00topic"]),
    );
    send_ours(&xpub, &msg(&[b"anything"])).await;
    assert_msg_eq(&z.recv().await.unwrap(), &msg(&[b"anything"]));
}

/// A libzmq PUB, our XSUB: sending `\x01topic` subscribes, `\x00topic` cancels.
async fn libzmq_pub_our_xsub(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let xsub = ours(SocketType::XSub);
    let z = Zmq::new(&ctx, zmq::PUB);
    let _a = wire(&xsub, &z, binder, transport, "pxs");
    send_ours(&xsub, &msg(&[b"\x01a"])).await;
    send_ours(&xsub, &msg(&[b"\x01b"])).await;
    // Publish until the subscription has reached the PUB; only "a" and "b" get through.
    let deadline = tokio::time::Instant::now() + T;
    loop {
        z.raw().send("zzz", 0).unwrap();
        z.raw().send("a1", 0).unwrap();
        if let Some(m) = recv_ours_within(&xsub, Duration::from_millis(30)).await {
            assert_msg_eq(&m, &msg(&[b"a1"]));
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no publication");
    }
    // Drain what the loop may have left in flight.
    while let Some(m) = recv_ours_within(&xsub, Duration::from_millis(50)).await {
        assert_msg_eq(&m, &msg(&[b"a1"]));
    }
    // Cancel "a": once a round of ("a", "b") yields "b" alone, "a" stays filtered.
    send_ours(&xsub, &msg(&[b"\x00a"])).await;
    let mut round = 0u32;
    let deadline = tokio::time::Instant::now() + T;
    let mut clean_rounds = 0;
    while clean_rounds < 5 {
        round += 1;
        let a = format!("a{round}");
        let b = format!("b{round}");
        z.raw().send(a.as_bytes(), 0).unwrap();
        z.raw().send(b.as_bytes(), 0).unwrap();
        let first = recv_ours(&xsub).await;
        if first == msg(&[b.as_bytes()]) {
            clean_rounds += 1;
        } else {
            assert_eq!(
                clean_rounds, 0,
                "\"a\" came back after the cancel took effect"
            );
            assert_msg_eq(&first, &msg(&[a.as_bytes()]));
            assert_msg_eq(&recv_ours(&xsub).await, &msg(&[b.as_bytes()]));
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "cancel never took effect"
        );
    }
}

/// Our XSUB, a libzmq XPUB: the XPUB sees our subscriptions and cancels, our upstream
/// (non-subscription) messages, and publishes to us.
async fn our_xsub_libzmq_xpub(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let xsub = ours(SocketType::XSub);
    let mut z = Zmq::new(&ctx, zmq::XPUB);
    let _a = wire(&xsub, &z, binder, transport, "xsxp");
    send_ours(&xsub, &msg(&[b"\x01abc"])).await;
    assert_msg_eq(&z.recv().await.unwrap(), &msg(&[b"\x01abc"]));
    send_ours(&xsub, &msg(&[b"upstream", b"2"])).await;
    assert_msg_eq(&z.recv().await.unwrap(), &msg(&[b"upstream", b"2"]));
    z.send(msg(&[b"xyz"])).await.unwrap();
    z.send(msg(&[b"abcdef", b"tail"])).await.unwrap();
    assert_msg_eq(&recv_ours(&xsub).await, &msg(&[b"abcdef", b"tail"]));
    send_ours(&xsub, &msg(&[b"\x00abc"])).await;
    assert_msg_eq(&z.recv().await.unwrap(), &msg(&[b"\x00abc"]));
}

/// Our XPUB, a libzmq XSUB: subscriptions arrive as notices, upstream messages as they
/// are; publications reach the XSUB.
async fn our_xpub_libzmq_xsub(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let xpub = ours(SocketType::XPub);
    let mut z = Zmq::new(&ctx, zmq::XSUB);
    let _a = wire(&xpub, &z, binder, transport, "xpxs");
    z.send(msg(&[b"\x01news"])).await.unwrap();
    assert_msg_eq(
        &recv_ours_poking(&xpub, &[&z], "subscription").await,
        &msg(&[b"\x01news"]),
    );
    z.send(msg(&[b"hello upstream"])).await.unwrap();
    assert_msg_eq(&recv_ours(&xpub).await, &msg(&[b"hello upstream"]));
    send_ours(&xpub, &msg(&[b"sports"])).await;
    send_ours(&xpub, &msg(&[b"news!", b"body"])).await;
    assert_msg_eq(&z.recv().await.unwrap(), &msg(&[b"news!", b"body"]));
}

crate::each_binder_and_transport! {
    our_xpub_to_libzmq_sub => our_xpub_libzmq_sub;
    libzmq_pub_to_our_xsub => libzmq_pub_our_xsub;
    our_xsub_to_libzmq_xpub => our_xsub_libzmq_xpub;
    our_xpub_to_libzmq_xsub => our_xpub_libzmq_xsub;
}

/// Our XSUB resends its subscriptions when it reconnects to a restarted libzmq XPUB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xsub_resubscribes_after_reconnect() {
    let ctx = zmq::Context::new();
    let mut z = Zmq::new(&ctx, zmq::XPUB);
    let ep = z.bind("tcp://127.0.0.1:*");
    let xsub = ours(SocketType::XSub);
    xsub.connect(&ep).unwrap();
    send_ours(&xsub, &msg(&[b"\x01keep"])).await;
    assert_msg_eq(&z.recv().await.unwrap(), &msg(&[b"\x01keep"]));
    send_ours(&xsub, &msg(&[b"\x01drop"])).await;
    send_ours(&xsub, &msg(&[b"\x00drop"])).await;
    assert_msg_eq(&z.recv().await.unwrap(), &msg(&[b"\x01drop"]));
    assert_msg_eq(&z.recv().await.unwrap(), &msg(&[b"\x00drop"]));
    z.close();
    let mut z2 = Zmq::new(&ctx, zmq::XPUB);
    z2.bind(&ep);
    // Only the live subscription is replayed.
    assert_msg_eq(&z2.recv().await.unwrap(), &msg(&[b"\x01keep"]));
    assert!(z2.recv_within(QUIET).await.is_none());
}

/// A connecting XSUB has its pipe from connect() on, like every libzmq socket: an upstream
/// (non-subscription) message sent before the connection is up is queued and delivered
/// once it is, not dropped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xsub_upstream_message_before_connection_is_queued() {
    let ctx = zmq::Context::new();
    let path = IpcPath::new("xsub-early");
    let xsub = ours(SocketType::XSub);
    xsub.connect(&path.endpoint()).unwrap();
    send_ours(&xsub, &msg(&[b"early upstream"])).await;
    send_ours(&xsub, &msg(&[b"\x01t"])).await;
    let mut z = Zmq::new(&ctx, zmq::XPUB);
    z.bind(&path.endpoint());
    let mut got = vec![z.recv_or("first").await];
    if let Some(m) = z.recv_within(Duration::from_secs(1)).await {
        got.push(m);
    }
    assert!(
        got.contains(&msg(&[b"early upstream"])),
        "libzmq XPUB got only {got:?}"
    );
}

/// Runs a forwarder between `xsub` and `xpub` until either closes.
fn forwarder(xsub: &Socket, xpub: &Socket) -> tokio::task::JoinHandle<()> {
    let (xsub, xpub) = (xsub.clone(), xpub.clone());
    tokio::spawn(async move {
        loop {
            tokio::select! {
                m = xsub.recv_message() => match m {
                    Ok(m) => if xpub.send(m).await.is_err() { break },
                    Err(_) => break,
                },
                m = xpub.recv_message() => match m {
                    Ok(m) => if xsub.send(m).await.is_err() { break },
                    Err(_) => break,
                },
            }
        }
    })
}

/// The classic forwarder: libzmq PUB -> our XSUB | proxy | our XPUB -> libzmq SUBs.
/// Each SUB gets only its topic, end to end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarder_between_libzmq_pub_and_subs() {
    let ctx = zmq::Context::new();
    let publisher = Zmq::new(&ctx, zmq::PUB);
    let pub_ep = publisher.bind("tcp://127.0.0.1:*");
    let xsub = ours(SocketType::XSub);
    xsub.connect(&pub_ep).unwrap();
    let xpub = ours(SocketType::XPub);
    let path = IpcPath::new("fwd");
    let xpub_ep = bind_ours(&xpub, &path.endpoint());
    let proxy = forwarder(&xsub, &xpub);
    let mut weather = Zmq::new(&ctx, zmq::SUB);
    weather.raw().set_subscribe(b"weather").unwrap();
    weather.connect(&xpub_ep);
    let mut sports = Zmq::new(&ctx, zmq::SUB);
    sports.raw().set_subscribe(b"sports").unwrap();
    sports.connect(&xpub_ep);
    // Publish until both subscriptions made it upstream (slow joiners).
    let mut got_weather = None;
    let mut got_sports = None;
    let deadline = tokio::time::Instant::now() + T;
    while got_weather.is_none() || got_sports.is_none() {
        publisher.raw().send("news 1", 0).unwrap();
        publisher.raw().send("weather 22", 0).unwrap();
        publisher.raw().send("sports 3-1", 0).unwrap();
        if got_weather.is_none() {
            got_weather = weather.recv_within(Duration::from_millis(20)).await;
        }
        if got_sports.is_none() {
            got_sports = sports.recv_within(Duration::from_millis(20)).await;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "nothing crossed the forwarder"
        );
    }
    assert_msg_eq(&got_weather.unwrap(), &msg(&[b"weather 22"]));
    assert_msg_eq(&got_sports.unwrap(), &msg(&[b"sports 3-1"]));
    // Multipart messages cross whole.
    publisher
        .raw()
        .send_multipart(["weather", "part 2", ""].iter(), 0)
        .unwrap();
    loop {
        let m = weather.recv().await.unwrap();
        if m != msg(&[b"weather 22"]) {
            assert_msg_eq(&m, &msg(&[b"weather", b"part 2", b""]));
            break;
        }
    }
    xsub.close();
    xpub.close();
    let _ = proxy.await;
}

/// Same forwarder with a libzmq XPUB upstream, so the subscriptions flowing up are
/// visible: a SUB's subscribe arrives as `\x01topic`, and its departure as `\x00topic`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarder_passes_subscriptions_upstream() {
    let ctx = zmq::Context::new();
    let mut upstream = Zmq::new(&ctx, zmq::XPUB);
    let up_ep = upstream.bind("tcp://127.0.0.1:*");
    let xsub = ours(SocketType::XSub);
    xsub.connect(&up_ep).unwrap();
    let xpub = ours(SocketType::XPub);
    let xpub_ep = bind_ours(&xpub, "tcp://127.0.0.1:*");
    let proxy = forwarder(&xsub, &xpub);
    let mut sub = Zmq::new(&ctx, zmq::SUB);
    sub.raw().set_subscribe(b"weather").unwrap();
    sub.connect(&xpub_ep);
    let deadline = tokio::time::Instant::now() + T;
    let notice = loop {
        sub.poke();
        if let Some(m) = upstream.recv_within(Duration::from_millis(20)).await {
            break m;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no subscription upstream"
        );
    };
    assert_msg_eq(&notice, &msg(&[b"\x01weather"]));
    upstream.send(msg(&[b"weather now"])).await.unwrap();
    assert_msg_eq(&sub.recv().await.unwrap(), &msg(&[b"weather now"]));
    sub.close();
    assert_msg_eq(
        &upstream.recv_or("unsubscription upstream").await,
        &msg(&[b"\x00weather"]),
    );
    xsub.close();
    xpub.close();
    let _ = proxy.await;
}

/// Our connecting XPUB dropping its connection to a libzmq SUB with disconnect() reports
/// the SUB's topics as gone, waking an application already waiting in recv().
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xpub_disconnect_reports_the_topics_gone() {
    let ctx = zmq::Context::new();
    let s = Zmq::new(&ctx, zmq::SUB);
    s.raw().set_subscribe(b"t").unwrap();
    let ep = s.bind("tcp://127.0.0.1:*");
    let xpub = ours(SocketType::XPub);
    xpub.connect(&ep).unwrap();
    assert_msg_eq(
        &recv_ours_poking(&xpub, &[&s], "subscription").await,
        &msg(&[b"\x01t"]),
    );
    let waiter = {
        let xpub = xpub.clone();
        tokio::spawn(async move { recv_ours(&xpub).await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    xpub.disconnect(&ep).unwrap();
    assert_msg_eq(&waiter.await.unwrap(), &msg(&[b"\x00t"]));
}
