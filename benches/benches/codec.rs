//! Codec micro-benchmarks: frame encoding into a `WriteBuf` and decoding with
//! `FrameDecoder`, for the message sizes the perf tools use.

use std::hint::black_box;

use bytes::{Bytes, BytesMut};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use zmtp_api::Message;
use zmtp_codec::{FrameDecoder, WriteBuf};

const SIZES: [usize; 4] = [1, 64, 1024, 65536];
/// Frames per iteration.
const BATCH: usize = 1000;

fn encode(c: &mut Criterion) {
    let mut group = c.benchmark_group("encode");
    group.throughput(Throughput::Elements(BATCH as u64));
    for size in SIZES {
        let body = Bytes::from(vec![0u8; size]);
        let mut wb = WriteBuf::new();
        group.bench_function(format!("{size}B"), |b| {
            b.iter(|| {
                for _ in 0..BATCH {
                    wb.push_frame(false, false, black_box(&body));
                }
                black_box(wb.len());
                wb.clear();
            })
        });
    }
    group.finish();
}

fn encoded(size: usize) -> BytesMut {
    let body = Bytes::from(vec![0u8; size]);
    // Zero-copy threshold above every size: one contiguous buffer.
    let mut wb = WriteBuf::with_zero_copy_threshold(usize::MAX);
    for _ in 0..BATCH {
        wb.push_frame(false, false, &body);
    }
    BytesMut::from(wb.contiguous())
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Elements(BATCH as u64));
    for size in SIZES {
        let input = encoded(size);
        let mut dec = FrameDecoder::default();
        group.bench_function(format!("{size}B"), |b| {
            b.iter_batched_ref(
                || input.clone(),
                |buf| {
                    let mut n = 0;
                    while let Some(f) = dec.decode(buf).expect("valid frames") {
                        black_box(f);
                        n += 1;
                    }
                    assert_eq!(n, BATCH);
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

fn message(c: &mut Criterion) {
    let mut group = c.benchmark_group("message");
    let body = Bytes::from_static(&[0u8; 64]);
    group.bench_function("from_bytes_64B", |b| {
        b.iter(|| black_box(Message::from(black_box(body.clone()))))
    });
    group.bench_function("from_frames_3", |b| {
        b.iter(|| {
            black_box(Message::from_frames([
                body.clone(),
                body.clone(),
                body.clone(),
            ]))
        })
    });
    group.finish();
}

criterion_group!(benches, encode, decode, message);
criterion_main!(benches);
