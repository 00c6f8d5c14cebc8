//! Port of libzmq's `perf/local_thr` on zmtp: binds a PULL socket, receives one message to
//! start the clock, then `message-count - 1` more, checking every size, and prints the
//! mean throughput.
//!
//! usage: local_thr <bind-to> <message-size> <message-count>

use std::time::Instant;

use benches::{fail, parse_args, print_thr, run, wrong_size};
use zmtp_api::{Bytes, Result, Socket, SocketType};

fn main() {
    let args = parse_args("local_thr <bind-to> <message-size> <message-count>");
    let size = args.message_size;
    let check = |r: Result<Bytes>| match r {
        Ok(m) if m.len() == size => {}
        Ok(_) => wrong_size(),
        Err(e) => fail("recv", e),
    };
    run(async move {
        let s = Socket::new(SocketType::Pull).unwrap_or_else(|e| fail("socket", e));
        s.bind(&args.endpoint).unwrap_or_else(|e| fail("bind", e));

        check(s.recv().await);
        let watch = Instant::now();
        for _ in 1..args.count {
            check(s.recv().await);
        }
        let elapsed = watch.elapsed().as_micros() as u64;

        print_thr(size, args.count, elapsed);
        s.close();
    });
}
