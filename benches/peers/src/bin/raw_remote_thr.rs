//! Raw-socket ceiling for `remote_thr`: connects a plain TCP / Unix socket and writes
//! `message-count` length-prefixed messages (u32 LE length, then `message-size` bytes)
//! through a 256 KiB `BufWriter`, then flushes and half-closes, and waits for the receiver
//! to close (so nothing is cut off). `ZMTP_PERF_SENDER_GRACE_MS=N` waits N ms more before
//! the half-close, like the other senders.
//!
//! usage: raw_remote_thr <connect-to> <message-size> <message-count>

use std::io::{BufWriter, Read, Write};

use zmtp_bench_peers::{RAW_BUF, RawEndpoint, fail, parse_args, raw_header, sender_grace};

fn main() {
    let args = parse_args("raw_remote_thr <connect-to> <message-size> <message-count>");
    let size = args.message_size;
    let header = raw_header(size);
    let body = vec![0u8; size];
    let stream = RawEndpoint::parse(&args.endpoint).connect();
    let mut reader = stream.try_clone();
    let mut w = BufWriter::with_capacity(RAW_BUF, stream);

    for _ in 0..args.count {
        w.write_all(&header).unwrap_or_else(|e| fail("send", e));
        w.write_all(&body).unwrap_or_else(|e| fail("send", e));
    }
    w.flush().unwrap_or_else(|e| fail("send", e));
    if let Some(grace) = sender_grace() {
        std::thread::sleep(grace);
    }
    let stream = w
        .into_inner()
        .unwrap_or_else(|e| fail("send", e.error().to_string()));
    stream.shutdown_write();
    // The receiver sends nothing: EOF (or a reset once it exits) means it is done.
    let mut sink = [0u8; 64];
    if let Ok(n) = reader.read(&mut sink)
        && n > 0
    {
        fail("recv", "unexpected data from the receiver");
    }
}
