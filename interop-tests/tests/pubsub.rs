//! PUB/SUB between our sockets and libzmq (ours on either side, either side
//! binding, tcp and ipc) with subscription filtering.
//!
//! Subscriptions take time to reach the publisher, so the publisher keeps
//! sending a `A-sync` message (plus a `B-sync` the subscriber must never see)
//! until the subscriber reports it got one; only then are the real messages sent.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::*;

const SYNC: &[u8] = b"A-sync";

fn is_sync(m: &[Vec<u8>]) -> bool {
    m.len() == 1 && m[0] == SYNC
}

/// The real messages: every first frame starts with "A" (the subscribed topic).
fn pubsub_messages() -> Vec<Vec<Vec<u8>>> {
    standard_messages("A")
}

async fn our_pub_to_libzmq_sub(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let publisher = ours(SocketType::Pub);
    let mut sub = Zmq::new(&ctx, zmq::SUB);
    sub.raw().set_subscribe(b"A").unwrap();
    let addr = BindAddr::new(transport, "pubsub");
    match binder {
        Binder::Ours => {
            let ep = bind_ours(&publisher, &addr.endpoint);
            sub.connect(&ep);
        }
        Binder::Libzmq => {
            let ep = sub.bind(&addr.endpoint);
            publisher.connect(&ep).unwrap();
        }
    }

    let messages = pubsub_messages();
    let n = messages.len();
    let synced = Arc::new(AtomicBool::new(false));
    let synced2 = synced.clone();
    let receiving = sub.run(move |s| -> Result<Vec<Vec<Vec<u8>>>, String> {
        loop {
            let m = s
                .recv_multipart(0)
                .map_err(|e| format!("waiting for sync: {e}"))?;
            if !m[0].starts_with(b"A") {
                return Err(format!("filter leak: {}", describe(&m)));
            }
            if is_sync(&m) {
                synced2.store(true, Ordering::SeqCst);
                break;
            }
        }
        let mut got = Vec::new();
        while got.len() < n {
            let m = s
                .recv_multipart(0)
                .map_err(|e| format!("after {} messages: {e}", got.len()))?;
            if !is_sync(&m) {
                got.push(m);
            }
        }
        Ok(got)
    });
    let publishing = async {
        let deadline = tokio::time::Instant::now() + T;
        while !synced.load(Ordering::SeqCst) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "subscription never took effect"
            );
            send_ours(&publisher, &msg(&[b"B-sync"])).await;
            send_ours(&publisher, &msg(&[SYNC])).await;
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        for m in &messages {
            send_ours(&publisher, &msg(&[b"B-noise"])).await;
            send_ours(&publisher, m).await;
        }
    };
    let (got, ()) = tokio::join!(receiving, publishing);
    let got = got.expect("libzmq SUB");
    for (g, m) in got.iter().zip(&messages) {
        assert_msg_eq(g, m);
    }
    publisher.close();
}

