//! Port of libzmq's `perf/remote_lat` on zmtp: connects a REQ socket, sends
//! `roundtrip-count` requests of `message-size` bytes one after the other, and prints the
//! average one-way latency (elapsed / (2 * roundtrip-count)).
//! `ZMTP_PERF_CURVE=1` makes it a CURVE client (the zmq_curve(7) test keys).
//! `ZMTP_PERF_API=blocking` uses the blocking socket (no runtime of its own).
//!
//! usage: remote_lat <connect-to> <message-size> <roundtrip-count>

use std::time::Instant;

use benches::{CurveRole, blocking_api, fail, parse_args, print_lat, run, wrong_size};
use zmtp_api::{Bytes, Socket, SocketType, blocking};

fn main() {
    let args = parse_args("remote_lat <connect-to> <message-size> <roundtrip-count>");
    let size = args.message_size;
    if blocking_api() {
        let s = blocking::Socket::new(SocketType::Req).unwrap_or_else(|e| fail("socket", e));
        benches::apply_curve(CurveRole::Client, |o| s.set_option(o));
        s.connect(&args.endpoint)
            .unwrap_or_else(|e| fail("connect", e));
        let mut msg = Bytes::from(vec![0u8; size]);
        let watch = Instant::now();
        for _ in 0..args.count {
            s.send(msg).unwrap_or_else(|e| fail("send", e));
            msg = s.recv().unwrap_or_else(|e| fail("recv", e));
            if msg.len() != size {
                wrong_size();
            }
        }
        let elapsed = watch.elapsed().as_micros() as u64;
        print_lat(size, args.count, elapsed);
        s.close();
        return;
    }
    run(async move {
        let s = Socket::new(SocketType::Req).unwrap_or_else(|e| fail("socket", e));
        benches::maybe_monitor(&s);
        benches::apply_curve(CurveRole::Client, |o| s.set_option(o));
        s.connect(&args.endpoint)
            .unwrap_or_else(|e| fail("connect", e));

        let mut msg = Bytes::from(vec![0u8; size]);
        // Like the original, the clock starts before the first send (the connection is
        // still being set up then).
        let watch = Instant::now();
        for _ in 0..args.count {
            s.send(msg).await.unwrap_or_else(|e| fail("send", e));
            msg = s.recv().await.unwrap_or_else(|e| fail("recv", e));
            if msg.len() != size {
                wrong_size();
            }
        }
        let elapsed = watch.elapsed().as_micros() as u64;

        print_lat(size, args.count, elapsed);
        s.close();
    });
}
