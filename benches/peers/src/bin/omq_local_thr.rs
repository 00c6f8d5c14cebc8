//! `local_thr` on OMQ.rs (`omq-tokio`): binds a PULL socket, receives one message to start
//! the clock, then `message-count - 1` more, checking every size, and prints the mean
//! throughput. `ZMTP_PERF_OMQ_MODE=blocking` (default: blocking socket on an OMQ-owned
//! I/O thread) or `async` (async socket on a current-thread runtime).
//! `ZMTP_PERF_CURVE=1`: CURVE server (the zmq_curve(7) test keys).
//!
//! usage: omq_local_thr <bind-to> <message-size> <message-count>

use std::time::Instant;

use omq_tokio::{Context, Message, Options, Result, Socket, SocketType};
use zmtp_bench_peers::{
    CurveRole, OmqMode, fail, omq_mode, omq_options, parse_args, print_thr, wrong_size,
};

fn main() {
    let args = parse_args("omq_local_thr <bind-to> <message-size> <message-count>");
    let size = args.message_size;
    let check = |r: Result<Message>| match r {
        Ok(m) if m.len() <= 1 && m.byte_len() == size => {}
        Ok(_) => wrong_size(),
        Err(e) => fail("recv", e),
    };
    let endpoint = args.endpoint.as_str();
    match omq_mode() {
        OmqMode::Blocking => {
            let ctx = Context::new();
            let s = ctx.blocking_socket(
                SocketType::Pull,
                omq_options(CurveRole::Server, Options::default()),
            );
            s.bind(endpoint).unwrap_or_else(|e| fail("bind", e));

            check(s.recv());
            let watch = Instant::now();
            for _ in 1..args.count {
                check(s.recv());
            }
            let elapsed = watch.elapsed().as_micros() as u64;

            print_thr(size, args.count, elapsed);
            s.close().unwrap_or_else(|e| fail("close", e));
            ctx.term();
        }
        OmqMode::Async => omq_tokio::ContextConfig::default()
            .build_runtime()
            .block_on(async {
                let s = Socket::new(
                    SocketType::Pull,
                    omq_options(CurveRole::Server, Options::default()),
                );
                s.bind(endpoint).await.unwrap_or_else(|e| fail("bind", e));

                check(s.recv().await);
                let watch = Instant::now();
                for _ in 1..args.count {
                    check(s.recv().await);
                }
                let elapsed = watch.elapsed().as_micros() as u64;

                print_thr(size, args.count, elapsed);
                s.close().await.unwrap_or_else(|e| fail("close", e));
            }),
    }
}
