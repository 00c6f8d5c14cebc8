//! InprocRegistry: bind/connect rendezvous, connect-before-bind, name reuse.

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use zmtp_transport::{InprocRegistry, TransportError};

fn drain(rx: &mut UnboundedReceiver<u32>) -> Vec<u32> {
    let mut got = Vec::new();
    while let Ok(v) = rx.try_recv() {
        got.push(v);
    }
    got
}

#[test]
fn connect_after_bind_is_delivered_at_once() {
    let reg = InprocRegistry::<u32>::new();
    let (tx, mut rx) = unbounded_channel();
    let binding = reg.bind("a", tx).expect("bind");
    assert_eq!(binding.name(), "a");
    assert!(reg.is_bound("a"));
    reg.connect("a", 1);
    reg.connect("a", 2);
    assert_eq!(drain(&mut rx), [1, 2]);
    assert_eq!(reg.pending_len("a"), 0);
}

#[test]
fn connect_before_bind_is_delivered_in_order_on_bind() {
    let reg = InprocRegistry::<u32>::default();
    reg.connect("late", 1);
    reg.connect("late", 2);
    reg.connect("late", 3);
    reg.connect("other", 9);
    assert!(!reg.is_bound("late"));
    assert_eq!(reg.pending_len("late"), 3);

    let (tx, mut rx) = unbounded_channel();
    let _binding = reg.bind("late", tx).expect("bind");
    reg.connect("late", 4);
    assert_eq!(drain(&mut rx), [1, 2, 3, 4]);
    assert_eq!(reg.pending_len("late"), 0);
    assert_eq!(reg.pending_len("other"), 1);
}

#[test]
fn bind_in_use() {
    let reg = InprocRegistry::<u32>::new();
    let (tx1, _rx1) = unbounded_channel();
    let (tx2, _rx2) = unbounded_channel();
    let _b = reg.bind("name", tx1).expect("bind");
    match reg.bind("name", tx2) {
        Err(TransportError::AddrInUse(s)) => assert_eq!(s, "inproc://name"),
        other => panic!("expected AddrInUse, got {other:?}"),
    }
}

#[test]
fn dropping_the_binding_unbinds() {
    let reg = InprocRegistry::<u32>::new();
    let (tx, _rx) = unbounded_channel();
    let b = reg.bind("x", tx).expect("bind");
    drop(b);
    assert!(!reg.is_bound("x"));
    reg.connect("x", 7);
    assert_eq!(reg.pending_len("x"), 1);
    let (tx, mut rx) = unbounded_channel();
    let _b = reg.bind("x", tx).expect("rebind");
    assert_eq!(drain(&mut rx), [7]);
}

#[test]
fn explicit_unbind_and_stale_binding_drop() {
    let reg = InprocRegistry::<u32>::new();
    let (tx1, _rx1) = unbounded_channel();
    let old = reg.bind("x", tx1).expect("bind");
    reg.unbind("x");
    assert!(!reg.is_bound("x"));
    let (tx2, mut rx2) = unbounded_channel();
    let _new = reg.bind("x", tx2).expect("bind after unbind");
    // Dropping the old binding must not unbind the new binder.
    drop(old);
    assert!(reg.is_bound("x"));
    reg.connect("x", 5);
    assert_eq!(drain(&mut rx2), [5]);
}

#[test]
fn binder_gone_without_unbind_counts_as_unbound() {
    let reg = InprocRegistry::<u32>::new();
    let (tx, rx) = unbounded_channel();
    let _leaked = reg.bind("g", tx).expect("bind");
    drop(rx);
    assert!(!reg.is_bound("g"));
    reg.connect("g", 1);
    assert_eq!(
        reg.pending_len("g"),
        1,
        "request to a dead binder must wait"
    );
    let (tx, mut rx) = unbounded_channel();
    let _b = reg.bind("g", tx).expect("bind replaces the dead binder");
    reg.connect("g", 2);
    assert_eq!(drain(&mut rx), [1, 2]);
}

#[test]
fn bind_with_closed_receiver_keeps_requests_pending() {
    let reg = InprocRegistry::<u32>::new();
    reg.connect("c", 1);
    let (tx, rx) = unbounded_channel();
    drop(rx);
    let _b = reg.bind("c", tx).expect("bind");
    assert!(!reg.is_bound("c"));
    assert_eq!(reg.pending_len("c"), 1);
}

#[test]
fn retain_pending_filters() {
    let reg = InprocRegistry::<u32>::new();
    for v in 1..=4 {
        reg.connect("r", v);
    }
    reg.retain_pending("r", |v| v % 2 == 0);
    assert_eq!(reg.pending_len("r"), 2);
    let (tx, mut rx) = unbounded_channel();
    let _b = reg.bind("r", tx).expect("bind");
    assert_eq!(drain(&mut rx), [2, 4]);
}

#[test]
fn registry_shared_across_threads() {
    let reg = std::sync::Arc::new(InprocRegistry::<u32>::new());
    let (tx, mut rx) = unbounded_channel();
    let _b = reg.bind("t", tx).expect("bind");
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let reg = reg.clone();
            std::thread::spawn(move || {
                for j in 0..100 {
                    reg.connect("t", i * 100 + j);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread");
    }
    let mut got = drain(&mut rx);
    got.sort_unstable();
    assert_eq!(got, (0..400).collect::<Vec<_>>());
}
