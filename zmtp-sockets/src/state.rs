//! [`State`]: everything behind a socket's lock (routing machine, pipes with their
//! fair-queued incoming messages, options, endpoints), and the lifecycle steps every connection goes through whatever
//! its transport: attach at handshake, deliver incoming batches, end.

use std::collections::VecDeque;

use tokio_util::sync::CancellationToken;
use zmtp_transport::Endpoint;

use crate::message::Message;
use crate::options::Options;
use crate::peer::{PeerId, PeerMeta};
use crate::pipe::Pipe;
use crate::pipes::PipeTable;
use crate::routing::Routing;

/// Everything behind the socket lock.
#[derive(Debug)]
pub(crate) struct State {
    pub routing: Routing,
    pub peers: PipeTable,
    pub options: Options,
    pub closed: bool,
    pub bound: Vec<(Endpoint, CancellationToken)>,
    pub connected: Vec<(Endpoint, CancellationToken, PeerId)>,
    pub last_endpoint: Option<Endpoint>,
}

/// What [`State::deliver`] did with a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Delivery {
    /// Messages moved into the pipe's incoming queue.
    pub delivered: usize,
    /// No pipe had unread messages before (receivers need a wake-up).
    pub inbox_was_empty: bool,
    /// Room left in the pipe's incoming queue (RCVHWM).
    pub room: usize,
}

impl State {
    /// A fresh state around a routing machine.
    pub fn new(routing: Routing) -> State {
        State {
            routing,
            peers: PipeTable::default(),
            options: Options::default(),
            closed: false,
            bound: Vec::new(),
            connected: Vec::new(),
            last_endpoint: None,
        }
    }

    /// A pipe for a connection a listener (or an inproc bind) accepted, created as its
    /// handshake completes. Returns its id and its incoming room.
    pub fn attach_accepted(&mut self, meta: PeerMeta, inproc: bool) -> Option<(PeerId, usize)> {
        let mut pipe = Pipe::new(&self.options);
        pipe.set_inproc(inproc);
        let id = self.peers.insert(pipe);
        self.routing.attach(id);
        let room = self.attach_connection(id, meta)?;
        Some((id, room))
    }

    /// A connection made by `connect` completed its handshake on the pipe that `connect`
    /// created. With IMMEDIATE the pipe joins routing only now. Returns its incoming room.
    pub fn attach_dialed(&mut self, id: PeerId, meta: PeerMeta) -> Option<usize> {
        if self.options.immediate {
            let rid = self.peers.get(id)?.connect_routing_id().cloned();
            self.routing.attach_dialed(id, rid.as_ref());
        }
        self.attach_connection(id, meta)
    }

    fn attach_connection(&mut self, id: PeerId, mut meta: PeerMeta) -> Option<usize> {
        let pipe = self.peers.get_mut(id)?;
        pipe.attach();
        pipe.set_properties(meta.properties.clone());
        meta.connect_routing_id = pipe.connect_routing_id().cloned();
        let ctrl = self.routing.connected(id, &meta, &mut self.peers);
        let pipe = self.peers.get_mut(id)?;
        pipe.set_ctrl(ctrl);
        Some(pipe.in_room())
    }

    /// Moves whole messages from a connection's batch into its pipe's incoming queue, as
    /// far as the pipe's RCVHWM allows (CONFLATE: only the newest survives, replacing what
    /// the pipe has queued). `None` when the pipe is gone.
    #[inline]
    pub fn deliver(&mut self, id: PeerId, batch: &mut VecDeque<Message>) -> Option<Delivery> {
        let inbox_was_empty = self.peers.incoming_len() == 0;
        let (delivered, room) = self.peers.deliver(id, batch, false)?;
        Some(Delivery {
            delivered,
            inbox_was_empty,
            room,
        })
    }

