//! The state shared by a socket's handles and its connection drivers: one lock around the
//! routing machine, the peer table and the incoming queue. Drivers take it once per batch.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Waker;

use bytes::Bytes;
use tokio::runtime::Handle;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use zmtp_codec::SocketType;
use zmtp_transport::Endpoint;

use crate::context::Context;
use crate::message::Message;
use crate::options::Options;
use crate::peer::{Ctrl, PeerId, PeerSet};
use crate::routing::Routing;

/// Messages routed per socket-lock acquisition on the receive path when the application
/// and the drivers may run on different threads (see [`Shared::recv_batch`]).
const RECV_BATCH: usize = 32;

/// One pipe to a peer: the outgoing queue the driver drains and the incoming accounting.
#[derive(Debug)]
pub(crate) struct Peer {
    pub out: VecDeque<Message>,
    pub ctrl: VecDeque<Ctrl>,
    pub out_hwm: usize,
    pub in_count: usize,
    pub in_hwm: usize,
    /// The driver's waker, set while it has nothing to do.
    pub waker: Option<Waker>,
    pub connected: bool,
    /// 0 for a ZMTP 3.0 peer (subscriptions as data frames), 1 otherwise.
    pub minor: u8,
    /// Set when routing wants the connection dropped.
    pub kill: Option<&'static str>,
    /// Set when routing wants the connection closed once `out` is written.
    pub close_when_flushed: Option<&'static str>,
    /// An inproc pipe (protocol checks that drop tcp/ipc connections only skip the message).
    pub inproc: bool,
    /// True while the driver holds messages taken from `out` that are not fully written.
    pub unsent: bool,
    /// CONFLATE: a new message replaces whatever is queued.
    pub conflate: bool,
    /// CONNECT_ROUTING_ID given for this (connect-side) pipe.
    pub connect_routing_id: Option<Bytes>,
}

impl Peer {
    pub fn new(options: &Options) -> Self {
        Peer {
            out: VecDeque::new(),
            ctrl: VecDeque::new(),
            out_hwm: options.sndhwm,
            in_count: 0,
            in_hwm: options.rcvhwm,
            waker: None,
            connected: false,
            minor: 1,
            kill: None,
            close_when_flushed: None,
            inproc: false,
            unsent: false,
            conflate: options.conflate,
            connect_routing_id: None,
        }
    }

    pub fn out_full(&self) -> bool {
        !self.conflate && self.out_hwm != 0 && self.out.len() >= self.out_hwm
    }

    pub fn in_room(&self) -> usize {
        if self.in_hwm == 0 {
            usize::MAX
        } else {
            self.in_hwm.saturating_sub(self.in_count)
        }
    }

    pub fn wake(&mut self) {
        if let Some(w) = self.waker.take() {
            w.wake();
        }
    }
}

#[derive(Debug)]
struct Slot {
    generation: u32,
    peer: Option<Peer>,
}

/// Slab of peers addressed by generation-checked [`PeerId`]s.
#[derive(Debug, Default)]
pub(crate) struct PeerTable {
    slots: Vec<Slot>,
    free: Vec<u32>,
}

impl PeerTable {
    pub fn insert(&mut self, peer: Peer) -> PeerId {
        if let Some(i) = self.free.pop() {
            let slot = &mut self.slots[i as usize];
            slot.peer = Some(peer);
            PeerId::new(i, slot.generation)
        } else {
            let i = self.slots.len() as u32;
            self.slots.push(Slot {
                generation: 1,
                peer: Some(peer),
            });
            PeerId::new(i, 1)
        }
    }

    pub fn get(&self, id: PeerId) -> Option<&Peer> {
        let slot = self.slots.get(id.index())?;
        if slot.generation == id.generation() {
            slot.peer.as_ref()
        } else {
            None
        }
    }

    pub fn get_mut(&mut self, id: PeerId) -> Option<&mut Peer> {
        let slot = self.slots.get_mut(id.index())?;
        if slot.generation == id.generation() {
            slot.peer.as_mut()
        } else {
            None
        }
    }

