//! The per-connection I/O driver for stream transports (tcp, ipc): read -> feed the
//! protocol -> poll it -> sync with the socket's pipe -> write, and sleep until the
//! protocol's next deadline. All protocol behaviour (handshake, ERROR on refusal,
//! subscription form, timers) lives in the sans-I/O [`Protocol`]; the driver owns buffer
//! policy, the socket lock and the clock. One task per connection; one lock acquisition
//! per batch; many messages per read and per write.
//!
//! - [`inbound`]: protocol events to whole messages and subscriptions, the handshake's
//!   attach.
//! - [`sync`]: one lock per batch: deliver incoming messages, take outgoing ones, encode.
//! - [`io`]: reads (growing buffer, large bodies straight into recycled buffers) and
//!   vectored writes.

mod auth;
mod inbound;
mod io;
mod read_state;
mod sync;
#[cfg(test)]
mod tests;

use std::collections::VecDeque;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::time::Sleep;
use tokio_util::sync::WaitForCancellationFutureOwned;
use zmtp_codec::{Protocol, RawSession, Session, SessionConfig, SocketType, WriteBuf};
use zmtp_transport::Endpoint;

use crate::error::ConnectionError;
use crate::events::EventKind;
use crate::message::{Frames, Message};
use crate::peer::{Ctrl, PeerId};
use crate::shared::Shared;

use self::read_state::ReadState;

/// Loop iterations before yielding to the scheduler.
const BUDGET: usize = 64;

/// Which side created the connection.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Role {
    /// Accepted by a listener: the pipe is created at handshake and removed at disconnect.
    Accepted,
    /// Made by a dialer: the pipe already exists and outlives the connection.
    Dialed(PeerId),
}

/// Where a connection is and who it is for: the listener's endpoint (accepted) or the
/// connect endpoint (dialed), for events; the peer's address, for logs.
#[derive(Clone, Debug)]
pub(crate) struct Link {
    pub role: Role,
    pub endpoint: Endpoint,
    pub peer_address: String,
}

/// How a connection ended: why, and whether its handshake had completed.
#[derive(Debug)]
pub(crate) struct Ended {
    pub error: Arc<ConnectionError>,
    pub handshaked: bool,
}

/// Runs one connection to its end with the protocol of the socket's type (raw bytes for
/// STREAM, ZMTP otherwise) and cleans up its pipe. Returns why it ended.
pub(crate) async fn run<S>(shared: Arc<Shared>, io: S, link: Link) -> Ended
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    if shared.kind == SocketType::Stream {
        return Driver::new(shared, io, RawSession::new(), link).run().await;
    }
    let cfg = {
        let st = shared.lock();
        let o = &st.options;
        let heartbeat_ivl = Some(o.heartbeat_ivl).filter(|d| !d.is_zero());
        SessionConfig {
            socket_type: shared.kind,
            identity: o.routing_id.clone(),
            max_msg_size: o.max_msg_size,
            copy_threshold: 512,
            handshake_ivl: o.handshake_ivl,
            heartbeat_ivl,
            heartbeat_ttl: o.heartbeat_ttl,
            // libzmq: -1 (unset) = the interval, 0 = no timeout.
            heartbeat_timeout: o
                .heartbeat_timeout
                .map_or(heartbeat_ivl, |d| Some(d).filter(|d| !d.is_zero())),
            connecting: matches!(link.role, Role::Dialed(_)),
        }
    };
    let mechanism = {
        let st = shared.lock();
        crate::security::mechanism(&shared, &st.options, now())
    };
    let mechanism = match mechanism {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(target: "zmtp_sockets", peer = %link.peer_address, error = %e, "cannot start the security handshake");
            return Ended {
                error: Arc::new(ConnectionError::Protocol(e)),
                handshaked: false,
            };
        }
    };
    let session = Session::new(cfg, mechanism, now());
    Driver::new(shared, io, session, link).run().await
}

/// The driver's clock (tokio's, so paused time in tests drives the protocol's timers).
fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// What was read and decoded but not yet handed to the socket.
#[derive(Debug, Default)]
struct Inbound {
    /// Frames of a message still arriving.
    partial: Frames,
    /// Whole messages waiting for room in the incoming queue.
    batch: VecDeque<Message>,
    /// Subscriptions (`true`) and cancels from the peer, for routing.
    subs: Vec<(bool, Bytes)>,
    /// Room left in the pipe's share of the incoming queue.
    room: usize,
}

/// What was taken from the pipe and is being written.
#[derive(Debug, Default)]
struct Outbound {
    wbuf: WriteBuf,
    drained: VecDeque<Message>,
    ctrl: Vec<Ctrl>,
    /// Last value reported to the pipe by [`crate::pipe::Pipe::set_unsent`].
    unsent: bool,
    /// Routing asked for a close once everything queued is written (STREAM `[id, ""]`).
    finish: Option<&'static str>,
    /// A write failed: nothing more is written or taken from the pipe; the connection
    /// ends when its input does (end of input or a read error), as in libzmq, so what
    /// the peer sent before it left is still delivered. (A read that would block is no
    /// proof that nothing more arrived: the reactor may not have seen it yet.)
    write_error: Option<std::io::Error>,
}