    /// The connection serving `id` ended. Whole messages it read but could not deliver
    /// (`unqueued`) are still queued, beyond RCVHWM, as libzmq delivers what arrived. A
    /// dialed pipe lives on for the next connection (removed from routing meanwhile
    /// with IMMEDIATE); an accepted one departs (its unread messages are still read).
    pub fn connection_ended(&mut self, id: PeerId, dialed: bool, unqueued: &mut VecDeque<Message>) {
        self.peers.deliver(id, unqueued, true);
        unqueued.clear();
        if !dialed {
            self.detach_peer(id, 0);
            return;
        }
        let Some(pipe) = self.peers.get_mut(id) else {
            return;
        };
        let pending = pipe.in_count();
        pipe.detach();
        if self.options.immediate {
            self.routing.detach(id, pending);
        } else {
            self.routing.disconnected(id, pending);
        }
    }

    /// Removes a pipe from the socket for good. Its unread messages (plus `extra` the
    /// caller counts beside them) are still delivered: routing is told how many.
    pub fn detach_peer(&mut self, id: PeerId, extra: usize) {
        let pending = self.peers.get(id).map_or(0, |p| p.in_count()) + extra;
        self.routing.detach(id, pending);
        self.peers.depart(id);
    }

    /// Unread messages over every pipe.
    #[inline]
    pub fn inbox_len(&self) -> usize {
        self.peers.incoming_len()
    }

