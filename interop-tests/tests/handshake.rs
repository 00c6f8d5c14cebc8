//! Greeting and READY as a raw peer sees them from our sockets, including the
//! libzmq-style staged greeting (digest §2.2) and commands after the handshake.

mod common;

use std::time::Duration;

use common::*;

/// libzmq sends 10 bytes, then waits for ours before sending the 11th and the
/// rest. Our socket must not wait for the peer's whole greeting either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_greeting_does_not_wait_for_the_peer_greeting() {
    let pull = ours(SocketType::Pull);
    let ep = bind_ours(&pull, "tcp://127.0.0.1:*");
    let mut peer = RawPeer::connect(&ep).await.unwrap();
    let mine = greeting_bytes(3, 1, "NULL");
    // Send only the 10-byte signature, like libzmq does first ...
    peer.send_bytes(&mine[..10]).await.unwrap();
    // ... and we must get 11 bytes back: our signature, then our major version.
    let first = peer
        .read_exact(11)
        .await
        .expect("our side waited for the peer's whole greeting");
    assert_eq!(first[0], 0xFF);
    assert_eq!(first[9] & 1, 1);
    assert_eq!(first[10], 3);
    peer.send_bytes(&mine[10..11]).await.unwrap();
    peer.send_bytes(&mine[11..]).await.unwrap();
    let rest = peer.read_exact(53).await.unwrap();
    assert_eq!(rest[0], 1, "minor");
    assert_eq!(&rest[1..5], b"NULL");
    peer.send_ready("PUSH", None).await.unwrap();
    let ready = peer.read_command().await.unwrap();
    assert_eq!(ready.name, "READY");
    peer.send_message(&[b"staged"]).await.unwrap();
    assert_msg_eq(&recv_ours(&pull).await, &msg(&[b"staged"]));
}

/// A peer greeting with libzmq's padding (`00..01` in bytes 1-8) and any as-server byte is fine.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libzmq_style_padding_is_accepted() {
    let pull = ours(SocketType::Pull);
    let ep = bind_ours(&pull, "tcp://127.0.0.1:*");
    let mut peer = RawPeer::connect(&ep).await.unwrap();
    let mut g = greeting_bytes(3, 1, "NULL");
    g[8] = 0x01;
    g[32] = 0x01;
    peer.send_bytes(&g).await.unwrap();
    peer.read_greeting().await.unwrap();
    peer.send_ready("PUSH", None).await.unwrap();
    assert_eq!(peer.read_command().await.unwrap().name, "READY");
    peer.send_message(&[b"padded"]).await.unwrap();
    assert_msg_eq(&recv_ours(&pull).await, &msg(&[b"padded"]));
}

/// READY metadata of each socket type: exact `Socket-Type` spelling, and
/// `Identity` only from REQ, DEALER and ROUTER.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_ready_metadata_per_socket_type() {
    // (ours, its name, peer type, sends Identity, required: the REQ/REP,
    // PUSH/PULL, PUB/SUB core; the others are checked when the facade has them).
    let cases: &[(SocketType, &str, &str, bool, bool)] = &[
        (SocketType::Req, "REQ", "REP", true, true),
        (SocketType::Rep, "REP", "REQ", false, true),
        (SocketType::Pub, "PUB", "SUB", false, true),
        (SocketType::Sub, "SUB", "PUB", false, true),
        (SocketType::Push, "PUSH", "PULL", false, true),
        (SocketType::Pull, "PULL", "PUSH", false, true),
        (SocketType::Dealer, "DEALER", "ROUTER", true, false),
        (SocketType::Router, "ROUTER", "DEALER", true, false),
        (SocketType::XPub, "XPUB", "SUB", false, false),
        (SocketType::XSub, "XSUB", "PUB", false, false),
        (SocketType::Pair, "PAIR", "PAIR", false, false),
    ];
    for &(kind, name, peer_type, has_identity, required) in cases {
        let s = match Socket::new(kind) {
            Ok(s) => s,
            Err(e) if !required => {
                eprintln!("skipping {name}: {e}");
                continue;
            }
            Err(e) => panic!("Socket::new({name}): {e}"),
        };
        let ep = bind_ours(&s, "tcp://127.0.0.1:*");
        let mut peer = RawPeer::connect(&ep).await.unwrap();
        let hs = peer.handshake(1, peer_type, None).await.unwrap();
        assert_eq!(hs.mechanism(), "NULL", "{name}");
        let names: Vec<&str> = hs.properties.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names.first(),
            Some(&"Socket-Type"),
            "{name}: Socket-Type first, exact spelling"
        );
        assert_eq!(hs.properties[0].1, name.as_bytes(), "{name}");
        assert_eq!(
            names.contains(&"Identity"),
            has_identity,
            "{name}: Identity present iff REQ/DEALER/ROUTER: {names:?}"
        );
        if has_identity {
            assert_eq!(
                hs.property("Identity"),
                Some(&b""[..]),
                "{name}: empty identity by default"
            );
        }
        // Still connected after a correct handshake.
        assert!(
            peer.stays_open(Duration::from_millis(50)).await,
            "{name}: dropped a valid peer"
        );
        s.close();
    }
}

