//! libzmq's `perf/inproc_lat` through the `zmq` crate (reference for `inproc_lat`): the
//! main thread's REQ socket does `roundtrip-count` roundtrips over inproc with a REP socket
//! echoing on a worker thread in the same context.
//!
//! usage: libzmq_inproc_lat <message-size> <roundtrip-count>

use std::time::Instant;

use benches::{fail, number, positional, print_lat, wrong_size};

const ENDPOINT: &str = "inproc://lat_test";
const USAGE: &str = "inproc_lat <message-size> <roundtrip-count>";

fn main() {
    let args = positional(USAGE, 2);
    let size = number(USAGE, &args[0], false);
    let count = number(USAGE, &args[1], true);

    let ctx = zmq::Context::new();
    let s = ctx
        .socket(zmq::REQ)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.bind(ENDPOINT).unwrap_or_else(|e| fail("zmq_bind", e));

    let wctx = ctx.clone();
    let worker = std::thread::spawn(move || {
        let s = wctx
            .socket(zmq::REP)
            .unwrap_or_else(|e| fail("zmq_socket", e));
        s.connect(ENDPOINT)
            .unwrap_or_else(|e| fail("zmq_connect", e));
        for _ in 0..count {
            let mut msg = zmq::Message::new();
            s.recv(&mut msg, 0)
                .unwrap_or_else(|e| fail("zmq_recvmsg", e));
            if msg.len() != size {
                wrong_size();
            }
            s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
        }
    });

    let mut msg = zmq::Message::with_size(size);
    let watch = Instant::now();
    for _ in 0..count {
        s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
        msg = zmq::Message::new();
        s.recv(&mut msg, 0)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if msg.len() != size {
            wrong_size();
        }
    }
    let elapsed = watch.elapsed().as_micros() as u64;
    worker.join().unwrap_or_else(|_| fail("worker", "panicked"));

    print_lat(size, count, elapsed);
    drop(s);
    drop(ctx);
}
