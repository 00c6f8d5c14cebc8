//! Helpers shared by the inproc test files that link our own sockets (each test file
//! uses a subset of them).
#![allow(dead_code)]

use std::time::Duration;

use zmtp_api::{Bytes, Error, Socket, SocketType};

pub const T: Duration = Duration::from_secs(10);

pub async fn recv(s: &Socket) -> Vec<Bytes> {
    tokio::time::timeout(T, s.recv_multipart())
        .await
        .expect("timed out")
        .expect("recv")
}

pub async fn recv_within(s: &Socket, d: Duration) -> Option<Vec<Bytes>> {
    tokio::time::timeout(d, s.recv_multipart())
        .await
        .ok()
        .map(|r| r.expect("recv"))
}

/// A bound + connected pair in a private context.
pub fn linked(ctx: &zmtp_api::Context, a: SocketType, b: SocketType) -> (Socket, Socket) {
    let binder = Socket::with_context(a, ctx).unwrap();
    binder.bind("inproc://link").unwrap();
    let connector = Socket::with_context(b, ctx).unwrap();
    connector.connect("inproc://link").unwrap();
    (binder, connector)
}

/// Sends with try_send until sends stop succeeding for `settle`; returns how many went.
pub async fn fill(s: &Socket, settle: Duration) -> usize {
    let mut sent = 0usize;
    let deadline = tokio::time::Instant::now() + T;
    let mut last_ok = tokio::time::Instant::now();
    loop {
        match s.try_send(Bytes::from(sent.to_string())) {
            Ok(()) => {
                sent += 1;
                last_ok = tokio::time::Instant::now();
            }
            Err(Error::WouldBlock) => {
                if last_ok.elapsed() >= settle {
                    return sent;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            Err(e) => panic!("{e}"),
        }
        assert!(tokio::time::Instant::now() < deadline, "never settled");
    }
}

/// Receives everything that arrives until `settle` passes in silence.
pub async fn drain(s: &Socket, settle: Duration) -> Vec<Vec<Bytes>> {
    let mut got = Vec::new();
    while let Some(m) = recv_within(s, settle).await {
        got.push(m);
    }
    got
}

/// Sends within the deadline (a send that would wait forever fails the test instead).
pub async fn send(s: &Socket, m: impl Into<zmtp_api::Message>) {
    tokio::time::timeout(T, s.send(m))
        .await
        .expect("send timed out")
        .expect("send");
}

pub const SETTLE: Duration = Duration::from_millis(200);
