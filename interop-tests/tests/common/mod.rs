//! Helpers shared by the interop test files (each test file does `mod common;`).
#![allow(dead_code, unused_imports)]

use std::sync::Mutex;
use std::time::Duration;

pub use bytes::Bytes;
pub use interop_tests::raw_peer::*;
pub use interop_tests::support::*;
pub use zmtp_api::{Socket, SocketOption, SocketType};

/// Helpers for the `types_*.rs` socket-type tests.
pub mod types;

/// Deadline for any single wait.
pub const T: Duration = DEADLINE;

/// A 4 MiB payload size.
pub const BIG: usize = 4 * 1024 * 1024;

/// Stream transports shared with libzmq.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Ipc,
}

/// Which side binds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binder {
    Ours,
    Libzmq,
}

/// Where to bind for a transport (keeps the ipc file guard alive).
pub struct BindAddr {
    pub endpoint: String,
    _ipc: Option<IpcPath>,
}

impl BindAddr {
    pub fn new(transport: Transport, tag: &str) -> BindAddr {
        match transport {
            Transport::Tcp => BindAddr {
                endpoint: "tcp://127.0.0.1:*".to_string(),
                _ipc: None,
            },
            Transport::Ipc => {
                let p = IpcPath::new(tag);
                BindAddr {
                    endpoint: p.endpoint(),
                    _ipc: Some(p),
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Our sockets
// ---------------------------------------------------------------------------

/// Creates one of our sockets (inside the tokio runtime).
pub fn ours(kind: SocketType) -> Socket {
    let s = Socket::new(kind).expect("Socket::new");
    // Tests confirm delivery before closing; never let a close wait on a dead peer.
    let _ = s.set_option(SocketOption::Linger(0));
    s
}

/// Binds ours and returns the resolved endpoint.
pub fn bind_ours(s: &Socket, endpoint: &str) -> String {
    s.bind(endpoint)
        .unwrap_or_else(|e| panic!("bind {endpoint}: {e}"));
    let ep = s
        .last_endpoint()
        .unwrap()
        .expect("last_endpoint after bind");
    assert!(!ep.contains('*'), "last_endpoint not resolved: {ep}");
    ep
}

/// Binds ours, retrying while the address is still in use (after a restart).
pub async fn bind_ours_retry(s: &Socket, endpoint: &str) -> String {
    let deadline = tokio::time::Instant::now() + T;
    loop {
        match s.bind(endpoint) {
            Ok(()) => return s.last_endpoint().unwrap().expect("last_endpoint"),
            Err(e) if tokio::time::Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(e) => panic!("bind {endpoint}: {e}"),
        }
    }
}

/// Receives a whole message from ours within the deadline.
pub async fn recv_ours(s: &Socket) -> Vec<Vec<u8>> {
    recv_ours_within(s, T)
        .await
        .expect("timed out waiting for a message on our socket")
}

/// Like [`recv_ours`], None on timeout.
pub async fn recv_ours_within(s: &Socket, within: Duration) -> Option<Vec<Vec<u8>>> {
    match tokio::time::timeout(within, s.recv_multipart()).await {
        Err(_) => None,
        Ok(r) => Some(
            r.expect("recv_multipart")
                .into_iter()
                .map(|b| b.to_vec())
                .collect(),
        ),
    }
}

/// Sends from ours within the deadline.
pub async fn send_ours(s: &Socket, frames: &[Vec<u8>]) {
    let frames: Vec<Bytes> = frames.iter().map(|f| Bytes::from(f.clone())).collect();
    tokio::time::timeout(T, s.send_multipart(frames))
        .await
        .expect("timed out sending on our socket")
        .expect("send_multipart");
}

// ---------------------------------------------------------------------------
// libzmq sockets
// ---------------------------------------------------------------------------

/// A libzmq socket whose blocking calls run on tokio's blocking pool.
/// Linger 0, RCVTIMEO/SNDTIMEO = 10 s, so nothing blocks forever.
pub struct Zmq {
    sock: Option<zmq::Socket>,
}

impl Zmq {
    pub fn new(ctx: &zmq::Context, kind: zmq::SocketType) -> Zmq {
        let s = ctx.socket(kind).expect("zmq socket");
        s.set_linger(0).unwrap();
        s.set_rcvtimeo(T.as_millis() as i32).unwrap();
        s.set_sndtimeo(T.as_millis() as i32).unwrap();
        Zmq { sock: Some(s) }
    }

    /// The underlying socket (for options, subscribe, connect ...).
    pub fn raw(&self) -> &zmq::Socket {
        self.sock
            .as_ref()
            .expect("libzmq socket lost in a cancelled call")
    }

    /// Binds and returns the resolved endpoint; retries on EADDRINUSE until the
    /// deadline (rebinding the same port right after a restart).
    pub fn bind(&self, endpoint: &str) -> String {
        let deadline = std::time::Instant::now() + T;
        loop {
            match self.raw().bind(endpoint) {
                Ok(()) => break,
                Err(zmq::Error::EADDRINUSE) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => panic!("libzmq bind {endpoint}: {e}"),
            }
        }
        self.raw()
            .get_last_endpoint()
            .unwrap()
            .expect("utf-8 endpoint")
    }

    pub fn connect(&self, endpoint: &str) {
        self.raw()
            .connect(endpoint)
            .unwrap_or_else(|e| panic!("libzmq connect {endpoint}: {e}"));
    }

    /// Runs `f` with the socket on the blocking pool.
    pub async fn run<R: Send + 'static>(
        &mut self,
        f: impl FnOnce(&zmq::Socket) -> R + Send + 'static,
    ) -> R {
        let s = self
            .sock
            .take()
            .expect("libzmq socket lost in a cancelled call");
        let res = tokio::task::spawn_blocking(move || {
            let r = f(&s);
            (s, r)
        })
        .await;
        match res {
            Ok((s, r)) => {
                self.sock = Some(s);
                r
            }
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => panic!("blocking task failed: {e}"),
        }
    }

    pub async fn send(&mut self, frames: Vec<Vec<u8>>) -> Result<(), zmq::Error> {
        self.run(move |s| s.send_multipart(frames, 0)).await
    }

    pub async fn recv(&mut self) -> Result<Vec<Vec<u8>>, zmq::Error> {
        self.run(|s| s.recv_multipart(0)).await
    }

    /// Starts a libzmq socket monitor for `events` (e.g.
    /// `zmq::SocketEvent::HANDSHAKE_SUCCEEDED as i32`); returns the PAIR that reads it.
    pub fn monitor(&self, ctx: &zmq::Context, events: i32) -> Zmq {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let ep = format!("inproc://monitor-{n}");
        self.raw().monitor(&ep, events).expect("zmq monitor");
        let pair = Zmq::new(ctx, zmq::PAIR);
        pair.connect(&ep);
        pair
    }

    /// On a monitor PAIR: waits (up to the deadline) for an event of kind `ev`,
    /// skipping others. False on timeout.
    pub async fn wait_event(&mut self, ev: zmq::SocketEvent) -> bool {
        let want = ev.to_raw();
        self.run(move |s| {
            let deadline = std::time::Instant::now() + T;
            while std::time::Instant::now() < deadline {
                match s.recv_multipart(0) {
                    Ok(frames) if frames.first().is_some_and(|f| f.len() >= 2) => {
                        if u16::from_le_bytes([frames[0][0], frames[0][1]]) == want {
                            return true;
                        }
                    }
                    Ok(_) => {}
                    Err(_) => return false,
                }
            }
            false
        })
        .await
    }

    /// Closes the libzmq socket now (linger 0).
    pub fn close(&mut self) {
        self.sock.take();
    }
}

// ---------------------------------------------------------------------------
// Comparisons
// ---------------------------------------------------------------------------

/// Short printable summary of a message (big frames are summarised).
pub fn describe(frames: &[Vec<u8>]) -> String {
    let parts: Vec<String> = frames
        .iter()
        .map(|f| {
            if f.len() <= 40 {
                format!("{:?}", String::from_utf8_lossy(f))
            } else {
                format!("<{} bytes {:02x?}..>", f.len(), &f[..8])
            }
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// Asserts two messages are equal without dumping megabytes on failure.
#[track_caller]
pub fn assert_msg_eq(got: &[Vec<u8>], want: &[Vec<u8>]) {
    if got != want {
        panic!(
            "message mismatch:\n  got  {}\n  want {}",
            describe(got),
            describe(want)
        );
    }
}

/// Frames from string slices.
pub fn msg(parts: &[&[u8]]) -> Vec<Vec<u8>> {
    parts.iter().map(|p| p.to_vec()).collect()
}

/// The standard set of messages every matrix case exchanges: single frame,
/// multipart with an empty frame, and a 4 MiB frame. Each first frame starts
/// with `prefix` (so PUB/SUB cases can use it as the topic).
pub fn standard_messages(prefix: &str) -> Vec<Vec<Vec<u8>>> {
    let p = prefix.as_bytes();
    let mut big = p.to_vec();
    big.extend_from_slice(&pattern(BIG, 7));
    vec![
        vec![[p, b"-hello"].concat()],
        vec![[p, b"-multi"].concat(), Vec::new(), b"part three".to_vec()],
        vec![big],
        vec![[p, b"-tail"].concat(), pattern(300, 3)],
    ]
}

// ---------------------------------------------------------------------------
// Panic detection for background tasks
// ---------------------------------------------------------------------------

static BACKGROUND_PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Installs (once per process) a panic hook that records panics happening on
/// threads other than libtest's test threads (whose names start with one of
/// `test_prefixes`) or `main`, e.g. inside tokio worker threads running our
/// socket engines. The default hook still prints them.
pub fn record_background_panics(test_prefixes: &'static [&'static str]) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let name = std::thread::current()
                .name()
                .unwrap_or("<unnamed>")
                .to_string();
            let is_test_thread =
                name == "main" || test_prefixes.iter().any(|p| name.starts_with(p));
            if !is_test_thread {
                BACKGROUND_PANICS
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(format!("thread {name}: {info}"));
            }
            prev(info);
        }));
    });
}

/// Fails if any background panic was recorded so far.
#[track_caller]
pub fn assert_no_background_panics() {
    let p = BACKGROUND_PANICS.lock().unwrap_or_else(|e| e.into_inner());
    assert!(p.is_empty(), "background panics: {p:#?}");
}
