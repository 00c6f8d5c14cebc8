//! Output queue: small data coalesced into one buffer, large bodies kept as
//! separate zero-copy chunks.

use std::collections::VecDeque;
use std::io::IoSlice;

use bytes::{Buf, Bytes, BytesMut};

use super::{encode_frame_header, flags_for, header_len};

/// Default body size from which [`WriteBuf::push_frame`] references the body
/// instead of copying it.
pub const DEFAULT_ZERO_COPY_THRESHOLD: usize = 16 * 1024;

/// Pending output bytes for the I/O driver, in order: the `chunks` queue,
/// then the `tail` buffer that new small data is appended to.
///
/// Small writes are copied into `tail`; a large body is queued as its own
/// [`Bytes`] after freezing what `tail` held so far (the frozen part shares
/// `tail`'s allocation, which `tail` reclaims once those bytes are written,
/// so the steady state does not allocate).
#[derive(Debug)]
pub struct WriteBuf {
    chunks: VecDeque<Bytes>,
    chunks_len: usize,
    tail: BytesMut,
    zero_copy_threshold: usize,
}

impl Default for WriteBuf {
    fn default() -> Self {
        WriteBuf::new()
    }
}

impl WriteBuf {
    /// An empty queue with the default zero-copy threshold (16 KiB).
    pub fn new() -> WriteBuf {
        WriteBuf::with_zero_copy_threshold(DEFAULT_ZERO_COPY_THRESHOLD)
    }

    /// An empty queue; bodies of at least `threshold` bytes are not copied.
    pub fn with_zero_copy_threshold(threshold: usize) -> WriteBuf {
        WriteBuf {
            chunks: VecDeque::new(),
            chunks_len: 0,
            tail: BytesMut::new(),
            zero_copy_threshold: threshold,
        }
    }

    /// The zero-copy threshold in force.
    pub fn zero_copy_threshold(&self) -> usize {
        self.zero_copy_threshold
    }

    /// Queues one frame: header, then body (copied when small, referenced
    /// when at least the zero-copy threshold).
    pub fn push_frame(&mut self, more: bool, command: bool, body: &Bytes) {
        let flags = flags_for(more, command);
        if body.len() >= self.zero_copy_threshold && !body.is_empty() {
            encode_frame_header(&mut self.tail, flags, body.len());
            self.push_chunk(body.clone());
        } else {
            self.tail.reserve(header_len(body.len()) + body.len());
            encode_frame_header(&mut self.tail, flags, body.len());
            self.tail.extend_from_slice(body);
        }
    }

    /// Queues a copy of `data`.
    pub fn push_bytes(&mut self, data: &[u8]) {
        self.tail.extend_from_slice(data);
    }

    /// Queues `chunk` without copying it.
    pub fn push_chunk(&mut self, chunk: Bytes) {
        if chunk.is_empty() {
            return;
        }
        if !self.tail.is_empty() {
            let head = self.tail.split().freeze();
            self.chunks_len += head.len();
            self.chunks.push_back(head);
        }
        self.chunks_len += chunk.len();
        self.chunks.push_back(chunk);
    }

