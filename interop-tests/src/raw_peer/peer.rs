//! The raw peer type: connecting, settings and writing. Reading is in `read.rs`,
//! the handshake and close scripts in `script.rs`.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpStream, UnixStream};
use tokio::time::{Instant, timeout, timeout_at};

use super::endpoint::Endpoint;
use super::errors::timed_out;
use super::wire::{FLAG_COMMAND, FLAG_MORE, command_body, frame_bytes, greeting_bytes, ready_body};

/// Default timeout of every single read/accept/connect.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Largest frame body [`RawPeer::read_frame`] accepts by default (guards the test
/// process against a bogus size field).
pub const DEFAULT_MAX_FRAME: u64 = 64 * 1024 * 1024;

pub(super) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// A raw ZMTP connection (tcp or ipc).
pub struct RawPeer {
    pub(super) io: Box<dyn Io>,
    pub(super) timeout: Duration,
    pub(super) max_frame: u64,
}

impl std::fmt::Debug for RawPeer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawPeer")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RawPeer {
    pub(super) fn new(io: Box<dyn Io>) -> RawPeer {
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
}
