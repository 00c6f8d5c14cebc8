//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zmtp_transport::{Endpoint, Stream};

/// Upper bound for any single wait in the tests.
pub const DEADLINE: Duration = Duration::from_secs(10);

pub fn ep(s: &str) -> Endpoint {
    match s.parse() {
        Ok(ep) => ep,
        Err(e) => panic!("{s:?}: {e}"),
    }
}

/// Awaits `fut` or panics after [`DEADLINE`].
pub async fn within<F: std::future::Future>(what: &str, fut: F) -> F::Output {
    match tokio::time::timeout(DEADLINE, fut).await {
        Ok(out) => out,
        Err(_) => panic!("timed out: {what}"),
    }
}

/// Sends bytes both ways between two connected streams.
pub async fn exchange(a: &mut Stream, b: &mut Stream) {
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let writer = async {
        a.write_all(&big).await.expect("write a");
        a.flush().await.expect("flush a");
    };
    let reader = async {
        let mut got = vec![0u8; big.len()];
        b.read_exact(&mut got).await.expect("read b");
        got
    };
    let ((), got) = within("a -> b", async { tokio::join!(writer, reader) }).await;
    assert!(got == big, "payload a -> b corrupted");

    within("b -> a", async {
        let bufs = [std::io::IoSlice::new(b"pi"), std::io::IoSlice::new(b"ng")];
        let mut sent = 0;
        while sent == 0 {
            sent = b.write_vectored(&bufs).await.expect("write_vectored");
        }
        let rest = b"ping"[sent..].to_vec();
        b.write_all(&rest).await.expect("write rest");
        let mut got = [0u8; 4];
        a.read_exact(&mut got).await.expect("read a");
        assert_eq!(&got, b"ping");
    })
    .await;
}

/// A fresh, short, empty directory for ipc socket files; removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "zmtp-tr-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut base = std::env::temp_dir();
        if base.as_os_str().len() > 60 {
            base = PathBuf::from("/tmp");
        }
        let dir = base.join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn endpoint(&self, file: &str) -> (Endpoint, PathBuf) {
        let path = self.0.join(file);
        (ep(&format!("ipc://{}", path.display())), path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
