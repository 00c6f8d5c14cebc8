//! Restarts: a libzmq socket bound on an endpoint is closed and a new one bound
//! on the same endpoint; our connecting socket must reconnect by itself
//! (SUB resubscribes, PUSH delivers what it queued meanwhile). Also the other
//! way round: our bound socket restarts and a connecting libzmq peer comes back.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::*;

/// libzmq PUB publishes `B-noise`, `<marker>` every 10 ms until `stop` is set or
/// the deadline passes.
async fn libzmq_publish_until(publisher: &mut Zmq, marker: &'static [u8], stop: Arc<AtomicBool>) {
    publisher
        .run(move |s| {
            let deadline = std::time::Instant::now() + T;
            while !stop.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
                let _ = s.send(&b"B-noise"[..], 0);
                let _ = s.send(marker, 0);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
        .await;
}

/// Our SUB receives `marker` (skipping earlier A-messages) while the libzmq PUB loops.
async fn sub_sync(sub: &Socket, publisher: &mut Zmq, marker: &'static [u8]) {
    let stop = Arc::new(AtomicBool::new(false));
    let publishing = libzmq_publish_until(publisher, marker, stop.clone());
    let receiving = async {
        loop {
            let m = recv_ours(sub).await;
            assert!(m[0].starts_with(b"A"), "filter leak: {}", describe(&m));
            if m[0] == marker {
                break;
            }
        }
        stop.store(true, Ordering::SeqCst);
    };
    tokio::join!(publishing, receiving);
}

async fn sub_resubscribes_after_libzmq_pub_restart(transport: Transport) {
    let sub = ours(SocketType::Sub);
    sub.set_option(SocketOption::ReconnectIvl(50)).unwrap();
    sub.subscribe(b"A").unwrap();
    let addr = BindAddr::new(transport, "restart-pub");

    let ctx = zmq::Context::new();
    let mut pub1 = Zmq::new(&ctx, zmq::PUB);
    let ep = pub1.bind(&addr.endpoint);
    sub.connect(&ep).unwrap();
    sub_sync(&sub, &mut pub1, b"A-before").await;

    pub1.close();
    let mut pub2 = Zmq::new(&ctx, zmq::PUB);
    let ep2 = pub2.bind(&ep);
    assert_eq!(ep2, ep);
    // Only a reconnect plus a replayed subscription lets A-after through.
    sub_sync(&sub, &mut pub2, b"A-after").await;
    sub.close();
}

async fn push_delivers_queue_after_libzmq_pull_restart(transport: Transport) {
    let push = ours(SocketType::Push);
    push.set_option(SocketOption::ReconnectIvl(50)).unwrap();
    let addr = BindAddr::new(transport, "restart-pull");

    let ctx = zmq::Context::new();
    let mut pull1 = Zmq::new(&ctx, zmq::PULL);
    let ep = pull1.bind(&addr.endpoint);
    push.connect(&ep).unwrap();
    send_ours(&push, &msg(&[b"before"])).await;
    assert_msg_eq(&pull1.recv().await.unwrap(), &msg(&[b"before"]));
    pull1.close();

    // Nobody listens now. Queue numbered messages, spread over ~300 ms: those
    // written before our side noticed the close may be lost with the dead
    // connection (as with libzmq), the rest must wait in our queue.
    const N: u32 = 30;
    for n in 0..N {
        send_ours(&push, &[b"queued".to_vec(), n.to_string().into_bytes()]).await;
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    let mut pull2 = Zmq::new(&ctx, zmq::PULL);
    let ep2 = pull2.bind(&ep);
    assert_eq!(ep2, ep);
    send_ours(&push, &msg(&[b"after"])).await;

    // Delivered: a gap-free tail of the queued messages (ending with the last one),
    // in order, then "after".
    let mut got = Vec::new();
    loop {
        let m = pull2.recv().await.expect("libzmq PULL after restart");
        if m == msg(&[b"after"]) {
            break;
        }
        assert_eq!(m.len(), 2, "{}", describe(&m));
        assert_eq!(m[0], b"queued");
        got.push(
            String::from_utf8(m[1].clone())
                .unwrap()
                .parse::<u32>()
                .unwrap(),
        );
    }
    assert!(
        !got.is_empty(),
        "nothing queued while disconnected was delivered"
    );
    let first = got[0];
    let expected: Vec<u32> = (first..N).collect();
    assert_eq!(
        got, expected,
        "queued messages lost, reordered or duplicated"
    );
    assert!(
        first < 20,
        "most queued messages were lost (only {first}..{N} arrived): the disconnect went unnoticed too long"
    );
    push.close();
}

async fn pull_reconnects_after_libzmq_push_restart(transport: Transport) {
    let pull = ours(SocketType::Pull);
    pull.set_option(SocketOption::ReconnectIvl(50)).unwrap();
    let addr = BindAddr::new(transport, "restart-push");

    let ctx = zmq::Context::new();
    let mut push1 = Zmq::new(&ctx, zmq::PUSH);
    let ep = push1.bind(&addr.endpoint);
    pull.connect(&ep).unwrap();
    push1.send(msg(&[b"one"])).await.unwrap();
    assert_msg_eq(&recv_ours(&pull).await, &msg(&[b"one"]));
    push1.close();

    let mut push2 = Zmq::new(&ctx, zmq::PUSH);
    push2.bind(&ep);
    // A bound libzmq PUSH blocks (SNDTIMEO 10 s) until a peer is attached.
    push2
        .send(msg(&[b"two"]))
        .await
        .expect("libzmq PUSH: our PULL never came back");
    assert_msg_eq(&recv_ours(&pull).await, &msg(&[b"two"]));
    pull.close();
}

/// libzmq REP: receives one request and answers `["re", request...]`.
async fn serve_one(rep: &mut Zmq) -> Result<Vec<Vec<u8>>, zmq::Error> {
    rep.run(|s| {
        let r = s.recv_multipart(0)?;
        let mut reply = vec![b"re".to_vec()];
        reply.extend(r.iter().cloned());
        s.send_multipart(reply, 0)?;
        Ok(r)
    })
    .await
}

async fn req_reconnects_after_libzmq_rep_restart(transport: Transport) {
    let req = ours(SocketType::Req);
    req.set_option(SocketOption::ReconnectIvl(50)).unwrap();
    let addr = BindAddr::new(transport, "restart-rep");

    let ctx = zmq::Context::new();
    let mut rep1 = Zmq::new(&ctx, zmq::REP);
    let ep = rep1.bind(&addr.endpoint);
    req.connect(&ep).unwrap();
    let q1 = msg(&[b"q1"]);
    let (served, ()) = tokio::join!(serve_one(&mut rep1), send_ours(&req, &q1));
    assert_msg_eq(&served.unwrap(), &msg(&[b"q1"]));
    assert_msg_eq(&recv_ours(&req).await, &msg(&[b"re", b"q1"]));
    rep1.close();

    let mut rep2 = Zmq::new(&ctx, zmq::REP);
    let mut mon = rep2.monitor(&ctx, zmq::SocketEvent::HANDSHAKE_SUCCEEDED as i32);
    rep2.bind(&ep);
    // A request written into the dead connection would be lost (as with libzmq),
    // so send only once we are back.
    assert!(
        mon.wait_event(zmq::SocketEvent::HANDSHAKE_SUCCEEDED).await,
        "our REQ never reconnected"
    );
    let q2 = msg(&[b"q2"]);
    let (served, ()) = tokio::join!(serve_one(&mut rep2), send_ours(&req, &q2));
    assert_msg_eq(&served.unwrap(), &msg(&[b"q2"]));
    assert_msg_eq(&recv_ours(&req).await, &msg(&[b"re", b"q2"]));
    req.close();
}

/// Our bound PULL is closed and a new one bound on the same endpoint: a
/// connecting libzmq PUSH reconnects to it.
async fn libzmq_push_reconnects_after_our_pull_restart(transport: Transport) {
    let addr = BindAddr::new(transport, "restart-ours");
    let pull1 = ours(SocketType::Pull);
    let ep = bind_ours(&pull1, &addr.endpoint);

    let ctx = zmq::Context::new();
    let mut push = Zmq::new(&ctx, zmq::PUSH);
    push.raw().set_reconnect_ivl(50).unwrap();
    push.connect(&ep);
    push.send(msg(&[b"one"])).await.unwrap();
    assert_msg_eq(&recv_ours(&pull1).await, &msg(&[b"one"]));
    pull1.close();
    drop(pull1);

    let pull2 = ours(SocketType::Pull);
    let ep2 = bind_ours_retry(&pull2, &ep).await;
    assert_eq!(ep2, ep);
    // libzmq may write a few messages into the dead connection before it notices;
    // keep sending until one arrives.
    let stop = Arc::new(AtomicBool::new(false));
    let stop2 = stop.clone();
    let sending = push.run(move |s| {
        let deadline = std::time::Instant::now() + T;
        let mut n = 0u32;
        while !stop2.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
            let _ = s.send_multipart([&b"two"[..], n.to_string().as_bytes()], zmq::DONTWAIT);
            n += 1;
            std::thread::sleep(Duration::from_millis(10));
        }
    });
    let receiving = async {
        let m = recv_ours(&pull2).await;
        assert_eq!(m[0], b"two", "{}", describe(&m));
        stop.store(true, Ordering::SeqCst);
    };
    tokio::join!(sending, receiving);
    pull2.close();
}

macro_rules! cases {
    ($($name:ident => $f:ident($transport:expr);)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            $f($transport).await;
        }
    )*};
}

