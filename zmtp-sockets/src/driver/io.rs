//! The driver's socket I/O: reads into the protocol's receive buffer (growing only while
//! reads fill it; large bodies straight into recycled buffers) and vectored writes.

use std::io::IoSlice;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::BufMut;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use zmtp_codec::Protocol;

use super::Driver;
use super::read_state::{PEEK_AFTER_LARGE, READ_CHUNK};
use crate::error::ConnectionError;

/// Slices per vectored write.
const MAX_IOV: usize = 64;

impl<S: AsyncRead + AsyncWrite + Unpin, P: Protocol> Driver<S, P> {
    /// Writes as much of the write buffer as the socket takes now.
    #[inline]
    pub(super) fn write(&mut self, cx: &mut Context<'_>) -> Result<bool, ConnectionError> {
        if self.outbound.wbuf.is_empty() {
            return Ok(false);
        }
        self.write_buffered(cx)
    }

    fn write_buffered(&mut self, cx: &mut Context<'_>) -> Result<bool, ConnectionError> {
        let out = &mut self.outbound;
        if out.write_error.is_some() {
            // Nobody reads what we write any more.
            out.wbuf.clear();
            return Ok(false);
        }
        let mut progress = false;
        while !out.wbuf.is_empty() {
            let mut slices = [IoSlice::new(&[]); MAX_IOV];
            let n = out.wbuf.chunks_vectored(&mut slices);
            let failed = match Pin::new(&mut self.io).poll_write_vectored(cx, &slices[..n]) {
                Poll::Ready(Ok(0)) => std::io::Error::from(std::io::ErrorKind::WriteZero),
                Poll::Ready(Ok(n)) => {
                    out.wbuf.advance(n);
                    progress = true;
                    continue;
                }
                Poll::Ready(Err(e)) => e,
                Poll::Pending => break,
            };
            // As libzmq does, a failed write does not end the connection by itself: the
            // peer may have sent messages before it went away, and they are read and
            // delivered first. The connection ends when its input ends.
            tracing::debug!(target: "zmtp_sockets", peer = %self.link.peer_address, error = %failed, "write failed; reading what the peer sent before it left");
            out.write_error = Some(failed);
            out.wbuf.clear();
            return Ok(true);
        }
        Ok(progress)
    }

    /// Reads what the socket has: into the large body being received, or into the
    /// protocol's receive buffer.
    #[inline]
    pub(super) fn read(&mut self, cx: &mut Context<'_>) -> Result<bool, ConnectionError> {
        if let Some((_, body)) = self.read.large.as_mut() {
            // Straight into the body's own buffer.
            let mut rb = ReadBuf::new(body.rest());
            return match Pin::new(&mut self.io).poll_read(cx, &mut rb) {
                Poll::Ready(Ok(())) => {
                    let n = rb.filled().len();
                    if n == 0 {
                        self.read.eof = true;
                    }
                    body.advance(n);
                    Ok(true)
                }
                Poll::Ready(Err(e)) => Err(e.into()),
                Poll::Pending => Ok(false),
            };
        }
        let chunk = self.read.chunk;
        let needed = self.proto.needed();
        let rbuf = self.proto.recv_buf();
        let have = rbuf.len();
        let missing = needed.saturating_sub(have);
        // Grow toward what the next frame needs, but never more than doubling what has
        // actually arrived, so a declared size cannot make us allocate ahead of the bytes.
        let want = missing.clamp(chunk, have.max(chunk));
        let spare = rbuf.capacity() - have;
        // Reserve when the buffer runs low, or when the frame being read would not fit,
        // so a large body lands in one allocation instead of being copied on growth.
        if spare < chunk / 4 || (missing > spare && missing <= want) {
            rbuf.reserve(want);
        }
        let cap = if self.read.after_large {
            PEEK_AFTER_LARGE
        } else {
            usize::MAX
        };
        let room = (rbuf.capacity() - have).min(cap);
        let mut limited = rbuf.limit(cap);
        match tokio_util::io::poll_read_buf(Pin::new(&mut self.io), cx, &mut limited) {
            Poll::Ready(Ok(0)) => {
                // Whole frames already buffered are still delivered before the end.
                self.read.eof = true;
                Ok(true)
            }
            Poll::Ready(Ok(n)) => {
                // A read that filled all its room: more is waiting, read bigger next time.
                if n >= room && chunk < READ_CHUNK && !self.read.after_large {
                    self.read.chunk = chunk * 2;
                }
                Ok(true)
            }
            Poll::Ready(Err(e)) => Err(e.into()),
            Poll::Pending => Ok(false),
        }
    }
}
