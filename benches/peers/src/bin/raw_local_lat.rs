//! Raw-socket ceiling for `local_lat`: accepts one plain TCP / Unix connection and echoes
//! `roundtrip-count` length-prefixed messages (u32 LE length, then the body), checking
//! every size; each reply is one `write` of header and body.
//!
//! usage: raw_local_lat <bind-to> <message-size> <roundtrip-count>

use std::io::{BufReader, Write};

use zmtp_bench_peers::{RawEndpoint, fail, parse_args, raw_header, raw_read_msg};

fn main() {
    let args = parse_args("raw_local_lat <bind-to> <message-size> <roundtrip-count>");
    let size = args.message_size;
    let stream = RawEndpoint::parse(&args.endpoint).accept_one();
    let mut w = stream.try_clone();
    let mut r = BufReader::new(stream);
    // Header and body in one buffer: one write per message.
    let mut msg = vec![0u8; 4 + size];
    msg[..4].copy_from_slice(&raw_header(size));

    for _ in 0..args.count {
        raw_read_msg(&mut r, &mut msg[4..]);
        w.write_all(&msg).unwrap_or_else(|e| fail("send", e));
    }
}
