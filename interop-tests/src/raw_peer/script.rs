//! Scripts on the raw peer: the NULL handshake and waiting for the other side to
//! close (or not).

use std::io;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::time::{Instant, timeout_at};

use super::errors::invalid;
use super::frame::Handshake;
use super::peer::RawPeer;
use super::wire::parse_metadata;

impl RawPeer {
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
