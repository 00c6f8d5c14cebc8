//! Helpers of the security interop tests (`tests/security_*.rs`): our sockets with
//! PLAIN/CURVE options in a fresh [`Context`] each, a recorder of our monitor events
//! that can be polled like [`PyPeer::events`](crate::pyzmq::PyPeer::events), a ZAP
//! handler written by the test (REP or ROUTER at `inproc://zeromq.zap.01`), the
//! PLAIN/CURVE interop matrix ([`matrix`]).

pub mod matrix;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use zmtp_api::blocking::Socket;
use zmtp_api::monitor::{EventMask, EventType, MonitorEvent};
use zmtp_api::{Bytes, Context, CurveKeypair, SocketOption, SocketType, ZAP_ENDPOINT};

use crate::support::IpcPath;

/// How long a test waits to be sure something does NOT happen.
pub const QUIET: Duration = Duration::from_millis(500);

/// The window over which reconnects are counted.
pub const WINDOW: Duration = Duration::from_millis(1500);

/// The PLAIN credentials the tests let in.
pub const USER: &str = "admin";
/// The password of [`USER`].
pub const PASSWORD: &str = "secret";

/// A stream transport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Ipc,
}

impl Transport {
    /// A bind endpoint (tcp: an ephemeral loopback port; ipc: a fresh path whose guard
    /// removes the file at the end).
    pub fn bind_endpoint(self, tag: &str) -> (String, Option<IpcPath>) {
        match self {
            Transport::Tcp => ("tcp://127.0.0.1:*".to_string(), None),
            Transport::Ipc => {
                let p = IpcPath::new(tag);
                (p.endpoint(), Some(p))
            }
        }
    }
}

/// Our socket of `kind` in `ctx`, LINGER 0.
pub fn ours(ctx: &Context, kind: SocketType) -> Socket {
    let s = Socket::with_context(kind, ctx).expect("Socket::with_context");
    s.set_option(SocketOption::Linger(0)).expect("linger");
    // A refused connection that ends for good takes its pipe with it: a send after that
    // would wait for a peer forever, so sends give up after a while.
    s.set_option(SocketOption::SndTimeo(2000))
        .expect("sndtimeo");
    s
}

/// Binds and returns the resolved endpoint.
pub fn bind(s: &Socket, endpoint: &str) -> String {
    s.bind_one(endpoint)
        .unwrap_or_else(|e| panic!("bind {endpoint}: {e}"))
}

/// CURVE server options (secret key as 32 bytes).
pub fn set_curve_server(s: &Socket, keys: &CurveKeypair) {
    s.set_option(SocketOption::CurveServer(true))
        .expect("curve_server");
    s.set_option(SocketOption::CurveSecretKey(keys.secret.clone()))
        .expect("curve_secretkey");
}

/// CURVE client options: our key pair (by name, as Z85 text) and the server's key.
pub fn set_curve_client(s: &Socket, keys: &CurveKeypair, server: &CurveKeypair) {
    s.set_option(SocketOption::CurveServerKey(server.public))
        .expect("curve_serverkey");
    s.set_option_named("curve_publickey", keys.public.to_z85())
        .expect("curve_publickey");
    s.set_option_named("curve_secretkey", keys.secret.to_z85())
        .expect("curve_secretkey");
}

/// PLAIN server option.
pub fn set_plain_server(s: &Socket) {
    s.set_option(SocketOption::PlainServer(true))
        .expect("plain_server");
}

/// PLAIN client options.
pub fn set_plain_client(s: &Socket, user: &str, password: &str) {
    s.set_option(SocketOption::PlainUsername(Bytes::copy_from_slice(
        user.as_bytes(),
    )))
    .expect("plain_username");
    s.set_option(SocketOption::PlainPassword(password.as_bytes().into()))
        .expect("plain_password");
}

/// A fresh CURVE key pair.
pub fn keypair() -> CurveKeypair {
    zmtp_api::curve_keypair().expect("curve_keypair")
}

/// Frames as owned vectors.
pub fn frames(m: &zmtp_api::Message) -> Vec<Vec<u8>> {
    m.frames().iter().map(|f| f.to_vec()).collect()
}

/// Text frames as owned vectors.
pub fn msg(parts: &[&str]) -> Vec<Vec<u8>> {
    parts.iter().map(|p| p.as_bytes().to_vec()).collect()
}

/// Our socket's next message within [`crate::support::DEADLINE`] (panics otherwise).
pub fn recv_ours(s: &Socket, what: &str) -> Vec<Vec<u8>> {
    let m = s
        .recv_timeout(crate::support::DEADLINE)
        .unwrap_or_else(|e| panic!("{what}: our socket received nothing in time: {e}"));
    frames(&m)
}

/// Sends from a pyzmq peer that may already have been refused for good: libzmq then
/// has dropped its pipe and a send would wait; a failure after 200 ms is ignored.
pub fn send_maybe_refused(peer: &crate::pyzmq::PyPeer, frames: &[&[u8]]) {
    let _ = peer.try_send(frames, Duration::from_millis(200));
}

