//! Port of libzmq's `perf/remote_thr` on zmtp: connects a PUSH socket and sends
//! `message-count` messages of `message-size` bytes, then closes with infinite linger so
//! that every message reaches the receiver before the process exits. Prints
//! `cpu: <s> [s]` (user + system CPU of the whole process) at the end.
//! `ZMTP_PERF_SENDER_GRACE_MS=N` keeps the connection open N ms longer before closing;
//! `ZMTP_PERF_CURVE=1` makes it a CURVE client (the zmq_curve(7) test keys);
//! `ZMTP_PERF_API=blocking` uses the blocking socket (no runtime of its own).
//!
//! usage: remote_thr <connect-to> <message-size> <message-count>

use benches::{CurveRole, blocking_api, fail, parse_args, print_cpu, run};
use zmtp_api::{Socket, SocketOption, SocketType, blocking};

fn main() {
    let args = parse_args("remote_thr <connect-to> <message-size> <message-count>");
    let size = args.message_size;
    // A fresh copy per send by default (see `Bodies`); libzmq's tool allocates with
    // zmq_msg_init_size and does not fill.
    let bodies = benches::Bodies::new(size);
    if blocking_api() {
        let s = blocking::Socket::new(SocketType::Push).unwrap_or_else(|e| fail("socket", e));
        s.set_option(SocketOption::Linger(-1))
            .unwrap_or_else(|e| fail("set_option", e));
        benches::apply_curve(CurveRole::Client, |o| s.set_option(o));
        s.connect(&args.endpoint)
            .unwrap_or_else(|e| fail("connect", e));
        for _ in 0..args.count {
            let msg = bodies.next();
            s.send(msg).unwrap_or_else(|e| fail("send", e));
        }
        if let Some(grace) = benches::sender_grace() {
            std::thread::sleep(grace);
        }
        s.close_and_flush().unwrap_or_else(|e| fail("close", e));
        print_cpu(0.0);
        return;
    }
    run(async move {
        let s = Socket::new(SocketType::Push).unwrap_or_else(|e| fail("socket", e));
        benches::maybe_monitor(&s);
        s.set_option(SocketOption::Linger(-1))
            .unwrap_or_else(|e| fail("set_option", e));
        benches::apply_curve(CurveRole::Client, |o| s.set_option(o));
        s.connect(&args.endpoint)
            .unwrap_or_else(|e| fail("connect", e));

        for _ in 0..args.count {
            let msg = bodies.next();
            s.send(msg).await.unwrap_or_else(|e| fail("send", e));
        }

        // Optional grace period (ZMTP_PERF_SENDER_GRACE_MS, default 0): once everything has
        // been handed to the connection, keep it open a little longer so that a receiver
        // still draining its buffers is not cut off by the close.
        if let Some(grace) = benches::sender_grace() {
            s.flush(None).await;
            tokio::time::sleep(grace).await;
        }

        // Linger is infinite: wait until everything queued has been written.
        s.close_and_flush().await;
        print_cpu(0.0);
    });
}
