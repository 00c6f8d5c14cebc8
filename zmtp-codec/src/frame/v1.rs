//! ZMTP 1.0 framing (RFC 13): a length that counts the flags byte (one byte below
//! 255, else `0xFF` and 8 bytes), the flags byte (bit 0 MORE, the others reserved),
//! the body.
//!
//! Stricter than libzmq on one point: libzmq ignores the reserved flag bits, and so
//! reads an HTTP request or random bytes as ZMTP 1.0 frames from a peer that merely
//! omitted the signature. A real ZMTP 1.0 peer never sets them, so we refuse such a
//! frame as garbage.

use bytes::{Buf, BufMut, Bytes, BytesMut};

use super::{MAX_FRAME_SIZE, NEEDED_HINT_STEP, RawFrame, WriteBuf};
use crate::ProtocolError;

/// Length-byte value that announces an 8-byte length.
const ESCAPE: u8 = 0xFF;
/// The MORE bit of a ZMTP 1.0 flags byte.
const MORE: u8 = 0x01;
/// Bodies this long or longer are queued without copying.
const ZERO_COPY: usize = 8 * 1024;

/// Decodes ZMTP 1.0 frames from a read buffer; partial frames stay in the buffer.
#[derive(Clone, Debug)]
pub struct V1Decoder {
    /// Largest accepted body (`None` = unlimited, up to [`MAX_FRAME_SIZE`]).
    pub max_size: Option<u64>,
}

/// A parsed header: header length (length field and flags), flags, body length.
struct Header {
    len: usize,
    flags: u8,
    size: usize,
}

impl V1Decoder {
    /// A decoder refusing bodies over `max_size` bytes.
    pub fn new(max_size: Option<u64>) -> V1Decoder {
        V1Decoder { max_size }
    }

    fn header(&self, buf: &[u8]) -> Result<Option<Header>, ProtocolError> {
        let (len, counted) = match *buf {
            [ESCAPE, ..] => match buf.get(1..9) {
                Some(&[a, b, c, d, e, f, g, h]) => {
                    (10, u64::from_be_bytes([a, b, c, d, e, f, g, h]))
                }
                _ => return Ok(None),
            },
            [n, ..] => (2, u64::from(n)),
            [] => return Ok(None),
        };
        if counted == 0 {
            return Err(ProtocolError::MalformedFrame(
                "ZMTP 1.0 frame length 0 (it must count the flags byte)",
            ));
        }
        let size = counted - 1;
        let limit = self
            .max_size
            .map_or(MAX_FRAME_SIZE, |m| m.min(MAX_FRAME_SIZE));
        if size > limit {
            return Err(ProtocolError::FrameTooLarge {
                size,
                max: self.max_size.unwrap_or(MAX_FRAME_SIZE).min(MAX_FRAME_SIZE),
            });
        }
        let Some(&flags) = buf.get(len - 1) else {
            return Ok(None);
        };
        if flags & !MORE != 0 {
            return Err(ProtocolError::MalformedFrame(
                "reserved ZMTP 1.0 flag bits set (not a ZMTP peer?)",
            ));
        }
        let size = usize::try_from(size).map_err(|_| ProtocolError::FrameTooLarge {
            size,
            max: usize::MAX as u64,
        })?;
        Ok(Some(Header { len, flags, size }))
    }

    /// Decodes the next frame from the front of `buf`, consuming its bytes
    /// (`Ok(None)`, `buf` untouched, while it is incomplete). Limits and flags are
    /// checked as soon as the header is in.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<RawFrame>, ProtocolError> {
        let Some(h) = self.header(buf)? else {
            return Ok(None);
        };
        if buf.len() - h.len < h.size {
            return Ok(None);
        }
        buf.advance(h.len);
        let body = buf.split_to(h.size).freeze();
        Ok(Some(RawFrame::data(h.flags & MORE != 0, body)))
    }

    /// How many bytes `buf` must hold before the next frame decodes (capped at
    /// `buf.len() + NEEDED_HINT_STEP`, as [`super::FrameDecoder::needed`]).
    pub fn needed(&self, buf: &BytesMut) -> usize {
        let total = match self.header(buf) {
            Ok(Some(h)) => h.len.saturating_add(h.size),
            _ if buf.first() == Some(&ESCAPE) => 10,
            _ => 2,
        };
        total.min(buf.len().saturating_add(NEEDED_HINT_STEP))
    }
}

