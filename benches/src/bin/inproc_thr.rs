//! Port of libzmq's `perf/inproc_thr` on zmtp: in one process, a PULL socket bound to
//! `inproc://thr_test` receives `message-count` messages of `message-size` bytes from a
//! PUSH socket in the same context, sending on its own task (or, with
//! `ZMTP_PERF_API=blocking`, its own thread). The clock starts at the first message, as in
//! the original. Prints libzmq's four result lines plus `cpu: <s> [s]` (user + system CPU
//! of the whole process while the clock ran).
//!
//! usage: inproc_thr <message-size> <message-count>

use std::time::Instant;

use benches::{
    blocking_api, cpu_seconds, fail, number, positional, print_cpu, print_thr, run, wrong_size,
};
use zmtp_api::{Bytes, Context, Result, SocketType, blocking};

const ENDPOINT: &str = "inproc://thr_test";
const USAGE: &str = "inproc_thr <message-size> <message-count>";

fn check(size: usize, r: Result<Bytes>) {
    match r {
        Ok(m) if m.len() == size => {}
        Ok(_) => wrong_size(),
        Err(e) => fail("recv", e),
    }
}

fn main() {
    let args = positional(USAGE, 2);
    let size = number(USAGE, &args[0], false);
    let count = number(USAGE, &args[1], true);
    let (elapsed, cpu_start) = if blocking_api() {
        with_threads(size, count)
    } else {
        run(with_tasks(size, count))
    };
    print_thr(size, count, elapsed);
    print_cpu(cpu_start);
}

/// The async API: the sender is a task on the same runtime.
/// Returns the elapsed microseconds and the CPU seconds when the clock started.
async fn with_tasks(size: usize, count: usize) -> (u64, f64) {
    let ctx = Context::new();
    let pull = ctx
        .socket(SocketType::Pull)
        .unwrap_or_else(|e| fail("socket", e));
    pull.bind(ENDPOINT).unwrap_or_else(|e| fail("bind", e));

    let push = ctx
        .socket(SocketType::Push)
        .unwrap_or_else(|e| fail("socket", e));
    push.connect(ENDPOINT)
        .unwrap_or_else(|e| fail("connect", e));
    let sender = tokio::spawn(async move {
        let zeros = vec![0u8; size];
        for _ in 0..count {
            // A fresh message each time (copied, as OMQ.rs's tool does).
            let msg = zmtp_api::Message::copy_from_slice(&zeros);
            push.send(msg).await.unwrap_or_else(|e| fail("send", e));
        }
        // Closed by the receiver once everything arrived: closing an inproc PUSH with
        // more than one batch (512) still queued loses the rest (engine issue).
        push
    });

    check(size, pull.recv().await);
    let watch = Instant::now();
    let cpu_start = cpu_seconds();
    for _ in 1..count {
        check(size, pull.recv().await);
    }
    let elapsed = watch.elapsed().as_micros() as u64;
    let push = sender.await.unwrap_or_else(|e| fail("sender task", e));
    push.close();
    pull.close();
    (elapsed, cpu_start)
}

/// The blocking API: the sender is a second thread, as in the original.
/// Returns the elapsed microseconds and the CPU seconds when the clock started.
fn with_threads(size: usize, count: usize) -> (u64, f64) {
    let ctx = Context::new();
    let pull = blocking::Socket::from_async(
        ctx.socket(SocketType::Pull)
            .unwrap_or_else(|e| fail("socket", e)),
    );
    pull.bind(ENDPOINT).unwrap_or_else(|e| fail("bind", e));

    let push = blocking::Socket::from_async(
        ctx.socket(SocketType::Push)
            .unwrap_or_else(|e| fail("socket", e)),
    );
    let sender = std::thread::spawn(move || {
        push.connect(ENDPOINT)
            .unwrap_or_else(|e| fail("connect", e));
        let zeros = vec![0u8; size];
        for _ in 0..count {
            let msg = zmtp_api::Message::copy_from_slice(&zeros);
            push.send(msg).unwrap_or_else(|e| fail("send", e));
        }
        push
    });

    check(size, pull.recv());
    let watch = Instant::now();
    let cpu_start = cpu_seconds();
    for _ in 1..count {
        check(size, pull.recv());
    }
    let elapsed = watch.elapsed().as_micros() as u64;
    let push = sender
        .join()
        .unwrap_or_else(|_| fail("sender thread", "panicked"));
    push.close();
    pull.close();
    (elapsed, cpu_start)
}
