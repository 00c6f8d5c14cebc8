//! [`Pipe`]: the one object between a socket and one peer, whatever the transport (tcp,
//! ipc and inproc alike; libzmq's `pipe_t` is the model).
//!
//! A pipe holds the peer's outgoing queue (bounded by SNDHWM, or conflating), the control
//! items queued beside it (subscriptions), the peer's incoming messages waiting to be read
//! (bounded by RCVHWM; the [`PipeTable`](crate::pipes::PipeTable) fair-queues them across
//! pipes), the waker of the connection that serves it, and what routing asked of that
//! connection (kill, close once flushed). Routing
//! reaches pipes through [`PeerSet`](crate::peer::PeerSet); connections (the stream
//! driver and the inproc link) through the methods here and [`State`](crate::state::State).

use std::collections::VecDeque;
use std::sync::Arc;
use std::task::Waker;

use bytes::Bytes;
use zmtp_codec::Metadata;

use crate::message::Message;
use crate::options::Options;
use crate::peer::Ctrl;

/// What a connection took from a pipe in one step (see [`Pipe::take`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Taken {
    /// Messages moved out of the outgoing queue.
    pub messages: usize,
    /// The queue was at its high-water mark before: blocked senders may go on now.
    pub was_full: bool,
}

/// One pipe to a peer.
#[derive(Debug)]
pub(crate) struct Pipe {
    out: VecDeque<Message>,
    ctrl: VecDeque<Ctrl>,
    out_hwm: usize,
    /// The peer's whole messages waiting to be read, oldest first.
    inq: VecDeque<Message>,
    in_hwm: usize,
    /// The connection's waker, set while it waits for work.
    waker: Option<Waker>,
    connected: bool,
    /// Set when routing wants the connection dropped.
    kill: Option<&'static str>,
    /// Set when routing wants the connection closed once `out` is written.
    close_when_flushed: Option<&'static str>,
    inproc: bool,
    /// The connection holds messages taken from `out` that are not fully written.
    unsent: bool,
    conflate: bool,
    connect_routing_id: Option<Bytes>,
    /// The connection's properties, given to each message as the application takes it.
    props: Option<Arc<Metadata>>,
}

impl Pipe {
    /// A pipe with the socket's current HWMs and CONFLATE.
    pub fn new(options: &Options) -> Self {
        Pipe {
            out: VecDeque::new(),
            ctrl: VecDeque::new(),
            out_hwm: options.sndhwm,
            inq: VecDeque::new(),
            in_hwm: options.rcvhwm,
            waker: None,
            connected: false,
            kill: None,
            close_when_flushed: None,
            inproc: false,
            unsent: false,
            conflate: options.conflate,
            connect_routing_id: None,
            props: None,
        }
    }

    /// The properties of the connection now serving the pipe.
    pub fn set_properties(&mut self, props: Option<Arc<Metadata>>) {
        self.props = props;
    }

    /// Marks the pipe as served by an inproc link (protocol checks that drop tcp/ipc
    /// connections only skip the message there).
    pub fn set_inproc(&mut self, inproc: bool) {
        self.inproc = inproc;
    }

    /// True for a pipe served by an inproc link.
    pub fn is_inproc(&self) -> bool {
        self.inproc
    }

    /// The CONNECT_ROUTING_ID given for this (connect-side) pipe.
    pub fn connect_routing_id(&self) -> Option<&Bytes> {
        self.connect_routing_id.as_ref()
    }

    /// Names this connect-side pipe (CONNECT_ROUTING_ID).
    pub fn set_connect_routing_id(&mut self, id: Option<Bytes>) {
        self.connect_routing_id = id;
    }

    /// True while a connection with a completed handshake serves the pipe.
    pub fn is_connected(&self) -> bool {
        self.connected
    }

    /// True when CONFLATE keeps only the newest message.
    pub fn conflates(&self) -> bool {
        self.conflate
    }

    // --- outgoing side -------------------------------------------------------------

    /// True when the outgoing queue is at its high-water mark (never with CONFLATE).
    #[inline]
    pub fn out_full(&self) -> bool {
        !self.conflate && self.out_hwm != 0 && self.out.len() >= self.out_hwm
    }

    /// Queues a whole message for the peer; hands it back when the queue is full.
    /// With CONFLATE the new message replaces whatever is queued.
    #[inline]
    pub fn push(&mut self, msg: Message) -> Result<(), Message> {
        if self.out_full() {
            return Err(msg);
        }
        if self.conflate {
            self.out.clear();
        }
        self.out.push_back(msg);
        self.wake();
        Ok(())
    }

    /// Queues a control item (never subject to the high-water mark).
    pub fn push_ctrl(&mut self, ctrl: Ctrl) {
        self.ctrl.push_back(ctrl);
        self.wake();
    }

