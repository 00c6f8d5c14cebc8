//! PUSH/PULL between our sockets and libzmq (ours on either side, either side
//! binding, tcp and ipc), plus our PULL fed by raw peers.

mod common;

use std::time::Duration;

use common::*;

async fn pushpull(ours_kind: SocketType, binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let ours = ours(ours_kind);
    let zkind = match ours_kind {
        SocketType::Push => zmq::PULL,
        SocketType::Pull => zmq::PUSH,
        other => unreachable!("{other:?}"),
    };
    let mut z = Zmq::new(&ctx, zkind);
    let addr = BindAddr::new(transport, "pushpull");
    match binder {
        Binder::Ours => {
            let ep = bind_ours(&ours, &addr.endpoint);
            z.connect(&ep);
        }
        Binder::Libzmq => {
            let ep = z.bind(&addr.endpoint);
            ours.connect(&ep).unwrap();
        }
    }

    let messages = standard_messages("push");
    if ours_kind == SocketType::Push {
        for m in &messages {
            send_ours(&ours, m).await;
        }
        for m in &messages {
            let got = z.recv().await.expect("libzmq PULL recv");
            assert_msg_eq(&got, m);
        }
    } else {
        let to_send = messages.clone();
        let sending = z.run(move |s| -> Result<(), zmq::Error> {
            for m in to_send {
                s.send_multipart(m, 0)?;
            }
            Ok(())
        });
        let receiving = async {
            for m in &messages {
                assert_msg_eq(&recv_ours(&ours).await, m);
            }
        };
        let (sent, ()) = tokio::join!(sending, receiving);
        sent.expect("libzmq PUSH send");
    }
    ours.close();
}

macro_rules! cases {
    ($($name:ident => $kind:expr, $binder:expr, $transport:expr;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            pushpull($kind, $binder, $transport).await;
        }
    )*};
}

cases! {
    our_push_binds_tcp => SocketType::Push, Binder::Ours, Transport::Tcp;
    our_push_binds_ipc => SocketType::Push, Binder::Ours, Transport::Ipc;
    our_push_connects_tcp => SocketType::Push, Binder::Libzmq, Transport::Tcp;
    our_push_connects_ipc => SocketType::Push, Binder::Libzmq, Transport::Ipc;
    our_pull_binds_tcp => SocketType::Pull, Binder::Ours, Transport::Tcp;
    our_pull_binds_ipc => SocketType::Pull, Binder::Ours, Transport::Ipc;
    our_pull_connects_tcp => SocketType::Pull, Binder::Libzmq, Transport::Tcp;
    our_pull_connects_ipc => SocketType::Pull, Binder::Libzmq, Transport::Ipc;
}

/// Our PULL fair-queues several libzmq PUSH peers; per-peer order is kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_pull_fair_queues_several_libzmq_pushes() {
    let ctx = zmq::Context::new();
    let pull = ours(SocketType::Pull);
    let ep = bind_ours(&pull, "tcp://127.0.0.1:*");
    let mut pushes: Vec<Zmq> = (0..3).map(|_| Zmq::new(&ctx, zmq::PUSH)).collect();
    for (i, p) in pushes.iter_mut().enumerate() {
        p.connect(&ep);
        let frames: Vec<Vec<Vec<u8>>> = (0..20)
            .map(|n| vec![vec![i as u8], format!("{n}").into_bytes()])
            .collect();
        p.run(move |s| {
            for f in frames {
                s.send_multipart(f, 0).unwrap();
            }
        })
        .await;
    }
    let mut next = [0u32; 3];
    for _ in 0..60 {
        let m = recv_ours(&pull).await;
        assert_eq!(m.len(), 2, "{}", describe(&m));
        let who = m[0][0] as usize;
        let n: u32 = String::from_utf8(m[1].clone()).unwrap().parse().unwrap();
        assert_eq!(n, next[who], "order from pusher {who}");
        next[who] += 1;
    }
    assert_eq!(next, [20, 20, 20]);
}

/// Our PUSH round-robins over several libzmq PULL peers once all are connected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_push_round_robins_over_libzmq_pulls() {
    let ctx = zmq::Context::new();
    let push = ours(SocketType::Push);
    let ep = bind_ours(&push, "tcp://127.0.0.1:*");
    let mut pulls: Vec<Zmq> = (0..2).map(|_| Zmq::new(&ctx, zmq::PULL)).collect();
    for p in &pulls {
        p.connect(&ep);
    }
    // Wait until both are attached: each must receive one probe message. Probes
    // go out round-robin over the peers we know; keep sending until both got one.
    for p in &pulls {
        p.raw().set_rcvtimeo(0).unwrap();
    }
    let mut seen = [false, false];
    let deadline = tokio::time::Instant::now() + T;
    while !(seen[0] && seen[1]) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "both PULLs never attached"
        );
        send_ours(&push, &msg(&[b"probe"])).await;
        tokio::time::sleep(Duration::from_millis(10)).await;
        for (i, p) in pulls.iter().enumerate() {
            while p.raw().recv_multipart(0).is_ok() {
                seen[i] = true;
            }
        }
    }
    for p in &pulls {
        p.raw().set_rcvtimeo(T.as_millis() as i32).unwrap();
    }
    // Now 10 messages must be split 5/5.
    for n in 0..10 {
        send_ours(&push, &[format!("m{n}").into_bytes()]).await;
    }
    let mut counts = [0usize; 2];
    for (i, p) in pulls.iter_mut().enumerate() {
        while counts[i] < 5 {
            let m = p.recv().await.expect("round-robin share");
            if m == msg(&[b"probe"]) {
                continue; // a probe still in flight from the attach loop
            }
            assert!(m[0].starts_with(b"m"), "{}", describe(&m));
            counts[i] += 1;
        }
    }
    assert_eq!(counts, [5, 5]);
}

