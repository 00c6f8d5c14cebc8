//! An inproc name is free for another socket's bind as soon as `unbind` (or `close`)
//! returns, as in libzmq; connects made before a bind still reach the binder.

use std::time::Duration;

use zmtp_api::{Socket, SocketType, blocking};

const T: Duration = Duration::from_secs(10);
const ROUNDS: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bind_right_after_unbind_succeeds() {
    let a = Socket::new(SocketType::Pull).unwrap();
    let b = Socket::new(SocketType::Pull).unwrap();
    for round in 0..ROUNDS {
        a.bind("inproc://rebind-unbind").unwrap();
        a.unbind("inproc://rebind-unbind").unwrap();
        b.bind("inproc://rebind-unbind")
            .unwrap_or_else(|e| panic!("round {round}: bind after unbind: {e}"));
        b.unbind("inproc://rebind-unbind").unwrap();
    }
}

#[test]
fn blocking_bind_right_after_unbind_succeeds() {
    let a = blocking::Socket::new(SocketType::Pull).unwrap();
    let b = blocking::Socket::new(SocketType::Pull).unwrap();
    for round in 0..ROUNDS {
        a.bind("inproc://rebind-blocking").unwrap();
        a.unbind("inproc://rebind-blocking").unwrap();
        b.bind("inproc://rebind-blocking")
            .unwrap_or_else(|e| panic!("round {round}: bind after unbind: {e}"));
        b.unbind("inproc://rebind-blocking").unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bind_right_after_close_succeeds() {
    for round in 0..ROUNDS {
        let a = Socket::new(SocketType::Pull).unwrap();
        a.bind("inproc://rebind-close").unwrap();
        a.close();
        let b = Socket::new(SocketType::Pull).unwrap();
        b.bind("inproc://rebind-close")
            .unwrap_or_else(|e| panic!("round {round}: bind after close: {e}"));
        b.close();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connects_made_before_the_bind_reach_the_binder_and_the_next_one() {
    let early = Socket::new(SocketType::Push).unwrap();
    early.connect("inproc://rebind-early").unwrap();
    early.send("queued before the bind").await.unwrap();
    let a = Socket::builder(SocketType::Pull)
        .bind("inproc://rebind-early")
        .build()
        .unwrap();
    let got = tokio::time::timeout(T, a.recv()).await.unwrap().unwrap();
    assert_eq!(got, "queued before the bind");
    // After unbind the connection already made stays; a new connect goes to the new
    // binder.
    a.unbind("inproc://rebind-early").unwrap();
    let b = Socket::builder(SocketType::Pull)
        .bind("inproc://rebind-early")
        .build()
        .unwrap();
    early.send("still to a").await.unwrap();
    let got = tokio::time::timeout(T, a.recv()).await.unwrap().unwrap();
    assert_eq!(got, "still to a");
    let late = Socket::builder(SocketType::Push)
        .connect("inproc://rebind-early")
        .build()
        .unwrap();
    late.send("to b").await.unwrap();
    let got = tokio::time::timeout(T, b.recv()).await.unwrap().unwrap();
    assert_eq!(got, "to b");
}
