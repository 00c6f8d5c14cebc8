//! A listening raw peer (tcp or ipc) that accepts connections as [`RawPeer`]s.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use tokio::net::{TcpListener, UnixListener};
use tokio::time::timeout;

use super::endpoint::Endpoint;
use super::errors::timed_out;
use super::peer::{DEFAULT_TIMEOUT, Io, RawPeer};

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
    use std::time::Duration;

    use super::RawListener;
    use crate::raw_peer::{FLAG_MORE, RawPeer, frame_bytes};

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
