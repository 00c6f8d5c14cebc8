//! PUB/SUB fan-out subscriber through the `zmq` crate (reference for `pubsub_sub`; same
//! protocol, options and output).
//!
//! usage: libzmq_pubsub_sub <connect-to> <sync-connect-to> <message-size> <message-count>

use benches::pubsub::{self, Kind};
use benches::{cpu_seconds, epoch_us, fail, number, positional, print_cpu, wrong_size};

const USAGE: &str = "pubsub_sub <connect-to> <sync-connect-to> <message-size> <message-count>";

fn main() {
    let args = positional(USAGE, 4);
    let size = number(USAGE, &args[2], false);
    let count = number(USAGE, &args[3], true);
    let hwm = pubsub::hwm() as i32;

    let ctx = zmq::Context::new();
    let sub = ctx
        .socket(zmq::SUB)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    sub.set_rcvhwm(hwm)
        .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    sub.connect(&args[0])
        .unwrap_or_else(|e| fail("zmq_connect", e));
    sub.set_subscribe(b"")
        .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    let sync = ctx
        .socket(zmq::PUSH)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    sync.set_linger(-1)
        .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    sync.connect(&args[1])
        .unwrap_or_else(|e| fail("zmq_connect", e));

    let (mut ready, mut received, mut first, mut cpu_start) = (false, 0, 0, 0.0);
    let mut msg = zmq::Message::new();
    let last = loop {
        sub.recv(&mut msg, 0)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        match pubsub::classify(&msg, size) {
            Kind::Probe if !ready => {
                ready = true;
                sync.send("ready", 0)
                    .unwrap_or_else(|e| fail("zmq_sendmsg", e));
            }
            Kind::Probe => {}
            Kind::Data => {
                received += 1;
                if received == 1 {
                    first = epoch_us();
                    cpu_start = cpu_seconds();
                }
                if received == count {
                    break epoch_us();
                }
            }
            Kind::End => break epoch_us(),
            Kind::Bad => wrong_size(),
        }
    };
    sync.send(format!("done {received}").as_bytes(), 0)
        .unwrap_or_else(|e| fail("zmq_sendmsg", e));
    pubsub::print_sub(size, received, first, last);
    print_cpu(cpu_start);
    drop(msg);
    drop(sub);
    drop(sync);
    drop(ctx);
}