/// The protocol's next deadline, as a tokio timer.
struct Timer {
    at: Instant,
    sleep: Pin<Box<Sleep>>,
}

/// One connection's driver.
pub(crate) struct Driver<S, P> {
    shared: Arc<Shared>,
    io: S,
    proto: P,
    link: Link,
    /// The pipe, once the handshake attached it.
    peer: Option<PeerId>,
    inbound: Inbound,
    outbound: Outbound,
    read: ReadState,
    timer: Option<Timer>,
    shutdown: Pin<Box<WaitForCancellationFutureOwned>>,
    closing: bool,
    linger: Option<Pin<Box<Sleep>>>,
    /// The ZAP handler's answer being awaited.
    zap: Option<crate::zap::ZapCall>,
}

impl<S: AsyncRead + AsyncWrite + Unpin, P: Protocol> Driver<S, P> {
    fn new(shared: Arc<Shared>, io: S, mut proto: P, link: Link) -> Self {
        let rcvhwm = shared.lock().options.rcvhwm;
        let mut outbound = Outbound::default();
        proto.poll_transmit(&mut outbound.wbuf);
        let shutdown = Box::pin(shared.shutdown.clone().cancelled_owned());
        Driver {
            shared,
            io,
            proto,
            link,
            peer: None,
            inbound: Inbound {
                room: if rcvhwm == 0 { usize::MAX } else { rcvhwm },
                ..Inbound::default()
            },
            outbound,
            read: ReadState::default(),
            timer: None,
            shutdown,
            closing: false,
            linger: None,
            zap: None,
        }
    }

    /// Runs the connection to its end, cleans up the pipe and reports why it ended.
    async fn run(mut self) -> Ended {
        let _guard = self.shared.driver_started();
        let err = Arc::new(poll_fn(|cx| self.poll_run(cx)).await);
        let handshaked = self.peer.is_some();
        self.cleanup();
        self.report_end(&err);
        Ended {
            error: err,
            handshaked,
        }
    }

    fn poll_run(&mut self, cx: &mut Context<'_>) -> Poll<ConnectionError> {
        match self.step(cx) {
            Ok(p) => p.map(|()| ConnectionError::SocketClosed),
            Err(e) => {
                // What the protocol tells the peer (an ERROR command) goes out first,
                // best effort.
                self.proto.poll_transmit(&mut self.outbound.wbuf);
                let _ = self.write(cx);
                Poll::Ready(e)
            }
        }
    }

    fn step(&mut self, cx: &mut Context<'_>) -> Result<Poll<()>, ConnectionError> {
        self.poll_timer(cx)?;
        if !self.closing && self.shutdown.as_mut().poll(cx).is_ready() {
            self.start_closing();
            if self.pipe_id().is_none() {
                return Err(ConnectionError::SocketClosed);
            }
        }
        if let Some(t) = self.linger.as_mut()
            && t.as_mut().poll(cx).is_ready()
        {
            return Err(ConnectionError::SocketClosed);
        }
        for _ in 0..BUDGET {
            let mut progress = self.poll_zap(cx)?;
            progress |= self.decode()?;
            // Protocol output (greeting, READY, PONG) goes out before any data queued now.
            self.proto.poll_transmit(&mut self.outbound.wbuf);
            progress |= self.sync(cx)?;
            progress |= self.write(cx)?;
            let written = self.outbound.wbuf.is_empty() && self.outbound.drained.is_empty();
            if let Some(reason) = self.outbound.finish
                && written
            {
                return Err(ConnectionError::Pattern(reason));
            }
            if self.closing && written && self.pipe_empty() {
                return Ok(Poll::Ready(()));
            }
            // While closing, read only to finish a handshake that queued messages wait for
            // (or to collect what a peer we can no longer write to sent).
            let can_read = self.inbound.batch.is_empty() && self.inbound.room > 0;
            let write_failed = self.outbound.write_error.is_some();
            if can_read && !self.read.eof && (!self.closing || self.peer.is_none() || write_failed)
            {
                progress |= self.read(cx)?;
            } else if self.read.eof && can_read && !progress {
                // Everything decodable was delivered; what is left is a partial frame.
                return Err(ConnectionError::Eof);
            }
            if !progress {
                // The handshake may have armed or cleared a deadline.
                self.poll_timer(cx)?;
                return Ok(Poll::Pending);
            }
        }
        cx.waker().wake_by_ref();
        Ok(Poll::Pending)
    }

