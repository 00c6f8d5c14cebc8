//! A small, scriptable raw ZMTP peer for tests.
//!
//! Every byte is encoded by hand here (no `zmtp-codec`), so this peer is an
//! independent check of our codec. Every read has a timeout, so a test using it
//! can fail but never hang.
//!
//! Typical use:
//! ```no_run
//! # async fn f() -> std::io::Result<()> {
//! use interop_tests::raw_peer::RawPeer;
//! let mut peer = RawPeer::connect("tcp://127.0.0.1:5555").await?;
//! let hs = peer.handshake(1, "PUSH", None).await?;
//! assert_eq!(hs.socket_type().as_deref(), Some("PULL"));
//! peer.send_message(&[b"hello"]).await?;
//! # Ok(()) }
//! ```
//!
//! Note on greetings: libzmq sends its greeting in three pieces (10 bytes, then
//! 1 byte once it has our 10-byte signature, then 53 bytes once it has our
//! 11th byte), so always send our own greeting (or at least 11 bytes of it)
//! *before* calling [`RawPeer::read_greeting`].

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UnixListener, UnixStream};
use tokio::time::{Instant, timeout, timeout_at};

/// Default timeout of every single read/accept/connect.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Flag bit: more frames follow.
pub const FLAG_MORE: u8 = 0x01;
/// Flag bit: 8-byte size field.
pub const FLAG_LONG: u8 = 0x02;
/// Flag bit: command frame.
pub const FLAG_COMMAND: u8 = 0x04;

/// Largest frame body [`RawPeer::read_frame`] accepts by default (guards the test
/// process against a bogus size field).
pub const DEFAULT_MAX_FRAME: u64 = 64 * 1024 * 1024;

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

fn timed_out(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        format!("raw peer: timed out {what}"),
    )
}

fn invalid(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

/// A parsed `tcp://` or `ipc://` endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// `host:port` for tcp.
    Tcp(String),
    /// Filesystem path for ipc.
    Ipc(PathBuf),
}

impl Endpoint {
    /// Parses `tcp://host:port` or `ipc:///path` (abstract `ipc://@name` is not supported).
    pub fn parse(endpoint: &str) -> io::Result<Endpoint> {
        if let Some(rest) = endpoint.strip_prefix("tcp://") {
            Ok(Endpoint::Tcp(rest.to_string()))
        } else if let Some(rest) = endpoint.strip_prefix("ipc://") {
            if rest.starts_with('@') || rest.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    format!("raw peer: unsupported ipc endpoint {endpoint}"),
                ));
            }
            Ok(Endpoint::Ipc(PathBuf::from(rest)))
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("raw peer: unsupported endpoint {endpoint}"),
            ))
        }
    }
}

// ---------------------------------------------------------------------------
// Hand encoders
// ---------------------------------------------------------------------------

/// The 64-byte ZMTP 3.x greeting: `FF 00*8 7F major minor mechanism(20) as-server(0) 00*31`.
pub fn greeting_bytes(major: u8, minor: u8, mechanism: &str) -> [u8; 64] {
    let mut g = [0u8; 64];
    g[0] = 0xFF;
    g[9] = 0x7F;
    g[10] = major;
    g[11] = minor;
    let mech = mechanism.as_bytes();
    let n = mech.len().min(20);
    g[12..12 + n].copy_from_slice(&mech[..n]);
    g
}

/// Encodes one frame. The LONG bit is added when the body exceeds 255 bytes;
/// if the caller passes LONG with a short body, an 8-byte size is written anyway.
pub fn frame_bytes(flags: u8, body: &[u8]) -> Vec<u8> {
    let long = body.len() > 255 || flags & FLAG_LONG != 0;
    let mut out = Vec::with_capacity(body.len() + 9);
    if long {
        out.push(flags | FLAG_LONG);
        out.extend_from_slice(&(body.len() as u64).to_be_bytes());
    } else {
        out.push(flags);
        out.push(body.len() as u8);
    }
    out.extend_from_slice(body);
    out
}

