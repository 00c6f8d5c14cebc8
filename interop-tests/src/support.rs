//! Polling and endpoint helpers shared by the interop tests.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::time::Instant;

/// The deadline most waits in the tests use.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// Polls `cond` (every 5 ms) until it is true or `within` has passed. Returns the last result.
pub async fn wait_until(within: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Blocking variant of [`wait_until`] for std threads.
pub fn wait_until_blocking(within: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + within;
    loop {
        if cond() {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// An `ipc://` endpoint under the temp dir, unique per process and call.
/// The socket file is removed when the guard drops.
#[derive(Debug)]
pub struct IpcPath {
    path: PathBuf,
}

impl IpcPath {
    /// A fresh path named after `tag`.
    pub fn new(tag: &str) -> IpcPath {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let tag: String = tag
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .take(40)
            .collect();
        let path =
            std::env::temp_dir().join(format!("zmtp-it-{}-{n}-{tag}.sock", std::process::id()));
        let _ = std::fs::remove_file(&path);
        IpcPath { path }
    }

    /// `ipc:///tmp/...`.
    pub fn endpoint(&self) -> String {
        format!("ipc://{}", self.path.display())
    }

    /// The filesystem path.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }
}

impl Drop for IpcPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A deterministic payload of `len` bytes (cheap to build, easy to verify).
pub fn pattern(len: usize, seed: u8) -> Vec<u8> {
    let mut v = Vec::with_capacity(len);
    let mut x = seed as u32;
    while v.len() < len {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        v.extend_from_slice(&x.to_be_bytes());
    }
    v.truncate(len);
    v
}
