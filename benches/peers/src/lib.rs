//! Shared helpers for the peer perf tools in `src/bin`: the same command lines and output
//! lines as libzmq's `perf/` programs (and as the main workspace's `benches` tools), so
//! that `benches/compare.sh` can run every implementation the same way.
//!
//! - `omq_*`: OMQ.rs (`omq-tokio`; `ZMTP_PERF_CURVE=1`: CURVE, see [`omq_options`]);
//! - `zmqrs_*`: zmq.rs (`zeromq`) on a current-thread tokio runtime;
//! - `raw_*`: plain std TCP / Unix sockets with length-prefixed messages (the ceiling).

use std::io::{self, BufRead, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::os::unix::net::{UnixListener, UnixStream};
use std::process;
use std::time::Duration;

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

/// Reads a non-negative millisecond count from the environment (unset, empty or 0: None).
pub fn env_ms(name: &str) -> Option<Duration> {
    let v = std::env::var(name).ok()?;
    if v.is_empty() {
        return None;
    }
    match v.parse::<u64>() {
        Ok(0) => None,
        Ok(ms) => Some(Duration::from_millis(ms)),
        Err(e) => fail(name, format!("{v:?} is not a millisecond count: {e}")),
    }
}

/// The sender's grace period before closing, from `ZMTP_PERF_SENDER_GRACE_MS` (unset or 0:
/// none), as in the main workspace's tools.
pub fn sender_grace() -> Option<Duration> {
    env_ms("ZMTP_PERF_SENDER_GRACE_MS")
}

/// How the `omq_*` tools drive OMQ.rs, from `ZMTP_PERF_OMQ_MODE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OmqMode {
    /// `blocking` (default): `Context::new()` (one OMQ-owned I/O thread, the libzmq-like
    /// default) and `blocking::Socket`s used from the main thread, like libzmq's tools.
    Blocking,
    /// `async`: `Socket::new` on the current-thread tokio runtime of
    /// `ContextConfig::build_runtime()` (documented for benchmarks: no `Context`
    /// background thread; one thread, like our own tools' default).
    Async,
}

/// Reads `ZMTP_PERF_OMQ_MODE` (`blocking`, the default, or `async`).
pub fn omq_mode() -> OmqMode {
    match std::env::var("ZMTP_PERF_OMQ_MODE")
        .unwrap_or_default()
        .as_str()
    {
        "" | "blocking" => OmqMode::Blocking,
        "async" => OmqMode::Async,
        other => fail(
            "ZMTP_PERF_OMQ_MODE",
            format!("unknown mode {other:?} (blocking or async)"),
        ),
    }
}

/// The zmq_curve(7) test key pairs every implementation's perf tools use with
/// `ZMTP_PERF_CURVE=1` (Z85; the same as in the main workspace's `benches` crate).
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

/// `options` made the given CURVE end with the [`curve_keys`] when [`curve_enabled`]
/// (OMQ.rs's `curve` feature), unchanged otherwise.
pub fn omq_options(role: CurveRole, options: omq_tokio::Options) -> omq_tokio::Options {
    use omq_tokio::{CurveKeypair, CurvePublicKey, CurveSecretKey};
    if !curve_enabled() {
        return options;
    }
    let public = |z: &str| CurvePublicKey::from_z85(z).unwrap_or_else(|e| fail("curve key", e));
    let secret = |z: &str| CurveSecretKey::from_z85(z).unwrap_or_else(|e| fail("curve key", e));
    match role {
        CurveRole::Server => options.curve_server(CurveKeypair {
            public: public(curve_keys::SERVER_PUBLIC),
            secret: secret(curve_keys::SERVER_SECRET),
        }),
        CurveRole::Client => options.curve_client(
            CurveKeypair {
                public: public(curve_keys::CLIENT_PUBLIC),
                secret: secret(curve_keys::CLIENT_SECRET),
            },
            public(curve_keys::SERVER_PUBLIC),
        ),
    }
}

/// A current-thread tokio runtime (with I/O and timers), or exit with a message.
pub fn current_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail("runtime", e))
}

// ------------------------------------------------------------------ raw sockets

/// Buffer size of the raw throughput tools' `BufReader` / `BufWriter`.
pub const RAW_BUF: usize = 256 * 1024;

/// A parsed raw endpoint: `tcp://host:port` or `ipc:///path`.
#[derive(Clone, Debug)]
pub enum RawEndpoint {
    /// TCP address (`*` as host means all interfaces when binding, loopback when
    /// connecting).
    Tcp(String),
    /// Unix-domain socket path.
    Ipc(String),
}

