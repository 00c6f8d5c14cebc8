//! The per-connection I/O driver for stream transports (tcp, ipc): runs the handshake,
//! then moves whole batches between the socket's pipes and the wire. One task per
//! connection; one lock acquisition per batch; many messages per read and per write.

use std::collections::VecDeque;
use std::future::{Future, poll_fn};
use std::io::IoSlice;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Buf, BufMut, Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;
use tokio_util::sync::WaitForCancellationFutureOwned;
use zmtp_codec::{
    Command, Event, NullMechanism, PeerInfo, ProtocolError, Session, SessionConfig, SocketType,
    WriteBuf,
};

use zmtp_transport::Endpoint;

use crate::bufpool::BodyBuf;
use crate::error::ConnectionError;
use crate::events::EventKind;
use crate::message::{Frames, Message};
use crate::peer::{Ctrl, PeerId, PeerMeta};
use crate::routing::Incoming;
use crate::shared::Shared;

/// Largest read buffer growth step (reached after a few reads that fill the buffer).
const READ_CHUNK: usize = 256 * 1024;
/// First read buffer size: idle connections stay small.
const READ_CHUNK_MIN: usize = 8 * 1024;
/// Stop draining outgoing messages while this many bytes wait to be written.
const WRITE_HIGH: usize = 256 * 1024;
/// Messages taken from the pipe per lock acquisition.
const DRAIN_MAX: usize = 512;
/// Loop iterations before yielding to the scheduler.
const BUDGET: usize = 64;
/// Slices per vectored write.
const MAX_IOV: usize = 64;
/// Data bodies at least this large are read straight into recycled buffers
/// ([`crate::bufpool`]) instead of through the read buffer.
const LARGE_BODY: usize = 16 * 1024;
/// After a large body, read-buffer reads are capped to this, so the next large body
/// mostly lands in its own buffer instead of being copied there from the read buffer.
const PEEK_AFTER_LARGE: usize = 8 * 1024;

/// Which side created the connection.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Role {
    /// Accepted by a listener: the pipe is created at handshake and removed at disconnect.
    Accepted,
    /// Made by a dialer: the pipe already exists and outlives the connection.
    Dialed(PeerId),
}

pub(crate) struct StreamDriver<S> {
    shared: Arc<Shared>,
    io: S,
    /// The ZMTP session; `None` for STREAM sockets, which speak raw bytes.
    session: Option<Session>,
    role: Role,
    peer: Option<PeerId>,
    rbuf: BytesMut,
    wbuf: WriteBuf,
    partial: Frames,
    batch: VecDeque<Message>,
    subs: Vec<(bool, Bytes)>,
    drained: VecDeque<Message>,
    ctrl: Vec<Ctrl>,
    room: usize,
    minor: u8,
    handshake_timer: Option<Pin<Box<Sleep>>>,
    linger_timer: Option<Pin<Box<Sleep>>>,
    shutdown: Pin<Box<WaitForCancellationFutureOwned>>,
    closing: bool,
    /// The listener's endpoint (accepted) or the connect endpoint (dialed), for events.
    endpoint: Endpoint,
    peer_address: String,
    unsent_flag: bool,
    /// The peer closed its side; buffered input is drained before the driver ends.
    eof: bool,
    /// Routing asked for a close once everything queued is written (STREAM `[id, ""]`).
    finish: Option<&'static str>,
    /// A large data body being received straight into its own buffer, with its MORE flag.
    large: Option<(bool, BodyBuf)>,
    /// The last frame was large: keep read-buffer reads short.
    after_large: bool,
    /// Current read buffer growth step: doubles (up to [`READ_CHUNK`]) each time a read
    /// fills all the room it was given.
    read_chunk: usize,
}

