//! Port of libzmq's `perf/inproc_lat` on zmtp: in one process, a REQ socket bound to
//! `inproc://lat_test` sends `roundtrip-count` requests of `message-size` bytes one after
//! the other to a REP socket in the same context that echoes them from its own task (or,
//! with `ZMTP_PERF_API=blocking`, its own thread). Prints libzmq's three result lines
//! (average one-way latency = elapsed / (2 * roundtrip-count)).
//!
//! usage: inproc_lat <message-size> <roundtrip-count>

use std::time::Instant;

use benches::{blocking_api, fail, number, positional, print_lat, run, wrong_size};
use zmtp_api::{Bytes, Context, SocketType, blocking};

const ENDPOINT: &str = "inproc://lat_test";
const USAGE: &str = "inproc_lat <message-size> <roundtrip-count>";

fn main() {
    let args = positional(USAGE, 2);
    let size = number(USAGE, &args[0], false);
    let count = number(USAGE, &args[1], true);
    let elapsed = if blocking_api() {
        with_threads(size, count)
    } else {
        run(with_tasks(size, count))
    };
    print_lat(size, count, elapsed);
}

/// The async API: the REP side is a task on the same runtime.
async fn with_tasks(size: usize, count: usize) -> u64 {
    let ctx = Context::new();
    let req = ctx
        .socket(SocketType::Req)
        .unwrap_or_else(|e| fail("socket", e));
    req.bind(ENDPOINT).unwrap_or_else(|e| fail("bind", e));

    let rep = ctx
        .socket(SocketType::Rep)
        .unwrap_or_else(|e| fail("socket", e));
    rep.connect(ENDPOINT).unwrap_or_else(|e| fail("connect", e));
    let echo = tokio::spawn(async move {
        for _ in 0..count {
            let msg = rep.recv().await.unwrap_or_else(|e| fail("recv", e));
            if msg.len() != size {
                wrong_size();
            }
            rep.send(msg).await.unwrap_or_else(|e| fail("send", e));
        }
        rep.close();
    });

    let mut msg = Bytes::from(vec![0u8; size]);
    let watch = Instant::now();
    for _ in 0..count {
        req.send(msg).await.unwrap_or_else(|e| fail("send", e));
        msg = req.recv().await.unwrap_or_else(|e| fail("recv", e));
        if msg.len() != size {
            wrong_size();
        }
    }
    let elapsed = watch.elapsed().as_micros() as u64;
    echo.await.unwrap_or_else(|e| fail("echo task", e));
    req.close();
    elapsed
}

/// The blocking API: the REP side is a second thread, as in the original.
fn with_threads(size: usize, count: usize) -> u64 {
    let ctx = Context::new();
    let req = blocking::Socket::from_async(
        ctx.socket(SocketType::Req)
            .unwrap_or_else(|e| fail("socket", e)),
    );
    req.bind(ENDPOINT).unwrap_or_else(|e| fail("bind", e));

    let rep = blocking::Socket::from_async(
        ctx.socket(SocketType::Rep)
            .unwrap_or_else(|e| fail("socket", e)),
    );
    let echo = std::thread::spawn(move || {
        rep.connect(ENDPOINT).unwrap_or_else(|e| fail("connect", e));
        for _ in 0..count {
            let msg = rep.recv().unwrap_or_else(|e| fail("recv", e));
            if msg.len() != size {
                wrong_size();
            }
            rep.send(msg).unwrap_or_else(|e| fail("send", e));
        }
        rep.close();
    });

    let mut msg = Bytes::from(vec![0u8; size]);
    let watch = Instant::now();
    for _ in 0..count {
        req.send(msg).unwrap_or_else(|e| fail("send", e));
        msg = req.recv().unwrap_or_else(|e| fail("recv", e));
        if msg.len() != size {
            wrong_size();
        }
    }
    let elapsed = watch.elapsed().as_micros() as u64;
    echo.join()
        .unwrap_or_else(|_| fail("echo thread", "panicked"));
    req.close();
    elapsed
}
