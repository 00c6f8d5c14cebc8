//! `local_thr` on zmq.rs (`zeromq`), on a current-thread tokio runtime: binds a PULL
//! socket, receives one message to start the clock, then `message-count - 1` more,
//! checking every size, and prints the mean throughput.
//!
//! usage: zmqrs_local_thr <bind-to> <message-size> <message-count>

use std::time::Instant;

use zeromq::{PullSocket, Socket, SocketRecv, ZmqMessage, ZmqResult};
use zmtp_bench_peers::{current_thread_runtime, fail, parse_args, print_thr, wrong_size};

fn main() {
    let args = parse_args("zmqrs_local_thr <bind-to> <message-size> <message-count>");
    let size = args.message_size;
    let check = |r: ZmqResult<ZmqMessage>| match r {
        Ok(m) if m.len() == 1 && m.get(0).map(|f| f.len()) == Some(size) => {}
        Ok(_) => wrong_size(),
        Err(e) => fail("recv", e),
    };
    current_thread_runtime().block_on(async {
        let mut s = PullSocket::new();
        s.bind(&args.endpoint)
            .await
            .unwrap_or_else(|e| fail("bind", e));

        check(s.recv().await);
        let watch = Instant::now();
        for _ in 1..args.count {
            check(s.recv().await);
        }
        let elapsed = watch.elapsed().as_micros() as u64;

        print_thr(size, args.count, elapsed);
        if let Some(e) = s.close().await.into_iter().next() {
            fail("close", e);
        }
    });
}
