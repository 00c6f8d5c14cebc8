//! ZMTP 2.0 and 1.0 peers (libzmq 3.x / JeroMQ 0.3, libzmq 2.x) as raw peers that
//! reveal their greeting a byte at a time, with ours binding and connecting: the
//! staged greeting they get (signature, major version, then the ZMTP 2.0 socket-type
//! byte instead of our mechanism), the identity exchange, messages both ways in their
//! framing, subscriptions as data frames, libzmq's phantom subscription for a ZMTP
//! 1.0 subscriber, and refusal by secured sockets (HANDSHAKE_FAILED_PROTOCOL).

mod common;

use std::time::Duration;

use common::*;
use futures::StreamExt;
use zmtp_api::monitor::{EventMask, EventType};

/// A signature as libzmq 3.x and JeroMQ 0.3 send it (an empty identity's length).
const SIGNATURE: [u8; 10] = [0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F];

/// A ZMTP 1.0 frame (length counting the flags byte, flags, body).
fn v1_frame(more: bool, body: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    let counted = body.len() as u64 + 1;
    if counted < 255 {
        v.push(counted as u8);
    } else {
        v.push(0xFF);
        v.extend(counted.to_be_bytes());
    }
    v.push(u8::from(more));
    v.extend_from_slice(body);
    v
}

/// A ZMTP 2.0 frame (ZMTP 3's data framing).
fn v2_frame(more: bool, body: &[u8]) -> Vec<u8> {
    frame_bytes(u8::from(more), body)
}

/// Reads one ZMTP 1.0 frame: (more, body).
async fn read_v1_frame(peer: &mut RawPeer) -> (bool, Vec<u8>) {
    let first = peer.read_exact(1).await.expect("length")[0];
    let counted = if first == 0xFF {
        let b = peer.read_exact(8).await.expect("long length");
        u64::from_be_bytes(b.try_into().expect("8 bytes"))
    } else {
        u64::from(first)
    };
    let flags = peer.read_exact(1).await.expect("flags")[0];
    assert_eq!(flags & !1, 0, "reserved flag bits from us");
    let body = peer.read_exact(counted as usize - 1).await.expect("body");
    (flags & 1 != 0, body)
}

