//! STREAM: raw byte connections addressed like ROUTER peers. Outgoing `[id, data]` writes
//! the data to that connection (empty data closes it); incoming chunks arrive as
//! `[id, chunk]`; with STREAM_NOTIFY, `[id, ""]` announces each connect and disconnect.

use std::collections::{HashMap, VecDeque};

use bytes::Bytes;

use super::ids::RoutingIds;
use super::pattern::Pattern;
use super::{RecvAction, RoutingError, RoutingOption, SendError};
use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerMeta, PeerSet};

/// STREAM routing state.
#[derive(Debug)]
pub struct Stream {
    ids: RoutingIds,
    /// Connect-side pipes, named when connect() created them (they keep the name across
    /// reconnects), with whether their connection is up.
    dialed: HashMap<PeerId, bool>,
    /// Disconnect notices held back until the connection's last chunks (how many are
    /// left) have been delivered, so the notice comes after the data.
    held: HashMap<PeerId, (Bytes, usize)>,
    local: VecDeque<Message>,
    /// STREAM_NOTIFY (default on): synthesize `[id, ""]` on connect and disconnect.
    notify: bool,
}

impl Default for Stream {
    fn default() -> Self {
        Stream {
            ids: RoutingIds::default(),
            dialed: HashMap::new(),
            held: HashMap::new(),
            local: VecDeque::new(),
            notify: true,
        }
    }
}

impl Stream {
    fn announce_after(&mut self, id: PeerId, name: Bytes, pending: usize) {
        if pending == 0 {
            self.announce(name);
        } else {
            self.held.insert(id, (name, pending));
        }
    }

    fn announce(&mut self, name: Bytes) {
        if self.notify {
            self.local
                .push_back(Message::from_frames([name, Bytes::new()]));
        }
    }
}

impl Pattern for Stream {
    fn set_option(&mut self, opt: RoutingOption) -> Result<(), RoutingError> {
        match opt {
            RoutingOption::StreamNotify(on) => self.notify = on,
            _ => return Err(RoutingError::NotSupported),
        }
        Ok(())
    }

    /// Connections are known by their routing id, given when they complete.
    fn attach(&mut self, _id: PeerId) {}

    /// A connect-side pipe was created: it is named at once (CONNECT_ROUTING_ID, else an
    /// automatic id), so data sent to it waits for the connection. A taken id leaves it
    /// unnamed; its connection is then refused in `connected`.
    fn attach_dialed(&mut self, id: PeerId, name: Option<&Bytes>) {
        let name = match name.filter(|n| !n.is_empty()) {
            Some(name) => name.clone(),
            None => self.ids.auto_id(),
        };
        if self.ids.peer(&name).is_none() {
            self.ids.insert(name, id);
            self.dialed.insert(id, false);
        }
    }

    /// Names the new connection (locally chosen id or an automatic one); a clash with a
    /// live id kills the newcomer.
    fn connected(&mut self, id: PeerId, meta: &PeerMeta, peers: &mut impl PeerSet) -> Vec<Ctrl> {
        if let Some(up) = self.dialed.get_mut(&id) {
            *up = true;
            if let Some((name, _)) = self.held.remove(&id) {
                self.announce(name);
            }
            if let Some(name) = self.ids.name(id).cloned() {
                self.announce(name);
            }
            return Vec::new();
        }
        // Raw peers have no Identity property; only a local choice counts.
        let name = match meta.connect_routing_id.as_ref().filter(|n| !n.is_empty()) {
            Some(name) => name.clone(),
            None => self.ids.auto_id(),
        };
        if self.ids.peer(&name).is_some_and(|old| old != id) {
            self.ids.remove(id, 0);
            peers.kill(id, "STREAM routing id already in use");
            return Vec::new();
        }
        self.ids.insert(name.clone(), id);
        self.announce(name);
        Vec::new()
    }

    /// The connection ended with `pending` of its chunks still queued for the
    /// application: announce it (once, after those chunks) and free its id. A
    /// connect-side pipe keeps its id for the reconnect.
    fn disconnected(&mut self, id: PeerId, pending: usize) {
        if let Some(up) = self.dialed.get_mut(&id) {
            if std::mem::replace(up, false)
                && let Some(name) = self.ids.name(id).cloned()
            {
                self.announce_after(id, name, pending);
            }
            return;
        }
        if let Some(name) = self.ids.unroute(id) {
            self.announce_after(id, name, pending);
        }
    }

    /// The pipe is gone for good (announced if `disconnected` was not called), with
    /// `pending` of its chunks still queued for the application.
    fn detach(&mut self, id: PeerId, pending: usize) {
        let was_up = self.dialed.remove(&id);
        let routed = self.ids.remove(id, pending);
        if was_up != Some(false)
            && let Some(name) = routed
        {
            self.announce_after(id, name, pending);
        }
    }

    /// Prefixes the connection's id to a received chunk; a held disconnect notice follows
    /// the connection's last chunk.
    fn on_recv(&mut self, from: PeerId, msg: Message) -> RecvAction {
        let action = self.ids.prefix(from, msg);
        if let Some((_, left)) = self.held.get_mut(&from) {
            *left = left.saturating_sub(1);
            if *left == 0
                && let Some((name, _)) = self.held.remove(&from)
            {
                self.announce(name);
            }
        }
        action
    }

    /// Sends `[id, data]`: data goes out raw; empty data closes the connection.
    fn send(&mut self, mut msg: Message, peers: &mut impl PeerSet) -> Result<(), SendError> {
        if msg.len() < 2 {
            // libzmq ignores an id frame with nothing after it.
            return Ok(());
        }
        let Some(target) = msg.first().and_then(|name| self.ids.peer(name)) else {
            return Err(SendError::HostUnreachable(msg));
        };
        if msg.frames().iter().skip(1).all(Bytes::is_empty) {
            // What is already queued for it is written first, as in libzmq (the close
            // travels through the pipe behind the data).
            // Chunks it already sent are still delivered; no disconnect notice follows.
            self.ids.unroute(target);
            self.dialed.remove(&target);
            peers.close(target, "STREAM connection closed by the application");
            return Ok(());
        }
        if !peers.has_room(target) {
            return Err(SendError::WouldBlock(msg));
        }
        let name = msg.pop_front();
        peers.push(target, msg).map_err(|mut back| {
            if let Some(name) = name {
                back.push_front(name);
            }
            SendError::WouldBlock(back)
        })
    }

    /// The next synthesized notification for the application.
    fn take_local(&mut self) -> Option<Message> {
        self.local.pop_front()
    }

    /// True when a notification is waiting.
    fn has_local(&self) -> bool {
        !self.local.is_empty()
    }
}