/// A frame header alone (lets a test declare a size it never sends).
pub fn frame_header(flags: u8, size: u64) -> Vec<u8> {
    if size > 255 || flags & FLAG_LONG != 0 {
        let mut out = vec![flags | FLAG_LONG];
        out.extend_from_slice(&size.to_be_bytes());
        out
    } else {
        vec![flags, size as u8]
    }
}

/// A command body: `name-len name data`.
pub fn command_body(name: &str, data: &[u8]) -> Vec<u8> {
    assert!(!name.is_empty() && name.len() < 256, "bad command name");
    let mut out = Vec::with_capacity(1 + name.len() + data.len());
    out.push(name.len() as u8);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(data);
    out
}

/// Encodes metadata properties: `name-len(1) name value-len(4 BE) value`.
pub fn metadata_bytes(props: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in props {
        out.push(name.len() as u8);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(value.len() as u32).to_be_bytes());
        out.extend_from_slice(value);
    }
    out
}

/// READY command body for the NULL mechanism: Socket-Type, then Identity if given.
pub fn ready_body(socket_type: &str, identity: Option<&[u8]>) -> Vec<u8> {
    let mut props: Vec<(&str, &[u8])> = vec![("Socket-Type", socket_type.as_bytes())];
    if let Some(id) = identity {
        props.push(("Identity", id));
    }
    command_body("READY", &metadata_bytes(&props))
}

/// Parses metadata properties; errors on truncated input.
pub fn parse_metadata(mut data: &[u8]) -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut props = Vec::new();
    while !data.is_empty() {
        let name_len = data[0] as usize;
        if name_len == 0 || data.len() < 1 + name_len + 4 {
            return Err(invalid("raw peer: truncated metadata name"));
        }
        let name = String::from_utf8_lossy(&data[1..1 + name_len]).into_owned();
        let vl_at = 1 + name_len;
        let value_len =
            u32::from_be_bytes(data[vl_at..vl_at + 4].try_into().expect("4 bytes")) as usize;
        let v_at = vl_at + 4;
        if data.len() < v_at + value_len {
            return Err(invalid("raw peer: truncated metadata value"));
        }
        props.push((name, data[v_at..v_at + value_len].to_vec()));
        data = &data[v_at + value_len..];
    }
    Ok(props)
}

// ---------------------------------------------------------------------------
// Decoded items
// ---------------------------------------------------------------------------

/// One frame as read from the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The flags byte as sent.
    pub flags: u8,
    /// The body.
    pub body: Vec<u8>,
}

impl Frame {
    /// MORE bit.
    pub fn more(&self) -> bool {
        self.flags & FLAG_MORE != 0
    }
    /// COMMAND bit.
    pub fn is_command(&self) -> bool {
        self.flags & FLAG_COMMAND != 0
    }
    /// LONG bit.
    pub fn is_long(&self) -> bool {
        self.flags & FLAG_LONG != 0
    }
    /// Parses the body as a command (`name-len name data`).
    pub fn as_command(&self) -> io::Result<Command> {
        let n = *self
            .body
            .first()
            .ok_or_else(|| invalid("raw peer: empty command"))? as usize;
        if n == 0 || self.body.len() < 1 + n {
            return Err(invalid("raw peer: truncated command name"));
        }
        Ok(Command {
            name: String::from_utf8_lossy(&self.body[1..1 + n]).into_owned(),
            data: self.body[1 + n..].to_vec(),
        })
    }
}

/// A command: name and data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// e.g. "READY", "SUBSCRIBE".
    pub name: String,
    /// Bytes after the name.
    pub data: Vec<u8>,
}

/// What the other side told us during a NULL handshake.
#[derive(Clone, Debug)]
pub struct Handshake {
    /// Its 64-byte greeting.
    pub greeting: [u8; 64],
    /// Its READY metadata.
    pub properties: Vec<(String, Vec<u8>)>,
}

