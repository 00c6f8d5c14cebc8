//! Sharing one socket between many tasks: nothing lost, nothing duplicated, no frames
//! interleaved, and cancel-safety under `select!`.

use std::collections::HashSet;
use std::time::Duration;

use futures::StreamExt;
use zmtp_api::{Bytes, Error, Socket, SocketType, blocking};

const T: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_receivers_get_every_message_once_and_whole() {
    let pull = Socket::new(SocketType::Pull).unwrap();
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let push = Socket::new(SocketType::Push).unwrap();
    push.connect(&pull.last_endpoint().unwrap().unwrap())
        .unwrap();
    const N: usize = 10_000;
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let receivers: Vec<_> = (0..100)
        .map(|_| {
            let pull = pull.clone();
            let count = count.clone();
            tokio::spawn(async move {
                let mut got = Vec::new();
                // Runs until the socket is closed, after the last message arrived.
                while let Ok(m) = pull.recv_multipart().await {
                    assert_eq!(m.len(), 3, "message split");
                    assert_eq!(m[0], m[2]);
                    got.push(String::from_utf8(m[0].to_vec()).unwrap());
                    count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                got
            })
        })
        .collect();
    for i in 0..N {
        let id = Bytes::from(format!("{i}"));
        push.send(vec![id.clone(), Bytes::from_static(b"mid"), id])
            .await
            .unwrap();
    }
    let deadline = tokio::time::Instant::now() + T;
    while count.load(std::sync::atomic::Ordering::SeqCst) < N {
        assert!(tokio::time::Instant::now() < deadline, "messages missing");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    pull.close();
    let mut all = Vec::new();
    for r in receivers {
        all.extend(tokio::time::timeout(T, r).await.unwrap().unwrap());
    }
    let unique: HashSet<_> = all.iter().cloned().collect();
    assert_eq!(all.len(), N, "every message exactly once");
    assert_eq!(unique.len(), N);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_senders_never_interleave_frames() {
    let pull = Socket::new(SocketType::Pull).unwrap();
    pull.bind("inproc://concurrency-senders").unwrap();
    let push = Socket::new(SocketType::Push).unwrap();
    push.connect("inproc://concurrency-senders").unwrap();
    let senders: Vec<_> = (0..100)
        .map(|t| {
            let push = push.clone();
            tokio::spawn(async move {
                for i in 0..100 {
                    let tag = Bytes::from(format!("{t}-{i}"));
                    push.send(vec![tag.clone(), tag.clone(), tag])
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for _ in 0..100 * 100 {
        let m = tokio::time::timeout(T, pull.recv_multipart())
            .await
            .unwrap()
            .unwrap();
        assert!(
            m.len() == 3 && m[0] == m[1] && m[1] == m[2],
            "interleaved: {m:?}"
        );
    }
    for s in senders {
        s.await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_recv_against_a_short_timer_loses_nothing() {
    let pull = Socket::new(SocketType::Pull).unwrap();
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let push = Socket::new(SocketType::Push).unwrap();
    push.connect(&pull.last_endpoint().unwrap().unwrap())
        .unwrap();
    const N: u32 = 100_000;
    let sender = tokio::spawn(async move {
        for i in 0..N {
            push.send(i.to_le_bytes().to_vec()).await.unwrap();
        }
        push
    });
    let mut next = 0u32;
    let mut timeouts = 0u64;
    let mut stream = pull.messages();
    let deadline = tokio::time::Instant::now() + T;
    while next < N {
        assert!(tokio::time::Instant::now() < deadline, "stuck at {next}");
        tokio::select! {
            m = pull.recv() => {
                let m = m.unwrap();
                assert_eq!(u32::from_le_bytes(m[..].try_into().unwrap()), next);
                next += 1;
            }
            m = stream.next() => {
                let m = m.unwrap().unwrap();
                assert_eq!(u32::from_le_bytes(m.frames()[0][..].try_into().unwrap()), next);
                next += 1;
            }
            _ = tokio::time::sleep(Duration::from_micros(10)) => timeouts += 1,
        }
    }
    let _ = timeouts;
    sender.await.unwrap();
}

#[test]
fn blocking_api_from_plain_threads() {
    let pull = blocking::Socket::new(SocketType::Pull).unwrap();
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let ep = pull.last_endpoint().unwrap().unwrap();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let ep = ep.clone();
            std::thread::spawn(move || {
                let push = blocking::Socket::new(SocketType::Push).unwrap();
                push.connect(&ep).unwrap();
                for i in 0..250 {
                    push.send(format!("{t}-{i}")).unwrap();
                }
                push.close_and_flush().unwrap();
            })
        })
        .collect();
    let mut seen = HashSet::new();
    for _ in 0..1000 {
        seen.insert(pull.recv_timeout(T).unwrap().frames()[0].clone());
    }
    assert_eq!(seen.len(), 1000);
    for t in threads {
        t.join().unwrap();
    }
}

#[tokio::test(flavor = "current_thread")]
async fn blocking_call_inside_a_runtime_is_an_error_not_a_panic() {
    let s = Socket::new(SocketType::Pull).unwrap().blocking();
    assert!(matches!(s.recv(), Err(Error::BlockingInRuntime)));
    drop(s);
}
