//! Memory of idle connections, server side, through the `zmq` crate (reference for
//! `router_idle`; same protocol and output).
//!
//! usage: libzmq_router_idle <bind-to> <connections>

use std::collections::HashSet;
use std::time::Duration;

use benches::{fail, number, positional, print_rss, raise_nofile_limit, vm_rss_kib};

const USAGE: &str = "router_idle <bind-to> <connections>";

fn main() {
    let args = positional(USAGE, 2);
    let n = number(USAGE, &args[1], true);
    raise_nofile_limit();

    let ctx = zmq::Context::new();
    let router = ctx
        .socket(zmq::ROUTER)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    router
        .set_linger(-1)
        .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    // The baseline is taken before binding, so no peer can have connected yet.
    std::thread::sleep(Duration::from_millis(50));
    let before = vm_rss_kib();
    router
        .bind(&args[0])
        .unwrap_or_else(|e| fail("zmq_bind", e));

    let mut seen = HashSet::with_capacity(n);
    let mut ids: Vec<Vec<u8>> = Vec::with_capacity(n);
    while ids.len() < n {
        let frames = router
            .recv_multipart(0)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if frames.len() == 2 && frames[1] == b"hello" && seen.insert(frames[0].clone()) {
            ids.push(frames[0].clone());
        }
    }
    std::thread::sleep(Duration::from_millis(50));
    let after = vm_rss_kib();

    println!("connections: {n}");
    print_rss("before", before);
    print_rss("after", after);
    for id in ids {
        router
            .send_multipart([id, b"bye".to_vec()], 0)
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
    }
    drop(router);
    drop(ctx);
}