impl Handshake {
    /// Value of a property (name compared case-insensitively).
    pub fn property(&self, name: &str) -> Option<&[u8]> {
        self.properties
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
    /// The peer's Socket-Type as a string.
    pub fn socket_type(&self) -> Option<String> {
        self.property("Socket-Type")
            .map(|v| String::from_utf8_lossy(v).into_owned())
    }
    /// Peer's major version (byte 10).
    pub fn major(&self) -> u8 {
        self.greeting[10]
    }
    /// Peer's minor version (byte 11).
    pub fn minor(&self) -> u8 {
        self.greeting[11]
    }
    /// Peer's mechanism with NUL padding stripped.
    pub fn mechanism(&self) -> String {
        let m = &self.greeting[12..32];
        let end = m.iter().position(|&b| b == 0).unwrap_or(20);
        String::from_utf8_lossy(&m[..end]).into_owned()
    }
}

// ---------------------------------------------------------------------------
// The peer
// ---------------------------------------------------------------------------

/// A raw ZMTP connection (tcp or ipc).
pub struct RawPeer {
    io: Box<dyn Io>,
    timeout: Duration,
    max_frame: u64,
}

impl std::fmt::Debug for RawPeer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawPeer")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RawPeer {
    fn new(io: Box<dyn Io>) -> RawPeer {
        RawPeer {
            io,
            timeout: DEFAULT_TIMEOUT,
            max_frame: DEFAULT_MAX_FRAME,
        }
    }

    /// Connects to `tcp://host:port` or `ipc:///path`, retrying refused connections
    /// until the default timeout.
    pub async fn connect(endpoint: &str) -> io::Result<RawPeer> {
        Self::connect_within(endpoint, DEFAULT_TIMEOUT).await
    }

    /// Like [`connect`](Self::connect) with an explicit overall deadline.
    pub async fn connect_within(endpoint: &str, within: Duration) -> io::Result<RawPeer> {
        let ep = Endpoint::parse(endpoint)?;
        let deadline = Instant::now() + within;
        loop {
            let attempt = async {
                match &ep {
                    Endpoint::Tcp(addr) => {
                        let s = TcpStream::connect(addr.as_str()).await?;
                        s.set_nodelay(true)?;
                        Ok::<Box<dyn Io>, io::Error>(Box::new(s))
                    }
                    Endpoint::Ipc(path) => Ok(Box::new(UnixStream::connect(path).await?) as _),
                }
            };
            match timeout_at(deadline, attempt).await {
                Err(_) => return Err(timed_out(&format!("connecting to {endpoint}"))),
                Ok(Ok(io)) => return Ok(RawPeer::new(io)),
                Ok(Err(e))
                    if matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionRefused | io::ErrorKind::NotFound
                    ) && Instant::now() < deadline =>
                {
                    // Not listening yet: poll again shortly.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                Ok(Err(e)) => return Err(e),
            }
        }
    }

    /// Changes the per-read timeout.
    pub fn set_timeout(&mut self, t: Duration) {
        self.timeout = t;
    }

    /// Changes the largest frame [`read_frame`](Self::read_frame) will accept.
    pub fn set_max_frame(&mut self, max: u64) {
        self.max_frame = max;
    }

    // ----- writing -----

