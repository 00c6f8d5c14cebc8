//! Our sockets talking to each other over tcp, ipc and inproc.

use std::time::Duration;

use zmtp_api::{Error, Socket, SocketOption, SocketType};

const DEADLINE: Duration = Duration::from_secs(10);

fn ipc_path(tag: &str) -> String {
    format!(
        "ipc://{}/zmtp-api-{}-{}.sock",
        std::env::temp_dir().display(),
        tag,
        std::process::id()
    )
}

async fn reqrep(ep: &str) {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_test_writer()
        .try_init();
    let rep = Socket::new(SocketType::Rep).unwrap();
    rep.bind(ep).unwrap();
    let ep = rep.last_endpoint().unwrap().unwrap();
    let req = Socket::new(SocketType::Req).unwrap();
    req.connect(&ep).unwrap();
    for i in 0..5 {
        req.send(format!("req {i}")).await.unwrap();
        let got = tokio::time::timeout(DEADLINE, rep.recv_string())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got, format!("req {i}"));
        rep.send(["rep", "multi"]).await.unwrap();
        let reply = tokio::time::timeout(DEADLINE, req.recv_multipart())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(reply, ["rep", "multi"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reqrep_tcp() {
    reqrep("tcp://127.0.0.1:*").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reqrep_ipc() {
    reqrep(&ipc_path("reqrep")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reqrep_inproc() {
    reqrep("inproc://loopback-reqrep").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn req_state_errors() {
    let req = Socket::new(SocketType::Req).unwrap();
    assert!(matches!(req.try_recv_message(), Err(Error::InvalidState)));
    let rep = Socket::new(SocketType::Rep).unwrap();
    assert!(matches!(rep.try_send("x"), Err(Error::InvalidState)));
}

async fn pushpull(ep: &str, count: usize) {
    let pull = Socket::new(SocketType::Pull).unwrap();
    pull.bind(ep).unwrap();
    let ep = pull.last_endpoint().unwrap().unwrap();
    let push = Socket::new(SocketType::Push).unwrap();
    push.connect(&ep).unwrap();
    let sender = tokio::spawn(async move {
        for i in 0..count {
            push.send(vec![
                format!("{i}").into_bytes().into(),
                bytes::Bytes::from_static(b"tail"),
            ])
            .await
            .unwrap();
        }
        push
    });
    for i in 0..count {
        let m = match tokio::time::timeout(DEADLINE, pull.recv_multipart()).await {
            Ok(m) => m.unwrap(),
            Err(_) => panic!("timed out after {i} messages"),
        };
        assert_eq!(m[0], format!("{i}").as_bytes());
        assert_eq!(m[1], "tail");
    }
    sender.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushpull_tcp_many() {
    pushpull("tcp://127.0.0.1:*", 20_000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushpull_ipc_many() {
    pushpull(&ipc_path("pushpull"), 20_000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushpull_inproc_many() {
    pushpull("inproc://loopback-pushpull", 20_000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_message_tcp() {
    let pull = Socket::new(SocketType::Pull).unwrap();
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let push = Socket::new(SocketType::Push).unwrap();
    push.connect(&pull.last_endpoint().unwrap().unwrap())
        .unwrap();
    let big: Vec<u8> = (0..4 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    push.send(big.clone()).await.unwrap();
    let got = tokio::time::timeout(DEADLINE, pull.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.len(), big.len());
    assert!(got == big);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pubsub_tcp_filters() {
    let publisher = Socket::new(SocketType::Pub).unwrap();
    publisher.bind("tcp://127.0.0.1:*").unwrap();
    let sub = Socket::new(SocketType::Sub).unwrap();
    sub.subscribe("B").unwrap();
    sub.connect(&publisher.last_endpoint().unwrap().unwrap())
        .unwrap();
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        publisher.send("A-nope").await.unwrap();
        publisher.send("B-yes").await.unwrap();
        if let Ok(Ok(m)) = tokio::time::timeout(Duration::from_millis(20), sub.recv_string()).await
        {
            assert_eq!(m, "B-yes");
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no message before the deadline"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inproc_hwm_is_sum_of_both_ends() {
    let pull = Socket::new(SocketType::Pull).unwrap();
    pull.set_option(SocketOption::RcvHwm(3)).unwrap();
    pull.bind("inproc://loopback-hwm").unwrap();
    let push = Socket::new(SocketType::Push).unwrap();
    push.set_option(SocketOption::SndHwm(2)).unwrap();
    push.connect("inproc://loopback-hwm").unwrap();
    let mut sent = 0;
    let deadline = tokio::time::Instant::now() + DEADLINE;
    // Keep trying until the pipe stays full: 2 + 3 messages fit.
    while tokio::time::Instant::now() < deadline {
        match push.try_send("m") {
            Ok(()) => sent += 1,
            Err(Error::WouldBlock) => {
                if sent == 5 {
                    break;
                }
                tokio::task::yield_now().await;
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(sent, 5);
    for _ in 0..5 {
        pull.recv().await.unwrap();
    }
    assert!(pull.try_recv_message().unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connecting_xpub_sees_subscriptions() {
    for ep in ["inproc://loopback-xpub-connect", "tcp://127.0.0.1:*"] {
        let sub = Socket::new(SocketType::Sub).unwrap();
        sub.subscribe("t").unwrap();
        sub.bind(ep).unwrap();
        let xpub = Socket::new(SocketType::XPub).unwrap();
        xpub.connect(&sub.last_endpoint().unwrap().unwrap())
            .unwrap();
        let notice = tokio::time::timeout(DEADLINE, xpub.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(notice, "\x01t", "{ep}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_notifies_connect() {
    let s = Socket::new(SocketType::Stream).unwrap();
    s.bind("tcp://127.0.0.1:*").unwrap();
    let addr = s
        .last_endpoint()
        .unwrap()
        .unwrap()
        .trim_start_matches("tcp://")
        .to_string();
    let _client = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let hello = tokio::time::timeout(DEADLINE, s.recv_multipart())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(hello.len(), 2);
    assert!(hello[1].is_empty());
}

/// Multipart messages whose frames straddle the large-body threshold (bodies from 16 KiB
/// are read into recycled buffers) arrive intact and in order, with small frames around
/// them, over tcp and ipc; buffers recycled from earlier messages never leak old bytes.
async fn mixed_sizes(ep: &str) {
    let pull = Socket::new(SocketType::Pull).unwrap();
    pull.bind(ep).unwrap();
    let push = Socket::new(SocketType::Push).unwrap();
    push.connect(&pull.last_endpoint().unwrap().unwrap())
        .unwrap();
    let sizes = [
        0usize,
        1,
        255,
        256,
        16 * 1024 - 1,
        16 * 1024,
        16 * 1024 + 1,
        65_536,
        100_000,
        (4 << 20) + 1,
    ];
    let body = |round: usize, i: usize, len: usize| -> Vec<u8> {
        (0..len)
            .map(|k| ((k * 7 + i * 13 + round) % 253) as u8)
            .collect()
    };
    let mut sent = Vec::new();
    for round in 0..6 {
        // Each message: a small frame, one of the sizes, another of the sizes.
        let a = sizes[round % sizes.len()];
        let b = sizes[(round * 3 + 5) % sizes.len()];
        let frames = vec![body(round, 0, 3), body(round, 1, a), body(round, 2, b)];
        sent.push(frames.clone());
        push.send_multipart(frames).await.unwrap();
        // And single frames of every size.
        for (i, &len) in sizes.iter().enumerate() {
            let one = vec![body(round, 10 + i, len)];
            sent.push(one.clone());
            push.send_multipart(one).await.unwrap();
        }
    }
    for (n, want) in sent.iter().enumerate() {
        let got = tokio::time::timeout(DEADLINE, pull.recv_message())
            .await
            .unwrap()
            .unwrap();
        let got: Vec<Vec<u8>> = got.frames().iter().map(|f| f.to_vec()).collect();
        assert!(
            &got == want,
            "message {n}: frame sizes {:?}, wanted {:?}",
            got.iter().map(Vec::len).collect::<Vec<_>>(),
            want.iter().map(Vec::len).collect::<Vec<_>>()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_sizes_tcp() {
    mixed_sizes("tcp://127.0.0.1:*").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_sizes_ipc() {
    mixed_sizes(&ipc_path("mixed")).await;
}

/// Closing a sender with more queued than one hand-over batch (512) and than the
/// receiver's RCVHWM still delivers everything over inproc when linger allows it: the
/// pipe is drained as the receiver makes room, then ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inproc_close_with_many_queued_delivers_all() {
    let pull = Socket::new(SocketType::Pull).unwrap();
    pull.set_option(SocketOption::RcvHwm(100)).unwrap();
    pull.bind("inproc://loopback-close-queued").unwrap();
    let push = Socket::new(SocketType::Push).unwrap();
    push.set_option(SocketOption::SndHwm(0)).unwrap();
    push.set_option(SocketOption::Linger(-1)).unwrap();
    push.connect("inproc://loopback-close-queued").unwrap();
    const N: usize = 2000;
    for i in 0..N {
        push.send(format!("{i}")).await.unwrap();
    }
    push.close();
    for i in 0..N {
        let m = match tokio::time::timeout(DEADLINE, pull.recv()).await {
            Ok(m) => m.unwrap(),
            Err(_) => panic!("timed out after {i} of {N} messages"),
        };
        assert_eq!(m, format!("{i}").as_bytes());
    }
}
