//! Port of libzmq's `perf/local_lat` on zmtp: binds a REP socket and echoes
//! `roundtrip-count` messages of `message-size` bytes, checking every size.
//! `ZMTP_PERF_CURVE=1` makes it a CURVE server (the zmq_curve(7) test keys).
//! `ZMTP_PERF_API=blocking` uses the blocking socket (no runtime of its own).
//!
//! usage: local_lat <bind-to> <message-size> <roundtrip-count>

use benches::{CurveRole, blocking_api, fail, parse_args, run, wrong_size};
use zmtp_api::{Socket, SocketOption, SocketType, blocking};

fn main() {
    let args = parse_args("local_lat <bind-to> <message-size> <roundtrip-count>");
    let size = args.message_size;
    if blocking_api() {
        let s = blocking::Socket::new(SocketType::Rep).unwrap_or_else(|e| fail("socket", e));
        s.set_option(SocketOption::Linger(-1))
            .unwrap_or_else(|e| fail("set_option", e));
        benches::apply_curve(CurveRole::Server, |o| s.set_option(o));
        s.bind(&args.endpoint).unwrap_or_else(|e| fail("bind", e));
        for _ in 0..args.count {
            let msg = s.recv().unwrap_or_else(|e| fail("recv", e));
            if msg.len() != size {
                wrong_size();
            }
            s.send(msg).unwrap_or_else(|e| fail("send", e));
        }
        s.close_and_flush().unwrap_or_else(|e| fail("close", e));
        return;
    }
    run(async move {
        let s = Socket::new(SocketType::Rep).unwrap_or_else(|e| fail("socket", e));
        benches::maybe_monitor(&s);
        s.set_option(SocketOption::Linger(-1))
            .unwrap_or_else(|e| fail("set_option", e));
        benches::apply_curve(CurveRole::Server, |o| s.set_option(o));
        s.bind(&args.endpoint).unwrap_or_else(|e| fail("bind", e));

        for _ in 0..args.count {
            let msg = s.recv().await.unwrap_or_else(|e| fail("recv", e));
            if msg.len() != size {
                wrong_size();
            }
            s.send(msg).await.unwrap_or_else(|e| fail("send", e));
        }

        // libzmq sleeps 1 s here so that the last reply leaves; closing with infinite
        // linger and waiting for the connections to finish does the same without the wait.
        s.close_and_flush().await;
    });
}
