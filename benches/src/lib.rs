//! Shared helpers for the perf tools in `src/bin` (ports of libzmq's `perf/` programs).
//!
//! The tools keep libzmq's command lines and output lines so that results can be compared
//! line by line (see `benches/compare.sh`). `benches/extra.sh` runs the other tools
//! (inproc throughput and latency, PUB/SUB fan-out, idle-connection memory, allocations
//! per message) beside their `libzmq_*` twins.

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

/// With `ZMTP_PERF_MONITOR=1`, attaches a monitor (every event) to an async socket and
/// drains it in a task, to measure what a monitored socket costs; otherwise nothing.
/// Call it inside the runtime, right after creating the socket.
pub fn maybe_monitor(s: &zmtp_api::Socket) {
    if std::env::var("ZMTP_PERF_MONITOR").ok().as_deref() != Some("1") {
        return;
    }
    use futures::StreamExt;
    let mut events = s.monitor_events(zmtp_api::monitor::EventMask::ALL);
    tokio::spawn(async move { while events.next().await.is_some() {} });
}

/// True when `ZMTP_PERF_API=blocking`: the tools then use [`zmtp_api::blocking::Socket`]
/// with no tokio runtime of their own (the sockets' I/O runs on zmtp's internal I/O
/// thread). Unset or `async`: the async [`zmtp_api::Socket`] on the runtime of [`run`].
pub fn blocking_api() -> bool {
    match std::env::var("ZMTP_PERF_API").unwrap_or_default().as_str() {
        "" | "async" => false,
        "blocking" => true,
        other => fail("ZMTP_PERF_API", format!("unknown api {other:?}")),
    }
}

/// The zmq_curve(7) test key pairs every implementation's perf tools use with
/// `ZMTP_PERF_CURVE=1` (Z85), so that any tool can pair with any other's.
pub mod curve_keys {
    /// The server's public key.
    pub const SERVER_PUBLIC: &str = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    /// The server's secret key.
    pub const SERVER_SECRET: &str = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";
    /// The client's public key.
    pub const CLIENT_PUBLIC: &str = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
    /// The client's secret key.
    pub const CLIENT_SECRET: &str = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs";
}

/// True when `ZMTP_PERF_CURVE=1`: the binding side is a CURVE server and the connecting
/// side a CURVE client, with the [`curve_keys`]. Unset, empty or `0`: NULL.
pub fn curve_enabled() -> bool {
    match std::env::var("ZMTP_PERF_CURVE")
        .unwrap_or_default()
        .as_str()
    {
        "" | "0" => false,
        "1" => true,
        other => fail("ZMTP_PERF_CURVE", format!("{other:?} is not 0 or 1")),
    }
}

/// Which end of a CURVE connection a tool is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CurveRole {
    /// The binding side.
    Server,
    /// The connecting side.
    Client,
}

/// The socket options that make a tool's socket the given CURVE end with the fixed
/// [`curve_keys`] when [`curve_enabled`]; none otherwise. Set them before bind / connect.
pub fn curve_options(role: CurveRole) -> Vec<zmtp_api::SocketOption> {
    use zmtp_api::{CurvePublicKey, CurveSecretKey, SocketOption};
    if !curve_enabled() {
        return Vec::new();
    }
    let public =
        |z: &str| CurvePublicKey::parse(z.as_bytes()).unwrap_or_else(|e| fail("curve key", e));
    let secret =
        |z: &str| CurveSecretKey::parse(z.as_bytes()).unwrap_or_else(|e| fail("curve key", e));
    match role {
        CurveRole::Server => vec![
            SocketOption::CurveServer(true),
            SocketOption::CurveSecretKey(secret(curve_keys::SERVER_SECRET)),
        ],
        CurveRole::Client => vec![
            SocketOption::CurveServerKey(public(curve_keys::SERVER_PUBLIC)),
            SocketOption::CurvePublicKey(public(curve_keys::CLIENT_PUBLIC)),
            SocketOption::CurveSecretKey(secret(curve_keys::CLIENT_SECRET)),
        ],
    }
}

/// Applies [`curve_options`] to a socket through `set` (the async or the blocking
/// socket's `set_option`), exiting with a message on an error.
pub fn apply_curve<E: std::fmt::Display>(
    role: CurveRole,
    mut set: impl FnMut(zmtp_api::SocketOption) -> Result<(), E>,
) {
    for opt in curve_options(role) {
        set(opt).unwrap_or_else(|e| fail("set_option (curve)", e));
    }
}

/// A sender's next message of `size` bytes: by default a fresh copy of `template` per
/// message (small bodies through the per-thread arena of [`zmtp_api::Message::copy_from_slice`],
/// as OMQ.rs's tools copy with `Message::from_slice`); with `ZMTP_PERF_SHARED_BODY=1`, a
/// clone of one shared `Bytes` (zero-copy: what an application that already owns its
/// payload as `Bytes` pays).
pub struct Bodies {
    template: Vec<u8>,
    shared: Option<zmtp_api::Bytes>,
}

impl Bodies {
    /// Bodies of `size` zero bytes, in the mode `ZMTP_PERF_SHARED_BODY` selects.
    pub fn new(size: usize) -> Bodies {
        let template = vec![0u8; size];
        let shared = match std::env::var("ZMTP_PERF_SHARED_BODY")
            .unwrap_or_default()
            .as_str()
        {
            "" | "0" => None,
            _ => Some(zmtp_api::Bytes::from(template.clone())),
        };
        Bodies { template, shared }
    }

    /// The next message.
    pub fn next(&self) -> zmtp_api::Message {
        match &self.shared {
            Some(b) => zmtp_api::Message::from(b.clone()),
            None => zmtp_api::Message::copy_from_slice(&self.template),
        }
    }
}

