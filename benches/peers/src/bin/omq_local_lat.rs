//! `local_lat` on OMQ.rs (`omq-tokio`): binds a REP socket with infinite linger and echoes
//! `roundtrip-count` messages of `message-size` bytes, checking every size; closing waits
//! until the last reply has been written. `ZMTP_PERF_OMQ_MODE=blocking` (default) or
//! `async`, see `omq_local_thr`.
//! `ZMTP_PERF_CURVE=1`: CURVE server (the zmq_curve(7) test keys).
//!
//! usage: omq_local_lat <bind-to> <message-size> <roundtrip-count>

use omq_tokio::{Context, Message, Options, Socket, SocketType};
use zmtp_bench_peers::{CurveRole, OmqMode, fail, omq_mode, omq_options, parse_args, wrong_size};

fn main() {
    let args = parse_args("omq_local_lat <bind-to> <message-size> <roundtrip-count>");
    let size = args.message_size;
    let check = |m: &Message| {
        if m.len() > 1 || m.byte_len() != size {
            wrong_size();
        }
    };
    let endpoint = args.endpoint.as_str();
    let options = || omq_options(CurveRole::Server, Options::default().linger_forever());
    match omq_mode() {
        OmqMode::Blocking => {
            let ctx = Context::new();
            let s = ctx.blocking_socket(SocketType::Rep, options());
            s.bind(endpoint).unwrap_or_else(|e| fail("bind", e));
            for _ in 0..args.count {
                let msg = s.recv().unwrap_or_else(|e| fail("recv", e));
                check(&msg);
                s.send(msg).unwrap_or_else(|e| fail("send", e));
            }
            s.close().unwrap_or_else(|e| fail("close", e));
            ctx.term();
        }
        OmqMode::Async => omq_tokio::ContextConfig::default()
            .build_runtime()
            .block_on(async {
                let s = Socket::new(SocketType::Rep, options());
                s.bind(endpoint).await.unwrap_or_else(|e| fail("bind", e));
                for _ in 0..args.count {
                    let msg = s.recv().await.unwrap_or_else(|e| fail("recv", e));
                    check(&msg);
                    s.send(msg).await.unwrap_or_else(|e| fail("send", e));
                }
                s.close().await.unwrap_or_else(|e| fail("close", e));
            }),
    }
}
