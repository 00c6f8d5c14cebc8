//! libzmq's `perf/remote_lat` through the `zmq` crate (reference for `remote_lat`).
//!
//! usage: libzmq_remote_lat <connect-to> <message-size> <roundtrip-count>

use std::time::Instant;

use benches::{fail, parse_args, print_lat, wrong_size};

fn main() {
    let args = parse_args("remote_lat <connect-to> <message-size> <roundtrip-count>");
    let size = args.message_size;

    let ctx = zmq::Context::new();
    let s = ctx
        .socket(zmq::REQ)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.connect(&args.endpoint)
        .unwrap_or_else(|e| fail("zmq_connect", e));

    let mut msg = zmq::Message::with_size(size);
    let watch = Instant::now();
    for _ in 0..args.count {
        s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
        msg = zmq::Message::new();
        s.recv(&mut msg, 0)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if msg.len() != size {
            wrong_size();
        }
    }
    let elapsed = watch.elapsed().as_micros() as u64;

    print_lat(size, args.count, elapsed);
    drop(s);
    drop(ctx);
}