    /// Keeps a tokio timer on the protocol's next deadline and runs the protocol's
    /// timers when it passes.
    #[inline]
    fn poll_timer(&mut self, cx: &mut Context<'_>) -> Result<(), ConnectionError> {
        // The data phase usually has no deadline: nothing to do.
        if self.timer.is_none() && self.proto.poll_timeout().is_none() {
            return Ok(());
        }
        self.poll_timer_armed(cx)
    }

    #[inline(never)]
    fn poll_timer_armed(&mut self, cx: &mut Context<'_>) -> Result<(), ConnectionError> {
        // Bounded: each round either fires a deadline (which moves or clears it) or
        // registers the waker.
        for _ in 0..4 {
            let Some(at) = self.proto.poll_timeout() else {
                self.timer = None;
                return Ok(());
            };
            let deadline = tokio::time::Instant::from_std(at);
            match &mut self.timer {
                Some(t) if t.at == at => {}
                Some(t) => {
                    t.at = at;
                    t.sleep.as_mut().reset(deadline);
                }
                None => {
                    self.timer = Some(Timer {
                        at,
                        sleep: Box::pin(tokio::time::sleep_until(deadline)),
                    })
                }
            }
            let Some(t) = self.timer.as_mut() else {
                return Ok(());
            };
            if t.sleep.as_mut().poll(cx).is_pending() {
                return Ok(());
            }
            self.proto.handle_timeout(now())?;
            if self.proto.has_transmit() {
                // A timer queued output (a PING): make sure a step writes it, also when
                // this was the check at the end of a step.
                cx.waker().wake_by_ref();
            }
        }
        cx.waker().wake_by_ref();
        Ok(())
    }

    fn start_closing(&mut self) {
        self.closing = true;
        let linger = self.shared.lock().options.linger;
        if let Some(d) = linger {
            self.linger = Some(Box::pin(tokio::time::sleep(d)));
        }
    }

    /// The pipe this connection serves: known from the start for a dialed connection.
    fn pipe_id(&self) -> Option<PeerId> {
        match self.link.role {
            Role::Dialed(id) => Some(id),
            Role::Accepted => self.peer,
        }
    }

    fn pipe_empty(&self) -> bool {
        let Some(id) = self.pipe_id() else {
            return true;
        };
        self.shared
            .lock()
            .peers
            .get(id)
            .is_none_or(|p| p.is_drained())
    }

    /// The connection ended: whole messages already read are still delivered (a partial
    /// one is dropped), and the pipe is detached (dialed) or removed (accepted).
    fn cleanup(&mut self) {
        let Some(id) = self.peer else { return };
        let n = self.inbound.batch.len();
        let dialed = matches!(self.link.role, Role::Dialed(_));
        let mut guard = self.shared.lock();
        guard.connection_ended(id, dialed, &mut self.inbound.batch);
        let local = guard.routing.has_local();
        drop(guard);
        if n > 0 || local {
            self.shared.recv_ready.notify_one();
        }
    }

    /// Logs the end and reports it to the event sink (not for our own close, as libzmq).
    fn report_end(&self, err: &Arc<ConnectionError>) {
        let peer = &self.link.peer_address;
        match &**err {
            ConnectionError::SocketClosed => {
                tracing::debug!(target: "zmtp_sockets", %peer, "connection closed with the socket");
                return;
            }
            ConnectionError::Protocol(e) => {
                tracing::warn!(target: "zmtp_sockets", %peer, error = %e, "dropping connection: protocol error")
            }
            ConnectionError::Pattern(e) => {
                tracing::warn!(target: "zmtp_sockets", %peer, error = %e, "dropping connection")
            }
            // A peer that hangs up before the handshake completes may speak no ZMTP
            // we know (or refuse us without telling): worth a warning, which the
            // connecting side's growing backoff keeps rare.
            other if self.peer.is_none() => {
                tracing::warn!(target: "zmtp_sockets", %peer, reason = %other, "connection ended during the handshake")
            }
            other => {
                tracing::debug!(target: "zmtp_sockets", %peer, reason = %other, "connection ended")
            }
        }
        // libzmq's order: a failed handshake reports why, then the disconnect. It checks
        // the peer's socket type silently (no HANDSHAKE_FAILED_PROTOCOL), so neither do we;
        // the DISCONNECTED event carries the reason.
        let incompatible = matches!(
            &**err,
            ConnectionError::Protocol(zmtp_codec::ProtocolError::IncompatibleSocketType { .. })
        );
        if let ConnectionError::Protocol(zmtp_codec::ProtocolError::AuthFailed { status }) = &**err
        {
            self.shared
                .events
                .report(&self.link.endpoint, EventKind::AuthFailed((*status).into()));
        } else if self.peer.is_none() && !incompatible {
            self.shared
                .events
                .report(&self.link.endpoint, EventKind::HandshakeFailed(err.clone()));
        }
        self.shared
            .events
            .report(&self.link.endpoint, EventKind::Disconnected(err.clone()));
    }
}
