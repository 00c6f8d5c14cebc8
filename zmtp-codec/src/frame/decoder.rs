//! Incremental frame decoder.

use bytes::{Buf, Bytes, BytesMut};

use super::{COMMAND, LONG, LONG_HEADER_LEN, MORE, RawFrame, SHORT_HEADER_LEN};
use crate::ProtocolError;

/// Default body size below which bodies are copied out of the read buffer.
pub const DEFAULT_COPY_THRESHOLD: usize = 512;

/// Largest body size accepted even with no MAXMSGSIZE: 2^47 bytes, the user address space
/// of x86_64 Linux. A larger frame could never be held in memory (libzmq drops such a
/// connection when its allocation fails), so it is refused as soon as the header arrives.
pub const MAX_FRAME_SIZE: u64 = 1 << 47;

/// [`FrameDecoder::needed`] never asks for more than this many bytes beyond
/// what the buffer already holds, so a peer's size field alone can never make
/// the driver reserve a huge buffer.
pub const NEEDED_HINT_STEP: usize = 8 << 20;

/// Decodes frames from a read buffer.
///
/// Stateless between calls apart from its configuration: partial frames are
/// left in the buffer until they are complete.
#[derive(Clone, Debug)]
pub struct FrameDecoder {
    /// Largest accepted body (`size > max_size` fails; `None` = unlimited).
    pub max_size: Option<u64>,
    /// Bodies shorter than this are copied out of the read buffer (into a small
    /// shared arena, so a small message pins at most [`ARENA_SIZE`] bytes instead of
    /// the large read buffer); larger bodies are split off the read buffer without
    /// copying.
    pub copy_threshold: usize,
    /// Where small bodies are copied: one allocation serves many small frames, and
    /// each frame holds a reference count instead of its own heap block.
    arena: BytesMut,
}

/// Size of the arena small bodies are copied into.
pub const ARENA_SIZE: usize = 16 * 1024;

impl Default for FrameDecoder {
    fn default() -> Self {
        FrameDecoder::new(None)
    }
}

/// A parsed header: flags byte, header length, body length.
struct Header {
    flags: u8,
    len: usize,
    size: usize,
}

impl FrameDecoder {
    /// The same decoder with another copy threshold.
    pub fn with_copy_threshold(mut self, copy_threshold: usize) -> FrameDecoder {
        self.copy_threshold = copy_threshold;
        self
    }

    /// Copies a small body into the arena and hands it out as its own `Bytes`.
    #[inline]
    fn copy_small(&mut self, body: &[u8]) -> Bytes {
        if body.is_empty() {
            return Bytes::new();
        }
        if self.arena.capacity() - self.arena.len() < body.len() {
            self.arena = BytesMut::with_capacity(ARENA_SIZE.max(body.len()));
        }
        self.arena.extend_from_slice(body);
        self.arena.split().freeze()
    }

    /// A decoder with the given size limit and the default copy threshold.
    pub fn new(max_size: Option<u64>) -> FrameDecoder {
        FrameDecoder {
            max_size,
            copy_threshold: DEFAULT_COPY_THRESHOLD,
            arena: BytesMut::new(),
        }
    }

    /// Parses and checks the header at the start of `buf`, if complete.
    #[inline(always)]
    fn header(&self, buf: &[u8]) -> Result<Option<Header>, ProtocolError> {
        let (flags, len, size) = match *buf {
            [flags, ..] if flags & LONG != 0 => match buf.get(1..LONG_HEADER_LEN) {
                Some(&[a, b, c, d, e, f, g, h]) => (
                    flags,
                    LONG_HEADER_LEN,
                    u64::from_be_bytes([a, b, c, d, e, f, g, h]),
                ),
                _ => return Ok(None),
            },
            [flags, size, ..] => (flags, SHORT_HEADER_LEN, u64::from(size)),
            _ => return Ok(None),
        };
        let limit = match self.max_size {
            Some(max) => max.min(MAX_FRAME_SIZE),
            None => MAX_FRAME_SIZE,
        };
        if size > limit {
            return Err(self.too_large(size));
        }
        // A no-op where usize is 64 bits wide.
        let Ok(size) = usize::try_from(size) else {
            return Err(self.too_large(size));
        };
        Ok(Some(Header { flags, len, size }))
    }

    #[cold]
    fn too_large(&self, size: u64) -> ProtocolError {
        let max = match self.max_size {
            Some(max) if size > max => max,
            _ => MAX_FRAME_SIZE.min(usize::MAX as u64),
        };
        ProtocolError::FrameTooLarge { size, max }
    }

