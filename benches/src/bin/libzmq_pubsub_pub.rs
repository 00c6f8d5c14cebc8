//! PUB/SUB fan-out publisher through the `zmq` crate (reference for `pubsub_pub`; same
//! protocol, options and output).
//!
//! usage: libzmq_pubsub_pub <bind-to> <sync-bind-to> <message-size> <message-count> <subscribers>

use std::time::Instant;

use benches::pubsub::{self, END, PROBE};
use benches::{cpu_seconds, fail, number, positional, print_cpu};

const USAGE: &str =
    "pubsub_pub <bind-to> <sync-bind-to> <message-size> <message-count> <subscribers>";

/// Parses a subscriber's `done <count>` report.
fn done_count(msg: &[u8]) -> Option<usize> {
    std::str::from_utf8(msg)
        .ok()?
        .strip_prefix("done ")?
        .parse()
        .ok()
}

/// Waits up to `timeout_ms` for a message on `s`.
fn recv_timeout(s: &zmq::Socket, timeout_ms: i64) -> Option<zmq::Message> {
    let n = s
        .poll(zmq::POLLIN, timeout_ms)
        .unwrap_or_else(|e| fail("zmq_poll", e));
    if n == 0 {
        return None;
    }
    let mut msg = zmq::Message::new();
    s.recv(&mut msg, 0)
        .unwrap_or_else(|e| fail("zmq_recvmsg", e));
    Some(msg)
}

fn main() {
    let args = positional(USAGE, 5);
    let size = number(USAGE, &args[2], false);
    let count = number(USAGE, &args[3], true);
    let subs = number(USAGE, &args[4], true);
    let hwm = pubsub::hwm() as i32;

    let ctx = zmq::Context::new();
    let publisher = ctx
        .socket(zmq::PUB)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    publisher
        .set_sndhwm(hwm)
        .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    publisher
        .set_linger(-1)
        .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    publisher
        .bind(&args[0])
        .unwrap_or_else(|e| fail("zmq_bind", e));
    let sync = ctx
        .socket(zmq::PULL)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    sync.bind(&args[1]).unwrap_or_else(|e| fail("zmq_bind", e));

    let probe = pubsub::control(size, PROBE);
    let mut ready = 0;
    while ready < subs {
        publisher
            .send(&probe[..], 0)
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
        if recv_timeout(&sync, 10).is_some() {
            ready += 1;
        }
    }

    let watch = Instant::now();
    let cpu_start = cpu_seconds();
    for _ in 0..count {
        let msg = zmq::Message::with_size(size);
        publisher
            .send(msg, 0)
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
    }
    let sent = watch.elapsed();

    let end = pubsub::control(size, END);
    let (mut done, mut delivered) = (0, 0);
    while done < subs {
        publisher
            .send(&end[..], 0)
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
        if let Some(m) = recv_timeout(&sync, 50) {
            let Some(n) = done_count(&m) else {
                fail("sync", "unexpected report")
            };
            done += 1;
            delivered += n;
        }
    }
    let elapsed = watch.elapsed();

    println!("message size: {size} [B]");
    println!("message count: {count}");
    println!("subscribers: {subs}");
    println!(
        "send rate: {} [msg/s]",
        (count as f64 / sent.as_secs_f64().max(1e-6)) as i64
    );
    println!("delivered: {delivered}");
    println!(
        "mean throughput: {} [msg/s]",
        (delivered as f64 / elapsed.as_secs_f64().max(1e-6)) as i64
    );
    print_cpu(cpu_start);
    // The subscribers have everything they count; do not wait for queued end markers.
    for s in [&publisher, &sync] {
        s.set_linger(0)
            .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    }
    drop(publisher);
    drop(sync);
    drop(ctx);
}
