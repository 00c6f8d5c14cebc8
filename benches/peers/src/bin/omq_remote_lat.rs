//! `remote_lat` on OMQ.rs (`omq-tokio`): connects a REQ socket, sends `roundtrip-count`
//! requests of `message-size` bytes one after the other (resending each reply, like
//! libzmq's tool), checking every size, and prints the average one-way latency
//! (elapsed / (2 * roundtrip-count)). The clock starts before the first send.
//! `ZMTP_PERF_OMQ_MODE=blocking` (default) or `async`, see `omq_local_thr`.
//! `ZMTP_PERF_CURVE=1`: CURVE client (the zmq_curve(7) test keys).
//!
//! usage: omq_remote_lat <connect-to> <message-size> <roundtrip-count>

use std::time::Instant;

use omq_tokio::{Context, Message, Options, Socket, SocketType};
use zmtp_bench_peers::{
    CurveRole, OmqMode, fail, omq_mode, omq_options, parse_args, print_lat, wrong_size,
};

fn main() {
    let args = parse_args("omq_remote_lat <connect-to> <message-size> <roundtrip-count>");
    let size = args.message_size;
    let check = |m: &Message| {
        if m.len() > 1 || m.byte_len() != size {
            wrong_size();
        }
    };
    let first = Message::from(vec![0u8; size]);
    let endpoint = args.endpoint.as_str();
    match omq_mode() {
        OmqMode::Blocking => {
            let ctx = Context::new();
            let s = ctx.blocking_socket(
                SocketType::Req,
                omq_options(CurveRole::Client, Options::default()),
            );
            s.connect(endpoint).unwrap_or_else(|e| fail("connect", e));
            let mut msg = first;
            let watch = Instant::now();
            for _ in 0..args.count {
                s.send(msg).unwrap_or_else(|e| fail("send", e));
                msg = s.recv().unwrap_or_else(|e| fail("recv", e));
                check(&msg);
            }
            let elapsed = watch.elapsed().as_micros() as u64;
            print_lat(size, args.count, elapsed);
            s.close().unwrap_or_else(|e| fail("close", e));
            ctx.term();
        }
        OmqMode::Async => omq_tokio::ContextConfig::default()
            .build_runtime()
            .block_on(async {
                let s = Socket::new(
                    SocketType::Req,
                    omq_options(CurveRole::Client, Options::default()),
                );
                s.connect(endpoint)
                    .await
                    .unwrap_or_else(|e| fail("connect", e));
                let mut msg = first;
                let watch = Instant::now();
                for _ in 0..args.count {
                    s.send(msg).await.unwrap_or_else(|e| fail("send", e));
                    msg = s.recv().await.unwrap_or_else(|e| fail("recv", e));
                    check(&msg);
                }
                let elapsed = watch.elapsed().as_micros() as u64;
                print_lat(size, args.count, elapsed);
                s.close().await.unwrap_or_else(|e| fail("close", e));
            }),
    }
}