    /// Writes raw bytes.
    pub async fn send_bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        let t = self.timeout;
        timeout(t, async {
            self.io.write_all(bytes).await?;
            self.io.flush().await
        })
        .await
        .map_err(|_| timed_out("writing"))?
    }

    /// Writes raw bytes one at a time, flushing (and yielding briefly) after each,
    /// so the other side sees many tiny reads.
    pub async fn send_bytes_slowly(&mut self, bytes: &[u8]) -> io::Result<()> {
        for b in bytes {
            self.send_bytes(std::slice::from_ref(b)).await?;
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        Ok(())
    }

    /// Sends a 64-byte greeting.
    pub async fn send_greeting(&mut self, major: u8, minor: u8, mechanism: &str) -> io::Result<()> {
        self.send_bytes(&greeting_bytes(major, minor, mechanism))
            .await
    }

    /// Sends one frame (LONG added automatically when the body is over 255 bytes).
    pub async fn send_frame(&mut self, flags: u8, body: &[u8]) -> io::Result<()> {
        self.send_bytes(&frame_bytes(flags, body)).await
    }

    /// Sends a command frame.
    pub async fn send_command(&mut self, name: &str, data: &[u8]) -> io::Result<()> {
        self.send_frame(FLAG_COMMAND, &command_body(name, data))
            .await
    }

    /// Sends a NULL-mechanism READY with Socket-Type and (optionally) Identity.
    pub async fn send_ready(
        &mut self,
        socket_type: &str,
        identity: Option<&[u8]>,
    ) -> io::Result<()> {
        self.send_frame(FLAG_COMMAND, &ready_body(socket_type, identity))
            .await
    }

    /// Sends a message: MORE on every frame but the last. All frames in one write.
    pub async fn send_message(&mut self, frames: &[&[u8]]) -> io::Result<()> {
        assert!(!frames.is_empty(), "a message has at least one frame");
        let mut out = Vec::new();
        for (i, f) in frames.iter().enumerate() {
            let flags = if i + 1 < frames.len() { FLAG_MORE } else { 0 };
            out.extend_from_slice(&frame_bytes(flags, f));
        }
        self.send_bytes(&out).await
    }

    /// ZMTP 3.1 SUBSCRIBE command.
    pub async fn send_subscribe_command(&mut self, topic: &[u8]) -> io::Result<()> {
        self.send_command("SUBSCRIBE", topic).await
    }

    /// ZMTP 3.0 subscription: a data frame `01 topic`.
    pub async fn send_subscribe_frame(&mut self, topic: &[u8]) -> io::Result<()> {
        let mut body = vec![1u8];
        body.extend_from_slice(topic);
        self.send_frame(0, &body).await
    }

    /// Half-closes the write side (sends FIN).
    pub async fn shutdown(&mut self) -> io::Result<()> {
        let t = self.timeout;
        timeout(t, self.io.shutdown())
            .await
            .map_err(|_| timed_out("shutting down"))?
    }

    // ----- reading -----

    /// Reads exactly `n` bytes (within the per-read timeout).
    pub async fn read_exact(&mut self, n: usize) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; n];
        let t = self.timeout;
        timeout(t, self.io.read_exact(&mut buf))
            .await
            .map_err(|_| timed_out(&format!("reading {n} bytes")))??;
        Ok(buf)
    }

    /// Reads the first 10 bytes of the peer's greeting (the signature).
    pub async fn read_signature(&mut self) -> io::Result<[u8; 10]> {
        let v = self.read_exact(10).await?;
        Ok(v.try_into().expect("10 bytes"))
    }

    /// Reads the peer's 64-byte greeting in whatever pieces it arrives.
    /// Send ours (or at least 11 bytes of it) first: libzmq waits for that.
    pub async fn read_greeting(&mut self) -> io::Result<[u8; 64]> {
        let v = self.read_exact(64).await?;
        Ok(v.try_into().expect("64 bytes"))
    }

    /// Reads one frame (header and body).
    pub async fn read_frame(&mut self) -> io::Result<Frame> {
        let flags = self.read_exact(1).await?[0];
        let size = if flags & FLAG_LONG != 0 {
            u64::from_be_bytes(self.read_exact(8).await?.try_into().expect("8 bytes"))
        } else {
            self.read_exact(1).await?[0] as u64
        };
        if size > self.max_frame {
            return Err(invalid(format!(
                "raw peer: frame of {size} bytes exceeds the limit {}",
                self.max_frame
            )));
        }
        let body = self.read_exact(size as usize).await?;
        Ok(Frame { flags, body })
    }

    /// Reads one frame, which must be a command.
    pub async fn read_command(&mut self) -> io::Result<Command> {
        let f = self.read_frame().await?;
        if !f.is_command() {
            return Err(invalid(format!(
                "raw peer: expected a command, got data frame flags={:#04x} body={:?}",
                f.flags,
                String::from_utf8_lossy(&f.body)
            )));
        }
        f.as_command()
    }

    /// Reads one whole message (frames until one without MORE), skipping
    /// any command frames (PING, PONG, ...) that arrive in between.
    pub async fn read_message(&mut self) -> io::Result<Vec<Vec<u8>>> {
        let mut frames = Vec::new();
        loop {
            let f = self.read_frame().await?;
            if f.is_command() {
                continue;
            }
            let more = f.more();
            frames.push(f.body);
            if !more {
                return Ok(frames);
            }
        }
    }

    /// NULL handshake: sends greeting (3.`minor`, "NULL"), reads the peer's,
    /// sends READY and reads the peer's READY.
    pub async fn handshake(
        &mut self,
        minor: u8,
        socket_type: &str,
        identity: Option<&[u8]>,
    ) -> io::Result<Handshake> {
        self.send_greeting(3, minor, "NULL").await?;
        let greeting = self.read_greeting().await?;
        if greeting[0] != 0xFF || greeting[9] & 1 != 1 || greeting[10] < 3 {
            return Err(invalid(format!(
                "raw peer: bad peer greeting {greeting:02x?}"
            )));
        }
        self.send_ready(socket_type, identity).await?;
        let cmd = self.read_command().await?;
        if cmd.name != "READY" {
            return Err(invalid(format!(
                "raw peer: expected READY, got {}",
                cmd.name
            )));
        }
        Ok(Handshake {
            greeting,
            properties: parse_metadata(&cmd.data)?,
        })
    }

    /// Waits until the other side closes the connection (EOF or reset), discarding
    /// anything it still sends. True if that happened within `within`.
    pub async fn expect_closed(&mut self, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match timeout_at(deadline, self.io.read(&mut buf)).await {
                Err(_) => return false,
                Ok(Ok(0)) => return true,
                Ok(Ok(_)) => continue,
                Ok(Err(e)) => {
                    return matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionReset
                            | io::ErrorKind::ConnectionAborted
                            | io::ErrorKind::BrokenPipe
                            | io::ErrorKind::UnexpectedEof
                    );
                }
            }
        }
    }

    /// True if the other side keeps the connection open for `for_at_least`
    /// (used to check that a good connection is *not* dropped).
    pub async fn stays_open(&mut self, for_at_least: Duration) -> bool {
        !self.expect_closed(for_at_least).await
    }
}

