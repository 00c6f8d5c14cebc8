//! PUB/SUB fan-out, publisher side (the classic "synchronized publisher"): binds a PUB
//! socket and a PULL sync socket, publishes probes until each of `subscribers`
//! subscribers has reported (over the sync socket) that it sees them, then publishes
//! `message-count` messages of `message-size` bytes followed by end markers (repeated until
//! every subscriber has reported its received count). High-water marks come from
//! `PUBSUB_HWM` (default 0 = unlimited, so that nothing is dropped).
//!
//! Prints `message size`, `message count`, `subscribers`, `send rate: <msg/s>` (the PUB
//! side alone), `delivered: <total>` (sum of the subscribers' counts),
//! `mean throughput: <msg/s>` (delivered / time from the first send to the last report)
//! and `cpu: <s> [s]` (CPU of the process from the first data message on).
//!
//! usage: pubsub_pub <bind-to> <sync-bind-to> <message-size> <message-count> <subscribers>

use std::time::{Duration, Instant};

use benches::pubsub::{self, END, PROBE};
use benches::{cpu_seconds, fail, number, positional, print_cpu, run};
use zmtp_api::{Bytes, Socket, SocketOption, SocketType};

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

fn main() {
    let args = positional(USAGE, 5);
    let size = number(USAGE, &args[2], false);
    let count = number(USAGE, &args[3], true);
    let subs = number(USAGE, &args[4], true);
    let hwm = pubsub::hwm();
    run(async move {
        let publisher = Socket::new(SocketType::Pub).unwrap_or_else(|e| fail("socket", e));
        for opt in [SocketOption::SndHwm(hwm), SocketOption::Linger(-1)] {
            publisher
                .set_option(opt)
                .unwrap_or_else(|e| fail("set_option", e));
        }
        publisher.bind(&args[0]).unwrap_or_else(|e| fail("bind", e));
        let sync = Socket::new(SocketType::Pull).unwrap_or_else(|e| fail("socket", e));
        sync.bind(&args[1]).unwrap_or_else(|e| fail("bind", e));

        // Probe until every subscriber saw a probe (so its subscription is in place).
        let probe = Bytes::from(pubsub::control(size, PROBE));
        let mut ready = 0;
        while ready < subs {
            publisher
                .send(probe.clone())
                .await
                .unwrap_or_else(|e| fail("send", e));
            match tokio::time::timeout(Duration::from_millis(10), sync.recv()).await {
                Ok(Ok(_)) => ready += 1,
                Ok(Err(e)) => fail("recv", e),
                Err(_) => {}
            }
        }

        let zeros = vec![0u8; size];
        let watch = Instant::now();
        let cpu_start = cpu_seconds();
        for _ in 0..count {
            // A fresh message each time (copied, as OMQ.rs's tool does).
            let msg = zmtp_api::Message::copy_from_slice(&zeros);
            publisher
                .send(msg)
                .await
                .unwrap_or_else(|e| fail("send", e));
        }
        let sent = watch.elapsed();

        let end = Bytes::from(pubsub::control(size, END));
        let (mut done, mut delivered) = (0, 0);
        while done < subs {
            publisher
                .send(end.clone())
                .await
                .unwrap_or_else(|e| fail("send", e));
            match tokio::time::timeout(Duration::from_millis(50), sync.recv()).await {
                Ok(Ok(m)) => {
                    let Some(n) = done_count(&m) else {
                        fail("sync", "unexpected report")
                    };
                    done += 1;
                    delivered += n;
                }
                Ok(Err(e)) => fail("recv", e),
                Err(_) => {}
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
            s.set_option(SocketOption::Linger(0))
                .unwrap_or_else(|e| fail("set_option", e));
            s.close();
        }
    });
}