cases! {
    sub_resubscribes_after_libzmq_pub_restart_tcp => sub_resubscribes_after_libzmq_pub_restart(Transport::Tcp);
    sub_resubscribes_after_libzmq_pub_restart_ipc => sub_resubscribes_after_libzmq_pub_restart(Transport::Ipc);
    push_delivers_queue_after_libzmq_pull_restart_tcp => push_delivers_queue_after_libzmq_pull_restart(Transport::Tcp);
    push_delivers_queue_after_libzmq_pull_restart_ipc => push_delivers_queue_after_libzmq_pull_restart(Transport::Ipc);
    pull_reconnects_after_libzmq_push_restart_tcp => pull_reconnects_after_libzmq_push_restart(Transport::Tcp);
    req_reconnects_after_libzmq_rep_restart_tcp => req_reconnects_after_libzmq_rep_restart(Transport::Tcp);
    libzmq_push_reconnects_after_our_pull_restart_tcp => libzmq_push_reconnects_after_our_pull_restart(Transport::Tcp);
    libzmq_push_reconnects_after_our_pull_restart_ipc => libzmq_push_reconnects_after_our_pull_restart(Transport::Ipc);
}

/// A raw listener plays the libzmq side: after it drops the first connection,
/// our PUSH reconnects and the messages queued meanwhile arrive in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_reconnects_to_raw_listener_and_flushes_queue() {
    let push = ours(SocketType::Push);
    push.set_option(SocketOption::ReconnectIvl(50)).unwrap();
    let l = RawListener::bind("tcp://127.0.0.1:0").await.unwrap();
    push.connect(l.endpoint()).unwrap();
    let mut first = l.accept().await.unwrap();
    first.handshake(1, "PULL", None).await.unwrap();
    send_ours(&push, &msg(&[b"m0"])).await;
    assert_eq!(first.read_message().await.unwrap(), msg(&[b"m0"]));
    drop(first);
    // Keep the listener from accepting until our queue has built up: the
    // connection attempts wait in the backlog.
    for n in 1..=10u32 {
        send_ours(&push, &[format!("m{n}").into_bytes()]).await;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut second = l.accept().await.unwrap();
    second.handshake(1, "PULL", None).await.unwrap();
    let mut got = Vec::new();
    loop {
        let m = second.read_message().await.unwrap();
        let done = m == msg(&[b"m10"]);
        got.push(String::from_utf8(m[0].clone()).unwrap());
        if done {
            break;
        }
    }
    let first_n: u32 = got[0][1..].parse().unwrap();
    let want: Vec<String> = (first_n..=10).map(|n| format!("m{n}")).collect();
    assert_eq!(got, want, "a gap-free, ordered tail of the queue");
}