    /// Decodes the next frame from the front of `buf`, consuming its bytes.
    ///
    /// Returns `Ok(None)` (leaving `buf` untouched) when `buf` does not yet
    /// hold a whole frame. The size limit is checked as soon as the header is
    /// present, before any of the body has arrived.
    #[inline(always)]
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<RawFrame>, ProtocolError> {
        let Some(h) = self.header(buf)? else {
            return Ok(None);
        };
        if buf.len() - h.len < h.size {
            return Ok(None);
        }
        let body = if h.size < self.copy_threshold {
            let body = self.copy_small(&buf[h.len..h.len + h.size]);
            buf.advance(h.len + h.size);
            body
        } else {
            buf.advance(h.len);
            buf.split_to(h.size).freeze()
        };
        Ok(Some(RawFrame {
            more: h.flags & MORE != 0,
            command: h.flags & COMMAND != 0,
            body,
        }))
    }

    /// If `buf` starts with a complete header of a data frame (not a command) whose body
    /// is at least `min` bytes, consumes the header and returns `(more, body length)`:
    /// the caller then takes the body's bytes itself (from `buf` first, then straight
    /// from the wire), e.g. into a reusable buffer. The size limit is checked as in
    /// [`decode`](Self::decode).
    pub fn take_large_header(
        &mut self,
        buf: &mut BytesMut,
        min: usize,
    ) -> Result<Option<(bool, usize)>, ProtocolError> {
        // Cheap exit for the common case: bodies over 255 bytes need a long header.
        if min > u8::MAX as usize && buf.first().is_none_or(|f| f & LONG == 0) {
            return Ok(None);
        }
        let Some(h) = self.header(buf)? else {
            return Ok(None);
        };
        if h.flags & COMMAND != 0 || h.size < min {
            return Ok(None);
        }
        buf.advance(h.len);
        Ok(Some((h.flags & MORE != 0, h.size)))
    }

