//! Recycled buffers for large received bodies.
//!
//! A large body is read straight from the socket into a buffer taken from this pool and
//! handed to the application as [`Bytes`]; when the application drops the last reference,
//! the buffer goes back to the pool instead of to the allocator. Freshly allocated large
//! buffers cost page faults (the allocator returns big blocks to the kernel and gets new
//! zeroed pages on the next allocation): profiles of 64 KiB throughput showed about half
//! of the receiver's time in page faults before this pool.
//!
//! Buffers come in power-of-two size classes from [`MIN_CLASS`] to [`MAX_CLASS`]. The
//! idle buffers kept are bounded by demand: at most [`POOL_IDLE_BYTES`], or the recent
//! peak of bytes handed out at once if that is more (a receiver that has fallen behind
//! holds up to RCVHWM bodies and drains them in bursts; refilling that many without the
//! pool would fault in fresh pages again). The peak decays as buffers come back without
//! new demand, and a buffer returned beyond the bound is freed, so idle memory never
//! exceeds what the sockets' high-water marks already let a connection hold. Bodies
//! above [`MAX_CLASS`] get a plain allocation.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use bytes::Bytes;

/// Smallest size class (bytes).
pub const MIN_CLASS: usize = 16 * 1024;
/// Largest size class (bytes); bigger bodies are not pooled.
pub const MAX_CLASS: usize = 4 * 1024 * 1024;
/// Idle bytes the pool may always keep, over all classes (more while more is in use).
pub const POOL_IDLE_BYTES: usize = 16 * 1024 * 1024;

const CLASSES: usize = (MAX_CLASS / MIN_CLASS).trailing_zeros() as usize + 1;

/// The idle buffers of every size class.
#[derive(Debug)]
struct Pool {
    classes: [Mutex<Vec<Vec<u8>>>; CLASSES],
    /// Bytes held in the class lists.
    idle: AtomicUsize,
    /// Bytes of pooled-class buffers currently handed out.
    in_use: AtomicUsize,
    /// Recent peak of `in_use` (decays by 1/65536 per returned buffer).
    peak: AtomicUsize,
}

static POOL: LazyLock<Arc<Pool>> = LazyLock::new(|| {
    Arc::new(Pool {
        classes: std::array::from_fn(|_| Mutex::new(Vec::new())),
        idle: AtomicUsize::new(0),
        in_use: AtomicUsize::new(0),
        peak: AtomicUsize::new(0),
    })
});

/// The size class index for `len`, if it is pooled.
fn class_of(len: usize) -> Option<usize> {
    if len > MAX_CLASS {
        return None;
    }
    let size = len.max(MIN_CLASS).next_power_of_two();
    Some((size / MIN_CLASS).trailing_zeros() as usize)
}

/// A buffer being filled with one body: `len` bytes are wanted, `filled` are in.
#[derive(Debug)]
pub(crate) struct BodyBuf {
    buf: Vec<u8>,
    len: usize,
    filled: usize,
    class: Option<usize>,
}

impl BodyBuf {
    /// A buffer for a body of `len` bytes, from the pool when one is idle.
    pub fn new(len: usize) -> BodyBuf {
        let class = class_of(len);
        let recycled = class.and_then(|c| lock(&POOL.classes[c]).pop());
        if let Some(b) = &recycled {
            POOL.idle.fetch_sub(b.len(), Ordering::Relaxed);
        }
        let buf = recycled.unwrap_or_else(|| {
            let cap = class.map_or(len, |c| MIN_CLASS << c);
            vec![0u8; cap]
        });
        if class.is_some() {
            let now = POOL.in_use.fetch_add(buf.len(), Ordering::Relaxed) + buf.len();
            POOL.peak.fetch_max(now, Ordering::Relaxed);
        }
        BodyBuf {
            buf,
            len,
            filled: 0,
            class,
        }
    }

    /// The part still to be filled.
    pub fn rest(&mut self) -> &mut [u8] {
        &mut self.buf[self.filled..self.len]
    }

    /// Records `n` more bytes as filled (at most what [`BodyBuf::rest`] offered).
    pub fn advance(&mut self, n: usize) {
        self.filled = (self.filled + n).min(self.len);
    }

