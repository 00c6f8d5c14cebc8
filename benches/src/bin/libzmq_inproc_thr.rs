//! libzmq's `perf/inproc_thr` through the `zmq` crate (reference for `inproc_thr`): a
//! worker thread sends `message-count` messages over inproc to the main thread in the same
//! context. Prints the same lines as `inproc_thr`, including `cpu: <s> [s]`
//! (CPU of the whole process while the clock ran).
//!
//! usage: libzmq_inproc_thr <message-size> <message-count>

use std::time::Instant;

use benches::{cpu_seconds, fail, number, positional, print_cpu, print_thr, wrong_size};

const ENDPOINT: &str = "inproc://thr_test";
const USAGE: &str = "inproc_thr <message-size> <message-count>";

fn main() {
    let args = positional(USAGE, 2);
    let size = number(USAGE, &args[0], false);
    let count = number(USAGE, &args[1], true);

    let ctx = zmq::Context::new();
    let s = ctx
        .socket(zmq::PULL)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.bind(ENDPOINT).unwrap_or_else(|e| fail("zmq_bind", e));

    let wctx = ctx.clone();
    let worker = std::thread::spawn(move || {
        let s = wctx
            .socket(zmq::PUSH)
            .unwrap_or_else(|e| fail("zmq_socket", e));
        s.connect(ENDPOINT)
            .unwrap_or_else(|e| fail("zmq_connect", e));
        for _ in 0..count {
            let msg = zmq::Message::with_size(size);
            s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
        }
    });

    let mut msg = zmq::Message::new();
    let recv = |msg: &mut zmq::Message| {
        s.recv(msg, 0).unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if msg.len() != size {
            wrong_size();
        }
    };
    recv(&mut msg);
    let watch = Instant::now();
    let cpu_start = cpu_seconds();
    for _ in 1..count {
        recv(&mut msg);
    }
    let elapsed = watch.elapsed().as_micros() as u64;
    worker.join().unwrap_or_else(|_| fail("worker", "panicked"));

    print_thr(size, count, elapsed);
    print_cpu(cpu_start);
    drop(msg);
    drop(s);
    drop(ctx);
}
