//! A pyzmq peer in a child process, for interop tests against a libzmq with CURVE.
//!
//! The `zmq` crate's bundled libzmq has no libsodium; pyzmq's wheels bundle libzmq 4.3.5
//! with it. [`PyPeer::spawn`] starts `interop-tests/py/peer.py` under a venv that
//! [`setup::venv_python`] makes on first use (`<target>/pyzmq-venv`, pyzmq
//! [`setup::PYZMQ_VERSION`]), with one socket configured by a [`PeerConfig`]. The test
//! then drives it with JSON lines on its stdin/stdout: [`PyPeer::send`], [`PyPeer::recv`]
//! (frames with the message properties libzmq reports), [`PyPeer::events`] (its socket
//! monitor), [`PyPeer::zap_requests`] (what its ZAP handler was asked and answered).
//!
//! Every read has a deadline; a peer that stops answering fails the test with its
//! stderr. Dropping the [`PyPeer`] closes its stdin (the script exits on EOF), waits a
//! little, kills it by PID if it is still there, and always reaps it.

mod config;
mod hex;
pub mod setup;

pub use hex::{from_hex, to_hex};

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};

pub use config::{PeerConfig, PeerOptions, Zap, ZapAuthenticator, ZapHandler};
pub use setup::{LIBZMQ_VERSION, PYZMQ_VERSION};

/// How long the peer may take to start (Python and pyzmq imports) and print its hello.
pub const START_DEADLINE: Duration = Duration::from_secs(30);

/// Time a reply may take beyond the command's own timeout.
pub const REPLY_SLACK: Duration = Duration::from_secs(10);

/// How long a dropped peer gets to exit after its stdin closes before it is killed.
pub const EXIT_DEADLINE: Duration = Duration::from_secs(5);

/// The default timeout of [`PyPeer::send`].
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// A failure the peer reported (a pyzmq error, a bad command or a failed setup).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PyError {
    /// The message (`str(exception)`).
    pub error: String,
    /// The errno name for a `ZMQError` (`"EAGAIN"`, `"EADDRINUSE"`, ...).
    pub errno: Option<String>,
}

impl std::fmt::Display for PyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.errno {
            Some(errno) => write!(f, "{} ({errno})", self.error),
            None => f.write_str(&self.error),
        }
    }
}

impl std::error::Error for PyError {}

/// The peer's first line: versions and the resolved bind endpoints.
#[derive(Clone, Debug, Deserialize)]
pub struct Hello {
    /// `zmq.pyzmq_version()`.
    pub pyzmq: String,
    /// `zmq.zmq_version()` (the bundled libzmq).
    pub libzmq: String,
    /// `zmq.has("curve")`.
    pub curve: bool,
    /// The bind endpoints in config order, wildcards resolved.
    pub endpoints: Vec<String>,
    /// The Python process id.
    pub pid: u32,
}

/// One received frame with the message properties pyzmq could read for it
/// (`zmq.Frame.get`: `User-Id`, `Socket-Type`, `Peer-Address`, `Routing-Id`, `Identity`;
/// absent ones are left out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PyFrame {
    pub data: Vec<u8>,
    pub properties: BTreeMap<String, String>,
}

impl PyFrame {
    /// A property by name.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties.get(name).map(String::as_str)
    }

    /// `User-Id` (set by a ZAP handler's 200 reply).
    pub fn user_id(&self) -> Option<&str> {
        self.property("User-Id")
    }

    /// `Socket-Type` of the sender.
    pub fn socket_type(&self) -> Option<&str> {
        self.property("Socket-Type")
    }

    /// `Peer-Address` (tcp only).
    pub fn peer_address(&self) -> Option<&str> {
        self.property("Peer-Address")
    }
}

/// The frames' bytes without their properties.
pub fn frames_data(frames: &[PyFrame]) -> Vec<Vec<u8>> {
    frames.iter().map(|f| f.data.clone()).collect()
}

/// One event of the peer's socket monitor.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct PyEvent {
    /// libzmq's name without `ZMQ_EVENT_` (`"CONNECTED"`, `"HANDSHAKE_FAILED_AUTH"`).
    pub event: String,
    /// The event code (`ZMQ_EVENT_*`).
    pub code: u32,
    /// The event value (fd, errno, ZAP status code, ...).
    pub value: i64,
    pub endpoint: String,
}

/// What the peer's ZAP handler answered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ZapReply {
    pub status_code: String,
    pub status_text: String,
    pub user_id: String,
}

