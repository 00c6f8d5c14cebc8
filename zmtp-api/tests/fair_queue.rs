//! Fair queuing between our own sockets over inproc: a PULL with two PUSH peers hands
//! out one whole message per peer in turn, and a flooding peer does not starve another.
//!
//! The sockets live on a current-thread runtime the test drives itself: messages are
//! queued with `try_send` while the runtime is idle (so no inproc link moves anything
//! yet), then the runtime runs again and both links move their messages before the
//! reading future is polled again, so the first read already sees every peer's
//! messages.

use std::time::Duration;

use zmtp_api::{Bytes, Socket, SocketOption, SocketType};

const T: Duration = Duration::from_secs(10);

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

async fn recv(s: &Socket) -> Vec<Bytes> {
    tokio::time::timeout(T, s.recv_multipart())
        .await
        .expect("timed out")
        .expect("recv")
}

/// A PULL bound to `name` and two PUSH peers whose links are up (one marker each read).
fn pull_and_two_pushes(
    rt: &tokio::runtime::Runtime,
    name: &str,
    sndhwm: usize,
) -> (Socket, [Socket; 2]) {
    let pull = Socket::new(SocketType::Pull).expect("pull");
    let ep = format!("inproc://fair-{name}");
    pull.bind(&ep).expect("bind");
    let pushes = [0, 1].map(|_| {
        let s = Socket::new(SocketType::Push).expect("push");
        s.set_option(SocketOption::SndHwm(sndhwm)).expect("sndhwm");
        s.connect(&ep).expect("connect");
        s
    });
    rt.block_on(async {
        for p in &pushes {
            p.send("hello").await.expect("marker");
        }
        for _ in 0..2 {
            assert_eq!(recv(&pull).await, ["hello"]);
        }
    });
    (pull, pushes)
}

#[test]
fn pull_alternates_between_two_pushes() {
    let rt = runtime();
    let _in_rt = rt.enter();
    let (pull, pushes) = pull_and_two_pushes(&rt, "alternate", 1000);
    for (p, tag) in pushes.iter().zip(["a", "b"]) {
        for n in 0..5 {
            p.try_send([Bytes::from(tag), Bytes::from(n.to_string())])
                .expect("queued");
        }
    }
    let got: Vec<String> = rt.block_on(async {
        let mut got = Vec::new();
        for _ in 0..10 {
            let m = recv(&pull).await;
            assert_eq!(m.len(), 2, "whole messages");
            got.push(format!(
                "{}{}",
                String::from_utf8_lossy(&m[0]),
                String::from_utf8_lossy(&m[1])
            ));
        }
        got
    });
    let (x, y) = if got[0].starts_with('a') {
        ("a", "b")
    } else {
        ("b", "a")
    };
    let want: Vec<String> = (0..5)
        .flat_map(|n| [format!("{x}{n}"), format!("{y}{n}")])
        .collect();
    assert_eq!(got, want);
}

#[test]
fn a_flooding_push_does_not_starve_another() {
    let rt = runtime();
    let _in_rt = rt.enter();
    let (pull, pushes) = pull_and_two_pushes(&rt, "starve", 0);
    for n in 0..5000u32 {
        pushes[0]
            .try_send([Bytes::from("a"), Bytes::from(n.to_string())])
            .expect("queued");
    }
    pushes[1].try_send(["b", "0"]).expect("queued");
    let first_two: Vec<Bytes> = rt.block_on(async {
        let mut v = Vec::new();
        for _ in 0..2 {
            v.push(recv(&pull).await[0].clone());
        }
        v
    });
    assert!(
        first_two.iter().any(|f| f == "b"),
        "b starved: {first_two:?}"
    );
}