// ---------------------------------------------------------------------------
// Listener
// ---------------------------------------------------------------------------

enum ListenerKind {
    Tcp(TcpListener),
    Ipc(UnixListener, PathBuf),
}

/// A listening raw peer: our sockets (or libzmq) connect to it.
pub struct RawListener {
    kind: ListenerKind,
    endpoint: String,
    timeout: Duration,
}

impl RawListener {
    /// Binds `tcp://127.0.0.1:0` (or `:*`) or `ipc:///path` (an existing file there is replaced).
    pub async fn bind(endpoint: &str) -> io::Result<RawListener> {
        let endpoint = endpoint.replace(":*", ":0");
        match Endpoint::parse(&endpoint)? {
            Endpoint::Tcp(addr) => {
                let l = TcpListener::bind(addr.as_str()).await?;
                let local = l.local_addr()?;
                Ok(RawListener {
                    kind: ListenerKind::Tcp(l),
                    endpoint: format!("tcp://{local}"),
                    timeout: DEFAULT_TIMEOUT,
                })
            }
            Endpoint::Ipc(path) => {
                let _ = std::fs::remove_file(&path);
                let l = UnixListener::bind(&path)?;
                Ok(RawListener {
                    endpoint: format!("ipc://{}", path.display()),
                    kind: ListenerKind::Ipc(l, path),
                    timeout: DEFAULT_TIMEOUT,
                })
            }
        }
    }

