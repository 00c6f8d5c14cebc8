//! The driver against a scripted connection: writes that fail while the peer's last
//! bytes are still to be read.

use super::*;

/// A scripted connection: reads hand out `reads` in order (then end of input, or wait
/// forever with `then_wait`); writes succeed for `write_budget` bytes, then fail as
/// writes to a peer that went away do.
struct ScriptedIo {
    reads: std::collections::VecDeque<Vec<u8>>,
    then_wait: bool,
    write_budget: usize,
}

impl tokio::io::AsyncRead for ScriptedIo {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        match self.reads.pop_front() {
            Some(chunk) => {
                let n = chunk.len().min(buf.remaining());
                buf.put_slice(&chunk[..n]);
                if n < chunk.len() {
                    self.reads.push_front(chunk[n..].to_vec());
                }
                std::task::Poll::Ready(Ok(()))
            }
            None if self.then_wait => std::task::Poll::Pending,
            None => std::task::Poll::Ready(Ok(())),
        }
    }
}

impl tokio::io::AsyncWrite for ScriptedIo {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        if self.write_budget == 0 {
            return std::task::Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into()));
        }
        let n = buf.len().min(self.write_budget);
        self.write_budget -= n;
        std::task::Poll::Ready(Ok(n))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

/// Our greeting (64 bytes) and READY as PAIR (28 bytes) are written; the next write
/// fails.
const PAIR_HANDSHAKE_OUT: usize = 64 + 28;

fn scripted(reads: Vec<Vec<u8>>, then_wait: bool) -> ScriptedIo {
    ScriptedIo {
        reads: reads.into(),
        then_wait,
        write_budget: PAIR_HANDSHAKE_OUT,
    }
}

async fn run_scripted(shared: &Arc<Shared>, id: PeerId, io: ScriptedIo) -> Arc<ConnectionError> {
    let link = Link {
        role: Role::Dialed(id),
        endpoint: "ipc:///tmp/scripted".parse().expect("endpoint"),
        peer_address: "scripted".into(),
    };
    let run = crate::driver::run(shared.clone(), io, link);
    tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the driver ended")
        .error
}

#[tokio::test(start_paused = true)]
async fn what_a_departed_peer_sent_is_read_after_a_failed_write() {
    let shared = socket(SocketType::Pair, |_| {});
    let id = dialed_pipe(&shared);
    // Something to write right after the handshake: that write fails.
    let queued = Message::from(Bytes::from_static(b"to a peer that left"));
    assert!(shared.lock().peers.push(id, queued).is_ok());
    let mut hello = greeting(1);
    hello.extend(ready("PAIR"));
    let mut sent = frame(false, b"bye 0");
    sent.extend(frame(false, b"bye 1"));
    let err = run_scripted(&shared, id, scripted(vec![hello, sent], false)).await;
    assert!(matches!(*err, ConnectionError::Eof), "{err}");
    assert_eq!(
        bodies(&shared),
        [
            vec![Bytes::from_static(b"bye 0")],
            vec![Bytes::from_static(b"bye 1")]
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn after_a_failed_write_the_connection_ends_with_its_input() {
    let shared = socket(SocketType::Pair, |_| {});
    let id = dialed_pipe(&shared);
    assert!(
        shared
            .lock()
            .peers
            .push(id, Message::from(Bytes::from_static(b"x")))
            .is_ok()
    );
    let mut hello = greeting(1);
    hello.extend(ready("PAIR"));
    // Input still open: the connection stays (the peer may still be sending).
    let io = scripted(vec![hello.clone()], true);
    let link = Link {
        role: Role::Dialed(id),
        endpoint: "ipc:///tmp/scripted".parse().expect("endpoint"),
        peer_address: "scripted".into(),
    };
    let run = crate::driver::run(shared.clone(), io, link);
    let waiting = tokio::time::timeout(Duration::from_secs(3600), run).await;
    assert!(waiting.is_err(), "ended while input was open");
    // Input ends: so does the connection, and a connecting socket reconnects.
    let id = dialed_pipe(&shared);
    let err = run_scripted(&shared, id, scripted(vec![hello], false)).await;
    assert!(matches!(*err, ConnectionError::Eof), "{err}");
    assert!(!err.is_fatal());
}
