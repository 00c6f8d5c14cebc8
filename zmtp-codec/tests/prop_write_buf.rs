//! Property: a WriteBuf drained with arbitrary partial (vectored or plain)
//! writes yields exactly the bytes pushed into it, in order.

mod common;

use bytes::{Bytes, BytesMut};
use proptest::prelude::*;
use zmtp_codec::frame::{WriteBuf, encode_frame, flags_for};

#[derive(Clone, Debug)]
enum Op {
    Frame {
        more: bool,
        command: bool,
        body: Vec<u8>,
    },
    Bytes(Vec<u8>),
    Raw(Vec<u8>),
    Write {
        n: usize,
        slices: usize,
        plain: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (any::<bool>(), any::<bool>(), prop::collection::vec(any::<u8>(), 0..400))
            .prop_map(|(more, command, body)| Op::Frame { more, command, body }),
        1 => prop::collection::vec(any::<u8>(), 0..50).prop_map(Op::Bytes),
        1 => prop::collection::vec(any::<u8>(), 0..50).prop_map(Op::Raw),
        3 => (0usize..700, 1usize..5, any::<bool>())
            .prop_map(|(n, slices, plain)| Op::Write { n, slices, plain }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn partial_writes_reproduce_pushed_bytes(
        ops in prop::collection::vec(op(), 0..60),
        threshold in 0usize..300,
    ) {
        let mut wb = WriteBuf::with_zero_copy_threshold(threshold);
        let mut expected = BytesMut::new();
        let mut written = Vec::new();
        for op in ops {
            match op {
                Op::Frame { more, command, body } => {
                    encode_frame(&mut expected, flags_for(more, command), &body);
                    wb.push_frame(more, command, &Bytes::from(body));
                }
                Op::Bytes(b) => {
                    expected.extend_from_slice(&b);
                    wb.push_bytes(&b);
                }
                Op::Raw(b) => {
                    expected.extend_from_slice(&b);
                    wb.buf_mut().extend_from_slice(&b);
                }
                Op::Write { n, slices, plain } => {
                    if plain {
                        let c = wb.contiguous();
                        let take = c.len().min(n);
                        written.extend_from_slice(&c[..take]);
                        wb.advance(take);
                    } else {
                        common::partial_write(&mut wb, &mut written, n, slices);
                    }
                }
            }
            prop_assert_eq!(wb.len() + written.len(), expected.len());
            prop_assert_eq!(wb.is_empty(), written.len() == expected.len());
            prop_assert_eq!(wb.contiguous().is_empty(), wb.is_empty());
        }
        while !wb.is_empty() {
            common::partial_write(&mut wb, &mut written, 37, 3);
        }
        prop_assert_eq!(&written[..], &expected[..]);
    }
}
