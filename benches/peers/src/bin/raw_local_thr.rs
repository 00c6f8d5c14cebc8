//! Raw-socket ceiling for `local_thr`: accepts one plain TCP / Unix connection and reads
//! `message-count` length-prefixed messages (u32 LE length, then the body) through a
//! 256 KiB `BufReader`, checking every size; the clock starts at the first message.
//!
//! usage: raw_local_thr <bind-to> <message-size> <message-count>

use std::io::BufReader;
use std::time::Instant;

use zmtp_bench_peers::{RAW_BUF, RawEndpoint, parse_args, print_thr, raw_read_msg};

fn main() {
    let args = parse_args("raw_local_thr <bind-to> <message-size> <message-count>");
    let size = args.message_size;
    let stream = RawEndpoint::parse(&args.endpoint).accept_one();
    let mut r = BufReader::with_capacity(RAW_BUF, stream);
    let mut body = vec![0u8; size];

    raw_read_msg(&mut r, &mut body);
    let watch = Instant::now();
    for _ in 1..args.count {
        raw_read_msg(&mut r, &mut body);
    }
    let elapsed = watch.elapsed().as_micros() as u64;

    print_thr(size, args.count, elapsed);
}