    pub fn remove(&mut self, id: PeerId) -> Option<Peer> {
        let slot = self.slots.get_mut(id.index())?;
        if slot.generation != id.generation() {
            return None;
        }
        let peer = slot.peer.take()?;
        slot.generation = slot.generation.wrapping_add(1).max(1);
        self.free.push(id.index() as u32);
        Some(peer)
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Peer> {
        self.slots.iter_mut().filter_map(|s| s.peer.as_mut())
    }

    pub fn all_empty(&self) -> bool {
        self.slots
            .iter()
            .filter_map(|s| s.peer.as_ref())
            .all(|p| p.out.is_empty() || !p.connected)
    }
}

impl PeerSet for PeerTable {
    fn has_room(&self, id: PeerId) -> bool {
        self.get(id).is_some_and(|p| !p.out_full())
    }

    fn push(&mut self, id: PeerId, msg: Message) -> Result<(), Message> {
        match self.get_mut(id) {
            Some(p) if !p.out_full() => {
                if p.conflate {
                    p.out.clear();
                }
                p.out.push_back(msg);
                p.wake();
                Ok(())
            }
            _ => Err(msg),
        }
    }

    fn push_ctrl(&mut self, id: PeerId, ctrl: Ctrl) {
        if let Some(p) = self.get_mut(id) {
            p.ctrl.push_back(ctrl);
            p.wake();
        }
    }

    fn kill(&mut self, id: PeerId, reason: &'static str) {
        if let Some(p) = self.get_mut(id) {
            p.kill = Some(reason);
            p.wake();
        }
    }

    fn is_connected(&self, id: PeerId) -> bool {
        self.get(id).is_some_and(|p| p.connected)
    }

    fn close(&mut self, id: PeerId, reason: &'static str) {
        if let Some(p) = self.get_mut(id) {
            p.close_when_flushed = Some(reason);
            p.wake();
        }
    }
}

/// Everything behind the socket lock.
#[derive(Debug)]
pub(crate) struct State {
    pub routing: Routing,
    pub peers: PeerTable,
    pub inbox: VecDeque<(PeerId, Message)>,
    pub options: Options,
    pub closed: bool,
    pub bound: Vec<(Endpoint, CancellationToken)>,
    pub connected: Vec<(Endpoint, CancellationToken, PeerId)>,
    pub last_endpoint: Option<Endpoint>,
}

impl State {
    /// Removes a pipe for good. Messages it sent that wait in the incoming queue (its
    /// count plus `extra` just queued without counting) are still delivered.
    pub fn detach_peer(&mut self, id: PeerId, extra: usize) -> Option<Peer> {
        let pending = self.peers.get(id).map_or(0, |p| p.in_count) + extra;
        self.routing.detach(id, pending);
        self.peers.remove(id)
    }

    /// Takes one message off the incoming queue and releases its slot in the sender's pipe.
    pub fn pop_inbox(&mut self) -> Option<(PeerId, Message)> {
        let (from, msg) = self.inbox.pop_front()?;
        if let Some(p) = self.peers.get_mut(from) {
            let was_full = p.in_room() == 0;
            p.in_count = p.in_count.saturating_sub(1);
            if was_full {
                p.wake();
            }
        }
        Some((from, msg))
    }
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
    pub context: Arc<Context>,
    /// Connection drivers (stream and inproc) still running.
    pub drivers: AtomicUsize,
    /// Signalled when the last driver ends.
    pub drivers_done: Notify,
}

impl Shared {
    pub fn new(kind: SocketType, routing: Routing, runtime: Handle, context: Arc<Context>) -> Self {
        Shared {
            kind,
            state: Mutex::new(State {
                routing,
                peers: PeerTable::default(),
                inbox: VecDeque::new(),
                options: Options::default(),
                closed: false,
                bound: Vec::new(),
                connected: Vec::new(),
                last_endpoint: None,
            }),
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
            context,
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