async fn libzmq_pub_to_our_sub(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let sub = ours(SocketType::Sub);
    sub.subscribe(b"A").unwrap();
    let mut publisher = Zmq::new(&ctx, zmq::PUB);
    let addr = BindAddr::new(transport, "pubsub");
    match binder {
        Binder::Ours => {
            let ep = bind_ours(&sub, &addr.endpoint);
            publisher.connect(&ep);
        }
        Binder::Libzmq => {
            let ep = publisher.bind(&addr.endpoint);
            sub.connect(&ep).unwrap();
        }
    }

    let messages = pubsub_messages();
    let synced = Arc::new(AtomicBool::new(false));
    let synced2 = synced.clone();
    let to_send = messages.clone();
    let publishing = publisher.run(move |s| -> Result<(), String> {
        let deadline = std::time::Instant::now() + T;
        while !synced2.load(Ordering::SeqCst) {
            if std::time::Instant::now() > deadline {
                return Err("subscription never took effect".into());
            }
            s.send(&b"B-sync"[..], 0).map_err(|e| e.to_string())?;
            s.send(SYNC, 0).map_err(|e| e.to_string())?;
            std::thread::sleep(Duration::from_millis(10));
        }
        for m in to_send {
            s.send(&b"B-noise"[..], 0).map_err(|e| e.to_string())?;
            s.send_multipart(m, 0).map_err(|e| e.to_string())?;
        }
        Ok(())
    });
    let receiving = async {
        loop {
            let m = recv_ours(&sub).await;
            assert!(m[0].starts_with(b"A"), "filter leak: {}", describe(&m));
            if is_sync(&m) {
                synced.store(true, Ordering::SeqCst);
                break;
            }
        }
        let mut got = Vec::new();
        while got.len() < messages.len() {
            let m = recv_ours(&sub).await;
            assert!(m[0].starts_with(b"A"), "filter leak: {}", describe(&m));
            if !is_sync(&m) {
                got.push(m);
            }
        }
        got
    };
    let (sent, got) = tokio::join!(publishing, receiving);
    sent.expect("libzmq PUB");
    for (g, m) in got.iter().zip(&messages) {
        assert_msg_eq(g, m);
    }
    sub.close();
}

macro_rules! cases {
    ($($name:ident => $f:ident, $binder:expr, $transport:expr;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            $f($binder, $transport).await;
        }
    )*};
}

cases! {
    our_pub_binds_tcp => our_pub_to_libzmq_sub, Binder::Ours, Transport::Tcp;
    our_pub_binds_ipc => our_pub_to_libzmq_sub, Binder::Ours, Transport::Ipc;
    our_pub_connects_tcp => our_pub_to_libzmq_sub, Binder::Libzmq, Transport::Tcp;
    our_pub_connects_ipc => our_pub_to_libzmq_sub, Binder::Libzmq, Transport::Ipc;
    our_sub_binds_tcp => libzmq_pub_to_our_sub, Binder::Ours, Transport::Tcp;
    our_sub_binds_ipc => libzmq_pub_to_our_sub, Binder::Ours, Transport::Ipc;
    our_sub_connects_tcp => libzmq_pub_to_our_sub, Binder::Libzmq, Transport::Tcp;
    our_sub_connects_ipc => libzmq_pub_to_our_sub, Binder::Libzmq, Transport::Ipc;
}

/// Two libzmq SUBs with different topics on our PUB: each gets only its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_pub_routes_topics_to_two_libzmq_subs() {
    let ctx = zmq::Context::new();
    let publisher = ours(SocketType::Pub);
    let ep = bind_ours(&publisher, "tcp://127.0.0.1:*");
    let topics: [&[u8]; 2] = [b"left", b"right"];
    let mut subs: Vec<Zmq> = topics
        .iter()
        .map(|t| {
            let z = Zmq::new(&ctx, zmq::SUB);
            z.raw().set_subscribe(t).unwrap();
            z.raw().set_rcvtimeo(0).unwrap();
            z.connect(&ep);
            z
        })
        .collect();
    // Publish "<topic>-sync" for both until both got theirs.
    let mut synced = [false, false];
    let deadline = tokio::time::Instant::now() + T;
    while !(synced[0] && synced[1]) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "subscriptions never took effect"
        );
        for t in topics {
            send_ours(&publisher, &[[t, b"-sync"].concat()]).await;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        for (i, z) in subs.iter().enumerate() {
            while let Ok(m) = z.raw().recv_multipart(0) {
                assert!(m[0].starts_with(topics[i]), "sub {i} got {}", describe(&m));
                synced[i] = true;
            }
        }
    }
    for t in topics {
        send_ours(&publisher, &[[t, b"-end"].concat()]).await;
    }
    for (i, z) in subs.iter_mut().enumerate() {
        z.raw().set_rcvtimeo(T.as_millis() as i32).unwrap();
        loop {
            let m = z.recv().await.expect("end marker");
            assert!(m[0].starts_with(topics[i]), "sub {i} got {}", describe(&m));
            if m[0].ends_with(b"-end") {
                break;
            }
        }
    }
}