    /// Replaces the control items (what routing wants sent first on a new connection).
    pub fn set_ctrl(&mut self, ctrl: Vec<Ctrl>) {
        self.ctrl = ctrl.into();
    }

    /// Moves up to `max` queued messages and every control item into the connection's
    /// buffers.
    #[inline]
    pub fn take(
        &mut self,
        max: usize,
        msgs: &mut VecDeque<Message>,
        ctrl: &mut Vec<Ctrl>,
    ) -> Taken {
        let was_full = self.out_full();
        ctrl.extend(self.ctrl.drain(..));
        let n = max.min(self.out.len());
        msgs.extend(self.out.drain(..n));
        Taken {
            messages: n,
            was_full,
        }
    }

    /// True when nothing waits to be taken (messages or control items).
    pub fn is_drained(&self) -> bool {
        self.out.is_empty() && self.ctrl.is_empty()
    }

    /// Messages waiting in the outgoing queue.
    pub fn out_len(&self) -> usize {
        self.out.len()
    }

    /// True when nothing is queued and the connection wrote everything it took.
    pub fn is_flushed(&self) -> bool {
        self.out.is_empty() && !self.unsent
    }

    /// The connection reports whether it holds taken messages not fully written.
    pub fn set_unsent(&mut self, unsent: bool) {
        self.unsent = unsent;
    }

    // --- incoming side -------------------------------------------------------------

    /// Room left for the peer's messages in the incoming queue (RCVHWM; 0 = unlimited).
    #[inline]
    pub fn in_room(&self) -> usize {
        if self.in_hwm == 0 {
            usize::MAX
        } else {
            self.in_hwm.saturating_sub(self.inq.len())
        }
    }

    /// The peer's messages waiting to be read.
    #[inline]
    pub fn in_count(&self) -> usize {
        self.inq.len()
    }

    /// Queues one of the peer's whole messages for reading. Callers respect
    /// [`Pipe::in_room`], except for what an ended connection had read (libzmq delivers
    /// what arrived).
    #[inline]
    pub fn push_in(&mut self, msg: Message) {
        self.inq.push_back(msg);
    }

    /// Takes the peer's oldest unread message; wakes the connection when that makes room
    /// under RCVHWM again.
    #[inline(always)]
    pub fn pop_in(&mut self) -> Option<Message> {
        // At or beyond RCVHWM (0: unlimited, never full).
        let was_full = self.in_hwm != 0 && self.inq.len() >= self.in_hwm;
        let mut msg = self.inq.pop_front()?;
        if was_full {
            self.wake();
        }
        if let Some(p) = &self.props {
            msg.set_properties(p.clone());
        }
        Some(msg)
    }

    /// Drops every unread message (CONFLATE replacing them, a discarded pipe); returns how
    /// many there were and wakes the connection if that makes room again.
    pub fn clear_in(&mut self) -> usize {
        let was_full = self.in_room() == 0;
        let n = self.inq.len();
        self.inq.clear();
        if was_full && n > 0 {
            self.wake();
        }
        n
    }

    /// The peer's unread messages, oldest first.
    #[cfg(test)]
    pub fn incoming(&self) -> impl Iterator<Item = &Message> {
        self.inq.iter()
    }

    // --- the connection ------------------------------------------------------------

    /// Registers the waker of the connection serving the pipe (kept when unchanged).
    #[inline]
    pub fn register(&mut self, waker: &Waker) {
        match &self.waker {
            Some(w) if w.will_wake(waker) => {}
            _ => self.waker = Some(waker.clone()),
        }
    }

    /// Wakes the connection serving the pipe.
    #[inline]
    pub fn wake(&mut self) {
        if let Some(w) = self.waker.take() {
            w.wake();
        }
    }

    /// A connection completed its handshake and now serves the pipe (an earlier kill
    /// request concerned the previous connection).
    pub fn attach(&mut self) {
        self.connected = true;
        self.kill = None;
    }

    /// The connection ended; the pipe waits for the next one (connect side). Control
    /// items are dropped: routing replays what a new connection needs.
    pub fn detach(&mut self) {
        self.connected = false;
        self.ctrl.clear();
        self.waker = None;
        self.unsent = false;
    }

    /// The pipe left the socket for good while its unread messages wait to be read: what
    /// was queued for the peer is dropped, and nothing is woken any more.
    pub fn depart(&mut self) {
        self.detach();
        self.out.clear();
    }

    /// Routing wants the connection dropped.
    pub fn kill(&mut self, reason: &'static str) {
        self.kill = Some(reason);
        self.wake();
    }

