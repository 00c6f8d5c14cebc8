//! libzmq's `perf/local_lat` through the `zmq` crate (reference for `local_lat`).
//!
//! usage: libzmq_local_lat <bind-to> <message-size> <roundtrip-count>

use benches::{fail, parse_args, wrong_size};

fn main() {
    let args = parse_args("local_lat <bind-to> <message-size> <roundtrip-count>");
    let size = args.message_size;

    let ctx = zmq::Context::new();
    let s = ctx
        .socket(zmq::REP)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.set_linger(-1)
        .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    s.bind(&args.endpoint)
        .unwrap_or_else(|e| fail("zmq_bind", e));

    for _ in 0..args.count {
        let mut msg = zmq::Message::new();
        s.recv(&mut msg, 0)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if msg.len() != size {
            wrong_size();
        }
        s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
    }

    // libzmq sleeps 1 s here so that the last reply leaves; with infinite linger,
    // zmq_ctx_term waits for it anyway.
    drop(s);
    drop(ctx);
}