impl RawEndpoint {
    /// Parses `tcp://host:port` or `ipc://path`; exits with a message on anything else.
    pub fn parse(endpoint: &str) -> RawEndpoint {
        if let Some(rest) = endpoint.strip_prefix("tcp://") {
            RawEndpoint::Tcp(rest.to_string())
        } else if let Some(rest) = endpoint.strip_prefix("ipc://") {
            if rest.is_empty() {
                fail("endpoint", format!("{endpoint:?}: empty ipc path"));
            }
            RawEndpoint::Ipc(rest.to_string())
        } else {
            fail(
                "endpoint",
                format!("{endpoint:?}: only tcp://host:port and ipc://path are supported"),
            )
        }
    }

    fn tcp_addr(addr: &str, bind: bool) -> SocketAddr {
        let addr = match addr.strip_prefix("*:") {
            Some(port) if bind => format!("0.0.0.0:{port}"),
            Some(port) => format!("127.0.0.1:{port}"),
            None => addr.to_string(),
        };
        match addr.to_socket_addrs() {
            Ok(mut it) => it
                .next()
                .unwrap_or_else(|| fail("endpoint", format!("{addr:?} resolves to nothing"))),
            Err(e) => fail("endpoint", format!("{addr:?}: {e}")),
        }
    }

    /// Binds, accepts exactly one connection and returns it.
    pub fn accept_one(&self) -> RawStream {
        match self {
            RawEndpoint::Tcp(addr) => {
                let l = TcpListener::bind(Self::tcp_addr(addr, true))
                    .unwrap_or_else(|e| fail("bind", e));
                let (s, _) = l.accept().unwrap_or_else(|e| fail("accept", e));
                s.set_nodelay(true)
                    .unwrap_or_else(|e| fail("set_nodelay", e));
                RawStream::Tcp(s)
            }
            RawEndpoint::Ipc(path) => {
                let l = UnixListener::bind(path).unwrap_or_else(|e| fail("bind", e));
                let accepted = l.accept();
                // Like a ZeroMQ ipc endpoint that is closed: the path goes away.
                let _ = std::fs::remove_file(path);
                let (s, _) = accepted.unwrap_or_else(|e| fail("accept", e));
                RawStream::Ipc(s)
            }
        }
    }

    /// Connects (compare.sh starts the remote side once the local side listens).
    pub fn connect(&self) -> RawStream {
        match self {
            RawEndpoint::Tcp(addr) => {
                let s = TcpStream::connect(Self::tcp_addr(addr, false))
                    .unwrap_or_else(|e| fail("connect", e));
                s.set_nodelay(true)
                    .unwrap_or_else(|e| fail("set_nodelay", e));
                RawStream::Tcp(s)
            }
            RawEndpoint::Ipc(path) => {
                RawStream::Ipc(UnixStream::connect(path).unwrap_or_else(|e| fail("connect", e)))
            }
        }
    }
}

/// A connected raw stream.
pub enum RawStream {
    /// TCP.
    Tcp(TcpStream),
    /// Unix-domain stream socket.
    Ipc(UnixStream),
}

impl RawStream {
    /// Half-closes the writing side (the peer reads EOF once it has read everything).
    pub fn shutdown_write(&self) {
        match self {
            RawStream::Tcp(s) => s.shutdown(std::net::Shutdown::Write),
            RawStream::Ipc(s) => s.shutdown(std::net::Shutdown::Write),
        }
        .unwrap_or_else(|e| fail("shutdown", e));
    }

    /// A second handle on the same socket (for a separate reader and writer).
    pub fn try_clone(&self) -> RawStream {
        match self {
            RawStream::Tcp(s) => RawStream::Tcp(s.try_clone().unwrap_or_else(|e| fail("dup", e))),
            RawStream::Ipc(s) => RawStream::Ipc(s.try_clone().unwrap_or_else(|e| fail("dup", e))),
        }
    }
}

impl Read for RawStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            RawStream::Tcp(s) => s.read(buf),
            RawStream::Ipc(s) => s.read(buf),
        }
    }
}

impl Write for RawStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            RawStream::Tcp(s) => s.write(buf),
            RawStream::Ipc(s) => s.write(buf),
        }
    }
    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        match self {
            RawStream::Tcp(s) => s.write_vectored(bufs),
            RawStream::Ipc(s) => s.write_vectored(bufs),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Length prefix of a raw message: u32, little endian.
pub fn raw_header(size: usize) -> [u8; 4] {
    let len = u32::try_from(size)
        .unwrap_or_else(|_| fail("message size", format!("{size} does not fit in 32 bits")));
    len.to_le_bytes()
}

/// Reads one length-prefixed message into `body` (which has room for `size` bytes),
/// checking its length; exits with a message on EOF, errors or a wrong size.
pub fn raw_read_msg(r: &mut impl BufRead, body: &mut [u8]) {
    let mut header = [0u8; 4];
    r.read_exact(&mut header)
        .unwrap_or_else(|e| fail("recv", e));
    if u32::from_le_bytes(header) as usize != body.len() {
        wrong_size();
    }
    r.read_exact(body).unwrap_or_else(|e| fail("recv", e));
}
