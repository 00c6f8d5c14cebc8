//! Arbitrary bytes through the frame decoder (fed in pieces), and every
//! decoded body through the command and metadata parsers.
#![no_main]

use bytes::{Bytes, BytesMut};
use libfuzzer_sys::fuzz_target;
use zmtp_codec::{Command, FrameDecoder, Metadata};

fuzz_target!(|data: &[u8]| {
    let Some((&cfg, rest)) = data.split_first() else {
        return;
    };
    let max = match cfg & 3 {
        0 => None,
        1 => Some(0),
        2 => Some(255),
        _ => Some(4096),
    };
    let step = usize::from(cfg >> 2) + 1;
    let mut dec =
        FrameDecoder::new(max).with_copy_threshold(if cfg & 0x80 != 0 { 0 } else { 512 });
    let mut buf = BytesMut::new();
    for piece in rest.chunks(step) {
        buf.extend_from_slice(piece);
        let _ = dec.needed(&buf);
        loop {
            match dec.decode(&mut buf) {
                Ok(Some(f)) => {
                    if let Some(m) = max {
                        assert!(f.body.len() as u64 <= m);
                    }
                    let _ = Metadata::decode(f.body.clone());
                    if let Ok(cmd) = Command::decode(f.body) {
                        let mut out = BytesMut::new();
                        cmd.encode(&mut out);
                    }
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
    let _ = Command::decode(Bytes::copy_from_slice(rest));
});
