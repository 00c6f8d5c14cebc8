//! Routing state machines driven through a fake peer set: no I/O.

mod pair;
mod pattern;
mod pipeline;
mod pubsub;
mod reqrep;
mod router;
mod stream;
mod xpub;
mod xsub;

use std::collections::{BTreeMap, VecDeque};

use bytes::Bytes;
use zmtp_codec::SocketType;

use super::*;
use crate::peer::{Ctrl, PeerId, PeerMeta, PeerSet};

/// One fake pipe: queued messages, high-water mark, connected flag.
struct Pipe {
    out: VecDeque<Message>,
    hwm: usize,
    connected: bool,
}

/// Plain queues standing in for the engine's peer table.
#[derive(Default)]
struct Fake {
    pipes: BTreeMap<PeerId, Pipe>,
    ctrl: Vec<(PeerId, Ctrl)>,
    killed: Vec<(PeerId, &'static str)>,
    closed: Vec<(PeerId, &'static str)>,
}

impl Fake {
    /// A connected pipe with the given high-water mark.
    fn add(&mut self, id: u64, hwm: usize) -> PeerId {
        let id = PeerId(id);
        let pipe = Pipe {
            out: VecDeque::new(),
            hwm,
            connected: true,
        };
        self.pipes.insert(id, pipe);
        id
    }

    /// Everything queued for the peer so far.
    fn take(&mut self, id: PeerId) -> Vec<Message> {
        self.pipes
            .get_mut(&id)
            .map(|p| p.out.drain(..).collect())
            .unwrap_or_default()
    }

    /// Number of messages queued for the peer.
    fn queued(&self, id: PeerId) -> usize {
        self.pipes.get(&id).map_or(0, |p| p.out.len())
    }

    /// Control items queued for the peer so far (drained).
    fn take_ctrl(&mut self, id: PeerId) -> Vec<Ctrl> {
        let (mine, rest) = self.ctrl.drain(..).partition(|(p, _)| *p == id);
        self.ctrl = rest;
        mine.into_iter().map(|(_, c)| c).collect::<Vec<_>>()
    }

    fn was_killed(&self, id: PeerId) -> bool {
        self.killed.iter().any(|(p, _)| *p == id)
    }

    fn was_closed(&self, id: PeerId) -> bool {
        self.closed.iter().any(|(p, _)| *p == id)
    }
}

impl PeerSet for Fake {
    fn has_room(&self, id: PeerId) -> bool {
        self.pipes.get(&id).is_some_and(|p| p.out.len() < p.hwm)
    }
    fn push(&mut self, id: PeerId, msg: Message) -> Result<(), Message> {
        match self.pipes.get_mut(&id) {
            Some(p) if p.out.len() < p.hwm => {
                p.out.push_back(msg);
                Ok(())
            }
            _ => Err(msg),
        }
    }
    fn push_ctrl(&mut self, id: PeerId, ctrl: Ctrl) {
        self.ctrl.push((id, ctrl));
    }
    fn is_connected(&self, id: PeerId) -> bool {
        self.pipes.get(&id).is_some_and(|p| p.connected)
    }
    fn kill(&mut self, id: PeerId, reason: &'static str) {
        self.killed.push((id, reason));
    }
    fn close(&mut self, id: PeerId, reason: &'static str) {
        self.closed.push((id, reason));
    }
}

/// A message from string frames.
fn m(frames: &[&'static str]) -> Message {
    Message::from_frames(frames.iter().map(|s| Bytes::from_static(s.as_bytes())))
}

/// A message from byte frames.
fn mb(frames: &[&[u8]]) -> Message {
    Message::from_frames(frames.iter().map(|s| Bytes::copy_from_slice(s)))
}

/// A routing state machine for the type, with options applied.
fn routing(kind: SocketType, opts: &[RoutingOption]) -> Routing {
    let Some(mut r) = Routing::new(kind) else {
        panic!("{kind:?} has no routing");
    };
    for o in opts {
        assert_eq!(r.set_option(o.clone()), Ok(()), "{o:?} on {kind:?}");
    }
    r
}

/// Metadata of a ZMTP peer with the given Identity.
fn meta(identity: &'static [u8]) -> PeerMeta {
    PeerMeta {
        identity: Bytes::from_static(identity),
        ..Default::default()
    }
}

/// Attaches and connects a fresh fake peer (as the engine does on the bind side).
fn join(r: &mut Routing, f: &mut Fake, id: u64, hwm: usize) -> PeerId {
    join_as(r, f, id, hwm, &PeerMeta::default()).0
}

/// Like [`join`], with metadata; also returns the control items to send first.
fn join_as(
    r: &mut Routing,
    f: &mut Fake,
    id: u64,
    hwm: usize,
    meta: &PeerMeta,
) -> (PeerId, Vec<Ctrl>) {
    let p = f.add(id, hwm);
    r.attach(p);
    let ctrl = r.connected(p, meta, f);
    (p, ctrl)
}

/// The delivered message, or a panic naming what happened instead.
fn delivered(action: RecvAction) -> Message {
    match action {
        RecvAction::Deliver(msg) => msg,
        other => panic!("expected delivery, got {other:?}"),
    }
}

/// Every synthesized message waiting for the application.
fn locals(r: &mut Routing) -> Vec<Message> {
    std::iter::from_fn(|| r.take_local()).collect()
}

#[test]
fn every_type_has_routing_and_options_are_checked() {
    for kind in SocketType::ALL {
        assert!(Routing::new(kind).is_some(), "{kind:?}");
    }
    let mut push = routing(SocketType::Push, &[]);
    assert_eq!(
        push.set_option(RoutingOption::RouterMandatory(true)),
        Err(RoutingError::NotSupported)
    );
    let mut sub = routing(SocketType::Sub, &[RoutingOption::InvertMatching(true)]);
    assert_eq!(
        sub.set_option(RoutingOption::XpubVerbose(true)),
        Err(RoutingError::NotSupported)
    );
    let mut dealer = routing(SocketType::Dealer, &[RoutingOption::ProbeRouter(true)]);
    assert_eq!(
        dealer.set_option(RoutingOption::ReqRelaxed(true)),
        Err(RoutingError::NotSupported)
    );
    routing(SocketType::Stream, &[RoutingOption::StreamNotify(false)]);
    routing(
        SocketType::Req,
        &[
            RoutingOption::ReqCorrelate(true),
            RoutingOption::ReqRelaxed(true),
            RoutingOption::ProbeRouter(true),
        ],
    );
}