impl<S: AsyncRead + AsyncWrite + Unpin> StreamDriver<S> {
    pub fn new(
        shared: Arc<Shared>,
        io: S,
        role: Role,
        endpoint: Endpoint,
        peer_address: String,
    ) -> Self {
        let (cfg, handshake_ivl, room) = {
            let st = shared.lock();
            let o = &st.options;
            let cfg = SessionConfig {
                socket_type: shared.kind,
                identity: o.routing_id.clone(),
                max_msg_size: o.max_msg_size,
                copy_threshold: 512,
            };
            (
                cfg,
                o.handshake_ivl,
                if o.rcvhwm == 0 { usize::MAX } else { o.rcvhwm },
            )
        };
        let mut wbuf = WriteBuf::new();
        let session = (shared.kind != SocketType::Stream).then(|| {
            let mut session = Session::new(cfg, Box::new(NullMechanism::new()));
            session.take_output(&mut wbuf);
            session
        });
        // Raw connections have no handshake (and no handshake timer).
        let handshake_ivl = if session.is_some() {
            handshake_ivl
        } else {
            None
        };
        let shutdown = Box::pin(shared.shutdown.clone().cancelled_owned());
        StreamDriver {
            shared,
            io,
            session,
            role,
            peer: None,
            rbuf: BytesMut::new(),
            read_chunk: READ_CHUNK_MIN,
            wbuf,
            partial: Frames::new(),
            batch: VecDeque::new(),
            subs: Vec::new(),
            drained: VecDeque::new(),
            ctrl: Vec::new(),
            room,
            minor: 1,
            handshake_timer: handshake_ivl.map(|d| Box::pin(tokio::time::sleep(d))),
            linger_timer: None,
            shutdown,
            closing: false,
            endpoint,
            peer_address,
            unsent_flag: false,
            eof: false,
            finish: None,
            large: None,
            after_large: false,
        }
    }

    /// Runs the connection to its end and cleans up the pipe.
    pub async fn run(mut self) -> Arc<ConnectionError> {
        let _guard = self.shared.driver_started();
        let err = poll_fn(|cx| self.poll_run(cx)).await;
        self.cleanup();
        let err = Arc::new(err);
        match &*err {
            ConnectionError::Protocol(e) => {
                tracing::warn!(target: "zmtp_sockets", peer = %self.peer_address, error = %e, "dropping connection: protocol error")
            }
            ConnectionError::Pattern(e) => {
                tracing::warn!(target: "zmtp_sockets", peer = %self.peer_address, error = %e, "dropping connection")
            }
            ConnectionError::HandshakeTimeout => {
                tracing::warn!(target: "zmtp_sockets", peer = %self.peer_address, "dropping connection: handshake timed out")
            }
            other => {
                tracing::debug!(target: "zmtp_sockets", peer = %self.peer_address, reason = %other, "connection ended")
            }
        }
        if !matches!(*err, ConnectionError::SocketClosed) {
            let kind = if self.peer.is_some() {
                EventKind::Disconnected(err.clone())
            } else {
                EventKind::HandshakeFailed(err.clone())
            };
            self.shared.events.report(&self.endpoint, kind);
        }
        err
    }

    fn poll_run(&mut self, cx: &mut Context<'_>) -> Poll<ConnectionError> {
        match self.step(cx) {
            Ok(p) => p.map(|()| ConnectionError::SocketClosed),
            Err(e) => {
                if let ConnectionError::Protocol(ProtocolError::IncompatibleSocketType { .. }) = &e
                {
                    self.send_error(cx, b"incompatible socket type");
                }
                Poll::Ready(e)
            }
        }
    }

    /// Best effort: tells the peer why we refuse it with an ERROR command before closing,
    /// so that a libzmq peer treats it as a protocol error and stops reconnecting.
    fn send_error(&mut self, cx: &mut Context<'_>, reason: &'static [u8]) {
        let mut frame = BytesMut::new();
        Command::Error(Bytes::from_static(reason)).encode(&mut frame);
        self.wbuf.push_bytes(&frame);
        let _ = self.write(cx);
    }

