//! Reading from the raw peer: bytes, greetings, frames, commands, messages.

use std::io;

use tokio::io::AsyncReadExt;
use tokio::time::timeout;

use super::errors::{invalid, timed_out};
use super::frame::{Command, Frame};
use super::peer::RawPeer;
use super::wire::FLAG_LONG;

impl RawPeer {
    /// Reads exactly `n` bytes (within the per-read timeout).
    pub async fn read_exact(&mut self, n: usize) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; n];
        let t = self.timeout;
        timeout(t, self.io.read_exact(&mut buf))
            .await
            .map_err(|_| timed_out(&format!("reading {n} bytes")))??;
        Ok(buf)
    }

    /// What the peer has sent that is readable right now, without waiting (one
    /// poll of the socket; empty if nothing is there). Bytes still in flight are
    /// not seen, so this can show that something arrived too early, never prove
    /// that nothing will.
    pub async fn pending(&mut self) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; 64 * 1024];
        // A zero timeout polls the read once before it expires.
        match timeout(std::time::Duration::ZERO, self.io.read(&mut buf)).await {
            Err(_) => Ok(Vec::new()),
            Ok(n) => {
                buf.truncate(n?);
                Ok(buf)
            }
        }
    }

    /// Reads the first 10 bytes of the peer's greeting (the signature).
    pub async fn read_signature(&mut self) -> io::Result<[u8; 10]> {
        let v = self.read_exact(10).await?;
        Ok(v.try_into().expect("10 bytes"))
    }

    /// Reads the peer's 64-byte greeting in whatever pieces it arrives.
    /// Send ours (or at least 11 bytes of it) first: libzmq, and our sockets,
    /// send only the 10-byte signature until they have ours.
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
}