/// Polls `cond` every 10 ms until it holds or `within` passes.
pub fn poll_until(within: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Our socket's monitor events, collected by a thread so that a test can poll them
/// (start it before binding/connecting). Stops with the socket or when dropped.
pub struct EventLog {
    events: Arc<Mutex<Vec<MonitorEvent>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl EventLog {
    /// Starts collecting every event of `s`.
    pub fn start(s: &Socket) -> EventLog {
        let mut monitor = s.monitor_events(EventMask::ALL);
        let events = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (sink, stopping) = (Arc::clone(&events), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            while !stopping.load(Ordering::Relaxed) {
                match monitor.recv_timeout(Duration::from_millis(50)) {
                    Ok(Some(ev)) => sink.lock().unwrap_or_else(|p| p.into_inner()).push(ev),
                    Ok(None) => break,
                    Err(zmtp_api::Error::Timeout) => {}
                    Err(_) => break,
                }
            }
        });
        EventLog {
            events,
            stop,
            thread: Some(thread),
        }
    }

    /// Every event so far.
    pub fn events(&self) -> Vec<MonitorEvent> {
        self.events
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// `(type, value)` of every event so far (for messages).
    pub fn summary(&self) -> Vec<(EventType, u32)> {
        self.events().iter().map(|e| (e.event, e.value)).collect()
    }

    /// How many events of `ty` so far.
    pub fn count(&self, ty: EventType) -> usize {
        self.events().iter().filter(|e| e.event == ty).count()
    }

    /// Waits until there are at least `n` events of `ty`; returns them (fewer when
    /// `within` passed first).
    pub fn wait_n(&self, ty: EventType, n: usize, within: Duration) -> Vec<MonitorEvent> {
        let mut found = Vec::new();
        poll_until(within, || {
            found = self
                .events()
                .into_iter()
                .filter(|e| e.event == ty)
                .collect();
            found.len() >= n
        });
        found
    }

    /// The first event of `ty`, waiting up to `within`; panics with the events seen.
    pub fn expect(&self, ty: EventType, within: Duration) -> MonitorEvent {
        self.wait_n(ty, 1, within)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no {ty:?} on our monitor: {:?}", self.summary()))
    }
}

impl Drop for EventLog {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Which socket a test-written ZAP handler binds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandlerKind {
    /// A REP: it sees the request without the delimiter and its reply gets one.
    Rep,
    /// A ROUTER: it sees `[routing id, "", request...]` and must send the envelope back.
    Router,
}

/// The answer of a test-written handler to its `n`-th request (0-based), given the
/// request's frames as its socket received them; returns the frames to send.
pub type ZapScript = Box<dyn FnMut(usize, &[Vec<u8>]) -> Vec<Vec<u8>> + Send>;

/// A well-formed reply to a REP-style request: version, the request id echoed, status,
/// text, user id, empty metadata.
pub fn zap_reply(request: &[Vec<u8>], status: &str, user_id: &str) -> Vec<Vec<u8>> {
    vec![
        b"1.0".to_vec(),
        request.get(1).cloned().unwrap_or_default(),
        status.as_bytes().to_vec(),
        b"text".to_vec(),
        user_id.as_bytes().to_vec(),
        Vec::new(),
    ]
}

/// A ZAP handler the test writes: a REP or ROUTER bound at `inproc://zeromq.zap.01` in
/// our context, answering by a script and recording every request (as its socket
/// received it). Stops when dropped.
pub struct TestZap {
    requests: Arc<Mutex<Vec<Vec<Vec<u8>>>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TestZap {
    /// Binds the handler and starts answering.
    pub fn start(ctx: &Context, kind: HandlerKind, mut script: ZapScript) -> TestZap {
        let sock = ours(
            ctx,
            match kind {
                HandlerKind::Rep => SocketType::Rep,
                HandlerKind::Router => SocketType::Router,
            },
        );
        sock.bind(ZAP_ENDPOINT).expect("bind the ZAP endpoint");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen, stopping) = (Arc::clone(&requests), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            let mut n = 0;
            while !stopping.load(Ordering::Relaxed) {
                let req = match sock.recv_timeout(Duration::from_millis(50)) {
                    Ok(m) => frames(&m),
                    Err(zmtp_api::Error::Timeout) => continue,
                    Err(_) => break,
                };
                let reply = script(n, &req);
                n += 1;
                // Recorded before answering: once the answer is out, a test may look.
                seen.lock().unwrap_or_else(|p| p.into_inner()).push(req);
                if sock.send_multipart(reply).is_err() {
                    break;
                }
            }
            sock.close();
        });
        TestZap {
            requests,
            stop,
            thread: Some(thread),
        }
    }

    /// A REP handler answering every request with `status` and `user_id`.
    pub fn status(ctx: &Context, status: &'static str, user_id: &'static str) -> TestZap {
        TestZap::start(
            ctx,
            HandlerKind::Rep,
            Box::new(move |_, req| zap_reply(req, status, user_id)),
        )
    }

    /// The requests so far.
    pub fn requests(&self) -> Vec<Vec<Vec<u8>>> {
        self.requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Waits until at least `n` requests were answered; returns them.
    pub fn wait_requests(&self, n: usize, within: Duration) -> Vec<Vec<Vec<u8>>> {
        let mut seen = Vec::new();
        poll_until(within, || {
            seen = self.requests();
            seen.len() >= n
        });
        seen
    }
}

impl Drop for TestZap {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
