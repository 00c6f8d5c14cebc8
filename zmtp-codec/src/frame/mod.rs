//! ZMTP 3.x framing: flags, the frame decoder, header encoding and the
//! output queue ([`WriteBuf`]).

mod decoder;
pub mod v1;
mod write_buf;

pub use decoder::{
    ARENA_SIZE, DEFAULT_COPY_THRESHOLD, FrameDecoder, MAX_FRAME_SIZE, NEEDED_HINT_STEP,
};
pub use write_buf::{DEFAULT_ZERO_COPY_THRESHOLD, WriteBuf};

use bytes::{BufMut, Bytes, BytesMut};

/// Flag bit: more frames of this message follow.
pub const MORE: u8 = 0x01;
/// Flag bit: the size field is 8 bytes (body > 255 bytes when we send).
pub const LONG: u8 = 0x02;
/// Flag bit: this frame is a command.
pub const COMMAND: u8 = 0x04;

/// Length of a short frame header (flags + 1-byte size).
pub const SHORT_HEADER_LEN: usize = 2;
/// Length of a long frame header (flags + 8-byte size).
pub const LONG_HEADER_LEN: usize = 9;

/// One decoded frame (data or command), body not interpreted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawFrame {
    /// The MORE flag.
    pub more: bool,
    /// The COMMAND flag.
    pub command: bool,
    /// The frame body.
    pub body: Bytes,
}

impl RawFrame {
    /// A data frame.
    pub fn data(more: bool, body: Bytes) -> RawFrame {
        RawFrame {
            more,
            command: false,
            body,
        }
    }

    /// A command frame.
    pub fn command(body: Bytes) -> RawFrame {
        RawFrame {
            more: false,
            command: true,
            body,
        }
    }

    /// The MORE and COMMAND bits as a flags byte (LONG not included).
    pub fn flags(&self) -> u8 {
        flags_for(self.more, self.command)
    }
}

/// The flags byte (without LONG) for a frame.
#[inline]
pub fn flags_for(more: bool, command: bool) -> u8 {
    (if more { MORE } else { 0 }) | (if command { COMMAND } else { 0 })
}

/// Header length for a body of `len` bytes (short iff `len <= 255`).
#[inline]
pub fn header_len(len: usize) -> usize {
    if len <= 255 {
        SHORT_HEADER_LEN
    } else {
        LONG_HEADER_LEN
    }
}

/// Appends a frame header for a body of `len` bytes. `flags` carries MORE
/// and/or COMMAND; LONG is set here exactly when `len > 255`.
#[inline]
pub fn encode_frame_header(out: &mut BytesMut, flags: u8, len: usize) {
    let flags = flags & !LONG;
    if len <= 255 {
        out.put_slice(&[flags, len as u8]);
    } else {
        out.put_u8(flags | LONG);
        out.put_u64(len as u64);
    }
}

/// Appends a whole frame (header and body).
#[inline]
pub fn encode_frame(out: &mut BytesMut, flags: u8, body: &[u8]) {
    out.reserve(header_len(body.len()) + body.len());
    encode_frame_header(out, flags, body.len());
    out.put_slice(body);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_image() {
        let mut out = BytesMut::new();
        encode_frame(&mut out, 0, b"Hello");
        assert_eq!(&out[..], &[0x00, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]);
    }

    #[test]
    fn multipart_image() {
        let mut out = BytesMut::new();
        encode_frame(&mut out, MORE, b"A");
        encode_frame(&mut out, 0, b"B");
        assert_eq!(&out[..], &[0x01, 0x01, 0x41, 0x00, 0x01, 0x42]);
    }

    #[test]
    fn long_header_image() {
        let mut out = BytesMut::new();
        encode_frame_header(&mut out, MORE, 300);
        assert_eq!(&out[..], &[0x03, 0, 0, 0, 0, 0, 0, 0x01, 0x2C]);
        out.clear();
        encode_frame_header(&mut out, 0, 255);
        assert_eq!(&out[..], &[0x00, 0xFF]);
        out.clear();
        encode_frame_header(&mut out, COMMAND | LONG, 256);
        assert_eq!(&out[..], &[0x06, 0, 0, 0, 0, 0, 0, 0x01, 0x00]);
        out.clear();
        encode_frame_header(&mut out, COMMAND | LONG, 3);
        assert_eq!(&out[..], &[0x04, 0x03]);
    }

    #[test]
    fn flags() {
        assert_eq!(flags_for(true, true), 0x05);
        assert_eq!(RawFrame::command(Bytes::new()).flags(), COMMAND);
        assert_eq!(RawFrame::data(true, Bytes::new()).flags(), MORE);
    }
}
