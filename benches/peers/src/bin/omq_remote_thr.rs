//! `remote_thr` on OMQ.rs (`omq-tokio`): connects a PUSH socket with infinite linger
//! (`Options::linger_forever`; OMQ's default linger is zero) and sends `message-count`
//! fresh messages of `message-size` bytes, then closes, which waits until everything
//! queued has been written. `ZMTP_PERF_SENDER_GRACE_MS=N` waits N ms before closing.
//! `ZMTP_PERF_OMQ_MODE=blocking` (default) or `async`, see `omq_local_thr`.
//! `ZMTP_PERF_CURVE=1`: CURVE client (the zmq_curve(7) test keys).
//!
//! usage: omq_remote_thr <connect-to> <message-size> <message-count>

use omq_tokio::{Context, Message, Options, Socket, SocketType};
use zmtp_bench_peers::{CurveRole, OmqMode, fail, omq_mode, omq_options, parse_args, sender_grace};

fn main() {
    let args = parse_args("omq_remote_thr <connect-to> <message-size> <message-count>");
    let size = args.message_size;
    // A fresh message per send, built from this buffer (inline for small sizes, like
    // libzmq's very small messages; a copy into a new allocation otherwise).
    let zeros = vec![0u8; size];
    let endpoint = args.endpoint.as_str();
    let options = || omq_options(CurveRole::Client, Options::default().linger_forever());
    match omq_mode() {
        OmqMode::Blocking => {
            let ctx = Context::new();
            let s = ctx.blocking_socket(SocketType::Push, options());
            s.connect(endpoint).unwrap_or_else(|e| fail("connect", e));
            for _ in 0..args.count {
                s.send(Message::from_slice(&zeros))
                    .unwrap_or_else(|e| fail("send", e));
            }
            if let Some(grace) = sender_grace() {
                std::thread::sleep(grace);
            }
            // Infinite linger: returns once the queue has drained.
            s.close().unwrap_or_else(|e| fail("close", e));
            ctx.term();
        }
        OmqMode::Async => omq_tokio::ContextConfig::default()
            .build_runtime()
            .block_on(async {
                let s = Socket::new(SocketType::Push, options());
                s.connect(endpoint)
                    .await
                    .unwrap_or_else(|e| fail("connect", e));
                for _ in 0..args.count {
                    s.send(Message::from_slice(&zeros))
                        .await
                        .unwrap_or_else(|e| fail("send", e));
                }
                if let Some(grace) = sender_grace() {
                    tokio::time::sleep(grace).await;
                }
                s.close().await.unwrap_or_else(|e| fail("close", e));
            }),
    }
}