    /// Copies as much of `src` as still fits; returns how many bytes were taken.
    pub fn fill_from(&mut self, src: &[u8]) -> usize {
        let n = src.len().min(self.len - self.filled);
        self.buf[self.filled..self.filled + n].copy_from_slice(&src[..n]);
        self.filled += n;
        n
    }

    /// True when the whole body is in.
    pub fn is_full(&self) -> bool {
        self.filled == self.len
    }

    /// The body as `Bytes`; its buffer returns to the pool when the last reference goes.
    pub fn freeze(mut self) -> Bytes {
        let mut buf = std::mem::take(&mut self.buf);
        match self.class {
            Some(class) => Bytes::from_owner(Recycled {
                buf,
                len: self.len,
                class,
            }),
            None => {
                buf.truncate(self.len);
                Bytes::from(buf)
            }
        }
    }
}

impl Drop for BodyBuf {
    /// A body abandoned half-read (the connection ended) gives its buffer back.
    fn drop(&mut self) {
        if let Some(class) = self.class
            && !self.buf.is_empty()
        {
            drop(Recycled {
                buf: std::mem::take(&mut self.buf),
                len: 0,
                class,
            });
        }
    }
}

/// Owner of a pooled buffer behind a `Bytes`: gives it back on drop.
struct Recycled {
    buf: Vec<u8>,
    len: usize,
    class: usize,
}

impl AsRef<[u8]> for Recycled {
    fn as_ref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl Drop for Recycled {
    fn drop(&mut self) {
        let buf = std::mem::take(&mut self.buf);
        let size = buf.len();
        POOL.in_use.fetch_sub(size, Ordering::Relaxed);
        // A racy decay is fine: the bound is a heuristic, the cap below still holds.
        let peak = POOL.peak.load(Ordering::Relaxed);
        POOL.peak.store(peak - peak / 65536, Ordering::Relaxed);
        let keep = POOL_IDLE_BYTES.max(peak);
        if POOL.idle.fetch_add(size, Ordering::Relaxed) + size <= keep {
            lock(&POOL.classes[self.class]).push(buf);
        } else {
            POOL.idle.fetch_sub(size, Ordering::Relaxed);
        }
    }
}

/// Locks a class list; a poisoned lock only means a panic elsewhere mid-push or mid-pop,
/// which leaves the list valid.
fn lock(m: &Mutex<Vec<Vec<u8>>>) -> std::sync::MutexGuard<'_, Vec<Vec<u8>>> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_cover_min_to_max() {
        assert_eq!(class_of(1), Some(0));
        assert_eq!(class_of(MIN_CLASS), Some(0));
        assert_eq!(class_of(MIN_CLASS + 1), Some(1));
        assert_eq!(class_of(MAX_CLASS), Some(CLASSES - 1));
        assert_eq!(class_of(MAX_CLASS + 1), None);
    }

    #[test]
    fn bodies_fill_freeze_and_recycle() {
        // A size used by no other test, so the class is ours alone.
        let len = 3 * 1024 * 1024 + 7;
        let mut b = BodyBuf::new(len);
        assert_eq!(b.fill_from(&[1, 2, 3]), 3);
        let rest = b.rest();
        assert_eq!(rest.len(), len - 3);
        rest.fill(9);
        b.advance(len);
        assert!(b.is_full());
        assert_eq!(b.fill_from(&[4]), 0, "nothing beyond the body");
        let body = b.freeze();
        assert_eq!(body.len(), len);
        assert_eq!(&body[..4], &[1, 2, 3, 9]);
        let part = body.slice(1..3);
        let ptr = body.as_ptr();
        drop(body);
        assert_eq!(&part[..], &[2, 3], "a slice keeps the buffer alive");
        drop(part);
        let again = BodyBuf::new(len);
        assert_eq!(again.buf.as_ptr(), ptr, "the buffer came back");
    }

    #[test]
    fn unpooled_sizes_are_plain() {
        let len = MAX_CLASS + 1;
        let mut b = BodyBuf::new(len);
        b.advance(len);
        assert_eq!(b.freeze().len(), len);
    }
}