    /// The buffer that queued data is appended to; bytes written into it are
    /// queued after everything pushed before.
    pub fn buf_mut(&mut self) -> &mut BytesMut {
        &mut self.tail
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of bytes pending.
    pub fn len(&self) -> usize {
        self.chunks_len + self.tail.len()
    }

    /// Fills `dst` with the pending chunks in order (for a vectored write) and
    /// returns how many slices were filled.
    pub fn chunks_vectored<'a>(&'a self, dst: &mut [IoSlice<'a>]) -> usize {
        let tail = (!self.tail.is_empty()).then_some(&self.tail[..]);
        let mut n = 0;
        for (slot, chunk) in dst
            .iter_mut()
            .zip(self.chunks.iter().map(|c| &c[..]).chain(tail))
        {
            *slot = IoSlice::new(chunk);
            n += 1;
        }
        n
    }

    /// The first pending chunk (for a plain write); empty when nothing is pending.
    pub fn contiguous(&self) -> &[u8] {
        match self.chunks.front() {
            Some(c) => c,
            None => &self.tail,
        }
    }

    /// Marks the first `n` pending bytes as written.
    ///
    /// # Panics
    /// If `n > self.len()` (a driver bug, never peer-controlled).
    pub fn advance(&mut self, mut n: usize) {
        assert!(n <= self.len(), "WriteBuf::advance past the end");
        while n > 0 {
            let Some(front) = self.chunks.front_mut() else {
                if n == self.tail.len() {
                    self.tail.clear();
                } else {
                    self.tail.advance(n);
                }
                return;
            };
            let len = front.len();
            if n < len {
                front.advance(n);
                self.chunks_len -= n;
                return;
            }
            n -= len;
            self.chunks_len -= len;
            self.chunks.pop_front();
        }
    }

    /// Drops everything pending.
    pub fn clear(&mut self) {
        self.chunks.clear();
        self.chunks_len = 0;
        self.tail.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(w: &mut WriteBuf) -> Vec<u8> {
        let mut out = Vec::new();
        while !w.is_empty() {
            let c = w.contiguous().to_vec();
            out.extend_from_slice(&c);
            w.advance(c.len());
        }
        out
    }

    #[test]
    fn small_frames_coalesce() {
        let mut w = WriteBuf::new();
        w.push_frame(true, false, &Bytes::from_static(b"A"));
        w.push_frame(false, false, &Bytes::from_static(b"B"));
        assert_eq!(w.contiguous(), &[0x01, 0x01, 0x41, 0x00, 0x01, 0x42]);
        let mut s = [IoSlice::new(&[]); 4];
        assert_eq!(w.chunks_vectored(&mut s), 1);
        assert_eq!(drain(&mut w), vec![0x01, 0x01, 0x41, 0x00, 0x01, 0x42]);
    }

    #[test]
    fn large_body_referenced() {
        let mut w = WriteBuf::with_zero_copy_threshold(4);
        let body = Bytes::from(vec![9u8; 300]);
        w.push_bytes(b"xy");
        w.push_frame(false, false, &body);
        w.push_bytes(b"z");
        assert_eq!(w.len(), 2 + 9 + 300 + 1);
        let mut s = [IoSlice::new(&[]); 8];
        let n = w.chunks_vectored(&mut s);
        assert_eq!(n, 3);
        assert_eq!(s[1].as_ptr(), body.as_ptr());
        assert_eq!(&s[0][..], &[b'x', b'y', 2, 0, 0, 0, 0, 0, 0, 1, 44]);
        assert_eq!(&s[2][..], b"z");
        let mut s1 = [IoSlice::new(&[]); 2];
        assert_eq!(w.chunks_vectored(&mut s1), 2);
        w.advance(12);
        assert_eq!(w.contiguous().len(), 299);
        w.advance(299);
        assert_eq!(w.contiguous(), b"z");
        w.advance(1);
        assert!(w.is_empty());
        assert_eq!(w.contiguous(), b"");
    }

    #[test]
    fn steady_state_reuses_tail_capacity() {
        let mut w = WriteBuf::with_zero_copy_threshold(64);
        let big = Bytes::from(vec![1u8; 100]);
        w.push_bytes(&[0; 256]);
        let n = w.len();
        w.advance(n);
        let base = w.buf_mut().as_ptr() as usize;
        let cap = w.buf_mut().capacity();
        for _ in 0..100 {
            w.push_frame(false, false, &Bytes::from_static(b"abc"));
            w.push_frame(false, false, &big);
            w.push_frame(false, false, &Bytes::from_static(b"abc"));
            let n = w.len();
            w.advance(n);
            w.buf_mut().reserve(16);
            let p = w.buf_mut().as_ptr() as usize;
            assert!(p >= base && p + 16 <= base + cap, "tail reallocated");
        }
    }
}
