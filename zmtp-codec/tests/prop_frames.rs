//! Property: any sequence of frames and commands, encoded and fed to the
//! decoder in arbitrary pieces, decodes back to itself.

mod common;

use bytes::{Bytes, BytesMut};
use proptest::prelude::*;
use zmtp_codec::frame::{COMMAND, MORE, encode_frame};
use zmtp_codec::{Command, FrameDecoder};

#[derive(Clone, Debug)]
enum Item {
    Data { more: bool, body: Vec<u8> },
    Cmd(Command),
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        3 => (any::<bool>(), common::body()).prop_map(|(more, body)| Item::Data { more, body }),
        1 => common::command().prop_map(Item::Cmd),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn frames_round_trip_through_arbitrary_splits(
        items in prop::collection::vec(item(), 0..40),
        cuts in prop::collection::vec(1usize..600, 1..50),
        copy_threshold in 0usize..1200,
    ) {
        let mut wire = BytesMut::new();
        for it in &items {
            match it {
                Item::Data { more, body } => {
                    encode_frame(&mut wire, if *more { MORE } else { 0 }, body)
                }
                Item::Cmd(c) => c.encode(&mut wire),
            }
        }
        let wire = wire.freeze();
        let mut dec = FrameDecoder::new(None).with_copy_threshold(copy_threshold);
        let mut buf = BytesMut::new();
        let mut got = Vec::new();
        let mut pos = 0;
        let mut cut = cuts.iter().cycle();
        while pos < wire.len() {
            let n = (*cut.next().unwrap()).min(wire.len() - pos);
            buf.extend_from_slice(&wire[pos..pos + n]);
            pos += n;
            while let Some(f) = dec.decode(&mut buf)? {
                got.push(f);
            }
            if pos < wire.len() {
                prop_assert!(dec.needed(&buf) > buf.len());
            }
        }
        prop_assert!(buf.is_empty());
        prop_assert_eq!(got.len(), items.len());
        for (f, it) in got.into_iter().zip(&items) {
            match it {
                Item::Data { more, body } => {
                    prop_assert!(!f.command);
                    prop_assert_eq!(f.more, *more);
                    prop_assert_eq!(&f.body[..], &body[..]);
                }
                Item::Cmd(c) => {
                    prop_assert!(f.command && !f.more);
                    prop_assert_eq!(f.flags(), COMMAND);
                    prop_assert_eq!(&Command::decode(f.body)?, c);
                }
            }
        }
    }

    #[test]
    fn decoder_never_panics_on_garbage(
        data in prop::collection::vec(any::<u8>(), 0..200),
        max in prop::option::of(0u64..300),
    ) {
        let mut dec = FrameDecoder::new(max);
        let mut buf = BytesMut::from(&data[..]);
        let _ = dec.needed(&buf);
        while let Ok(Some(f)) = dec.decode(&mut buf) {
            let _ = Command::decode(f.body);
            let _ = dec.needed(&buf);
        }
        let _ = Command::decode(Bytes::from(data));
    }
}