/// A routing id set on our DEALER goes into READY and a libzmq ROUTER uses it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_dealer_routing_id_reaches_libzmq_router() {
    let dealer = match Socket::new(SocketType::Dealer) {
        Ok(s) => s,
        Err(zmtp_api::Error::NotSupported(_)) => {
            eprintln!("skipped: DEALER not supported by the facade yet");
            return;
        }
        Err(e) => panic!("Socket::new(DEALER): {e}"),
    };
    dealer
        .set_option(SocketOption::RoutingId(Bytes::from_static(b"dealer-7")))
        .unwrap();
    let l = RawListener::bind("tcp://127.0.0.1:0").await.unwrap();
    dealer.connect(l.endpoint()).unwrap();
    let mut peer = l.accept().await.unwrap();
    let hs = peer.handshake(1, "ROUTER", Some(b"")).await.unwrap();
    assert_eq!(hs.property("Identity"), Some(&b"dealer-7"[..]));
    drop(peer);
    drop(l);

    let ctx = zmq::Context::new();
    let mut router = Zmq::new(&ctx, zmq::ROUTER);
    let ep = router.bind("tcp://127.0.0.1:*");
    let dealer2 = ours(SocketType::Dealer);
    dealer2
        .set_option(SocketOption::RoutingId(Bytes::from_static(b"dealer-7")))
        .unwrap();
    dealer2.connect(&ep).unwrap();
    send_ours(&dealer2, &msg(&[b"hi"])).await;
    assert_msg_eq(&router.recv().await.unwrap(), &msg(&[b"dealer-7", b"hi"]));
    router.send(msg(&[b"dealer-7", b"back"])).await.unwrap();
    assert_msg_eq(&recv_ours(&dealer2).await, &msg(&[b"back"]));
}

/// PING (TTL 0, context "LOL") is answered with PONG "LOL"; unknown commands
/// after the handshake are ignored and the connection keeps working.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_socket_answers_ping_and_ignores_unknown_commands() {
    let pull = ours(SocketType::Pull);
    let ep = bind_ours(&pull, "tcp://127.0.0.1:*");
    let mut peer = RawPeer::connect(&ep).await.unwrap();
    peer.handshake(1, "PUSH", None).await.unwrap();

    peer.send_command("PING", b"\x00\x00LOL").await.unwrap();
    let pong = peer.read_command().await.unwrap();
    assert_eq!(
        (pong.name.as_str(), pong.data.as_slice()),
        ("PONG", &b"LOL"[..])
    );

    peer.send_command("XWHATEVER", b"some data").await.unwrap();
    peer.send_message(&[b"still", b"here"]).await.unwrap();
    assert_msg_eq(&recv_ours(&pull).await, &msg(&[b"still", b"here"]));
}

/// The staged greeting end to end (issue 13), with a raw peer that reveals its
/// greeting one byte per write and reads what our socket sent after each: our
/// 10-byte signature before it says anything, our major version once its
/// signature is complete, the other 53 bytes once its major version is in,
/// nothing else before its greeting is whole; then READY and a message.
/// `ours_sends`: whether our socket is the one sending the message.
async fn greeting_a_byte_at_a_time(
    peer: &mut RawPeer,
    ours: &Socket,
    ours_connects: bool,
    peer_type: &str,
) {
    let ours_sends = ours_connects;
    let sig = peer
        .read_exact(10)
        .await
        .expect("our signature, before the peer sends anything");
    assert_eq!((sig[0], sig[9]), (0xFF, 0x7F), "{sig:02x?}");
    let mine = greeting_bytes(3, 1, "NULL");
    // The connecting side holds the rest of its greeting until ours is whole (so a
    // mechanism mismatch is always its to see); the accepting side sends it after our
    // major version, as libzmq does.
    let rest_after = if ours_connects { 64 } else { 11 };
    for (i, b) in mine.iter().enumerate() {
        assert_eq!(peer.pending().await.unwrap(), b"", "before byte {}", i + 1);
        peer.send_bytes(std::slice::from_ref(b)).await.unwrap();
        match i + 1 {
            10 => assert_eq!(peer.read_exact(1).await.unwrap(), [3], "major"),
            n if n == rest_after => {
                let rest = peer.read_exact(53).await.unwrap();
                assert_eq!(rest[0], 1, "minor");
                assert_eq!(&rest[1..21], &greeting_bytes(3, 1, "NULL")[12..32]);
                assert!(rest[21..].iter().all(|&b| b == 0), "{rest:02x?}");
            }
            _ => {}
        }
    }
    let ready = peer.read_command().await.unwrap();
    assert_eq!(ready.name, "READY");
    peer.send_ready(peer_type, None).await.unwrap();
    if ours_sends {
        send_ours(ours, &msg(&[b"staged"])).await;
        assert_eq!(peer.read_message().await.unwrap(), [b"staged".to_vec()]);
    } else {
        peer.send_message(&[b"staged"]).await.unwrap();
        assert_msg_eq(&recv_ours(ours).await, &msg(&[b"staged"]));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staged_greeting_a_byte_at_a_time_ours_binding() {
    let pull = ours(SocketType::Pull);
    let ep = bind_ours(&pull, "tcp://127.0.0.1:*");
    let mut peer = RawPeer::connect(&ep).await.unwrap();
    greeting_a_byte_at_a_time(&mut peer, &pull, false, "PUSH").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staged_greeting_a_byte_at_a_time_ours_connecting() {
    let l = RawListener::bind("tcp://127.0.0.1:0").await.unwrap();
    let push = ours(SocketType::Push);
    push.connect(l.endpoint()).unwrap();
    let mut peer = l.accept().await.unwrap();
    greeting_a_byte_at_a_time(&mut peer, &push, true, "PULL").await;
}
