//! libzmq's `perf/remote_thr` through the `zmq` crate (reference for `remote_thr`).
//! Linger is set to -1 explicitly so that no message is lost when the sender exits.
//!
//! usage: libzmq_remote_thr <connect-to> <message-size> <message-count>

use benches::{fail, parse_args};

fn main() {
    let args = parse_args("remote_thr <connect-to> <message-size> <message-count>");
    let size = args.message_size;

    let ctx = zmq::Context::new();
    let s = ctx
        .socket(zmq::PUSH)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.set_linger(-1)
        .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    s.connect(&args.endpoint)
        .unwrap_or_else(|e| fail("zmq_connect", e));

    for _ in 0..args.count {
        let msg = zmq::Message::with_size(size);
        s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
    }

    // Same optional grace period as `remote_thr` (ZMTP_PERF_SENDER_GRACE_MS).
    if let Some(grace) = benches::sender_grace() {
        std::thread::sleep(grace);
    }

    // zmq_close, then zmq_ctx_term blocks until everything queued has been sent.
    drop(s);
    drop(ctx);
    benches::print_cpu(0.0);
}
