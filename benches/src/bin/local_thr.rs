//! Port of libzmq's `perf/local_thr` on zmtp: binds a PULL socket, receives one message to
//! start the clock, then `message-count - 1` more, checking every size, and prints the
//! mean throughput, plus `cpu: <s> [s]` (user + system CPU of the whole process).
//! `ZMTP_PERF_CURVE=1` makes it a CURVE server (the zmq_curve(7) test keys).
//! `ZMTP_PERF_API=blocking` uses the blocking socket (no runtime of its own).
//!
//! usage: local_thr <bind-to> <message-size> <message-count>

use std::time::Instant;

use benches::{CurveRole, blocking_api, fail, parse_args, print_cpu, print_thr, run, wrong_size};
use zmtp_api::{Bytes, Result, Socket, SocketType, blocking};

fn main() {
    let args = parse_args("local_thr <bind-to> <message-size> <message-count>");
    let size = args.message_size;
    let check = |r: Result<Bytes>| match r {
        Ok(m) if m.len() == size => {}
        Ok(_) => wrong_size(),
        Err(e) => fail("recv", e),
    };
    if blocking_api() {
        let s = blocking::Socket::new(SocketType::Pull).unwrap_or_else(|e| fail("socket", e));
        benches::apply_curve(CurveRole::Server, |o| s.set_option(o));
        s.bind(&args.endpoint).unwrap_or_else(|e| fail("bind", e));

        check(s.recv());
        let watch = Instant::now();
        for _ in 1..args.count {
            check(s.recv());
        }
        let elapsed = watch.elapsed().as_micros() as u64;

        print_thr(size, args.count, elapsed);
        print_cpu(0.0);
        s.close();
        return;
    }
    run(async move {
        let s = Socket::new(SocketType::Pull).unwrap_or_else(|e| fail("socket", e));
        benches::maybe_monitor(&s);
        benches::apply_curve(CurveRole::Server, |o| s.set_option(o));
        s.bind(&args.endpoint).unwrap_or_else(|e| fail("bind", e));

        check(s.recv().await);
        let watch = Instant::now();
        for _ in 1..args.count {
            check(s.recv().await);
        }
        let elapsed = watch.elapsed().as_micros() as u64;

        print_thr(size, args.count, elapsed);
        print_cpu(0.0);
        s.close();
    });
}