    /// How many bytes `buf` must hold in total before the next frame can be
    /// decoded: the header size while the header is incomplete, header plus
    /// body once it is known. Capped at `buf.len() + NEEDED_HINT_STEP`, so a
    /// huge declared size only grows the reservation as bytes really arrive.
    /// An invalid header yields a small value; [`decode`](Self::decode)
    /// reports the error.
    pub fn needed(&self, buf: &BytesMut) -> usize {
        let total = match self.header(buf) {
            Ok(Some(h)) => h.len.saturating_add(h.size),
            Ok(None) => match buf.first() {
                Some(flags) if flags & LONG != 0 => LONG_HEADER_LEN,
                _ => SHORT_HEADER_LEN,
            },
            Err(_) => LONG_HEADER_LEN,
        };
        total.min(buf.len().saturating_add(NEEDED_HINT_STEP))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buf(b: &[u8]) -> BytesMut {
        BytesMut::from(b)
    }

    #[test]
    fn short_frame() {
        let mut d = FrameDecoder::default();
        let mut b = buf(&[0x00, 0x05, b'H', b'e', b'l', b'l', b'o', 0x01]);
        let f = d.decode(&mut b).unwrap().unwrap();
        assert_eq!(f, RawFrame::data(false, Bytes::from_static(b"Hello")));
        assert_eq!(&b[..], &[0x01]);
        assert_eq!(d.decode(&mut b), Ok(None));
        assert_eq!(d.needed(&b), 2);
    }

    #[test]
    fn partial_frames_left_in_buffer() {
        let mut d = FrameDecoder::default();
        let full = [0x01, 0x03, 1, 2, 3];
        for n in 0..full.len() {
            let mut b = buf(&full[..n]);
            assert_eq!(d.decode(&mut b), Ok(None));
            assert_eq!(b.len(), n);
            assert_eq!(d.needed(&b), if n < 2 { 2 } else { 5 });
        }
    }

    #[test]
    fn long_frame_300_bytes_zero_copy() {
        let mut d = FrameDecoder {
            copy_threshold: 100,
            ..Default::default()
        };
        let mut b = buf(&[0x02, 0, 0, 0, 0, 0, 0, 0x01, 0x2C]);
        assert_eq!(d.needed(&b), 309);
        b.extend_from_slice(&[7u8; 300]);
        let f = d.decode(&mut b).unwrap().unwrap();
        assert_eq!(f.body.len(), 300);
        assert!(!f.more && !f.command);
        assert!(b.is_empty());
    }

    #[test]
    fn large_header_taken_only_for_big_data_frames() {
        let mut d = FrameDecoder::new(Some(1000));
        // Small data frame, a big command, an incomplete header: left alone.
        let mut small = buf(&[0x00, 0x05, 1, 2]);
        assert_eq!(d.take_large_header(&mut small, 100), Ok(None));
        assert_eq!(small.len(), 4);
        let mut cmd = buf(&[0x06, 0, 0, 0, 0, 0, 0, 0x01, 0x2C]);
        assert_eq!(d.take_large_header(&mut cmd, 100), Ok(None));
        assert_eq!(cmd.len(), 9);
        let mut partial = buf(&[0x02, 0, 0, 0]);
        assert_eq!(d.take_large_header(&mut partial, 100), Ok(None));
        // A big data frame with MORE: the header is consumed, the body left.
        let mut big = buf(&[0x03, 0, 0, 0, 0, 0, 0, 0x01, 0x2C, 7, 7]);
        assert_eq!(d.take_large_header(&mut big, 100), Ok(Some((true, 300))));
        assert_eq!(&big[..], &[7, 7]);
        // Over the limit: the same error as decode().
        let mut huge = buf(&[0x02, 0, 0, 0, 0, 0, 0, 0x10, 0]);
        assert!(matches!(
            d.take_large_header(&mut huge, 100),
            Err(ProtocolError::FrameTooLarge { size: 4096, .. })
        ));
    }

    #[test]
    fn long_header_with_small_body_accepted() {
        let mut d = FrameDecoder::default();
        let mut b = buf(&[0x07, 0, 0, 0, 0, 0, 0, 0, 2, b'h', b'i']);
        let f = d.decode(&mut b).unwrap().unwrap();
        assert!(f.more && f.command);
        assert_eq!(&f.body[..], b"hi");
    }

    #[test]
    fn reserved_bits_ignored() {
        let mut d = FrameDecoder::default();
        let mut b = buf(&[0xF8 | MORE, 1, b'x']);
        let f = d.decode(&mut b).unwrap().unwrap();
        assert!(f.more && !f.command);
    }

    #[test]
    fn empty_frame() {
        let mut d = FrameDecoder {
            copy_threshold: 0,
            ..Default::default()
        };
        let mut b = buf(&[0x01, 0x00]);
        assert_eq!(
            d.decode(&mut b).unwrap().unwrap(),
            RawFrame::data(true, Bytes::new())
        );
    }

    #[test]
    fn huge_size_rejected_without_allocation() {
        let mut d = FrameDecoder::default();
        let mut b = buf(&[0x02, 0, 0, 0x80, 0, 0, 0, 0, 0]); // 2^47: still allowed
        assert_eq!(d.needed(&b), 9 + NEEDED_HINT_STEP);
        assert_eq!(d.decode(&mut b), Ok(None));
        let mut b = buf(&[0x02, 0x40, 0, 0, 0, 0, 0, 0, 0]); // 2^62
        assert_eq!(
            d.decode(&mut b),
            Err(ProtocolError::FrameTooLarge {
                size: 1 << 62,
                max: MAX_FRAME_SIZE
            })
        );
        let mut b = buf(&[0x02, 0x80, 0, 0, 0, 0, 0, 0, 0]); // 2^63
        assert_eq!(
            d.decode(&mut b),
            Err(ProtocolError::FrameTooLarge {
                size: 1 << 63,
                max: MAX_FRAME_SIZE
            })
        );
        let mut d = FrameDecoder::new(Some(1 << 20));
        let mut b = buf(&[0x06, 0x40, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            d.decode(&mut b),
            Err(ProtocolError::FrameTooLarge {
                size: 1 << 62,
                max: 1 << 20
            })
        );
    }

    #[test]
    fn max_size_is_inclusive_and_checked_before_body() {
        let mut d = FrameDecoder::new(Some(10));
        let mut b = buf(&[0x00, 10]);
        assert_eq!(d.decode(&mut b), Ok(None));
        b.extend_from_slice(&[0; 10]);
        assert_eq!(d.decode(&mut b).unwrap().unwrap().body.len(), 10);
        let mut b = buf(&[0x00, 11]);
        assert_eq!(
            d.decode(&mut b),
            Err(ProtocolError::FrameTooLarge { size: 11, max: 10 })
        );
        let mut b = buf(&[0x02, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(d.decode(&mut b), Ok(None));
        b.extend_from_slice(&[11]);
        assert_eq!(
            d.decode(&mut b),
            Err(ProtocolError::FrameTooLarge { size: 11, max: 10 })
        );
    }

    #[test]
    fn small_bodies_copied_large_split() {
        let mut d = FrameDecoder {
            copy_threshold: 4,
            ..Default::default()
        };
        let mut b = buf(&[0x01, 3, 1, 2, 3, 0x00, 4, 1, 2, 3, 4]);
        let base = b.as_ptr() as usize;
        let small = d.decode(&mut b).unwrap().unwrap();
        let big = d.decode(&mut b).unwrap().unwrap();
        let in_buf = |p: *const u8| {
            let p = p as usize;
            p >= base && p < base + 11
        };
        assert!(!in_buf(small.body.as_ptr()));
        assert!(in_buf(big.body.as_ptr()));
        assert_eq!(&big.body[..], &[1, 2, 3, 4]);
    }
}
