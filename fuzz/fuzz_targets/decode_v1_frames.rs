//! Arbitrary bytes through the ZMTP 1.0 frame decoder (fed in pieces): never a panic,
//! never a body over the limit, and every decoded frame re-encodes to bytes that
//! decode to the same frame.
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use zmtp_codec::WriteBuf;
use zmtp_codec::frame::v1::{V1Decoder, push_v1_frame};

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
    let mut dec = V1Decoder::new(max);
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
                    assert!(!f.command);
                    let mut wb = WriteBuf::new();
                    push_v1_frame(&mut wb, f.more, &f.body);
                    let mut again = BytesMut::new();
                    while !wb.is_empty() {
                        let n = wb.contiguous().len();
                        again.extend_from_slice(wb.contiguous());
                        wb.advance(n);
                    }
                    let back = V1Decoder::new(None)
                        .decode(&mut again)
                        .expect("our own frame decodes")
                        .expect("whole");
                    assert_eq!(back, f);
                    assert!(again.is_empty());
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
});
