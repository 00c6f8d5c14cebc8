//! Memory of idle connections, client side, through the `zmq` crate (reference for
//! `dealer_idle`): one context with `connections` DEALER sockets. libzmq's default
//! ZMQ_MAX_SOCKETS (1023) caps `connections`.
//!
//! usage: libzmq_dealer_idle <connect-to> <connections>

use benches::{fail, number, positional, print_rss, raise_nofile_limit, vm_rss_kib};

const USAGE: &str = "dealer_idle <connect-to> <connections>";

fn main() {
    let args = positional(USAGE, 2);
    let n = number(USAGE, &args[1], true);
    raise_nofile_limit();

    let before = vm_rss_kib();
    let ctx = zmq::Context::new();
    let mut dealers = Vec::with_capacity(n);
    for _ in 0..n {
        let s = ctx
            .socket(zmq::DEALER)
            .unwrap_or_else(|e| fail("zmq_socket", e));
        s.connect(&args[0])
            .unwrap_or_else(|e| fail("zmq_connect", e));
        s.send("hello", 0)
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
        dealers.push(s);
    }
    for s in &dealers {
        let msg = s.recv_bytes(0).unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if msg != b"bye" {
            fail("zmq_recvmsg", "unexpected message");
        }
    }
    let after = vm_rss_kib();
    println!("connections: {n}");
    print_rss("before", before);
    print_rss("after", after);
    for s in &dealers {
        s.set_linger(0)
            .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    }
    drop(dealers);
    drop(ctx);
}
