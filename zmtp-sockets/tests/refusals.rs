//! Refusals are visible: a peer that accepts our connection and drops it before the
//! handshake completes (one that speaks no ZMTP we know) is logged at WARN with its
//! address and the reason, and the connecting side waits longer after each such
//! attempt instead of redialling at the base interval.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncReadExt;
use zmtp_sockets::{EventKind, Socket, SocketType};
use zmtp_transport::Endpoint;

const DEADLINE: Duration = Duration::from_secs(20);

/// Log lines written by the engine during this test binary.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_that_drops_us_in_the_handshake_is_warned_about_and_redialled_less_often() {
    let logs = Captured::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::WARN)
        .init();

    // A "server" that reads our signature and hangs up, every time.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let port = listener.local_addr().expect("addr").port();
    let server = tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            let mut sig = [0u8; 10];
            let _ = tokio::time::timeout(DEADLINE, s.read_exact(&mut sig)).await;
            drop(s);
        }
    });

    let push = Socket::new(SocketType::Push).expect("socket");
    let mut events = push.events(64);
    let ep: Endpoint = format!("tcp://127.0.0.1:{port}").parse().expect("endpoint");
    push.connect(&ep).expect("connect");

    // The delays the socket announces after each failed handshake (CONNECT_RETRIED's
    // value), until four of them.
    let mut delays = Vec::new();
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while delays.len() < 4 {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap_or_else(|_| panic!("no retry in time; delays so far {delays:?}"))
            .expect("events");
        if let EventKind::ConnectRetried(d) = ev.kind {
            delays.push(d);
        }
    }
    push.close();
    server.abort();

    // RECONNECT_IVL is 100 ms (jittered up to 200 ms): the first failure doubles it,
    // each later one doubles it again.
    let ms: Vec<u128> = delays.iter().map(|d| d.as_millis()).collect();
    assert!(ms[0] >= 200, "{ms:?}");
    assert!(ms[3] >= 1600, "{ms:?}");
    let text = String::from_utf8_lossy(&logs.0.lock().expect("logs")).into_owned();
    assert!(
        text.contains("connection ended during the handshake") && text.contains("127.0.0.1"),
        "no WARN naming the peer: {text}"
    );
}
