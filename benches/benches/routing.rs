//! Routing micro-benchmarks: the pure per-socket-type state machines of `zmtp-sockets`
//! (`zmtp_sockets::routing`) driven through a fake peer set of plain queues, with no I/O
//! and no locking: PUSH round-robin, PUB fan-out and topic matching, SUB filtering, ROUTER
//! addressing among many peers, and a REQ/REP exchange.

use std::collections::VecDeque;
use std::hint::black_box;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zmtp_codec::SocketType;
use zmtp_sockets::Message;
use zmtp_sockets::peer::{Ctrl, PeerId, PeerMeta, PeerSet};
use zmtp_sockets::routing::{RecvAction, Routing};

/// Outgoing pipes indexed by `PeerId::index`, all connected and never full. By default a
/// pushed message is only counted and dropped (so that the send benchmarks measure routing,
/// not queue growth); with `keep` it is queued for [`Pipes::pop`].
struct Pipes {
    out: Vec<VecDeque<Message>>,
    pushed: Vec<u64>,
    keep: bool,
}

impl Pipes {
    fn new(n: usize, keep: bool) -> Self {
        Pipes {
            out: (0..n).map(|_| VecDeque::new()).collect(),
            pushed: vec![0; n],
            keep,
        }
    }

    fn pop(&mut self, id: PeerId) -> Option<Message> {
        self.out[id.index()].pop_front()
    }
}

impl PeerSet for Pipes {
    fn has_room(&self, id: PeerId) -> bool {
        id.index() < self.out.len()
    }
    fn push(&mut self, id: PeerId, msg: Message) -> Result<(), Message> {
        let i = id.index();
        if i >= self.out.len() {
            return Err(msg);
        }
        self.pushed[i] += 1;
        if self.keep {
            self.out[i].push_back(msg);
        }
        Ok(())
    }
    fn push_ctrl(&mut self, _id: PeerId, _ctrl: Ctrl) {}
    fn is_connected(&self, id: PeerId) -> bool {
        id.index() < self.out.len()
    }
    fn kill(&mut self, _id: PeerId, _reason: &'static str) {}
    fn close(&mut self, _id: PeerId, _reason: &'static str) {}
}

/// A routing state machine with `n` attached and connected peers (ids 0..n); `meta`
/// gives each peer's handshake metadata; `keep`: see [`Pipes`].
fn with_peers(
    kind: SocketType,
    n: usize,
    keep: bool,
    meta: impl Fn(usize) -> PeerMeta,
) -> (Routing, Pipes, Vec<PeerId>) {
    let mut r = Routing::new(kind).expect("every type has routing");
    let mut pipes = Pipes::new(n, keep);
    let ids: Vec<PeerId> = (0..n).map(|i| PeerId::new(i as u32, 0)).collect();
    for (i, &id) in ids.iter().enumerate() {
        r.attach(id);
        r.connected(id, &meta(i), &mut pipes);
    }
    (r, pipes, ids)
}

/// Handshake metadata of a peer with no identity.
fn plain(_: usize) -> PeerMeta {
    PeerMeta::default()
}

/// Messages per iteration in the batch benchmarks.
const BATCH: usize = 1000;

fn body() -> Bytes {
    Bytes::from_static(&[0u8; 64])
}

fn push(c: &mut Criterion) {
    let mut group = c.benchmark_group("push");
    group.throughput(Throughput::Elements(BATCH as u64));
    for n in [1, 4, 64] {
        let (mut r, mut pipes, _) = with_peers(SocketType::Push, n, false, plain);
        let msg = Message::from(body());
        group.bench_function(format!("send_{n}_peers"), |b| {
            b.iter(|| {
                for _ in 0..BATCH {
                    r.send(msg.clone(), &mut pipes).expect("room");
                }
            })
        });
        assert_pushed(&pipes);
    }
    group.finish();
}

fn publisher(c: &mut Criterion) {
    let mut group = c.benchmark_group("pub");
    group.throughput(Throughput::Elements(BATCH as u64));
    for n in [1, 4, 100] {
        let (mut r, mut pipes, ids) = with_peers(SocketType::Pub, n, false, plain);
        for &id in &ids {
            r.on_subscribe(id, b"");
        }
        let msg = Message::from(body());
        group.bench_function(format!("fanout_{n}_subscribers"), |b| {
            b.iter(|| {
                for _ in 0..BATCH {
                    r.send(msg.clone(), &mut pipes).expect("pub never blocks");
                }
            })
        });
        assert_pushed(&pipes);
    }
    // 100 subscribers with one distinct topic each; every message matches one of them.
    let (mut r, mut pipes, ids) = with_peers(SocketType::Pub, 100, false, plain);
    for (i, &id) in ids.iter().enumerate() {
        r.on_subscribe(id, format!("topic.{i:03}").as_bytes());
    }
    let msgs: Vec<Message> = (0..100)
        .map(|i| Message::from(Bytes::from(format!("topic.{i:03} payload"))))
        .collect();
    group.bench_function("match_1_of_100_topics", |b| {
        b.iter(|| {
            for i in 0..BATCH {
                r.send(msgs[i % 100].clone(), &mut pipes)
                    .expect("pub never blocks");
            }
        })
    });
    assert_pushed(&pipes);
    group.finish();
}

fn subscriber(c: &mut Criterion) {
    let mut group = c.benchmark_group("sub");
    group.throughput(Throughput::Elements(BATCH as u64));
    let (mut r, mut pipes, ids) = with_peers(SocketType::Sub, 1, false, plain);
    for i in 0..100 {
        r.subscribe(Bytes::from(format!("topic.{i:03}")), &mut pipes);
    }
    let hit = Message::from(Bytes::from_static(b"topic.042 payload"));
    let miss = Message::from(Bytes::from_static(b"other.042 payload"));
    for (name, msg) in [("on_recv_match_of_100", hit), ("on_recv_miss_of_100", miss)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                for _ in 0..BATCH {
                    black_box(r.on_recv(ids[0], msg.clone()));
                }
            })
        });
    }
    group.finish();
}

