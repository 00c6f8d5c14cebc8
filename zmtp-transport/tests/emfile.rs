//! Accept survives running out of file descriptors (EMFILE).
//!
//! Lowers RLIMIT_NOFILE for the whole process, so it lives alone in this test
//! binary.
#![allow(unsafe_code)]

mod common;

use std::fs::File;
use std::time::Duration;

use common::{ep, within};
use zmtp_transport::{Listener, connect};

fn nofile_limit() -> libc::rlimit {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct we pass.
    let rc = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) };
    assert_eq!(rc, 0, "getrlimit");
    lim
}

fn set_nofile_limit(lim: libc::rlimit) {
    // SAFETY: setrlimit only reads the struct we pass.
    let rc = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) };
    assert_eq!(rc, 0, "setrlimit");
}

fn highest_open_fd() -> u64 {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u64>().ok())
        .max()
        .unwrap_or(0)
}

#[tokio::test(flavor = "current_thread")]
async fn accept_backs_off_on_emfile_and_recovers() {
    let mut listener = Listener::bind(&ep("tcp://127.0.0.1:*")).expect("bind");
    let target = listener.local_endpoint();
    let mut clients = Vec::new();
    for _ in 0..3 {
        clients.push(within("connect", connect(&target)).await.expect("connect"));
    }

    let original = nofile_limit();
    let lowered = libc::rlimit {
        rlim_cur: (highest_open_fd() + 16).min(original.rlim_cur),
        rlim_max: original.rlim_max,
    };
    set_nofile_limit(lowered);
    let mut fillers = Vec::new();
    let exhausted = loop {
        match File::open("/dev/null") {
            Ok(f) if fillers.len() < 100_000 => fillers.push(f),
            Ok(_) => break false,
            Err(e) => break e.raw_os_error() == Some(libc::EMFILE),
        }
    };

    // With no descriptor left, accept must neither succeed nor fail: it pauses and retries.
    let starved = tokio::time::timeout(Duration::from_millis(100), listener.accept()).await;
    drop(fillers);
    set_nofile_limit(original);
    assert!(exhausted, "could not exhaust file descriptors");
    match starved {
        Err(_elapsed) => {}
        Ok(Ok(_)) => panic!("accept succeeded without free descriptors"),
        Ok(Err(e)) => panic!("accept returned an error instead of retrying: {e}"),
    }

    for _ in 0..clients.len() {
        within("accept after recovery", listener.accept())
            .await
            .expect("accept after recovery");
    }
}
