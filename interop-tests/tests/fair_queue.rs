//! Fair queuing against libzmq peers: with messages from two peers waiting, our socket
//! hands out one whole message per peer in turn (libzmq's `fq_t`), for PULL (two PUSH),
//! ROUTER (two DEALER) and SUB (two PUB).
//!
//! The order is only defined once every message has reached our socket, and the facade
//! shows no queue length, so the tests make arrival certain instead of observing it:
//!
//! 1. Our socket lives on a current-thread runtime that the test drives itself. While
//!    the runtime runs, both peers connect and one marker message from each is read:
//!    both pipes are attached and empty.
//! 2. With the runtime idle (none of our tasks can run), each libzmq peer sends its 5
//!    messages, then is closed and its context terminated: `zmq_ctx_term` returns only
//!    once libzmq has written every message (LINGER), so all 10 wait in our end's kernel
//!    receive buffers.
//! 3. The runtime runs again to read. Its first I/O poll finds both connections readable
//!    and runs both connection tasks (each reads and queues its peer's 5 messages, then
//!    sees the peer's close) before it polls the reading future again, so the first read
//!    already sees all 10.
//!
//! The peers leave before we read, so this also checks that a departed pipe keeps its
//! turns (libzmq delivers what a terminated pipe queued). The arrival-order engine
//! returned `a0 a1 a2 a3 a4 b0 ...` here.

mod common;

use std::time::Duration;

use common::*;

/// Messages per peer.
const N: u8 = 5;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn peer(ctx: &zmq::Context, kind: zmq::SocketType, ep: &str) -> zmq::Socket {
    let s = ctx.socket(kind).expect("zmq socket");
    s.set_linger(T.as_millis() as i32).expect("linger");
    s.set_sndtimeo(T.as_millis() as i32).expect("sndtimeo");
    s.connect(ep).expect("zmq connect");
    s
}

/// Phase 2: each peer sends its messages, then libzmq has written all of them.
fn send_and_terminate(
    mut ctx: zmq::Context,
    peers: Vec<zmq::Socket>,
    frames: fn(u8, u8) -> Vec<Vec<u8>>,
) {
    for (p, tag) in peers.iter().zip([b'a', b'b']) {
        for n in 0..N {
            p.send_multipart(frames(tag, n), 0).expect("libzmq send");
        }
    }
    drop(peers);
    ctx.destroy().expect("zmq_ctx_term");
}

/// Phase 3: reads 2 * N messages, each mapped to (peer tag, sequence number).
fn read_all(
    rt: &tokio::runtime::Runtime,
    ours: &Socket,
    tag_of: fn(&[Vec<u8>]) -> (u8, u8),
) -> Vec<(u8, u8)> {
    rt.block_on(async {
        let mut got = Vec::new();
        for _ in 0..2 * N {
            got.push(tag_of(&recv_ours(ours).await));
        }
        got
    })
}