    fn step(&mut self, cx: &mut Context<'_>) -> Result<Poll<()>, ConnectionError> {
        if let Some(t) = self.handshake_timer.as_mut()
            && t.as_mut().poll(cx).is_ready()
        {
            return Err(ConnectionError::HandshakeTimeout);
        }
        if !self.closing && self.shutdown.as_mut().poll(cx).is_ready() {
            self.start_closing();
            if self.pipe_id().is_none() {
                return Err(ConnectionError::SocketClosed);
            }
        }
        if let Some(t) = self.linger_timer.as_mut()
            && t.as_mut().poll(cx).is_ready()
        {
            return Err(ConnectionError::SocketClosed);
        }
        for _ in 0..BUDGET {
            let mut progress = self.decode()?;
            // Protocol output (greeting, READY, PONG) goes out before any data queued now.
            if let Some(session) = self.session.as_mut() {
                session.take_output(&mut self.wbuf);
            }
            progress |= self.sync(cx)?;
            progress |= self.write(cx)?;
            if let Some(reason) = self.finish
                && self.wbuf.is_empty()
                && self.drained.is_empty()
            {
                return Err(ConnectionError::Pattern(reason));
            }
            if self.closing && self.wbuf.is_empty() && self.drained.is_empty() && self.pipe_empty()
            {
                return Ok(Poll::Ready(()));
            }
            // While closing, read only to finish a handshake that queued messages wait for.
            if self.batch.is_empty()
                && self.room > 0
                && !self.eof
                && (!self.closing || self.peer.is_none())
            {
                progress |= self.read(cx)?;
            } else if self.eof && self.batch.is_empty() && self.room > 0 && !progress {
                // Everything decodable was delivered; what is left is a partial frame.
                return Err(ConnectionError::Eof);
            }
            if !progress {
                return Ok(Poll::Pending);
            }
        }
        cx.waker().wake_by_ref();
        Ok(Poll::Pending)
    }

    fn start_closing(&mut self) {
        self.closing = true;
        let linger = self.shared.lock().options.linger;
        if let Some(d) = linger {
            self.linger_timer = Some(Box::pin(tokio::time::sleep(d)));
        }
    }

    /// The pipe this connection serves: known from the start for a dialed connection.
    fn pipe_id(&self) -> Option<PeerId> {
        match self.role {
            Role::Dialed(id) => Some(id),
            Role::Accepted => self.peer,
        }
    }

    fn pipe_empty(&self) -> bool {
        let Some(id) = self.pipe_id() else {
            return true;
        };
        let st = self.shared.lock();
        st.peers.get(id).is_none_or(|p| p.is_drained())
    }

    /// Decodes buffered bytes into events while the incoming pipe has room.
    fn decode(&mut self) -> Result<bool, ConnectionError> {
        if self.session.is_none() {
            return self.decode_raw();
        }
        let mut progress = false;
        while self.batch.len() < self.room {
            if let Some((more, body)) = self.large.as_mut() {
                let more = *more;
                let n = body.fill_from(&self.rbuf);
                self.rbuf.advance(n);
                progress |= n > 0;
                if !body.is_full() {
                    break;
                }
                if let Some((_, body)) = self.large.take() {
                    self.on_frame(more, body.freeze());
                }
                continue;
            }
            let Some(session) = self.session.as_mut() else {
                break;
            };
            if let Some((more, len)) = session.take_large_body(&mut self.rbuf, LARGE_BODY)? {
                self.large = Some((more, BodyBuf::new(len)));
                self.after_large = true;
                progress = true;
                continue;
            }
            let Some(ev) = session.poll_event(&mut self.rbuf)? else {
                break;
            };
            progress = true;
            match ev {
                Event::Frame { more, body } => {
                    self.after_large = false;
                    self.on_frame(more, body);
                }
                Event::Subscribe(t) => self.subs.push((true, t)),
                Event::Cancel(t) => self.subs.push((false, t)),
                Event::Ready(info) => self.on_ready(info)?,
                _ => {}
            }
        }
        Ok(progress)
    }

    /// A whole data frame arrived: collect it, and queue the message at its last frame.
    #[inline]
    fn on_frame(&mut self, more: bool, body: Bytes) {
        self.partial.push(body);
        if !more {
            let msg = Message::from_frame_vec(std::mem::take(&mut self.partial));
            self.incoming(msg);
        }
    }

    /// STREAM: no framing; whatever arrived is one message. The connection counts as
    /// established from the start.
    fn decode_raw(&mut self) -> Result<bool, ConnectionError> {
        if self.peer.is_none() {
            self.on_ready(PeerInfo {
                socket_type: None,
                identity: Bytes::new(),
                major: 3,
                minor: 1,
                metadata: Default::default(),
            })?;
            return Ok(true);
        }
        if self.rbuf.is_empty() || self.batch.len() >= self.room {
            return Ok(false);
        }
        let chunk = self.rbuf.split().freeze();
        self.batch.push_back(Message::from(chunk));
        Ok(true)
    }

