//! Helpers shared by the property tests (included with `mod common;`).
#![allow(dead_code)]

pub mod curve_wire;
pub mod pair;

use std::io::IoSlice;

use bytes::BytesMut;
use proptest::prelude::*;
use zmtp_codec::frame::WriteBuf;
use zmtp_codec::{Command, Metadata};

/// Moves up to `n` bytes from `wb` to `dst` the way a vectored socket write
/// would (at most `max_slices` slices), then advances `wb`. Returns the count.
pub fn partial_write(wb: &mut WriteBuf, dst: &mut Vec<u8>, n: usize, max_slices: usize) -> usize {
    let mut slices = vec![IoSlice::new(&[]); max_slices.max(1)];
    let filled = wb.chunks_vectored(&mut slices);
    let mut left = n;
    for s in &slices[..filled] {
        let take = s.len().min(left);
        dst.extend_from_slice(&s[..take]);
        left -= take;
        if left == 0 {
            break;
        }
    }
    let written = n - left;
    wb.advance(written);
    written
}

/// Like [`partial_write`] but into a `BytesMut` read buffer.
pub fn partial_write_buf(wb: &mut WriteBuf, dst: &mut BytesMut, n: usize) -> usize {
    let mut v = Vec::new();
    let w = partial_write(wb, &mut v, n, 4);
    dst.extend_from_slice(&v);
    w
}

/// Body sizes biased towards the interesting boundaries (255/256, small, large).
pub fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::collection::vec(any::<u8>(), 0..20),
        2 => prop::collection::vec(any::<u8>(), 250..262),
        1 => prop::collection::vec(any::<u8>(), 0..3000),
    ]
}

/// Arbitrary valid metadata.
pub fn metadata() -> impl Strategy<Value = Metadata> {
    prop::collection::vec(
        (
            "[A-Za-z][A-Za-z0-9-]{0,20}",
            prop::collection::vec(any::<u8>(), 0..40),
        ),
        0..5,
    )
    .prop_map(|props| {
        let mut m = Metadata::new();
        for (n, v) in props {
            m.push(n, v).expect("valid property");
        }
        m
    })
}

const KNOWN: [&str; 6] = ["READY", "ERROR", "SUBSCRIBE", "CANCEL", "PING", "PONG"];

/// Arbitrary commands in the form they decode back to.
pub fn command() -> impl Strategy<Value = Command> {
    let bytes = |r: std::ops::Range<usize>| prop::collection::vec(any::<u8>(), r);
    prop_oneof![
        metadata().prop_map(Command::Ready),
        bytes(0..256).prop_map(|r| Command::Error(r.into())),
        bytes(0..300).prop_map(|t| Command::Subscribe(t.into())),
        bytes(0..300).prop_map(|t| Command::Cancel(t.into())),
        (any::<u16>(), bytes(0..17)).prop_map(|(ttl, c)| Command::Ping {
            ttl_deciseconds: ttl,
            context: c.into()
        }),
        bytes(0..17).prop_map(|c| Command::Pong { context: c.into() }),
        ("[A-Z]{1,12}", bytes(0..300))
            .prop_filter("known name", |(n, _)| !KNOWN.contains(&n.as_str()))
            .prop_map(|(n, d)| Command::Other {
                name: n.into_bytes().into(),
                data: d.into()
            }),
    ]
}