/// Appends a ZMTP 1.0 frame header for a body of `len` bytes.
pub fn encode_v1_header(out: &mut BytesMut, more: bool, len: usize) {
    let counted = len as u64 + 1;
    if counted < u64::from(ESCAPE) {
        out.put_u8(counted as u8);
    } else {
        out.put_u8(ESCAPE);
        out.put_u64(counted);
    }
    out.put_u8(if more { MORE } else { 0 });
}

/// Queues a whole ZMTP 1.0 frame (large bodies by reference).
pub fn push_v1_frame(out: &mut WriteBuf, more: bool, body: &Bytes) {
    encode_v1_header(out.buf_mut(), more, body.len());
    if body.len() >= ZERO_COPY {
        out.push_chunk(body.clone());
    } else {
        out.push_bytes(body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(more: bool, body: &[u8]) -> BytesMut {
        let mut out = WriteBuf::new();
        push_v1_frame(&mut out, more, &Bytes::copy_from_slice(body));
        let mut v = BytesMut::new();
        while !out.is_empty() {
            let n = out.contiguous().len();
            v.extend_from_slice(out.contiguous());
            out.advance(n);
        }
        v
    }

    #[test]
    fn short_and_long_frames_round_trip() {
        for len in [0usize, 1, 253, 254, 255, 300, 70_000] {
            let body: Vec<u8> = (0..len).map(|i| i as u8).collect();
            for more in [false, true] {
                let mut wire = encoded(more, &body);
                let header = if len + 1 < 255 { 2 } else { 10 };
                assert_eq!(wire.len(), header + len, "len {len}");
                let mut d = V1Decoder::new(None);
                for cut in [0, 1, header - 1, header, wire.len() - 1] {
                    if cut >= wire.len() {
                        continue;
                    }
                    let mut part = BytesMut::from(&wire[..cut]);
                    assert_eq!(d.decode(&mut part), Ok(None), "len {len} cut {cut}");
                }
                assert_eq!(d.needed(&wire), wire.len());
                let f = d.decode(&mut wire).unwrap().unwrap();
                assert_eq!((f.more, &f.body[..]), (more, &body[..]));
                assert!(!f.command);
                assert!(wire.is_empty());
            }
        }
    }

    #[test]
    fn libzmq_identity_header_is_a_long_frame() {
        // libzmq's signature for a 4-byte identity, then the identity.
        let mut wire =
            BytesMut::from(&[0xFF, 0, 0, 0, 0, 0, 0, 0, 5, 0x00, b'a', b'b', b'c', b'd'][..]);
        let f = V1Decoder::new(None).decode(&mut wire).unwrap().unwrap();
        assert_eq!(&f.body[..], b"abcd");
    }

    #[test]
    fn zero_length_and_reserved_flags_are_refused() {
        let mut d = V1Decoder::new(None);
        assert!(matches!(
            d.decode(&mut BytesMut::from(&[0u8][..])),
            Err(ProtocolError::MalformedFrame(_))
        ));
        // An HTTP request read as a frame: length 'G', flags 'E'.
        assert!(matches!(
            d.decode(&mut BytesMut::from(&b"GET / HTTP/1.1\r\n"[..])),
            Err(ProtocolError::MalformedFrame(_))
        ));
    }

    #[test]
    fn size_limit_checked_from_the_header() {
        let mut d = V1Decoder::new(Some(10));
        let mut wire = BytesMut::from(&[12u8, 0][..]);
        assert_eq!(
            d.decode(&mut wire),
            Err(ProtocolError::FrameTooLarge { size: 11, max: 10 })
        );
        let mut huge = BytesMut::from(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF][..]);
        assert!(matches!(
            V1Decoder::new(None).decode(&mut huge),
            Err(ProtocolError::FrameTooLarge { .. })
        ));
    }
}