    /// Takes the next incoming message in fair order (one whole message per pipe in turn),
    /// with its sender; the sender's connection is woken if that makes room under RCVHWM.
    #[inline]
    pub fn pop_inbox(&mut self) -> Option<(PeerId, Message)> {
        self.peers.pop_incoming()
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use zmtp_codec::SocketType;

    use super::*;
    use crate::peer::PeerSet;

    fn state(kind: SocketType, f: impl FnOnce(&mut Options)) -> State {
        let mut st = State::new(Routing::new(kind).expect("every type has routing"));
        f(&mut st.options);
        st
    }

    fn batch(n: usize) -> VecDeque<Message> {
        (0..n)
            .map(|i| Message::from(Bytes::from(vec![i as u8])))
            .collect()
    }

    #[test]
    fn deliver_stops_at_rcvhwm_and_pop_releases() {
        let mut st = state(SocketType::Pull, |o| o.rcvhwm = 3);
        let (id, room) = st
            .attach_accepted(PeerMeta::default(), false)
            .expect("attached");
        assert_eq!(room, 3);
        let mut b = batch(5);
        let d = st.deliver(id, &mut b).expect("pipe exists");
        assert_eq!((d.delivered, d.inbox_was_empty, d.room), (3, true, 0));
        assert_eq!(b.len(), 2);
        assert!(st.pop_inbox().is_some());
        assert_eq!(st.peers.get(id).map(|p| p.in_room()), Some(1));
    }

    #[test]
    fn conflate_replaces_what_the_pipe_queued() {
        let mut st = state(SocketType::Pull, |o| o.conflate = true);
        let (id, _) = st
            .attach_accepted(PeerMeta::default(), false)
            .expect("attached");
        st.deliver(id, &mut batch(3));
        st.deliver(id, &mut batch(2));
        assert_eq!(st.inbox_len(), 1);
        assert_eq!(st.peers.get(id).map(|p| p.in_count()), Some(1));
        let (_, m) = st.pop_inbox().expect("one message");
        assert_eq!(m.first().map(|f| f[0]), Some(1));
    }

    #[test]
    fn an_ended_accepted_connection_still_delivers_what_it_read() {
        let mut st = state(SocketType::Router, |_| {});
        let meta = PeerMeta {
            identity: Bytes::from_static(b"peer"),
            ..Default::default()
        };
        let (id, _) = st.attach_accepted(meta, false).expect("attached");
        st.deliver(id, &mut batch(1));
        st.connection_ended(id, false, &mut batch(2));
        assert!(st.peers.get(id).is_none());
        assert_eq!(st.inbox_len(), 3);
        for _ in 0..3 {
            assert_eq!(st.pop_inbox().map(|(from, _)| from), Some(id));
        }
        assert!(st.pop_inbox().is_none());
        // The slot is free again, under a new id.
        let (next, _) = st
            .attach_accepted(PeerMeta::default(), false)
            .expect("attached");
        assert_eq!((next.index(), next == id), (id.index(), false));
    }

    #[test]
    fn a_dialed_pipe_outlives_its_connection() {
        let mut st = state(SocketType::Push, |_| {});
        let id = st.peers.insert(Pipe::new(&st.options));
        st.routing.attach_dialed(id, None);
        assert_eq!(st.attach_dialed(id, PeerMeta::default()), Some(1000));
        assert!(st.peers.is_connected(id));
        st.connection_ended(id, true, &mut VecDeque::new());
        assert!(!st.peers.is_connected(id));
        assert!(st.peers.get(id).is_some());
    }

    fn tagged(tag: u8, n: usize) -> VecDeque<Message> {
        (0..n)
            .map(|i| Message::from(Bytes::from(vec![tag, i as u8])))
            .collect()
    }

    fn pop_tags(st: &mut State, n: usize) -> Vec<[u8; 2]> {
        (0..n)
            .filter_map(|_| st.pop_inbox())
            .filter_map(|(_, m)| m.first().map(|f| [f[0], f[1]]))
            .collect()
    }

    #[test]
    fn two_pipes_take_turns_one_whole_message_each() {
        let mut st = state(SocketType::Pull, |_| {});
        let (a, _) = st.attach_accepted(PeerMeta::default(), false).expect("a");
        let (b, _) = st.attach_accepted(PeerMeta::default(), false).expect("b");
        st.deliver(a, &mut tagged(b'a', 5));
        st.deliver(b, &mut tagged(b'b', 5));
        let want: Vec<[u8; 2]> = (0..5).flat_map(|i| [[b'a', i], [b'b', i]]).collect();
        assert_eq!(pop_tags(&mut st, 10), want);
        assert_eq!(st.inbox_len(), 0);
        // A pipe that ran dry rejoins at the back.
        st.deliver(a, &mut tagged(b'a', 2));
        st.deliver(b, &mut tagged(b'b', 1));
        st.deliver(a, &mut tagged(b'c', 1));
        assert_eq!(
            pop_tags(&mut st, 4),
            vec![[b'a', 0], [b'b', 0], [b'a', 1], [b'c', 0]]
        );
    }

    #[test]
    fn a_flooding_pipe_does_not_starve_another() {
        let mut st = state(SocketType::Pull, |o| o.rcvhwm = 0);
        let (a, _) = st.attach_accepted(PeerMeta::default(), false).expect("a");
        let (b, _) = st.attach_accepted(PeerMeta::default(), false).expect("b");
        st.deliver(a, &mut tagged(b'a', 5000));
        st.pop_inbox();
        st.deliver(b, &mut tagged(b'b', 1));
        let first_two = pop_tags(&mut st, 2);
        assert!(first_two.contains(&[b'b', 0]), "{first_two:?}");
        assert_eq!(st.inbox_len(), 4998);
    }

    #[test]
    fn a_departed_pipe_keeps_its_turns_until_drained() {
        let mut st = state(SocketType::Router, |_| {});
        let meta = |id: &'static [u8]| PeerMeta {
            identity: Bytes::from_static(id),
            ..Default::default()
        };
        let (a, _) = st.attach_accepted(meta(b"A"), false).expect("a");
        let (b, _) = st.attach_accepted(meta(b"B"), false).expect("b");
        st.deliver(a, &mut tagged(b'a', 2));
        st.deliver(b, &mut tagged(b'b', 2));
        st.connection_ended(a, false, &mut tagged(b'x', 1));
        assert!(st.peers.get(a).is_none());
        let order: Vec<PeerId> = (0..5)
            .filter_map(|_| st.pop_inbox())
            .map(|(f, _)| f)
            .collect();
        assert_eq!(order, vec![a, b, a, b, a]);
    }

    #[test]
    fn conflate_keeps_one_turn_per_pipe() {
        let mut st = state(SocketType::Pull, |o| o.conflate = true);
        let (a, _) = st.attach_accepted(PeerMeta::default(), false).expect("a");
        let (b, _) = st.attach_accepted(PeerMeta::default(), false).expect("b");
        st.deliver(a, &mut tagged(b'a', 3));
        st.deliver(b, &mut tagged(b'b', 2));
        st.deliver(a, &mut tagged(b'c', 4));
        assert_eq!(pop_tags(&mut st, 3), vec![[b'c', 3], [b'b', 1]]);
    }
}
