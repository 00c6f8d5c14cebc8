//! The driver's read-side buffer policy: read sizes that grow only while reads fill
//! them (idle connections stay small), and large bodies received straight into recycled
//! buffers ([`crate::bufpool`]).

use crate::bufpool::BodyBuf;

/// Largest read buffer growth step (reached after a few reads that fill the buffer).
pub(super) const READ_CHUNK: usize = 256 * 1024;
/// First read buffer size: idle connections stay small.
const READ_CHUNK_MIN: usize = 8 * 1024;
/// Data bodies at least this large are read straight into recycled buffers
/// ([`crate::bufpool`]) instead of through the read buffer.
pub(super) const LARGE_BODY: usize = 16 * 1024;
/// After a large body, read-buffer reads are capped to this, so the next large body
/// mostly lands in its own buffer instead of being copied there from the read buffer.
pub(super) const PEEK_AFTER_LARGE: usize = 8 * 1024;

/// Read-side buffer policy.
#[derive(Debug)]
pub(super) struct ReadState {
    /// A large data body being received straight into its own buffer, with its MORE flag.
    pub large: Option<(bool, BodyBuf)>,
    /// The last frame was large: keep read-buffer reads short.
    pub after_large: bool,
    /// Current read size: doubles (up to [`READ_CHUNK`]) each time a read fills all the
    /// room it was given.
    pub chunk: usize,
    /// The peer closed its side; buffered input is drained before the driver ends.
    pub eof: bool,
}

impl Default for ReadState {
    fn default() -> Self {
        ReadState {
            large: None,
            after_large: false,
            chunk: READ_CHUNK_MIN,
            eof: false,
        }
    }
}
