//! `InprocRegistry::bind_while`: the name is free the moment the binder's liveness check
//! turns false, before its binding is dropped.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::mpsc::unbounded_channel;
use zmtp_transport::{InprocRegistry, TransportError};

#[test]
fn the_name_is_free_once_the_binder_is_not_alive() {
    let reg = InprocRegistry::<u32>::new();
    let alive = Arc::new(AtomicBool::new(true));
    let (tx1, mut rx1) = unbounded_channel();
    let flag = alive.clone();
    let first = reg
        .bind_while("n", tx1, move || flag.load(Ordering::Acquire))
        .expect("bind");
    let (tx2, mut rx2) = unbounded_channel();
    assert!(matches!(
        reg.bind("n", tx2.clone()),
        Err(TransportError::AddrInUse(_))
    ));
    reg.connect("n", 1);
    assert_eq!(rx1.try_recv().ok(), Some(1));

    alive.store(false, Ordering::Release);
    assert!(!reg.is_bound("n"));
    // A request now waits for the next binder instead of going to the departing one.
    reg.connect("n", 2);
    assert_eq!(reg.pending_len("n"), 1);
    let second = reg
        .bind("n", tx2)
        .expect("bind after the first stopped living");
    assert_eq!(rx2.try_recv().ok(), Some(2));
    assert!(rx1.try_recv().is_err());
    // Dropping the first binding late leaves the second bound.
    drop(first);
    assert!(reg.is_bound("n"));
    drop(second);
    assert!(!reg.is_bound("n"));
}