/// One whole message per peer in turn, each peer's in order; either peer may come first.
fn assert_alternates(got: &[(u8, u8)]) {
    let first = got.first().map_or(b'a', |g| g.0);
    let second = if first == b'a' { b'b' } else { b'a' };
    let want: Vec<(u8, u8)> = (0..N).flat_map(|n| [(first, n), (second, n)]).collect();
    let show = |v: &[(u8, u8)]| {
        v.iter()
            .map(|(t, n)| format!("{}{n}", *t as char))
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(show(got), show(&want), "not fair-queued");
}

fn two_frames(tag: u8, n: u8) -> Vec<Vec<u8>> {
    vec![vec![tag], vec![n]]
}

fn pull_tag(m: &[Vec<u8>]) -> (u8, u8) {
    assert_eq!(m.len(), 2, "{}", describe(m));
    (m[0][0], m[1][0])
}

fn pull_from_two_pushes(transport: Transport) {
    let rt = runtime();
    let _in_rt = rt.enter();
    let pull = ours(SocketType::Pull);
    let addr = BindAddr::new(transport, "fairpull");
    let ep = bind_ours(&pull, &addr.endpoint);
    let ctx = zmq::Context::new();
    let peers: Vec<zmq::Socket> = (0..2).map(|_| peer(&ctx, zmq::PUSH, &ep)).collect();
    for p in &peers {
        p.send_multipart([b"hello".to_vec()], 0).expect("marker");
    }
    rt.block_on(async {
        for _ in 0..2 {
            assert_eq!(recv_ours(&pull).await, msg(&[b"hello"]));
        }
    });
    send_and_terminate(ctx, peers, two_frames);
    assert_alternates(&read_all(&rt, &pull, pull_tag));
    pull.close();
}

#[test]
fn pull_alternates_between_two_libzmq_pushes_tcp() {
    pull_from_two_pushes(Transport::Tcp);
}

#[test]
fn pull_alternates_between_two_libzmq_pushes_ipc() {
    pull_from_two_pushes(Transport::Ipc);
}

fn router_tag(m: &[Vec<u8>]) -> (u8, u8) {
    assert_eq!(m.len(), 3, "{}", describe(m));
    assert_eq!(m[0], m[1], "routing id is the DEALER's identity");
    (m[1][0], m[2][0])
}

#[test]
fn router_alternates_between_two_libzmq_dealers() {
    let rt = runtime();
    let _in_rt = rt.enter();
    let router = ours(SocketType::Router);
    let ep = bind_ours(&router, "tcp://127.0.0.1:*");
    let ctx = zmq::Context::new();
    let peers: Vec<zmq::Socket> = [b'a', b'b']
        .iter()
        .map(|id| {
            let s = ctx.socket(zmq::DEALER).expect("zmq socket");
            s.set_identity(&[*id]).expect("identity");
            s.set_linger(T.as_millis() as i32).expect("linger");
            s.connect(&ep).expect("zmq connect");
            s
        })
        .collect();
    for p in &peers {
        p.send_multipart([b"hello".to_vec()], 0).expect("marker");
    }
    rt.block_on(async {
        for _ in 0..2 {
            assert_eq!(recv_ours(&router).await.get(1), Some(&b"hello".to_vec()));
        }
    });
    // The body repeats the identity so that `router_tag` can check the envelope.
    send_and_terminate(ctx, peers, two_frames);
    assert_alternates(&read_all(&rt, &router, router_tag));
    router.close();
}

#[test]
fn sub_alternates_between_two_libzmq_pubs() {
    let rt = runtime();
    let _in_rt = rt.enter();
    let sub = ours(SocketType::Sub);
    sub.subscribe(b"").expect("subscribe");
    let ep = bind_ours(&sub, "tcp://127.0.0.1:*");
    let ctx = zmq::Context::new();
    let peers: Vec<zmq::Socket> = (0..2).map(|_| peer(&ctx, zmq::PUB, &ep)).collect();
    // A PUB drops what it sends before our subscription reached it: probe until one
    // probe from each got through, then an end marker from each (read in order after
    // that peer's probes) leaves both pipes empty.
    rt.block_on(async {
        let mut seen = [false; 2];
        let deadline = tokio::time::Instant::now() + T;
        while seen != [true; 2] {
            assert!(
                tokio::time::Instant::now() < deadline,
                "subscription never arrived"
            );
            for (i, p) in peers.iter().enumerate() {
                p.send_multipart([vec![b'p', i as u8]], zmq::DONTWAIT)
                    .expect("probe");
            }
            while let Some(m) = recv_ours_within(&sub, Duration::from_millis(20)).await {
                if let [f] = &m[..]
                    && f.len() == 2
                    && f[0] == b'p'
                {
                    seen[usize::from(f[1] & 1)] = true;
                }
            }
        }
        for (i, p) in peers.iter().enumerate() {
            p.send_multipart([vec![b'e', i as u8]], 0)
                .expect("end marker");
        }
        let mut ended = [false; 2];
        while ended != [true; 2] {
            let m = recv_ours(&sub).await;
            if let [f] = &m[..]
                && f.len() == 2
                && f[0] == b'e'
            {
                ended[usize::from(f[1] & 1)] = true;
            }
        }
    });
    send_and_terminate(ctx, peers, two_frames);
    assert_alternates(&read_all(&rt, &sub, pull_tag));
    sub.close();
}

/// One peer floods: once a second peer's message is queued, it comes out within two
/// reads (one per active pipe), not after the flood.
#[test]
fn a_flooding_push_does_not_starve_another() {
    let rt = runtime();
    let _in_rt = rt.enter();
    let pull = ours(SocketType::Pull);
    let ep = bind_ours(&pull, "tcp://127.0.0.1:*");
    let ctx = zmq::Context::new();
    let peers: Vec<zmq::Socket> = (0..2).map(|_| peer(&ctx, zmq::PUSH, &ep)).collect();
    for p in &peers {
        p.send_multipart([b"hello".to_vec()], 0).expect("marker");
    }
    rt.block_on(async {
        for _ in 0..2 {
            assert_eq!(recv_ours(&pull).await, msg(&[b"hello"]));
        }
    });
    // With the runtime idle, the flood is written first; our pipe takes 1000 of it
    // (RCVHWM), the rest waits in the kernel.
    for n in 0..3000u16 {
        peers[0]
            .send_multipart([b"a".to_vec(), n.to_be_bytes().to_vec()], 0)
            .expect("flood");
    }
    peers[1]
        .send_multipart([b"b".to_vec(), vec![0]], 0)
        .expect("send");
    drop(peers);
    let mut ctx = ctx;
    ctx.destroy().expect("zmq_ctx_term");
    let first_two: Vec<u8> = rt.block_on(async {
        let mut v = Vec::new();
        for _ in 0..2 {
            v.push(recv_ours(&pull).await[0][0]);
        }
        v
    });
    assert!(first_two.contains(&b'b'), "b starved: {first_two:?}");
    pull.close();
}
