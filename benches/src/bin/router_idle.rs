//! Memory of idle connections, server side: binds a ROUTER socket, waits until
//! `connections` distinct peers have each sent `hello` (see `dealer_idle`), and prints the
//! process's resident set size (VmRSS) just before binding and with all connections, then
//! answers every peer with `bye` so that the dealers can exit.
//!
//! Prints `connections: <n>`, `rss before: <KiB> [KiB]`, `rss after: <KiB> [KiB]`.
//!
//! usage: router_idle <bind-to> <connections>

use std::collections::HashSet;
use std::time::Duration;

use benches::{fail, number, positional, print_rss, raise_nofile_limit, run, vm_rss_kib};
use zmtp_api::{Bytes, Socket, SocketOption, SocketType};

const USAGE: &str = "router_idle <bind-to> <connections>";

fn main() {
    let args = positional(USAGE, 2);
    let n = number(USAGE, &args[1], true);
    raise_nofile_limit();
    run(async move {
        let router = Socket::new(SocketType::Router).unwrap_or_else(|e| fail("socket", e));
        router
            .set_option(SocketOption::Linger(-1))
            .unwrap_or_else(|e| fail("set_option", e));
        // The baseline is taken before binding, so no peer can have connected yet.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let before = vm_rss_kib();
        router.bind(&args[0]).unwrap_or_else(|e| fail("bind", e));

        let mut seen = HashSet::with_capacity(n);
        let mut ids: Vec<Bytes> = Vec::with_capacity(n);
        while ids.len() < n {
            let frames = router
                .recv_multipart()
                .await
                .unwrap_or_else(|e| fail("recv", e));
            if frames.len() == 2 && frames[1] == "hello" && seen.insert(frames[0].clone()) {
                ids.push(frames[0].clone());
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let after = vm_rss_kib();

        println!("connections: {n}");
        print_rss("before", before);
        print_rss("after", after);
        for id in ids {
            router
                .send_multipart([id, Bytes::from_static(b"bye")])
                .await
                .unwrap_or_else(|e| fail("send", e));
        }
        router.close_and_flush().await;
    });
}