/// A raw peer that sends its greeting, READY and a message one byte at a time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_push_byte_by_byte_to_our_pull() {
    let pull = ours(SocketType::Pull);
    let ep = bind_ours(&pull, "tcp://127.0.0.1:*");
    let mut peer = RawPeer::connect(&ep).await.unwrap();
    peer.send_bytes_slowly(&greeting_bytes(3, 1, "NULL"))
        .await
        .unwrap();
    let g = peer.read_greeting().await.unwrap();
    assert_eq!(&g[..1], &[0xFF]);
    assert_eq!(g[9] & 1, 1, "signature version bit");
    assert_eq!((g[10], g[11]), (3, 1), "we advertise ZMTP 3.1");
    assert_eq!(
        &g[12..32],
        &greeting_bytes(3, 1, "NULL")[12..32],
        "NULL mechanism"
    );
    assert_eq!(g[32], 0, "as-server is 0 with NULL");
    peer.send_bytes_slowly(&frame_bytes(FLAG_COMMAND, &ready_body("PUSH", None)))
        .await
        .unwrap();
    let ready = peer.read_command().await.unwrap();
    assert_eq!(ready.name, "READY");
    let props = parse_metadata(&ready.data).unwrap();
    assert_eq!(
        props
            .iter()
            .find(|(n, _)| n == "Socket-Type")
            .map(|(_, v)| v.as_slice()),
        Some(&b"PULL"[..]),
        "exact spelling Socket-Type: PULL"
    );
    assert!(
        !props
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("Identity")),
        "PULL sends no Identity"
    );
    let mut wire = frame_bytes(FLAG_MORE, b"slow");
    wire.extend(frame_bytes(0, &pattern(300, 1)));
    peer.send_bytes_slowly(&wire).await.unwrap();
    assert_msg_eq(
        &recv_ours(&pull).await,
        &[b"slow".to_vec(), pattern(300, 1)],
    );
}

/// Frames from our PUSH, read by a raw peer: exact flags and size encoding.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_push_frame_encoding_seen_by_raw_pull() {
    let push = ours(SocketType::Push);
    let listener = RawListener::bind("tcp://127.0.0.1:0").await.unwrap();
    push.connect(listener.endpoint()).unwrap();
    let mut peer = listener.accept().await.unwrap();
    let hs = peer.handshake(1, "PULL", None).await.unwrap();
    assert_eq!(hs.socket_type().as_deref(), Some("PUSH"));
    assert_eq!(hs.mechanism(), "NULL");
    send_ours(&push, &[vec![1u8; 255], Vec::new(), vec![2u8; 256]]).await;
    let f = peer.read_frame().await.unwrap();
    assert_eq!((f.flags, f.body.len()), (FLAG_MORE, 255));
    let f = peer.read_frame().await.unwrap();
    assert_eq!((f.flags, f.body.len()), (FLAG_MORE, 0));
    let f = peer.read_frame().await.unwrap();
    assert_eq!((f.flags, f.body.len()), (FLAG_LONG, 256));
    assert_eq!(f.body, vec![2u8; 256]);
}

/// `ipc://*` binds a fresh private path (as libzmq does); the resolved endpoint works
/// for a libzmq peer, and libzmq's own `ipc://*` endpoint works for ours.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipc_wildcard_bind_both_ways() {
    let ctx = zmq::Context::new();
    let pull = ours(SocketType::Pull);
    let ep = bind_ours(&pull, "ipc://*");
    assert!(ep.starts_with("ipc:///") && ep != "ipc://*", "{ep}");
    let mut push = Zmq::new(&ctx, zmq::PUSH);
    push.connect(&ep);
    push.send(msg(&[b"via our wildcard"])).await.unwrap();
    assert_msg_eq(&recv_ours(&pull).await, &msg(&[b"via our wildcard"]));

    let mut zpull = Zmq::new(&ctx, zmq::PULL);
    let zep = zpull.bind("ipc://*");
    assert!(zep.starts_with("ipc://") && zep != "ipc://*", "{zep}");
    let ours_push = ours(SocketType::Push);
    ours_push.connect(&zep).unwrap();
    send_ours(&ours_push, &msg(&[b"to libzmq's wildcard"])).await;
    assert_msg_eq(
        &zpull.recv().await.unwrap(),
        &msg(&[b"to libzmq's wildcard"]),
    );
    // The bundled libzmq makes its wildcard socket file in the working directory
    // (`tmpXXXXXX`) and leaves it there: remove it so the checkout stays clean.
    drop(zpull);
    let _ = std::fs::remove_file(zep.trim_start_matches("ipc://"));
}
