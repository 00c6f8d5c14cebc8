//! libzmq's `perf/local_thr` through the `zmq` crate (reference for `local_thr`).
//!
//! usage: libzmq_local_thr <bind-to> <message-size> <message-count>

use std::time::Instant;

use benches::{fail, parse_args, print_thr, wrong_size};

fn main() {
    let args = parse_args("local_thr <bind-to> <message-size> <message-count>");
    let size = args.message_size;

    let ctx = zmq::Context::new();
    let s = ctx
        .socket(zmq::PULL)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.bind(&args.endpoint)
        .unwrap_or_else(|e| fail("zmq_bind", e));

    let mut msg = zmq::Message::new();
    let recv = |msg: &mut zmq::Message| {
        s.recv(msg, 0).unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if msg.len() != size {
            wrong_size();
        }
    };

    recv(&mut msg);
    let watch = Instant::now();
    for _ in 1..args.count {
        recv(&mut msg);
    }
    let elapsed = watch.elapsed().as_micros() as u64;

    print_thr(size, args.count, elapsed);
    benches::print_cpu(0.0);
    drop(msg);
    drop(s);
    drop(ctx);
}
