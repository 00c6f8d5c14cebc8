//! [`Shared`]: the part of a socket that every handle, connection driver and background
//! task holds: the locked [`State`], the ready queue, wake-ups, shutdown, the runtime, the
//! inproc registry and the event sink.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::runtime::Handle;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use zmtp_codec::SocketType;
use zmtp_transport::InprocRegistry;

use crate::events::EventSink;
use crate::message::Message;
use crate::peer::PeerId;
use crate::routing::Routing;
use crate::state::State;

/// Messages routed per socket-lock acquisition on the receive path when the application
/// and the drivers may run on different threads (see [`Shared::recv_batch`]).
const RECV_BATCH: usize = 32;

/// A connecting socket's pipe, as it waits in the context's inproc registry until a
/// socket binds the name (the bound socket then links the two).
#[derive(Debug)]
pub(crate) struct InprocConnect {
    /// The connecting socket.
    pub shared: Arc<Shared>,
    /// The pipe `connect` created (messages may already be queued in it).
    pub peer: PeerId,
}

/// The part of a socket every handle, driver and background task holds.
#[derive(Debug)]
pub(crate) struct Shared {
    pub kind: SocketType,
    state: Mutex<State>,
    /// Messages taken from the incoming queue and routed, waiting for the application
    /// (locked after `state` when both are held).
    ready: Mutex<VecDeque<Message>>,
    /// Mirrors `State::closed` for the lock-free check on the receive fast path.
    pub closed: AtomicBool,
    /// Messages routed per socket-lock acquisition on the receive path: batches pay off
    /// when the application runs on other threads than the drivers (multi-thread
    /// runtimes, the internal I/O thread); on a current-thread runtime they only add
    /// work, so there it is 1 and the ready queue stays unused.
    pub recv_batch: usize,
    /// Signalled when the incoming queue gains messages.
    pub recv_ready: Notify,
    /// Receivers waiting in `recv` (see [`Shared::pass_recv_baton`]).
    recv_waiters: AtomicUsize,
    /// Signalled when an outgoing pipe gains room or a peer appears.
    pub send_ready: Notify,
    /// Cancelled when the socket closes: listeners and dialers stop.
    pub shutdown: CancellationToken,
    pub runtime: Handle,
    /// The context's inproc registry (bind and connect of `inproc://` names).
    pub inproc: Arc<InprocRegistry<InprocConnect>>,
    /// Where connection lifecycle points report.
    pub events: EventSink,
    /// Connection drivers (stream and inproc) still running.
    pub drivers: AtomicUsize,
    /// Signalled when the last driver ends.
    pub drivers_done: Notify,
}

impl Shared {
    pub fn new(
        kind: SocketType,
        routing: Routing,
        runtime: Handle,
        inproc: Arc<InprocRegistry<InprocConnect>>,
    ) -> Self {
        Shared {
            kind,
            state: Mutex::new(State::new(routing)),
            ready: Mutex::new(VecDeque::new()),
            closed: AtomicBool::new(false),
            recv_batch: match runtime.runtime_flavor() {
                tokio::runtime::RuntimeFlavor::CurrentThread => 1,
                _ => RECV_BATCH,
            },
            recv_ready: Notify::new(),
            recv_waiters: AtomicUsize::new(0),
            send_ready: Notify::new(),
            shutdown: CancellationToken::new(),
            runtime,
            inproc,
            events: EventSink::default(),
            drivers: AtomicUsize::new(0),
            drivers_done: Notify::new(),
        }
    }

    /// A receiver that took a message and left more behind wakes the next waiting
    /// receiver; with none waiting (the common single-receiver case) it skips the
    /// notification. A receiver counts itself in (`recv_waiter`) before its last check of
    /// the queue, so it either sees the messages or is counted here.
    pub fn pass_recv_baton(&self) {
        if self.recv_waiters.load(Ordering::SeqCst) > 0 {
            self.recv_ready.notify_one();
        }
    }

    /// Counts a receiver as waiting until the guard is dropped.
    pub fn recv_waiter(&self) -> RecvWaiter<'_> {
        self.recv_waiters.fetch_add(1, Ordering::SeqCst);
        RecvWaiter { shared: self }
    }

    /// Counts a driver in; the returned guard counts it out when dropped.
    pub fn driver_started(self: &Arc<Self>) -> DriverGuard {
        self.drivers.fetch_add(1, Ordering::AcqRel);
        DriverGuard {
            shared: self.clone(),
        }
    }

    /// Locks the ready queue (see [`Shared::lock`] about poisoning).
    pub fn lock_ready(&self) -> MutexGuard<'_, VecDeque<Message>> {
        match self.ready.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Locks the state. A poisoned lock (a panic elsewhere while holding it) is recovered:
    /// the state is kept consistent at every step, so continuing is safe.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// Keeps a socket's driver count while a connection driver runs.
#[derive(Debug)]
pub(crate) struct DriverGuard {
    shared: Arc<Shared>,
}

impl Drop for DriverGuard {
    fn drop(&mut self) {
        if self.shared.drivers.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.shared.drivers_done.notify_waiters();
        }
    }
}

/// Keeps a receiver counted as waiting (see [`Shared::recv_waiter`]).
#[derive(Debug)]
pub(crate) struct RecvWaiter<'a> {
    shared: &'a Shared,
}

impl Drop for RecvWaiter<'_> {
    fn drop(&mut self) {
        self.shared.recv_waiters.fetch_sub(1, Ordering::SeqCst);
    }
}
