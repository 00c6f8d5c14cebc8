//! Validates the raw peer itself against libzmq, so that the tests that use it
//! against our sockets rest on a harness that is known to speak ZMTP like libzmq
//! expects (and that `expect_closed` really sees libzmq's disconnects).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::*;

fn zctx() -> zmq::Context {
    zmq::Context::new()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_reads_libzmq_greeting_and_ready() {
    let ctx = zctx();
    let mut pull = Zmq::new(&ctx, zmq::PULL);
    let ep = pull.bind("tcp://127.0.0.1:*");

    let mut peer = RawPeer::connect(&ep).await.unwrap();
    // libzmq sends its 10-byte signature at once, before hearing from us.
    let sig = peer.read_signature().await.unwrap();
    assert_eq!(sig[0], 0xFF);
    assert_eq!(sig[9] & 1, 1);
    // Our greeting byte by byte: libzmq must cope with tiny reads.
    peer.send_bytes_slowly(&greeting_bytes(3, 1, "NULL"))
        .await
        .unwrap();
    let rest = peer.read_exact(54).await.unwrap();
    assert_eq!(rest[0], 3, "major");
    assert_eq!(rest[1], 1, "minor");
    assert_eq!(&rest[2..6], b"NULL");
    assert!(rest[6..22].iter().all(|&b| b == 0), "mechanism padding");

    peer.send_ready("PUSH", None).await.unwrap();
    let ready = peer.read_command().await.unwrap();
    assert_eq!(ready.name, "READY");
    let props = parse_metadata(&ready.data).unwrap();
    assert_eq!(props, vec![("Socket-Type".to_string(), b"PULL".to_vec())]);

    peer.send_message(&[b"after handshake"]).await.unwrap();
    let got = pull.recv().await.unwrap();
    assert_msg_eq(&got, &msg(&[b"after handshake"]));
}

async fn raw_push_to_libzmq_pull(transport: Transport) {
    let ctx = zctx();
    let mut pull = Zmq::new(&ctx, zmq::PULL);
    let addr = BindAddr::new(transport, "raw-push");
    let ep = pull.bind(&addr.endpoint);

    let mut peer = RawPeer::connect(&ep).await.unwrap();
    let hs = peer.handshake(1, "PUSH", None).await.unwrap();
    assert_eq!(hs.socket_type().as_deref(), Some("PULL"));
    assert_eq!(hs.mechanism(), "NULL");
    assert_eq!((hs.major(), hs.minor()), (3, 1));

    for m in standard_messages("raw") {
        let refs: Vec<&[u8]> = m.iter().map(|f| f.as_slice()).collect();
        peer.send_message(&refs).await.unwrap();
        let got = pull.recv().await.unwrap();
        assert_msg_eq(&got, &m);
    }
    // A short body in a LONG frame is legal.
    peer.send_frame(FLAG_LONG, b"long-short").await.unwrap();
    assert_msg_eq(&pull.recv().await.unwrap(), &msg(&[b"long-short"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_push_to_libzmq_pull_tcp() {
    raw_push_to_libzmq_pull(Transport::Tcp).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_push_to_libzmq_pull_ipc() {
    raw_push_to_libzmq_pull(Transport::Ipc).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_listener_receives_from_libzmq_push() {
    let ctx = zctx();
    let listener = RawListener::bind("tcp://127.0.0.1:0").await.unwrap();
    let mut push = Zmq::new(&ctx, zmq::PUSH);
    push.connect(listener.endpoint());

    let mut peer = listener.accept().await.unwrap();
    let hs = peer.handshake(1, "PULL", None).await.unwrap();
    assert_eq!(hs.socket_type().as_deref(), Some("PUSH"));

    let msgs = standard_messages("z");
    let to_send = msgs.clone();
    push.run(move |s| {
        for m in to_send {
            s.send_multipart(m, 0).unwrap();
        }
    })
    .await;
    for m in &msgs {
        let got = peer.read_message().await.unwrap();
        assert_msg_eq(&got, m);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_listener_sees_libzmq_long_frames() {
    let ctx = zctx();
    let listener = RawListener::bind("tcp://127.0.0.1:0").await.unwrap();
    let mut push = Zmq::new(&ctx, zmq::PUSH);
    push.connect(listener.endpoint());
    let mut peer = listener.accept().await.unwrap();
    peer.handshake(1, "PULL", None).await.unwrap();
    push.send(vec![vec![1u8; 255], vec![2u8; 256]])
        .await
        .unwrap();
    let f1 = peer.read_frame().await.unwrap();
    assert_eq!(
        (f1.flags, f1.body.len()),
        (FLAG_MORE, 255),
        "255 bytes: short frame"
    );
    let f2 = peer.read_frame().await.unwrap();
    assert_eq!(
        (f2.flags, f2.body.len()),
        (FLAG_LONG, 256),
        "256 bytes: long frame"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_dealer_identity_reaches_libzmq_router() {
    let ctx = zctx();
    let mut router = Zmq::new(&ctx, zmq::ROUTER);
    let ep = router.bind("tcp://127.0.0.1:*");
    let mut peer = RawPeer::connect(&ep).await.unwrap();
    let hs = peer.handshake(1, "DEALER", Some(b"raw-id")).await.unwrap();
    assert_eq!(hs.socket_type().as_deref(), Some("ROUTER"));
    assert_eq!(
        hs.property("Identity"),
        Some(&b""[..]),
        "ROUTER sends an empty Identity"
    );
    peer.send_message(&[b"hi"]).await.unwrap();
    let got = router.recv().await.unwrap();
    assert_msg_eq(&got, &msg(&[b"raw-id", b"hi"]));
    router.send(msg(&[b"raw-id", b"back"])).await.unwrap();
    assert_eq!(peer.read_message().await.unwrap(), msg(&[b"back"]));
}

/// Raw SUB against a libzmq PUB: the PUB publishes `A-n` and `B-n` until told to stop.
async fn raw_sub_from_libzmq_pub(minor: u8) {
    let ctx = zctx();
    let mut publisher = Zmq::new(&ctx, zmq::PUB);
    let ep = publisher.bind("tcp://127.0.0.1:*");
    let mut peer = RawPeer::connect(&ep).await.unwrap();
    let hs = peer.handshake(minor, "SUB", None).await.unwrap();
    assert_eq!(hs.socket_type().as_deref(), Some("PUB"));
    if minor == 0 {
        peer.send_subscribe_frame(b"A").await.unwrap();
    } else {
        peer.send_subscribe_command(b"A").await.unwrap();
    }

    let stop = Arc::new(AtomicBool::new(false));
    let stop2 = stop.clone();
    let publishing = publisher.run(move |s| {
        let deadline = std::time::Instant::now() + T;
        let mut n = 0u32;
        while !stop2.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
            s.send(format!("B-{n}").as_bytes(), 0).unwrap();
            s.send(format!("A-{n}").as_bytes(), 0).unwrap();
            n += 1;
            std::thread::sleep(Duration::from_millis(5));
        }
    });
    let reading = async {
        let mut got = Vec::new();
        while got.len() < 3 {
            let m = peer.read_message().await.unwrap();
            assert!(m[0].starts_with(b"A-"), "unexpected {}", describe(&m));
            got.push(m);
        }
        stop.store(true, Ordering::SeqCst);
    };
    tokio::join!(publishing, reading);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_sub_zmtp30_frame_subscription_from_libzmq_pub() {
    raw_sub_from_libzmq_pub(0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_sub_zmtp31_command_subscription_from_libzmq_pub() {
    raw_sub_from_libzmq_pub(1).await;
}

/// libzmq SUB towards a raw PUB: which subscription encoding libzmq chooses.
async fn libzmq_sub_encoding(minor: u8) {
    let ctx = zctx();
    let listener = RawListener::bind("tcp://127.0.0.1:0").await.unwrap();
    let mut sub = Zmq::new(&ctx, zmq::SUB);
    sub.raw().set_subscribe(b"A").unwrap();
    sub.connect(listener.endpoint());
    let mut peer = listener.accept().await.unwrap();
    let hs = peer.handshake(minor, "PUB", None).await.unwrap();
    assert_eq!(hs.socket_type().as_deref(), Some("SUB"));
    let f = peer.read_frame().await.unwrap();
    if minor == 0 {
        assert_eq!((f.flags, f.body.as_slice()), (0, &b"\x01A"[..]));
    } else {
        assert_eq!(
            (f.flags, f.body.as_slice()),
            (FLAG_COMMAND, &b"\x09SUBSCRIBEA"[..])
        );
    }
    peer.send_message(&[b"B-no"]).await.unwrap();
    peer.send_message(&[b"A-yes", b"more"]).await.unwrap();
    let got = sub.recv().await.unwrap();
    assert_msg_eq(&got, &msg(&[b"A-yes", b"more"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libzmq_sub_sends_frame_subscription_to_zmtp30_raw_pub() {
    libzmq_sub_encoding(0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libzmq_sub_sends_subscribe_command_to_zmtp31_raw_pub() {
    libzmq_sub_encoding(1).await;
}

/// The bad-input scripts that libzmq also answers with a disconnect: checks that
/// the scripts and `expect_closed` behave as the bad_input tests assume.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_bad_inputs_make_libzmq_close() {
    let ctx = zctx();
    let pull = Zmq::new(&ctx, zmq::PULL);
    pull.raw().set_maxmsgsize(1000).unwrap();
    pull.raw().set_handshake_ivl(300).unwrap();
    let ep = pull.bind("tcp://127.0.0.1:*");

    // Unknown mechanism.
    let mut p = RawPeer::connect(&ep).await.unwrap();
    p.send_greeting(3, 1, "FOO").await.unwrap();
    assert!(p.expect_closed(T).await, "FOO mechanism");

    // Frame over MAXMSGSIZE.
    let mut p = RawPeer::connect(&ep).await.unwrap();
    p.handshake(1, "PUSH", None).await.unwrap();
    p.send_frame(0, &[0u8; 1001]).await.unwrap();
    assert!(p.expect_closed(T).await, "oversize frame");

    // 2^62-byte frame header.
    let mut p = RawPeer::connect(&ep).await.unwrap();
    p.handshake(1, "PUSH", None).await.unwrap();
    p.send_bytes(&frame_header(0, 1 << 62)).await.unwrap();
    assert!(p.expect_closed(T).await, "2^62 header");

    // Data frame before READY.
    let mut p = RawPeer::connect(&ep).await.unwrap();
    p.send_greeting(3, 1, "NULL").await.unwrap();
    p.read_greeting().await.unwrap();
    p.send_frame(0, b"evil").await.unwrap();
    assert!(p.expect_closed(T).await, "data before READY");

    // Half a greeting, then silence: HANDSHAKE_IVL.
    let mut p = RawPeer::connect(&ep).await.unwrap();
    p.send_bytes(&greeting_bytes(3, 1, "NULL")[..5])
        .await
        .unwrap();
    assert!(p.expect_closed(T).await, "half greeting");

    // A good peer still gets through; nothing from the bad ones was delivered.
    let mut p = RawPeer::connect(&ep).await.unwrap();
    p.handshake(1, "PUSH", None).await.unwrap();
    p.send_message(&[b"good"]).await.unwrap();
    let mut pull = pull;
    assert_msg_eq(&pull.recv().await.unwrap(), &msg(&[b"good"]));
    // ... and the good connection is not dropped.
    assert!(p.stays_open(Duration::from_millis(500)).await);
}
