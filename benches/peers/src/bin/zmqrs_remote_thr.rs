//! `remote_thr` on zmq.rs (`zeromq`), on a current-thread tokio runtime: connects a PUSH
//! socket and sends `message-count` fresh messages of `message-size` bytes.
//!
//! zmq.rs has no linger: a send only queues the message (up to 100 000 per peer), and
//! closing drops what is still queued. So after the last send the tool keeps the socket
//! (and the runtime driving its writer) alive until the receiver has closed the
//! connection, which it does only once it has all `message-count` messages. A PUSH socket
//! of zmq.rs does not read, so it notices that close only when a write fails: every 20 ms
//! the tool queues one empty probe message behind the real ones (the receiver stops
//! reading after `message-count` messages, so probes are never received and never
//! counted) until the monitor reports `Disconnected` or a probe send fails, for at most
//! `ZMTP_PERF_ZMQRS_DRAIN_MS` (default 60000) ms. `ZMTP_PERF_SENDER_GRACE_MS=N` adds a
//! fixed wait of N ms before that.
//!
//! usage: zmqrs_remote_thr <connect-to> <message-size> <message-count>

use std::time::{Duration, Instant};

use futures::StreamExt;
use zeromq::{PushSocket, Socket, SocketEvent, SocketSend, ZmqMessage};
use zmtp_bench_peers::{current_thread_runtime, env_ms, fail, parse_args, sender_grace};

/// How often the sender probes for the receiver's close once everything is queued.
const PROBE_EVERY: Duration = Duration::from_millis(20);

fn main() {
    let args = parse_args("zmqrs_remote_thr <connect-to> <message-size> <message-count>");
    let size = args.message_size;
    let drain = env_ms("ZMTP_PERF_ZMQRS_DRAIN_MS").unwrap_or(Duration::from_secs(60));
    current_thread_runtime().block_on(async {
        let mut s = PushSocket::new();
        let mut events = s.monitor();
        s.connect(&args.endpoint)
            .await
            .unwrap_or_else(|e| fail("connect", e));

        for _ in 0..args.count {
            // A fresh message each time, like zmq_msg_init_size in libzmq's tool.
            let msg = ZmqMessage::from(vec![0u8; size]);
            s.send(msg).await.unwrap_or_else(|e| fail("send", e));
        }

        if let Some(grace) = sender_grace() {
            tokio::time::sleep(grace).await;
        }
        let deadline = Instant::now() + drain;
        loop {
            match tokio::time::timeout(PROBE_EVERY, events.next()).await {
                Ok(Some(SocketEvent::Disconnected(_))) => break,
                Ok(Some(_)) => continue,
                Ok(None) => fail("monitor", "event stream ended before the receiver closed"),
                Err(_) => {} // no event within PROBE_EVERY
            }
            if Instant::now() > deadline {
                fail(
                    "drain",
                    format!("the receiver did not close within {drain:?} (messages lost?)"),
                );
            }
            let probe = s.send(ZmqMessage::from(Vec::<u8>::new()));
            if let Ok(Err(_)) = tokio::time::timeout(PROBE_EVERY, probe).await {
                break; // the connection is gone: the receiver has closed
            }
        }
        // Errors here are about unbinding; a connect-only socket has none to report.
        let _ = s.close().await;
    });
}