/// Returns exactly `count` positional arguments, printing
/// `usage` and exiting with status 1 when the count is wrong.
pub fn positional(usage: &str, count: usize) -> Vec<String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != count {
        println!("usage: {usage}");
        process::exit(1);
    }
    args
}

/// Parses a number argument, printing `usage` and exiting with status 1 when it is not one
/// (or is zero and `nonzero` is set).
pub fn number(usage: &str, arg: &str, nonzero: bool) -> usize {
    match arg.parse::<usize>() {
        Ok(n) if n > 0 || !nonzero => n,
        _ => {
            println!("usage: {usage}");
            process::exit(1);
        }
    }
}

/// User plus system CPU time of the whole process so far (all threads, including
/// finished ones), in seconds, from `getrusage(RUSAGE_SELF)`.
pub fn cpu_seconds() -> f64 {
    let mut ru = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `ru` points to writable memory of the right type and size; getrusage only
    // writes into it. RUSAGE_SELF is always a valid `who`.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, ru.as_mut_ptr()) };
    if rc != 0 {
        return f64::NAN;
    }
    // SAFETY: zero-initialised (a valid `rusage`) and filled in by a successful getrusage.
    let ru = unsafe { ru.assume_init() };
    let secs = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    secs(ru.ru_utime) + secs(ru.ru_stime)
}

/// Prints `cpu: <s> [s]`: the process's user + system CPU seconds ([`cpu_seconds`]) since
/// `start` (an earlier [`cpu_seconds`] value; 0.0 for the whole life of the process).
pub fn print_cpu(start: f64) {
    println!("cpu: {:.6} [s]", cpu_seconds() - start);
}

/// The process's resident set size (`VmRSS` of `/proc/self/status`) in KiB, if readable.
pub fn vm_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Raises the soft `RLIMIT_NOFILE` to the hard limit (many connections need many fds);
/// returns the soft limit now in force.
pub fn raise_nofile_limit() -> libc::rlim_t {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is a valid, writable rlimit; getrlimit only writes into it.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
        return 0;
    }
    if lim.rlim_cur < lim.rlim_max {
        let raised = libc::rlimit {
            rlim_cur: lim.rlim_max,
            rlim_max: lim.rlim_max,
        };
        // SAFETY: `raised` is a valid rlimit read by setrlimit; raising the soft limit up
        // to the hard limit needs no privilege.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            return raised.rlim_cur;
        }
    }
    lim.rlim_cur
}

/// Microseconds since the Unix epoch (wall clock; comparable between processes on one
/// machine).
pub fn epoch_us() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// The PUB/SUB fan-out tools' control messages. Data messages are exactly `size` bytes;
/// control messages are `size + 1` bytes starting with a tag byte, so they can never be
/// mistaken for data whatever the size.
pub mod pubsub {
    /// Tag of the probe the publisher repeats until every subscriber has seen one.
    pub const PROBE: u8 = b'P';
    /// Tag of the end marker that follows the data.
    pub const END: u8 = b'E';

    /// A control message with the given tag for data messages of `size` bytes.
    pub fn control(size: usize, tag: u8) -> Vec<u8> {
        let mut v = vec![0u8; size + 1];
        v[0] = tag;
        v
    }

    /// What a subscriber received.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Kind {
        /// A data message.
        Data,
        /// A probe.
        Probe,
        /// The end marker.
        End,
        /// Anything else (a size mismatch).
        Bad,
    }

    /// Classifies a received single-frame body for data messages of `size` bytes.
    pub fn classify(body: &[u8], size: usize) -> Kind {
        if body.len() == size {
            Kind::Data
        } else if body.len() == size + 1 && body[0] == PROBE {
            Kind::Probe
        } else if body.len() == size + 1 && body[0] == END {
            Kind::End
        } else {
            Kind::Bad
        }
    }

    /// The high-water mark the fan-out tools set on PUB, SUB and the sync sockets, from
    /// `PUBSUB_HWM` (default 0 = unlimited, so that nothing is dropped).
    pub fn hwm() -> usize {
        std::env::var("PUBSUB_HWM")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    /// Prints the subscriber's result lines (parsed by `benches/extra.sh`): received data
    /// messages, wall-clock times of the first and the last delivery, and its own rate.
    pub fn print_sub(size: usize, received: usize, first_us: u64, last_us: u64) {
        let span = last_us.saturating_sub(first_us).max(1) as f64;
        println!("message size: {size} [B]");
        println!("received: {received}");
        println!("first: {first_us} [us since epoch]");
        println!("last: {last_us} [us since epoch]");
        println!(
            "mean throughput: {} [msg/s]",
            (received as f64 / span * 1e6) as i64
        );
    }
}

/// Prints the idle-connection tools' memory lines: `rss before: <KiB> [KiB]` and
/// `rss after: <KiB> [KiB]` (`n/a` when `/proc` is unreadable).
pub fn print_rss(label: &str, kib: Option<u64>) {
    match kib {
        Some(k) => println!("rss {label}: {k} [KiB]"),
        None => println!("rss {label}: n/a [KiB]"),
    }
}

#[cfg(test)]
mod tests {
    use super::curve_keys::*;
    use zmtp_api::{CurvePublicKey, CurveSecretKey};

    #[test]
    fn curve_test_keys_are_pairs() {
        for (public, secret) in [
            (SERVER_PUBLIC, SERVER_SECRET),
            (CLIENT_PUBLIC, CLIENT_SECRET),
        ] {
            let p = CurvePublicKey::parse(public.as_bytes()).unwrap();
            let s = CurveSecretKey::parse(secret.as_bytes()).unwrap();
            assert_eq!(s.public_key(), p);
        }
    }
}
