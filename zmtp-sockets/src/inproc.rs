//! inproc: whole messages move between two sockets of one context with no encoding.
//! One small driver task per connection moves batches in both directions, taking each
//! socket's lock in turn (never both at once, so no lock-order deadlock).

use std::collections::VecDeque;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio_util::sync::WaitForCancellationFutureOwned;

use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerMeta};
use crate::routing::{Incoming, classify};
use crate::shared::{InprocConnect, Shared};

const BATCH: usize = 512;
const BUDGET: usize = 64;

struct Side {
    shared: Arc<Shared>,
    id: PeerId,
    /// Room left in this side's incoming queue for messages from the other side.
    room: usize,
    shutdown: Pin<Box<WaitForCancellationFutureOwned>>,
    closed: bool,
    /// Routing closed this pipe; it ends once its queue has been handed over.
    finished: bool,
    /// Messages still wait in this side's outgoing queue (after the last transfer).
    pending_out: bool,
    /// After this side closed: when its linger runs out (`None` inside: never).
    linger: Option<Option<Pin<Box<tokio::time::Sleep>>>>,
}

/// Joins a connecting socket's pipe to a new pipe on the binding socket and spawns the
/// driver that moves messages between them.
pub(crate) fn join(binder: Arc<Shared>, req: InprocConnect) {
    let connector = req.shared;
    let a_id = req.peer;
    // What each side learns about the other, as a ZMTP handshake would tell it.
    let a_meta = PeerMeta {
        identity: connector.lock().options.routing_id.clone(),
        socket_type: Some(connector.kind),
        ..Default::default()
    };
    let b_meta = PeerMeta {
        identity: binder.lock().options.routing_id.clone(),
        socket_type: Some(binder.kind),
        ..Default::default()
    };
    let Some((b_id, b_room)) = binder.lock().attach_accepted(a_meta, true) else {
        return;
    };
    let a_room = connector.lock().attach_dialed(a_id, b_meta).unwrap_or(0);
    for side in [&binder, &connector] {
        if side.lock().routing.has_local() {
            side.recv_ready.notify_one();
        }
    }
    binder.send_ready.notify_waiters();
    connector.send_ready.notify_waiters();
    let runtime = binder.runtime.clone();
    let mut a = Side {
        shutdown: Box::pin(connector.shutdown.clone().cancelled_owned()),
        shared: connector,
        id: a_id,
        room: a_room,
        closed: false,
        finished: false,
        pending_out: false,
        linger: None,
    };
    let mut b = Side {
        shutdown: Box::pin(binder.shutdown.clone().cancelled_owned()),
        shared: binder,
        id: b_id,
        room: b_room,
        closed: false,
        finished: false,
        pending_out: false,
        linger: None,
    };
    let guard_a = a.shared.driver_started();
    let guard_b = b.shared.driver_started();
    runtime.spawn(async move {
        let _guards = (guard_a, guard_b);
        let mut ab = VecDeque::new();
        let mut ba = VecDeque::new();
        poll_fn(|cx| drive(cx, &mut a, &mut b, &mut ab, &mut ba)).await;
        for side in [&a, &b] {
            let mut st = side.shared.lock();
            st.detach_peer(side.id, 0);
            // Leaving may synthesize messages (XPUB unsubscriptions, STREAM notices).
            let local = st.routing.has_local();
            drop(st);
            if local {
                side.shared.recv_ready.notify_one();
            }
        }
        tracing::debug!(target: "zmtp_sockets", "inproc connection ended");
    });
}

fn drive(
    cx: &mut Context<'_>,
    a: &mut Side,
    b: &mut Side,
    ab: &mut VecDeque<Message>,
    ba: &mut VecDeque<Message>,
) -> Poll<()> {
    for side in [&mut *a, &mut *b] {
        if !side.closed && side.shutdown.as_mut().poll(cx).is_ready() {
            side.closed = true;
            let linger = side.shared.lock().options.linger;
            side.linger = Some(linger.map(|d| Box::pin(tokio::time::sleep(d))));
        }
    }
    for _ in 0..BUDGET {
        let p1 = transfer(cx, a, b, ab);
        let p2 = transfer(cx, b, a, ba);
        let (Some(p1), Some(p2)) = (p1, p2) else {
            return Poll::Ready(());
        };
        if a.finished || b.finished || (a.closed && b.closed) {
            return Poll::Ready(());
        }
        // A closed side's queue is still handed over (up to its linger), as libzmq keeps
        // the pipe's messages for the peer; then the pipe ends.
        for side in [&mut *a, &mut *b] {
            if side.closed && (!side.pending_out || lingered(cx, side)) {
                return Poll::Ready(());
            }
        }
        if !p1 && !p2 {
            return Poll::Pending;
        }
    }
    cx.waker().wake_by_ref();
    Poll::Pending
}

/// True once a closed side's linger time has run out.
fn lingered(cx: &mut Context<'_>, side: &mut Side) -> bool {
    match &mut side.linger {
        Some(Some(timer)) => timer.as_mut().poll(cx).is_ready(),
        _ => false,
    }
}

/// Moves what fits from `src`'s pipe into `dst`'s incoming queue. `None` when a pipe is gone.
fn transfer(
    cx: &mut Context<'_>,
    src: &mut Side,
    dst: &mut Side,
    buf: &mut VecDeque<Message>,
) -> Option<bool> {
    let mut ctrl: Vec<Ctrl> = Vec::new();
    {
        let mut guard = src.shared.lock();
        let p = guard.peers.get_mut(src.id)?;
        if p.is_killed() {
            // Routing refused this peer (duplicate id, second PAIR peer, STREAM close).
            return None;
        }
        let taken = p.take(dst.room.min(BATCH), buf, &mut ctrl);
        if p.finish_reason().is_some() {
            src.finished = true;
        }
        src.pending_out = p.out_len() > 0;
        p.register(cx.waker());
        drop(guard);
        if taken.was_full && taken.messages > 0 {
            src.shared.send_ready.notify_waiters();
        }
    }
    let moved = !buf.is_empty() || !ctrl.is_empty();
    let mut guard = dst.shared.lock();
    let st = &mut *guard;
    for c in ctrl {
        match c {
            Ctrl::Subscribe(t) => st.routing.on_subscribe(dst.id, &t),
            Ctrl::Cancel(t) => st.routing.on_cancel(dst.id, &t),
        }
    }
    // Inproc messages are classified on arrival (tcp/ipc drivers do it while decoding).
    let mut kept = VecDeque::with_capacity(buf.len());
    for m in buf.drain(..) {
        match classify(dst.shared.kind, m) {
            Incoming::Keep(m) => kept.push_back(m),
            Incoming::Subscription(true, t) => st.routing.on_subscribe(dst.id, &t),
            Incoming::Subscription(false, t) => st.routing.on_cancel(dst.id, &t),
            Incoming::Discard => {}
        }
    }
    let delivery = st.deliver(dst.id, &mut kept)?;
    let local = st.routing.has_local();
    let p = st.peers.get_mut(dst.id)?;
    let old_room = dst.room;
    dst.room = delivery.room;
    p.register(cx.waker());
    drop(guard);
    if (delivery.delivered > 0 && delivery.inbox_was_empty) || local {
        dst.shared.recv_ready.notify_one();
    }
    // Room freed by the receiver means the next pass can move more.
    Some(moved || (old_room == 0 && dst.room > 0))
}
