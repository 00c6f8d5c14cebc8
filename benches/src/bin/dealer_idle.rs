//! Memory of idle connections, client side (see `router_idle`): opens `connections` DEALER
//! sockets, each connected once to the ROUTER and saying `hello`, waits for every `bye`,
//! and prints its own VmRSS before and with all the connections
//! (`rss before: <KiB> [KiB]`, `rss after: <KiB> [KiB]`).
//!
//! usage: dealer_idle <connect-to> <connections>

use benches::{fail, number, positional, print_rss, raise_nofile_limit, run, vm_rss_kib};
use zmtp_api::{Socket, SocketType};

const USAGE: &str = "dealer_idle <connect-to> <connections>";

fn main() {
    let args = positional(USAGE, 2);
    let n = number(USAGE, &args[1], true);
    raise_nofile_limit();
    run(async move {
        let before = vm_rss_kib();
        let mut dealers = Vec::with_capacity(n);
        for _ in 0..n {
            let s = Socket::new(SocketType::Dealer).unwrap_or_else(|e| fail("socket", e));
            s.connect(&args[0]).unwrap_or_else(|e| fail("connect", e));
            s.send("hello").await.unwrap_or_else(|e| fail("send", e));
            dealers.push(s);
        }
        for s in &dealers {
            let msg = s.recv().await.unwrap_or_else(|e| fail("recv", e));
            if msg != "bye" {
                fail("recv", "unexpected message");
            }
        }
        let after = vm_rss_kib();
        println!("connections: {n}");
        print_rss("before", before);
        print_rss("after", after);
        for s in &dealers {
            s.close();
        }
    });
}