    /// The resolved endpoint to connect to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Accepts one connection (within the timeout).
    pub async fn accept(&self) -> io::Result<RawPeer> {
        let fut = async {
            match &self.kind {
                ListenerKind::Tcp(l) => {
                    let (s, _) = l.accept().await?;
                    s.set_nodelay(true)?;
                    Ok::<Box<dyn Io>, io::Error>(Box::new(s))
                }
                ListenerKind::Ipc(l, _) => {
                    let (s, _) = l.accept().await?;
                    Ok(Box::new(s) as _)
                }
            }
        };
        let io = timeout(self.timeout, fut)
            .await
            .map_err(|_| timed_out(&format!("accepting on {}", self.endpoint)))??;
        Ok(RawPeer::new(io))
    }
}

impl Drop for RawListener {
    fn drop(&mut self) {
        if let ListenerKind::Ipc(_, path) = &self.kind {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_the_digest() {
        let g = greeting_bytes(3, 1, "NULL");
        assert_eq!(
            &g[..16],
            &[
                0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, 3, 1, b'N', b'U', b'L', b'L'
            ]
        );
        assert!(g[16..].iter().all(|&b| b == 0));
        assert_eq!(frame_bytes(0, b"Hello"), b"\x00\x05Hello");
        let long = frame_bytes(0, &[7u8; 300]);
        assert_eq!(&long[..9], &[0x02, 0, 0, 0, 0, 0, 0, 0x01, 0x2C]);
        assert_eq!(
            frame_bytes(FLAG_COMMAND, &ready_body("SUB", None)),
            b"\x04\x19\x05READY\x0bSocket-Type\x00\x00\x00\x03SUB"
        );
        let dealer = frame_bytes(FLAG_COMMAND, &ready_body("DEALER", Some(b"")));
        assert_eq!(dealer.len(), 43);
        assert_eq!(&dealer[..2], &[0x04, 0x29]);
        assert_eq!(
            frame_bytes(FLAG_COMMAND, &command_body("SUBSCRIBE", b"A")),
            b"\x04\x0b\x09SUBSCRIBEA"
        );
        assert_eq!(
            frame_header(0, 1 << 62),
            vec![0x02, 0x40, 0, 0, 0, 0, 0, 0, 0]
        );
        let md = parse_metadata(&ready_body("DEALER", Some(b"id"))[6..]).unwrap();
        assert_eq!(
            md,
            vec![
                ("Socket-Type".to_string(), b"DEALER".to_vec()),
                ("Identity".to_string(), b"id".to_vec())
            ]
        );
        assert!(parse_metadata(b"\x04name\x00\x00").is_err());
    }

    #[test]
    fn parses_endpoints() {
        assert_eq!(
            Endpoint::parse("tcp://127.0.0.1:5").unwrap(),
            Endpoint::Tcp("127.0.0.1:5".into())
        );
        assert_eq!(
            Endpoint::parse("ipc:///tmp/x").unwrap(),
            Endpoint::Ipc("/tmp/x".into())
        );
        assert!(Endpoint::parse("inproc://x").is_err());
    }

    #[tokio::test]
    async fn talks_to_itself() {
        let l = RawListener::bind("tcp://127.0.0.1:0").await.unwrap();
        let ep = l.endpoint().to_string();
        let client = tokio::spawn(async move {
            let mut c = RawPeer::connect(&ep).await.unwrap();
            let hs = c.handshake(1, "PUSH", None).await.unwrap();
            assert_eq!(hs.socket_type().as_deref(), Some("PULL"));
            c.send_bytes_slowly(&frame_bytes(FLAG_MORE, b"a"))
                .await
                .unwrap();
            c.send_message(&[b"b"]).await.unwrap();
            c.shutdown().await.unwrap();
        });
        let mut s = l.accept().await.unwrap();
        let hs = s.handshake(0, "PULL", None).await.unwrap();
        assert_eq!(hs.minor(), 1);
        assert_eq!(hs.mechanism(), "NULL");
        assert_eq!(
            s.read_message().await.unwrap(),
            vec![b"a".to_vec(), b"b".to_vec()]
        );
        assert!(s.expect_closed(Duration::from_secs(5)).await);
        client.await.unwrap();
    }
}
