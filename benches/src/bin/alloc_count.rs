//! Heap allocations per message on our hot path: PUSH → PULL in one process over tcp
//! (loopback) and inproc, for several message sizes, counted by a global allocator that
//! wraps the system allocator with atomic counters.
//!
//! The message body is a static slice (`Bytes::from_static`), so the application itself
//! allocates nothing per message and every counted allocation is the library's (or
//! tokio's). For each transport and size, after a warm-up, `message-count` messages are
//! counted in two ways:
//!
//! - together: a sender task and the receiving loop run concurrently (default
//!   high-water marks), as in `local_thr`/`remote_thr`;
//! - split (unlimited high-water marks): first the send loop alone (the messages pile up
//!   in the pipes while the connection's I/O may run whenever the sender yields), then the
//!   receive loop that drains them (writes, reads, decoding, delivery).
//!
//! It also counts REQ/REP roundtrips (`message-count / 10`, REP echoing on its own task).
//! `allocs` counts `alloc`, `alloc_zeroed` and `realloc` calls; `bytes` the sizes they
//! asked for. Prints markdown tables. The runtime follows `ZMTP_PERF_RUNTIME` as in the
//! other tools (default current-thread).
//!
//! usage: alloc_count [message-count]   (default 100000)

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use benches::{fail, run};
use zmtp_api::{Bytes, Context, Socket, SocketOption, SocketType};

/// Counts allocation calls and requested bytes, then defers to [`System`].
struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

fn count(bytes: usize) {
    ALLOCS.fetch_add(1, Ordering::Relaxed);
    BYTES.fetch_add(bytes as u64, Ordering::Relaxed);
}

// SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the only addition is updating two atomic counters, which neither
// allocates nor touches the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: same contract as our caller's (non-zero-size layout).
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` (through us) with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: `ptr` was allocated by `System` (through us) with `layout`; the caller
        // guarantees `new_size` is valid.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// (allocation calls, requested bytes) so far.
fn snapshot() -> (u64, u64) {
    (
        ALLOCS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    )
}

/// Per-message (allocs, bytes) since `start`.
fn per_msg(start: (u64, u64), n: usize) -> (f64, f64) {
    let now = snapshot();
    (
        (now.0 - start.0) as f64 / n as f64,
        (now.1 - start.1) as f64 / n as f64,
    )
}

static ZEROS: [u8; 65536] = [0; 65536];
const SIZES: [usize; 4] = [1, 32, 64, 1024];
const WARMUP: usize = 10_000;

/// A connected PUSH/PULL pair (PULL bound) over the transport, with the given HWM.
async fn pair(transport: &str, hwm: Option<usize>) -> (Socket, Socket) {
    let ctx = Context::new();
    let pull = ctx
        .socket(SocketType::Pull)
        .unwrap_or_else(|e| fail("socket", e));
    let push = ctx
        .socket(SocketType::Push)
        .unwrap_or_else(|e| fail("socket", e));
    if let Some(h) = hwm {
        pull.set_option(SocketOption::RcvHwm(h))
            .unwrap_or_else(|e| fail("set_option", e));
        push.set_option(SocketOption::SndHwm(h))
            .unwrap_or_else(|e| fail("set_option", e));
    }
    let ep = match transport {
        "tcp" => "tcp://127.0.0.1:*",
        _ => "inproc://alloc_count",
    };
    pull.bind(ep).unwrap_or_else(|e| fail("bind", e));
    let ep = pull
        .last_endpoint()
        .unwrap()
        .unwrap_or_else(|| fail("bind", "no endpoint"));
    push.connect(&ep).unwrap_or_else(|e| fail("connect", e));
    (push, pull)
}

async fn send_n(push: &Socket, body: &Bytes, n: usize) {
    for _ in 0..n {
        push.send(body.clone())
            .await
            .unwrap_or_else(|e| fail("send", e));
    }
}

async fn recv_n(pull: &Socket, size: usize, n: usize) {
    for _ in 0..n {
        let m = pull.recv().await.unwrap_or_else(|e| fail("recv", e));
        if m.len() != size {
            benches::wrong_size();
        }
    }
}

/// Sender task and receive loop together; (allocs, bytes) per message.
async fn together(transport: &str, size: usize, n: usize) -> (f64, f64) {
    let (push, pull) = pair(transport, None).await;
    let body = Bytes::from_static(&ZEROS[..size]);
    let (p, b) = (push.clone(), body.clone());
    let warm = tokio::spawn(async move { send_n(&p, &b, WARMUP).await });
    recv_n(&pull, size, WARMUP).await;
    warm.await.unwrap_or_else(|e| fail("task", e));

    let start = snapshot();
    let p = push.clone();
    let sender = tokio::spawn(async move { send_n(&p, &body, n).await });
    recv_n(&pull, size, n).await;
    sender.await.unwrap_or_else(|e| fail("task", e));
    let r = per_msg(start, n);
    push.close();
    pull.close();
    r
}

/// REQ/REP roundtrips (REP echoing on its own task); (allocs, bytes) per roundtrip.
async fn roundtrips(transport: &str, size: usize, n: usize) -> (f64, f64) {
    let ctx = Context::new();
    let rep = ctx
        .socket(SocketType::Rep)
        .unwrap_or_else(|e| fail("socket", e));
    let req = ctx
        .socket(SocketType::Req)
        .unwrap_or_else(|e| fail("socket", e));
    let ep = match transport {
        "tcp" => "tcp://127.0.0.1:*",
        _ => "inproc://alloc_count_lat",
    };
    rep.bind(ep).unwrap_or_else(|e| fail("bind", e));
    let ep = rep
        .last_endpoint()
        .unwrap()
        .unwrap_or_else(|| fail("bind", "no endpoint"));
    req.connect(&ep).unwrap_or_else(|e| fail("connect", e));
    let echo = tokio::spawn(async move {
        for _ in 0..WARMUP + n {
            let m = rep.recv().await.unwrap_or_else(|e| fail("recv", e));
            rep.send(m).await.unwrap_or_else(|e| fail("send", e));
        }
        rep
    });
    let body = Bytes::from_static(&ZEROS[..size]);
    let mut start = snapshot();
    for i in 0..WARMUP + n {
        if i == WARMUP {
            start = snapshot();
        }
        req.send(body.clone())
            .await
            .unwrap_or_else(|e| fail("send", e));
        let m = req.recv().await.unwrap_or_else(|e| fail("recv", e));
        if m.len() != size {
            benches::wrong_size();
        }
    }
    let r = per_msg(start, n);
    let rep = echo.await.unwrap_or_else(|e| fail("task", e));
    rep.close();
    req.close();
    r
}

/// Send loop, then receive loop (unlimited HWM); per-message (allocs, bytes) of each.
async fn split(transport: &str, size: usize, n: usize) -> ((f64, f64), (f64, f64)) {
    let (push, pull) = pair(transport, Some(0)).await;
    let body = Bytes::from_static(&ZEROS[..size]);
    send_n(&push, &body, WARMUP).await;
    recv_n(&pull, size, WARMUP).await;

    let start = snapshot();
    send_n(&push, &body, n).await;
    let sending = per_msg(start, n);
    let start = snapshot();
    recv_n(&pull, size, n).await;
    let receiving = per_msg(start, n);
    push.close();
    pull.close();
    (sending, receiving)
}

fn main() {
    let n = match std::env::args().nth(1) {
        None => 100_000,
        Some(a) => a
            .parse::<usize>()
            .ok()
            .filter(|&n| n > 0)
            .unwrap_or_else(|| {
                println!("usage: alloc_count [message-count]");
                std::process::exit(1)
            }),
    };
    let (rows, lat_rows) = run(async move {
        let mut rows = Vec::new();
        let mut lat_rows = Vec::new();
        for transport in ["tcp", "inproc"] {
            for size in SIZES {
                let t = together(transport, size, n).await;
                let (s, r) = split(transport, size, n).await;
                rows.push(format!(
                    "| {transport} | {size} | {:.3} | {:.0} | {:.3} | {:.3} |",
                    t.0, t.1, s.0, r.0
                ));
            }
            for size in [1, 1024] {
                let l = roundtrips(transport, size, (n / 10).max(1)).await;
                lat_rows.push(format!(
                    "| {transport} | {size} | {:.3} | {:.0} |",
                    l.0, l.1
                ));
            }
        }
        (rows, lat_rows)
    });
    println!("PUSH/PULL, {n} messages per cell after {WARMUP} warm-up:");
    println!();
    println!(
        "| transport | size | allocs/msg | bytes/msg | split: send loop allocs/msg | split: recv loop allocs/msg |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for r in rows {
        println!("{r}");
    }
    println!();
    println!(
        "REQ/REP, {} roundtrips per cell after {WARMUP} warm-up:",
        (n / 10).max(1)
    );
    println!();
    println!("| transport | size | allocs/roundtrip | bytes/roundtrip |");
    println!("|---|---:|---:|---:|");
    for r in lat_rows {
        println!("{r}");
    }
}