    /// The kill request, if any (taken: the connection acts on it once).
    pub fn take_kill(&mut self) -> Option<&'static str> {
        self.kill.take()
    }

    /// True when routing asked for the connection to be dropped.
    pub fn is_killed(&self) -> bool {
        self.kill.is_some()
    }

    /// Routing wants the connection closed once the queue is written.
    pub fn close_when_flushed(&mut self, reason: &'static str) {
        self.close_when_flushed = Some(reason);
        self.wake();
    }

    /// The close request, once the queue it waits for is empty.
    pub fn finish_reason(&self) -> Option<&'static str> {
        self.close_when_flushed.filter(|_| self.out.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    use super::*;

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn opts(sndhwm: usize, rcvhwm: usize, conflate: bool) -> Options {
        Options {
            sndhwm,
            rcvhwm,
            conflate,
            ..Options::default()
        }
    }

    fn msg(s: &'static str) -> Message {
        Message::from(Bytes::from_static(s.as_bytes()))
    }

    #[test]
    fn push_stops_at_sndhwm_and_take_reports_it() {
        let mut p = Pipe::new(&opts(2, 0, false));
        assert!(p.push(msg("a")).is_ok());
        assert!(p.push(msg("b")).is_ok());
        assert!(p.out_full());
        assert!(p.push(msg("c")).is_err());
        let (mut q, mut c) = (VecDeque::new(), Vec::new());
        let t = p.take(1, &mut q, &mut c);
        assert_eq!(
            t,
            Taken {
                messages: 1,
                was_full: true
            }
        );
        assert!(!p.out_full());
        let t = p.take(10, &mut q, &mut c);
        assert_eq!(
            t,
            Taken {
                messages: 1,
                was_full: false
            }
        );
        assert_eq!(q.len(), 2);
        assert!(p.is_drained());
    }

    #[test]
    fn conflate_keeps_only_the_newest() {
        let mut p = Pipe::new(&opts(1, 0, true));
        for s in ["a", "b", "c"] {
            assert!(p.push(msg(s)).is_ok());
        }
        assert_eq!(p.out_len(), 1);
        let (mut q, mut c) = (VecDeque::new(), Vec::new());
        p.take(10, &mut q, &mut c);
        assert_eq!(
            q.pop_front().and_then(|m| m.first().cloned()),
            Some(Bytes::from_static(b"c"))
        );
    }

    #[test]
    fn zero_hwm_is_unlimited() {
        let mut p = Pipe::new(&opts(0, 0, false));
        for _ in 0..5000 {
            assert!(p.push(msg("x")).is_ok());
        }
        assert_eq!(p.in_room(), usize::MAX);
    }

    #[test]
    fn incoming_room_and_wake_on_release_from_full() {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        let mut p = Pipe::new(&opts(0, 3, false));
        p.register(&waker);
        p.push_in(msg("a"));
        p.push_in(msg("b"));
        assert_eq!(p.in_room(), 1);
        assert!(p.pop_in().is_some());
        // Not full before: no wake.
        assert_eq!(count.0.load(Ordering::SeqCst), 0);
        p.push_in(msg("c"));
        p.push_in(msg("d"));
        assert_eq!(p.in_room(), 0);
        assert_eq!(
            p.pop_in().and_then(|m| m.first().cloned()),
            Some(Bytes::from_static(b"b"))
        );
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert_eq!(p.in_count(), 2);
        p.register(&waker);
        p.push_in(msg("e"));
        assert_eq!(p.clear_in(), 3);
        assert_eq!(count.0.load(Ordering::SeqCst), 2);
        assert_eq!(p.in_room(), 3);
    }

    #[test]
    fn kill_and_close_requests() {
        let mut p = Pipe::new(&Options::default());
        p.kill("dup");
        assert!(p.is_killed());
        assert_eq!(p.take_kill(), Some("dup"));
        assert_eq!(p.take_kill(), None);
        assert!(p.push(msg("a")).is_ok());
        p.close_when_flushed("closed");
        assert_eq!(p.finish_reason(), None);
        let (mut q, mut c) = (VecDeque::new(), Vec::new());
        p.take(10, &mut q, &mut c);
        assert_eq!(p.finish_reason(), Some("closed"));
    }

    #[test]
    fn attach_clears_kill_and_detach_drops_ctrl() {
        let mut p = Pipe::new(&Options::default());
        p.kill("x");
        p.attach();
        p.set_ctrl(vec![Ctrl::Subscribe(Bytes::from_static(b"t"))]);
        assert!(p.is_connected() && !p.is_killed() && !p.is_drained());
        p.set_unsent(true);
        p.detach();
        assert!(!p.is_connected() && p.is_drained() && p.is_flushed());
    }
}