fn router(c: &mut Criterion) {
    let mut group = c.benchmark_group("router");
    group.throughput(Throughput::Elements(BATCH as u64));
    let n = 1000;
    let (mut r, mut pipes, ids) = with_peers(SocketType::Router, n, false, |i| PeerMeta {
        identity: Bytes::from(format!("peer-{i:04}")),
        ..Default::default()
    });
    let msgs: Vec<Message> = (0..n)
        .map(|i| Message::from_frames([Bytes::from(format!("peer-{i:04}")), body()]))
        .collect();
    group.bench_function("send_among_1000_peers", |b| {
        b.iter(|| {
            for i in 0..BATCH {
                r.send(msgs[(i * 7) % n].clone(), &mut pipes)
                    .expect("routable");
            }
        })
    });
    assert_pushed(&pipes);
    let incoming = Message::from(body());
    group.bench_function("on_recv_prefix_id", |b| {
        b.iter(|| {
            for i in 0..BATCH {
                match r.on_recv(ids[(i * 7) % n], incoming.clone()) {
                    RecvAction::Deliver(m) => {
                        black_box(m);
                    }
                    other => panic!("not delivered: {other:?}"),
                }
            }
        })
    });
    group.finish();
}

fn req_rep(c: &mut Criterion) {
    let mut group = c.benchmark_group("req_rep");
    group.throughput(Throughput::Elements(1));
    // Each side sees the other as peer 0.
    let (mut req, mut req_pipes, req_ids) = with_peers(SocketType::Req, 1, true, plain);
    let (mut rep, mut rep_pipes, rep_ids) = with_peers(SocketType::Rep, 1, true, plain);
    let request = Message::from(body());
    group.bench_function("roundtrip", |b| {
        b.iter(|| {
            req.send(request.clone(), &mut req_pipes).expect("room");
            let wire = req_pipes.pop(req_ids[0]).expect("queued");
            let RecvAction::Deliver(q) = rep.on_recv(rep_ids[0], wire) else {
                panic!("request not delivered");
            };
            rep.send(q, &mut rep_pipes).expect("reply allowed");
            let wire = rep_pipes.pop(rep_ids[0]).expect("queued");
            let RecvAction::Deliver(a) = req.on_recv(req_ids[0], wire) else {
                panic!("reply not delivered");
            };
            black_box(a);
        })
    });
    group.finish();
}

/// Checks that every benchmarked send reached a pipe (guards against a silent no-op).
/// Skipped when a name filter is given: filtered-out benchmarks never run.
fn assert_pushed(pipes: &Pipes) {
    let filtered = std::env::args().skip(1).any(|a| !a.starts_with('-'));
    assert!(
        filtered || pipes.pushed.iter().sum::<u64>() > 0,
        "nothing was routed"
    );
}

criterion_group!(benches, push, publisher, subscriber, router, req_rep);
criterion_main!(benches);