/// Plays a ZMTP 2.0 peer's greeting a byte at a time (signature, revision 1, socket
/// type `peer_type`) and checks ours at each stage; then exchanges identities.
async fn zmtp2_handshake(peer: &mut RawPeer, ours_type: SocketType, peer_type: SocketType) {
    let sig = peer.read_exact(10).await.expect("our signature");
    assert_eq!(sig[0], 0xFF);
    assert_eq!(sig[9], 0x7F);
    for b in SIGNATURE {
        peer.send_bytes(&[b]).await.expect("send");
    }
    assert_eq!(peer.read_exact(1).await.expect("major"), [3], "our major");
    peer.send_bytes(&[1]).await.expect("revision");
    assert_eq!(
        peer.read_exact(1).await.expect("socket type"),
        [ours_type.number()],
        "our ZMTP 2.0 socket-type byte, never our mechanism"
    );
    peer.send_bytes(&[peer_type.number()]).await.expect("type");
    // our identity frame (empty for these types), then theirs
    assert_eq!(peer.read_exact(2).await.expect("identity"), [0, 0]);
    peer.send_bytes(&v2_frame(false, b""))
        .await
        .expect("identity");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zmtp2_push_to_our_bound_pull_byte_by_byte() {
    let pull = ours(SocketType::Pull);
    let ep = bind_ours(&pull, "tcp://127.0.0.1:*");
    let mut peer = RawPeer::connect(&ep).await.expect("connect");
    zmtp2_handshake(&mut peer, SocketType::Pull, SocketType::Push).await;
    let mut wire = v2_frame(true, b"one");
    wire.extend(v2_frame(false, &[7u8; 300]));
    peer.send_bytes_slowly(&wire).await.expect("message");
    assert_msg_eq(&recv_ours(&pull).await, &msg(&[b"one", &[7u8; 300]]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_connecting_push_to_a_zmtp2_pull() {
    let l = RawListener::bind("tcp://127.0.0.1:0")
        .await
        .expect("listen");
    let push = ours(SocketType::Push);
    push.connect(l.endpoint()).expect("connect");
    let mut peer = l.accept().await.expect("accept");
    zmtp2_handshake(&mut peer, SocketType::Push, SocketType::Pull).await;
    send_ours(&push, &[b"a".to_vec(), vec![]]).await;
    // ZMTP 2.0 frames: flags (MORE only), size, body
    assert_eq!(peer.read_exact(3).await.expect("frame 1"), [1, 1, b'a']);
    assert_eq!(peer.read_exact(2).await.expect("frame 2"), [0, 0]);
}

/// A ZMTP 2.0 SUB subscribes with a data frame; our PUB filters by it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zmtp2_sub_subscribes_with_a_data_frame() {
    let publisher = ours(SocketType::Pub);
    let ep = bind_ours(&publisher, "tcp://127.0.0.1:*");
    let mut peer = RawPeer::connect(&ep).await.expect("connect");
    zmtp2_handshake(&mut peer, SocketType::Pub, SocketType::Sub).await;
    peer.send_bytes(&v2_frame(false, b"\x01A"))
        .await
        .expect("subscribe");
    // Publish until the subscription has arrived (bounded): only "A..." goes out.
    let deadline = tokio::time::Instant::now() + T;
    loop {
        send_ours(&publisher, &[b"B-skip".to_vec()]).await;
        send_ours(&publisher, &[b"A-take".to_vec()]).await;
        if let Ok(Ok(got)) =
            tokio::time::timeout(Duration::from_millis(50), peer.read_exact(8)).await
        {
            assert_eq!(got, v2_frame(false, b"A-take"));
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "nothing published");
    }
}

/// A ZMTP 1.0 peer without a signature: its first byte is its identity frame's length.
/// It gets our signature, then our identity's body, and speaks ZMTP 1.0 framing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zmtp1_push_to_our_bound_pull_byte_by_byte() {
    let pull = ours(SocketType::Pull);
    let ep = bind_ours(&pull, "tcp://127.0.0.1:*");
    let mut peer = RawPeer::connect(&ep).await.expect("connect");
    let sig = peer.read_exact(10).await.expect("signature");
    // to a ZMTP 1.0 peer, our signature is the header of an empty identity frame
    assert_eq!(sig, SIGNATURE);
    let mut wire = v1_frame(false, b"old-push");
    wire.extend(v1_frame(true, b"x"));
    wire.extend(v1_frame(false, &[3u8; 600]));
    peer.send_bytes_slowly(&wire).await.expect("frames");
    assert_msg_eq(&recv_ours(&pull).await, &msg(&[b"x", &[3u8; 600]]));
}

/// libzmq's phantom subscription: a ZMTP 1.0 subscriber never sends subscriptions, so
/// our PUB sends it everything.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zmtp1_sub_gets_everything_from_our_pub() {
    let publisher = ours(SocketType::Pub);
    let ep = bind_ours(&publisher, "tcp://127.0.0.1:*");
    let mut peer = RawPeer::connect(&ep).await.expect("connect");
    assert_eq!(peer.read_exact(10).await.expect("signature"), SIGNATURE);
    peer.send_bytes(&v1_frame(false, b""))
        .await
        .expect("identity");
    let deadline = tokio::time::Instant::now() + T;
    loop {
        send_ours(&publisher, &[b"any".to_vec()]).await;
        if let Ok(Ok(got)) =
            tokio::time::timeout(Duration::from_millis(50), peer.read_exact(1)).await
        {
            let mut frame = got;
            frame.extend(peer.read_exact(4).await.expect("rest"));
            assert_eq!(frame, v1_frame(false, b"any"));
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "nothing published");
    }
    // the phantom subscription is real: more messages follow in ZMTP 1.0 framing
    send_ours(&publisher, &[b"more".to_vec()]).await;
    loop {
        let (more, body) = read_v1_frame(&mut peer).await;
        assert!(!more);
        if body == b"more" {
            break;
        }
        assert_eq!(body, b"any");
    }
}

/// A socket with PLAIN, CURVE or a ZAP domain speaks only ZMTP 3: a ZMTP 2.0 peer is
/// dropped with HANDSHAKE_FAILED_PROTOCOL (ZMTP_UNSPECIFIED) and the socket goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secured_sockets_refuse_zmtp2_peers_visibly() {
    let keys = zmtp_api::curve_keypair().expect("keypair");
    type Setup = Box<dyn Fn(&Socket)>;
    let setups: [(&str, Setup); 3] = [
        (
            "PLAIN server",
            Box::new(|s: &Socket| {
                s.set_option(SocketOption::PlainServer(true))
                    .expect("plain")
            }),
        ),
        (
            "CURVE server",
            Box::new(move |s: &Socket| {
                s.set_option(SocketOption::CurveServer(true))
                    .expect("curve");
                s.set_option(SocketOption::CurveSecretKey(keys.secret.clone()))
                    .expect("key");
            }),
        ),
        (
            "NULL with a ZAP domain",
            Box::new(|s: &Socket| s.set_option_named("zap_domain", "global").expect("domain")),
        ),
    ];
    for (what, setup) in setups {
        let pull = ours(SocketType::Pull);
        setup(&pull);
        let mut events = pull.monitor_events(EventMask::ALL);
        let ep = bind_ours(&pull, "tcp://127.0.0.1:*");
        let mut peer = RawPeer::connect(&ep).await.expect("connect");
        peer.read_exact(10).await.expect("signature");
        peer.send_bytes(&SIGNATURE).await.expect("signature");
        peer.read_exact(1).await.expect("major");
        peer.send_bytes(&[1, SocketType::Push.number()])
            .await
            .expect("revision and type");
        assert!(peer.expect_closed(T).await, "{what}: not dropped");
        let deadline = tokio::time::Instant::now() + T;
        let failed = loop {
            let ev = tokio::time::timeout_at(deadline, events.next())
                .await
                .unwrap_or_else(|_| panic!("{what}: no HANDSHAKE_FAILED_PROTOCOL"))
                .expect("monitor ended");
            if ev.event == EventType::HandshakeFailedProtocol {
                break ev;
            }
        };
        assert_eq!(failed.value, 0x1000_0000, "{what}");
        // the socket still serves ZMTP 3 peers
        let push = ours(SocketType::Push);
        if what.starts_with("NULL") {
            push.connect(&ep).expect("connect");
            // no ZAP handler in this context: NULL with a domain and no handler accepts
            send_ours(&push, &[b"still".to_vec()]).await;
            assert_msg_eq(&recv_ours(&pull).await, &msg(&[b"still"]));
        }
    }
}
