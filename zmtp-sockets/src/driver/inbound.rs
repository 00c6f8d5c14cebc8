//! Inbound: protocol events become whole messages (routed by
//! [`classify`](crate::routing::classify)), subscriptions, and at the handshake the
//! pipe's attach.

use bytes::{Buf, Bytes};
use tokio::io::{AsyncRead, AsyncWrite};
use zmtp_codec::{Event, PeerInfo, Protocol};

use super::Driver;
use super::Role;
use super::read_state::LARGE_BODY;
use crate::bufpool::BodyBuf;
use crate::error::ConnectionError;
use crate::events::EventKind;
use crate::message::Message;
use crate::peer::PeerMeta;
use crate::routing::Incoming;

impl<S: AsyncRead + AsyncWrite + Unpin, P: Protocol> Driver<S, P> {
    /// Decodes buffered bytes into events while the incoming pipe has room.
    #[inline]
    pub(super) fn decode(&mut self) -> Result<bool, ConnectionError> {
        let mut progress = false;
        while self.inbound.batch.len() < self.inbound.room {
            if let Some((more, body)) = self.read.large.as_mut() {
                let more = *more;
                let buf = self.proto.recv_buf();
                let n = body.fill_from(buf);
                buf.advance(n);
                progress |= n > 0;
                if !body.is_full() {
                    break;
                }
                if let Some((_, body)) = self.read.large.take() {
                    self.on_frame(more, body.freeze());
                }
                continue;
            }
            if let Some((more, len)) = self.proto.take_large_body(LARGE_BODY)? {
                self.read.large = Some((more, BodyBuf::new(len)));
                self.read.after_large = true;
                progress = true;
                continue;
            }
            let Some(ev) = self.proto.poll_event()? else {
                break;
            };
            progress = true;
            match ev {
                Event::Frame { more, body } => {
                    self.read.after_large = false;
                    self.on_frame(more, body);
                }
                Event::Subscribe(t) => self.inbound.subs.push((true, t)),
                Event::Cancel(t) => self.inbound.subs.push((false, t)),
                Event::Ready(info) => self.on_ready(info)?,
                // The protocol answered the PING itself; heartbeat timers (and the
                // liveness these events prove) belong to the protocol too.
                Event::Ping { .. } | Event::Pong => {}
                Event::AuthRequest(request) => self.start_auth(*request)?,
            }
        }
        Ok(progress)
    }

    /// A whole data frame arrived: collect it, and queue the message at its last frame.
    #[inline]
    fn on_frame(&mut self, more: bool, body: Bytes) {
        self.inbound.partial.push(body);
        if !more {
            let msg = Message::from_frame_vec(std::mem::take(&mut self.inbound.partial));
            match crate::routing::classify(self.shared.kind, msg) {
                Incoming::Keep(m) => self.inbound.batch.push_back(m),
                Incoming::Subscription(on, topic) => self.inbound.subs.push((on, topic)),
                Incoming::Discard => {}
            }
        }
    }

    /// The handshake completed: attach the pipe (a new one for an accepted connection,
    /// the one `connect` made for a dialed one) and tell routing.
    fn on_ready(&mut self, info: PeerInfo) -> Result<(), ConnectionError> {
        let meta = PeerMeta {
            identity: info.identity.clone(),
            socket_type: info.socket_type,
            properties: Some(super::auth::properties(&info, &self.link.peer_address)),
            ..Default::default()
        };
        let mut guard = self.shared.lock();
        let attached = match self.link.role {
            Role::Dialed(id) => guard.attach_dialed(id, meta).map(|room| (id, room)),
            Role::Accepted => guard.attach_accepted(meta, false),
        };
        let Some((id, room)) = attached else {
            return Err(ConnectionError::SocketClosed);
        };
        let local = guard.routing.has_local();
        drop(guard);
        self.inbound.room = room;
        self.peer = Some(id);
        self.shared.send_ready.notify_waiters();
        if local {
            self.shared.recv_ready.notify_one();
        }
        self.shared
            .events
            .report(&self.link.endpoint, EventKind::HandshakeSucceeded);
        tracing::debug!(target: "zmtp_sockets", peer = %self.link.peer_address, socket_type = ?info.socket_type, "handshake complete");
        Ok(())
    }
}