/// One ZAP request (RFC 27) the peer's handler saw, and its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZapRequest {
    /// All frames as received.
    pub frames: Vec<Vec<u8>>,
    pub version: String,
    pub request_id: Vec<u8>,
    pub domain: String,
    pub address: String,
    /// The server socket's routing id.
    pub identity: Vec<u8>,
    pub mechanism: String,
    /// The frames after the mechanism (PLAIN: user, password; CURVE: the client key).
    pub credentials: Vec<Vec<u8>>,
    pub reply: ZapReply,
}

impl ZapRequest {
    fn from_frames(frames: Vec<Vec<u8>>, reply: ZapReply) -> ZapRequest {
        let text =
            |i: usize| String::from_utf8_lossy(frames.get(i).map_or(&[][..], |f| f)).into_owned();
        let bytes = |i: usize| frames.get(i).cloned().unwrap_or_default();
        ZapRequest {
            version: text(0),
            request_id: bytes(1),
            domain: text(2),
            address: text(3),
            identity: bytes(4),
            mechanism: text(5),
            credentials: frames.iter().skip(6).cloned().collect(),
            reply,
            frames,
        }
    }
}

struct Link {
    stdin: Option<ChildStdin>,
    lines: Receiver<Result<Value, String>>,
    seq: u64,
}

/// A running `peer.py` with one pyzmq socket. Methods take `&self` (commands are
/// serialised inside), panic with the peer's stderr when it stops answering, and those
/// without `try_` panic on an error the peer reports.
pub struct PyPeer {
    child: Child,
    link: Mutex<Link>,
    stderr: Arc<Mutex<String>>,
    hello: Hello,
}

impl std::fmt::Debug for PyPeer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PyPeer")
            .field("pid", &self.child.id())
            .field("hello", &self.hello)
            .finish()
    }
}

impl PyPeer {
    /// Starts a peer (setting up the venv first if needed); panics if it fails to start
    /// or reports a setup error.
    pub fn spawn(config: PeerConfig) -> PyPeer {
        let json = config.to_json();
        PyPeer::try_spawn(config).unwrap_or_else(|e| panic!("pyzmq peer {json}: {e}"))
    }

