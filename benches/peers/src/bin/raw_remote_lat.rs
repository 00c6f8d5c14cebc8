//! Raw-socket ceiling for `remote_lat`: connects a plain TCP / Unix socket and does
//! `roundtrip-count` blocking ping-pongs of one length-prefixed message (u32 LE length,
//! then `message-size` bytes), checking every reply's size; prints the average one-way
//! latency (elapsed / (2 * roundtrip-count)). The clock starts after the connect.
//!
//! usage: raw_remote_lat <connect-to> <message-size> <roundtrip-count>

use std::io::{BufReader, Write};
use std::time::Instant;

use zmtp_bench_peers::{RawEndpoint, fail, parse_args, print_lat, raw_header, raw_read_msg};

fn main() {
    let args = parse_args("raw_remote_lat <connect-to> <message-size> <roundtrip-count>");
    let size = args.message_size;
    let stream = RawEndpoint::parse(&args.endpoint).connect();
    let mut w = stream.try_clone();
    let mut r = BufReader::new(stream);
    let mut msg = vec![0u8; 4 + size];
    msg[..4].copy_from_slice(&raw_header(size));

    let watch = Instant::now();
    for _ in 0..args.count {
        w.write_all(&msg).unwrap_or_else(|e| fail("send", e));
        raw_read_msg(&mut r, &mut msg[4..]);
    }
    let elapsed = watch.elapsed().as_micros() as u64;

    print_lat(size, args.count, elapsed);
}
