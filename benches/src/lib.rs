//! Shared helpers for the perf tools in `src/bin` (ports of libzmq's `perf/` programs).
//!
//! The tools keep libzmq's command lines and output lines so that results can be compared
//! line by line (see `benches/compare.sh`).

use std::future::Future;
use std::process;

/// Arguments common to all perf tools: `<endpoint> <message-size> <count>`.
#[derive(Clone, Debug)]
pub struct PerfArgs {
    /// Endpoint to bind to or connect to.
    pub endpoint: String,
    /// Message size in bytes.
    pub message_size: usize,
    /// Message count (throughput) or roundtrip count (latency).
    pub count: usize,
}

/// Parses `<endpoint> <message-size> <count>`; prints `usage` and exits with status 1 when
/// the arguments do not fit (like libzmq's tools).
pub fn parse_args(usage: &str) -> PerfArgs {
    fn bad(usage: &str) -> ! {
        println!("usage: {usage}");
        process::exit(1);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 3 {
        bad(usage);
    }
    let Ok(message_size) = args[1].parse::<usize>() else {
        bad(usage)
    };
    let Ok(count) = args[2].parse::<usize>() else {
        bad(usage)
    };
    if count == 0 {
        bad(usage);
    }
    PerfArgs {
        endpoint: args[0].clone(),
        message_size,
        count,
    }
}

/// Prints `error in <what>: <err>` and exits with status 1.
pub fn fail(what: &str, err: impl std::fmt::Display) -> ! {
    println!("error in {what}: {err}");
    process::exit(1);
}

/// Prints libzmq's size-mismatch message and exits with status 1.
pub fn wrong_size() -> ! {
    println!("message of incorrect size received");
    process::exit(1);
}

/// Prints the four result lines of libzmq's `local_thr`.
pub fn print_thr(message_size: usize, message_count: usize, elapsed_us: u64) {
    let elapsed = elapsed_us.max(1) as f64;
    let throughput = message_count as f64 / elapsed * 1_000_000.0;
    let megabits = throughput * message_size as f64 * 8.0 / 1_000_000.0;
    println!("message size: {message_size} [B]");
    println!("message count: {message_count}");
    println!("mean throughput: {} [msg/s]", throughput as i64);
    println!("mean throughput: {megabits:.3} [Mb/s]");
}

/// Prints the three result lines of libzmq's `remote_lat` (one-way latency).
pub fn print_lat(message_size: usize, roundtrip_count: usize, elapsed_us: u64) {
    let latency = elapsed_us as f64 / (roundtrip_count as f64 * 2.0);
    println!("message size: {message_size} [B]");
    println!("roundtrip count: {roundtrip_count}");
    println!("average latency: {latency:.3} [us]");
}

/// Runs `fut` on a tokio runtime chosen by the environment:
///
/// - `ZMTP_PERF_RUNTIME=current` (default: a current-thread runtime, one thread per
///   process like libzmq's application thread plus I/O thread pair on a 2-core machine) or
///   `multi` (multi-thread runtime);
/// - `ZMTP_PERF_THREADS=N`: worker threads of the multi-thread runtime (default: tokio's).
pub fn run<F: Future>(fut: F) -> F::Output {
    let flavor = std::env::var("ZMTP_PERF_RUNTIME").unwrap_or_default();
    let mut builder = match flavor.as_str() {
        "" | "current" | "current_thread" => tokio::runtime::Builder::new_current_thread(),
        "multi" | "multi_thread" => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            if let Some(n) = std::env::var("ZMTP_PERF_THREADS")
                .ok()
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|&n| n > 0)
            {
                b.worker_threads(n);
            }
            b
        }
        other => fail("ZMTP_PERF_RUNTIME", format!("unknown runtime {other:?}")),
    };
    let rt = builder
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail("runtime", e));
    rt.block_on(fut)
}

/// The sender's grace period before closing, from `ZMTP_PERF_SENDER_GRACE_MS` (unset or 0:
/// none).
pub fn sender_grace() -> Option<std::time::Duration> {
    std::env::var("ZMTP_PERF_SENDER_GRACE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|&ms| ms > 0)
        .map(std::time::Duration::from_millis)
}
