//! [`State`]: everything behind a socket's lock (routing machine, pipes, incoming queue,
//! options, endpoints), and the lifecycle steps every connection goes through whatever
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
    /// The fair-queued incoming messages of every pipe, in arrival order.
    pub inbox: VecDeque<(PeerId, Message)>,
    pub options: Options,
    pub closed: bool,
    pub bound: Vec<(Endpoint, CancellationToken)>,
    pub connected: Vec<(Endpoint, CancellationToken, PeerId)>,
    pub last_endpoint: Option<Endpoint>,
}

/// What [`State::deliver`] did with a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Delivery {
    /// Messages moved into the incoming queue.
    pub delivered: usize,
    /// The incoming queue was empty before (receivers need a wake-up).
    pub inbox_was_empty: bool,
    /// Room left in the pipe's share of the incoming queue.
    pub room: usize,
}

impl State {
    /// A fresh state around a routing machine.
    pub fn new(routing: Routing) -> State {
        State {
            routing,
            peers: PipeTable::default(),
            inbox: VecDeque::new(),
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
        meta.connect_routing_id = pipe.connect_routing_id().cloned();
        let ctrl = self.routing.connected(id, &meta, &mut self.peers);
        let pipe = self.peers.get_mut(id)?;
        pipe.set_ctrl(ctrl);
        Some(pipe.in_room())
    }

    /// Moves whole messages from a connection's batch into the incoming queue, as far as
    /// the pipe's RCVHWM allows (CONFLATE: only the newest survives, replacing what the
    /// pipe has queued). `None` when the pipe is gone.
    #[inline]
    pub fn deliver(&mut self, id: PeerId, batch: &mut VecDeque<Message>) -> Option<Delivery> {
        let pipe = self.peers.get_mut(id)?;
        if pipe.conflates() && !batch.is_empty() {
            let keep = batch.len() - 1;
            batch.drain(..keep);
            let before = self.inbox.len();
            self.inbox.retain(|(from, _)| *from != id);
            pipe.released(before - self.inbox.len());
        }
        let inbox_was_empty = self.inbox.is_empty();
        let mut room = pipe.in_room();
        let mut delivered = 0;
        while room > 0 {
            let Some(m) = batch.pop_front() else { break };
            self.inbox.push_back((id, m));
            delivered += 1;
            room -= 1;
        }
        pipe.delivered(delivered);
        Some(Delivery {
            delivered,
            inbox_was_empty,
            room,
        })
    }

    /// The connection serving `id` ended. Whole messages it read but could not deliver
    /// (`unqueued`) are still queued, beyond RCVHWM, as libzmq delivers what arrived. A
    /// dialed pipe lives on for the next connection (removed from routing meanwhile
    /// with IMMEDIATE); an accepted one is removed.
    pub fn connection_ended(&mut self, id: PeerId, dialed: bool, unqueued: &mut VecDeque<Message>) {
        let n = unqueued.len();
        self.inbox.extend(unqueued.drain(..).map(|m| (id, m)));
        if !dialed {
            self.detach_peer(id, n);
            return;
        }
        let Some(pipe) = self.peers.get_mut(id) else {
            return;
        };
        pipe.delivered(n);
        let pending = pipe.in_count();
        pipe.detach();
        if self.options.immediate {
            self.routing.detach(id, pending);
        } else {
            self.routing.disconnected(id, pending);
        }
    }

    /// Removes a pipe for good. Messages it sent that wait in the incoming queue (its
    /// count plus `extra` just queued without counting) are still delivered.
    pub fn detach_peer(&mut self, id: PeerId, extra: usize) -> Option<Pipe> {
        let pending = self.peers.get(id).map_or(0, |p| p.in_count()) + extra;
        self.routing.detach(id, pending);
        self.peers.remove(id)
    }

    /// Takes one message off the incoming queue and releases its slot in the sender's pipe.
    #[inline]
    pub fn pop_inbox(&mut self) -> Option<(PeerId, Message)> {
        let (from, msg) = self.inbox.pop_front()?;
        if let Some(p) = self.peers.get_mut(from) {
            p.released(1);
        }
        Some((from, msg))
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
        assert_eq!(st.inbox.len(), 1);
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
        assert_eq!(st.inbox.len(), 3);
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
}