    #[inline]
    fn incoming(&mut self, msg: Message) {
        match crate::routing::classify(self.shared.kind, msg) {
            Incoming::Keep(m) => self.batch.push_back(m),
            Incoming::Subscription(on, topic) => self.subs.push((on, topic)),
            Incoming::Discard => {}
        }
    }

    fn on_ready(&mut self, info: PeerInfo) -> Result<(), ConnectionError> {
        self.handshake_timer = None;
        self.minor = if info.major == 3 && info.minor == 0 {
            0
        } else {
            1
        };
        let meta = PeerMeta {
            identity: info.identity.clone(),
            socket_type: info.socket_type,
            ..Default::default()
        };
        let mut guard = self.shared.lock();
        let attached = match self.role {
            Role::Dialed(id) => guard.attach_dialed(id, meta).map(|room| (id, room)),
            Role::Accepted => guard.attach_accepted(meta, false),
        };
        let Some((id, room)) = attached else {
            return Err(ConnectionError::SocketClosed);
        };
        let local = guard.routing.has_local();
        drop(guard);
        self.room = room;
        self.peer = Some(id);
        self.shared.send_ready.notify_waiters();
        if local {
            self.shared.recv_ready.notify_one();
        }
        self.shared
            .events
            .report(&self.endpoint, EventKind::HandshakeSucceeded);
        tracing::debug!(target: "zmtp_sockets", peer = %self.peer_address, socket_type = ?info.socket_type, "handshake complete");
        Ok(())
    }

    /// One lock: hand over incoming messages and subscriptions, take outgoing ones.
    fn sync(&mut self, cx: &mut Context<'_>) -> Result<bool, ConnectionError> {
        let Some(id) = self.peer else {
            return Ok(false);
        };
        let mut progress = false;
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        for (on, topic) in self.subs.drain(..) {
            if on {
                st.routing.on_subscribe(id, &topic);
            } else {
                st.routing.on_cancel(id, &topic);
            }
            progress = true;
        }
        let local = progress && st.routing.has_local();
        let Some(delivery) = st.deliver(id, &mut self.batch) else {
            return Err(ConnectionError::SocketClosed);
        };
        let Some(p) = st.peers.get_mut(id) else {
            return Err(ConnectionError::SocketClosed);
        };
        if let Some(reason) = p.take_kill() {
            return Err(ConnectionError::Pattern(reason));
        }
        // Room freed by the application lets decoding resume.
        if delivery.room > self.room || delivery.delivered > 0 {
            progress = true;
        }
        self.room = delivery.room;
        let max = if self.wbuf.len() < WRITE_HIGH {
            DRAIN_MAX
        } else {
            0
        };
        let taken = p.take(max, &mut self.drained, &mut self.ctrl);
        if let Some(reason) = p.finish_reason() {
            self.finish = Some(reason);
        }
        p.register(cx.waker());
        drop(guard);
        if (delivery.delivered > 0 && delivery.inbox_was_empty) || local {
            self.shared.recv_ready.notify_one();
        }
        if taken.messages > 0 && taken.was_full {
            self.shared.send_ready.notify_waiters();
        }
        let taken = taken.messages;
        progress |= taken > 0 || !self.ctrl.is_empty();
        self.encode()?;
        let unsent = !self.wbuf.is_empty();
        if unsent != self.unsent_flag {
            self.unsent_flag = unsent;
            if let Some(p) = self.shared.lock().peers.get_mut(id) {
                p.set_unsent(unsent);
            }
        }
        Ok(progress)
    }