    /// Starts a peer; a setup error the peer reports (bad endpoint, bad option) is
    /// returned. Failing to start Python at all panics.
    pub fn try_spawn(config: PeerConfig) -> Result<PyPeer, PyError> {
        let python = setup::venv_python();
        let mut child = Command::new(python)
            .arg("-u")
            .arg(setup::peer_script())
            .arg(config.to_json())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr_pipe = child.stderr.take().expect("piped stderr");

        let (tx, lines) = channel();
        std::thread::Builder::new()
            .name(format!("pyzmq-peer-{}-out", child.id()))
            .spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    let parsed = serde_json::from_str(&line).map_err(|_| line);
                    if tx.send(parsed).is_err() {
                        break;
                    }
                }
            })
            .expect("spawn reader thread");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        std::thread::Builder::new()
            .name(format!("pyzmq-peer-{}-err", child.id()))
            .spawn(move || collect_stderr(stderr_pipe, &sink))
            .expect("spawn stderr thread");

        // From here on the child is owned by a value whose Drop reaps it.
        let mut peer = PyPeer {
            child,
            link: Mutex::new(Link {
                stdin,
                lines,
                seq: 0,
            }),
            stderr,
            hello: Hello {
                pyzmq: String::new(),
                libzmq: String::new(),
                curve: false,
                endpoints: Vec::new(),
                pid: 0,
            },
        };
        let first = {
            let link = peer.link.get_mut().expect("link lock");
            next_line(&link.lines, Instant::now() + START_DEADLINE)
        };
        let first = first.unwrap_or_else(|why| peer.fail(&format!("no hello line: {why}")));
        check_ok(&first)?;
        peer.hello = serde_json::from_value(first["hello"].clone())
            .unwrap_or_else(|e| peer.fail(&format!("bad hello {first}: {e}")));
        Ok(peer)
    }

    /// The hello line: versions, CURVE support, resolved endpoints.
    pub fn hello(&self) -> &Hello {
        &self.hello
    }

    /// The Python process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The resolved bind endpoints, in config order.
    pub fn endpoints(&self) -> &[String] {
        &self.hello.endpoints
    }

    /// The first resolved bind endpoint (panics when the config bound nothing).
    pub fn endpoint(&self) -> &str {
        self.hello
            .endpoints
            .first()
            .expect("the pyzmq peer bound nothing")
    }

    /// Sends a multipart message (waits up to [`SEND_TIMEOUT`] for room; panics on error).
    pub fn send(&self, frames: &[&[u8]]) {
        self.try_send(frames, SEND_TIMEOUT)
            .unwrap_or_else(|e| panic!("pyzmq peer send: {e}"));
    }

    /// Sends a multipart message, waiting up to `timeout` for room (EAGAIN after that).
    pub fn try_send(&self, frames: &[&[u8]], timeout: Duration) -> Result<(), PyError> {
        let frames: Vec<String> = frames.iter().map(|f| to_hex(f)).collect();
        self.request(
            json!({"cmd": "send", "frames_hex": frames, "timeout_ms": millis(timeout)}),
            timeout,
        )
        .map(drop)
    }

    /// Receives one message within `timeout` (None when none came).
    pub fn recv(&self, timeout: Duration) -> Option<Vec<PyFrame>> {
        let reply = self
            .request(
                json!({"cmd": "recv", "timeout_ms": millis(timeout)}),
                timeout,
            )
            .unwrap_or_else(|e| panic!("pyzmq peer recv: {e}"));
        if reply["timeout"].as_bool() == Some(true) {
            return None;
        }
        let frames = reply["frames"].as_array().expect("recv reply has frames");
        Some(
            frames
                .iter()
                .map(|f| PyFrame {
                    data: from_hex(f["hex"].as_str().expect("frame hex")),
                    properties: serde_json::from_value(f["properties"].clone())
                        .expect("frame properties"),
                })
                .collect(),
        )
    }

    /// The monitor events so far (empty unless the config asked for [`PeerConfig::monitor`]).
    pub fn events(&self) -> Vec<PyEvent> {
        let reply = self
            .request(json!({"cmd": "events"}), Duration::ZERO)
            .unwrap_or_else(|e| panic!("pyzmq peer events: {e}"));
        serde_json::from_value(reply["events"].clone()).expect("events")
    }

    /// Polls the monitor until an event named `name` shows up (the first such), or
    /// `within` passes.
    pub fn wait_event(&self, name: &str, within: Duration) -> Option<PyEvent> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(e) = self.events().into_iter().find(|e| e.event == name) {
                return Some(e);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The ZAP requests the peer's handler (either kind) has answered so far.
    pub fn zap_requests(&self) -> Vec<ZapRequest> {
        #[derive(Deserialize)]
        struct Seen {
            frames_hex: Vec<String>,
            #[serde(default)]
            reply: ZapReply,
        }
        let reply = self
            .request(json!({"cmd": "zap_requests"}), Duration::ZERO)
            .unwrap_or_else(|e| panic!("pyzmq peer zap_requests: {e}"));
        let seen: Vec<Seen> = serde_json::from_value(reply["requests"].clone()).expect("requests");
        seen.into_iter()
            .map(|s| {
                let frames = s.frames_hex.iter().map(|h| from_hex(h)).collect();
                ZapRequest::from_frames(frames, s.reply)
            })
            .collect()
    }

    /// Polls until the ZAP handler has answered at least `n` requests, or `within` passes;
    /// returns what it saw.
    pub fn wait_zap_requests(&self, n: usize, within: Duration) -> Vec<ZapRequest> {
        let deadline = Instant::now() + within;
        loop {
            let seen = self.zap_requests();
            if seen.len() >= n || Instant::now() >= deadline {
                return seen;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Changes the hand-written ZAP handler's answer for the requests to come.
    pub fn set_zap_reply(&self, reply: &ZapHandler) {
        let mut cmd = serde_json::to_value(reply).expect("ZapHandler serialises");
        cmd["cmd"] = json!("zap_reply");
        self.request(cmd, Duration::ZERO)
            .unwrap_or_else(|e| panic!("pyzmq peer zap_reply: {e}"));
    }

    /// Binds another endpoint; returns it resolved.
    pub fn bind(&self, endpoint: &str) -> Result<String, PyError> {
        self.endpoint_cmd("bind", endpoint)
            .map(|r| r["endpoint"].as_str().unwrap_or(endpoint).to_string())
    }

    /// Connects to another endpoint.
    pub fn connect(&self, endpoint: &str) -> Result<(), PyError> {
        self.endpoint_cmd("connect", endpoint).map(drop)
    }

    /// Unbinds an endpoint.
    pub fn unbind(&self, endpoint: &str) -> Result<(), PyError> {
        self.endpoint_cmd("unbind", endpoint).map(drop)
    }

    /// Disconnects from an endpoint.
    pub fn disconnect(&self, endpoint: &str) -> Result<(), PyError> {
        self.endpoint_cmd("disconnect", endpoint).map(drop)
    }

    /// ZMQ_SUBSCRIBE after setup.
    pub fn subscribe(&self, topic: &[u8]) {
        self.request(
            json!({"cmd": "subscribe", "topic_hex": to_hex(topic)}),
            Duration::ZERO,
        )
        .unwrap_or_else(|e| panic!("pyzmq peer subscribe: {e}"));
    }

    /// A fresh CURVE key pair from pyzmq's libzmq (`zmq.curve_keypair()`), as Z85
    /// `(public, secret)`.
    pub fn curve_keypair(&self) -> (String, String) {
        let reply = self
            .request(json!({"cmd": "curve_keypair"}), Duration::ZERO)
            .unwrap_or_else(|e| panic!("pyzmq peer curve_keypair: {e}"));
        let key = |k: &str| reply[k].as_str().expect("z85 key").to_string();
        (key("public"), key("secret"))
    }

    fn endpoint_cmd(&self, cmd: &str, endpoint: &str) -> Result<Value, PyError> {
        self.request(json!({"cmd": cmd, "endpoint": endpoint}), Duration::ZERO)
    }

    /// Sends one raw command (a JSON object with `"cmd"`) and returns its reply. The
    /// reply may take `timeout` plus [`REPLY_SLACK`]; past that the test fails.
    pub fn request(&self, mut cmd: Value, timeout: Duration) -> Result<Value, PyError> {
        let mut link = self.link.lock().unwrap_or_else(|p| p.into_inner());
        link.seq += 1;
        let seq = link.seq;
        cmd["seq"] = json!(seq);
        let written = match link.stdin.as_mut() {
            Some(stdin) => writeln!(stdin, "{cmd}").and_then(|()| stdin.flush()),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        };
        if let Err(e) = written {
            self.fail(&format!("cannot write {cmd}: {e}"));
        }
        let deadline = Instant::now() + timeout + REPLY_SLACK;
        loop {
            let reply = next_line(&link.lines, deadline)
                .unwrap_or_else(|why| self.fail(&format!("no reply to {cmd}: {why}")));
            // A reply to an earlier command whose wait gave up is skipped.
            if reply["seq"].as_u64() == Some(seq) {
                check_ok(&reply)?;
                return Ok(reply);
            }
        }
    }

    /// Closes the socket and waits for the process to exit (Drop does the same
    /// without the close command).
    pub fn close(self) {
        let _ = self.request(json!({"cmd": "close"}), Duration::ZERO);
    }

    /// What the peer wrote on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn fail(&self, what: &str) -> ! {
        // Give stderr's reader a moment to collect a traceback.
        let deadline = Instant::now() + Duration::from_millis(200);
        while Instant::now() < deadline && self.stderr().is_empty() {
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!(
            "pyzmq peer (pid {}): {what}\n--- peer stderr ---\n{}",
            self.child.id(),
            self.stderr()
        )
    }
}

impl Drop for PyPeer {
    fn drop(&mut self) {
        // EOF on stdin makes the script exit.
        let link = self.link.get_mut().unwrap_or_else(|p| p.into_inner());
        drop(link.stdin.take());
        let deadline = Instant::now() + EXIT_DEADLINE;
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) => return,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                // Still running after the deadline, or try_wait failed: kill by PID.
                _ => break,
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn next_line(lines: &Receiver<Result<Value, String>>, deadline: Instant) -> Result<Value, String> {
    let left = deadline.saturating_duration_since(Instant::now());
    match lines.recv_timeout(left) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(line)) => Err(format!("not a JSON line: {line:?}")),
        Err(RecvTimeoutError::Timeout) => Err("timed out".to_string()),
        Err(RecvTimeoutError::Disconnected) => {
            Err("the peer closed its stdout (exited)".to_string())
        }
    }
}

fn check_ok(reply: &Value) -> Result<(), PyError> {
    if reply["ok"].as_bool() == Some(true) {
        return Ok(());
    }
    Err(PyError {
        error: reply["error"]
            .as_str()
            .map_or_else(|| reply.to_string(), str::to_string),
        errno: reply["errno"].as_str().map(str::to_string),
    })
}

fn collect_stderr(pipe: impl Read, sink: &Mutex<String>) {
    const KEEP: usize = 64 * 1024;
    for line in BufReader::new(pipe).lines() {
        let Ok(line) = line else { break };
        let mut s = sink.lock().unwrap_or_else(|p| p.into_inner());
        if s.len() < KEEP {
            s.push_str(&line);
            s.push('\n');
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