    fn encode(&mut self) -> Result<(), ConnectionError> {
        for c in self.ctrl.drain(..) {
            let (on, topic) = match c {
                Ctrl::Subscribe(t) => (true, t),
                Ctrl::Cancel(t) => (false, t),
            };
            let Some(session) = self.session.as_mut() else {
                continue;
            };
            if self.minor == 0 {
                let mut body = BytesMut::with_capacity(topic.len() + 1);
                body.extend_from_slice(&[on as u8]);
                body.extend_from_slice(&topic);
                session.encode_frame(false, &body.freeze(), &mut self.wbuf)?;
            } else {
                let cmd = if on {
                    Command::Subscribe(topic)
                } else {
                    Command::Cancel(topic)
                };
                session.encode_command(&cmd, &mut self.wbuf)?;
            }
        }
        while let Some(msg) = self.drained.pop_front() {
            let n = msg.len();
            match self.session.as_mut() {
                Some(session) => {
                    for (i, f) in msg.frames().iter().enumerate() {
                        session.encode_frame(i + 1 < n, f, &mut self.wbuf)?;
                    }
                }
                None => {
                    for f in msg.into_frames() {
                        self.wbuf.push_chunk(f);
                    }
                }
            }
        }
        Ok(())
    }

    fn write(&mut self, cx: &mut Context<'_>) -> Result<bool, ConnectionError> {
        let mut progress = false;
        while !self.wbuf.is_empty() {
            let mut slices = [IoSlice::new(&[]); MAX_IOV];
            let n = self.wbuf.chunks_vectored(&mut slices);
            let res = Pin::new(&mut self.io).poll_write_vectored(cx, &slices[..n]);
            match res {
                Poll::Ready(Ok(0)) => return Err(ConnectionError::Eof),
                Poll::Ready(Ok(n)) => {
                    self.wbuf.advance(n);
                    progress = true;
                }
                Poll::Ready(Err(e)) => return Err(e.into()),
                Poll::Pending => break,
            }
        }
        Ok(progress)
    }

    fn read(&mut self, cx: &mut Context<'_>) -> Result<bool, ConnectionError> {
        if let Some((_, body)) = self.large.as_mut() {
            // Straight into the body's own buffer.
            let mut rb = ReadBuf::new(body.rest());
            return match Pin::new(&mut self.io).poll_read(cx, &mut rb) {
                Poll::Ready(Ok(())) => {
                    let n = rb.filled().len();
                    if n == 0 {
                        self.eof = true;
                    }
                    body.advance(n);
                    Ok(true)
                }
                Poll::Ready(Err(e)) => Err(e.into()),
                Poll::Pending => Ok(false),
            };
        }
        let chunk = self.read_chunk;
        let needed = self
            .session
            .as_ref()
            .map_or(chunk, |s| s.needed(&self.rbuf));
        let have = self.rbuf.len();
        let missing = needed.saturating_sub(have);
        // Grow toward what the next frame needs, but never more than doubling what has
        // actually arrived, so a declared size cannot make us allocate ahead of the bytes.
        let want = missing.clamp(chunk, have.max(chunk));
        let spare = self.rbuf.capacity() - have;
        // Reserve when the buffer runs low, or when the frame being read would not fit,
        // so a large body lands in one allocation instead of being copied on growth.
        if spare < chunk / 4 || (missing > spare && missing <= want) {
            self.rbuf.reserve(want);
        }
        let cap = if self.after_large {
            PEEK_AFTER_LARGE
        } else {
            usize::MAX
        };
        let room = (self.rbuf.capacity() - have).min(cap);
        let mut limited = (&mut self.rbuf).limit(cap);
        match tokio_util::io::poll_read_buf(Pin::new(&mut self.io), cx, &mut limited) {
            Poll::Ready(Ok(0)) => {
                // Whole frames already buffered are still delivered before the end.
                self.eof = true;
                Ok(true)
            }
            Poll::Ready(Ok(n)) => {
                // A read that filled all its room: more is waiting, read bigger next time.
                if n >= room && chunk < READ_CHUNK && !self.after_large {
                    self.read_chunk = chunk * 2;
                }
                Ok(true)
            }
            Poll::Ready(Err(e)) => Err(e.into()),
            Poll::Pending => Ok(false),
        }
    }

    fn cleanup(&mut self) {
        let Some(id) = self.peer else { return };
        let n = self.batch.len();
        let mut guard = self.shared.lock();
        guard.connection_ended(id, matches!(self.role, Role::Dialed(_)), &mut self.batch);
        let local = guard.routing.has_local();
        drop(guard);
        if n > 0 || local {
            self.shared.recv_ready.notify_one();
        }
    }
}
