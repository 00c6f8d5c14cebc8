//! The engine's socket: send and receive against the pipes, bind and connect.

use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use zmtp_codec::SocketType;

use crate::context::{Context, runtime_handle};
use crate::error::{SendFailure, SocketError};
use crate::message::Message;
use crate::options::Options;
use crate::peer::PeerId;
use crate::routing::{RecvAction, Routing, RoutingError, RoutingOption, SendError};
use crate::shared::Shared;

/// An engine socket. Cloning gives another handle to the same socket; the socket stays
/// open until [`Socket::close`] is called.
#[derive(Clone, Debug)]
pub struct Socket {
    pub(crate) shared: Arc<Shared>,
}

impl Socket {
    /// A socket in the process-wide context, on the current tokio runtime (or the
    /// internal I/O runtime when called outside one).
    pub fn new(kind: SocketType) -> Result<Socket, SocketError> {
        Self::with_context(kind, Context::global())
    }

    /// A socket in the given context.
    pub fn with_context(kind: SocketType, context: Arc<Context>) -> Result<Socket, SocketError> {
        let routing = Routing::new(kind).ok_or(SocketError::NotSupported(kind))?;
        let runtime = runtime_handle().map_err(|e| SocketError::Transport(e.into()))?;
        Ok(Socket {
            shared: Arc::new(Shared::new(kind, routing, runtime, context.inproc.clone())),
        })
    }

    /// The tokio runtime this socket's I/O runs on.
    pub fn runtime(&self) -> tokio::runtime::Handle {
        self.shared.runtime.clone()
    }

    /// The socket type.
    pub fn kind(&self) -> SocketType {
        self.shared.kind
    }

    /// A copy of the current options.
    pub fn options(&self) -> Options {
        self.shared.lock().options.clone()
    }

    /// Changes options; they apply to pipes and connections created afterwards.
    pub fn update_options(&self, f: impl FnOnce(&mut Options)) {
        f(&mut self.shared.lock().options);
    }

    pub(crate) fn check_open(&self) -> Result<(), SocketError> {
        if self.shared.lock().closed {
            Err(SocketError::Closed)
        } else {
            Ok(())
        }
    }

    /// Connection lifecycle events from now on (listening, accepted, connected, handshake
    /// succeeded or failed, disconnected, retried, closed), with room for `capacity`
    /// unread events: when the receiver falls that far behind, further events are
    /// dropped (counted by [`Socket::events_dropped`]) rather than queued without bound.
    /// Costs nothing while no receiver exists.
    pub fn events(&self, capacity: usize) -> tokio::sync::mpsc::Receiver<crate::SocketEvent> {
        self.shared.events.subscribe(capacity)
    }

    /// The socket's monitor (libzmq has one per socket): the events in `mask`, with room
    /// for `capacity` unread ones (further events are dropped and counted). A second call
    /// replaces the first monitor, whose receiver then ends after the events it holds.
    pub fn monitor(
        &self,
        capacity: usize,
        mask: crate::events::EventMask,
    ) -> tokio::sync::mpsc::Receiver<crate::SocketEvent> {
        self.shared.events.replace_monitor(capacity, mask)
    }

    /// Ends the monitor from [`Socket::monitor`]; false when there was none.
    pub fn stop_monitor(&self) -> bool {
        self.shared.events.stop_monitor()
    }

    /// True while a monitor from [`Socket::monitor`] is live.
    pub fn has_monitor(&self) -> bool {
        self.shared.events.has_monitor()
    }

    /// Events that receivers from [`Socket::events`] missed because they were full.
    pub fn events_dropped(&self) -> u64 {
        self.shared.events.dropped()
    }

    /// A token cancelled when the socket closes (for `closed()` futures).
    pub fn closed_token(&self) -> tokio_util::sync::CancellationToken {
        self.shared.shutdown.clone()
    }

    /// Queues a message if a pipe has room now.
    // The error hands the whole message back (so nothing is lost); boxing it would cost an
    // allocation on every would-block retry of the send path.
    #[allow(clippy::result_large_err)]
    pub fn try_send(&self, msg: Message) -> Result<(), SendFailure> {
        if msg.is_empty() {
            return Err(SendFailure {
                error: SocketError::EmptyMessage,
                message: Some(msg),
            });
        }
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        if st.closed {
            return Err(SendFailure {
                error: SocketError::Closed,
                message: Some(msg),
            });
        }
        st.routing.send(msg, &mut st.peers).map_err(|e| match e {
            SendError::WouldBlock(m) => SendFailure {
                error: SocketError::WouldBlock,
                message: Some(m),
            },
            SendError::HostUnreachable(m) => SendFailure {
                error: SocketError::HostUnreachable,
                message: Some(m),
            },
            SendError::State(m) => SendFailure {
                error: SocketError::InvalidState,
                message: Some(m),
            },
            SendError::NotSupported(m) => SendFailure {
                error: SocketError::NotSupported(self.shared.kind),
                message: Some(m),
            },
        })
    }

    /// Sends a whole message, waiting while every eligible pipe is full. Cancel-safe:
    /// dropping the future either queued the whole message or none of it.
    pub async fn send(&self, msg: Message) -> Result<(), SocketError> {
        let mut msg = match self.try_send(msg) {
            Ok(()) => return Ok(()),
            Err(SendFailure {
                error: SocketError::WouldBlock,
                message: Some(m),
            }) => m,
            Err(f) => return Err(f.error),
        };
        loop {
            let mut notified = pin!(self.shared.send_ready.notified());
            notified.as_mut().enable();
            msg = match self.try_send(msg) {
                Ok(()) => return Ok(()),
                Err(SendFailure {
                    error: SocketError::WouldBlock,
                    message: Some(m),
                }) => m,
                Err(f) => return Err(f.error),
            };
            notified.await;
        }
    }

    /// Takes the next message if one is queued.
    ///
    /// Messages already routed wait in a small ready queue with its own lock, filled in
    /// batches from the incoming queue (for socket types whose receive side has no
    /// per-message state), so a receiver on another thread than the connection drivers
    /// takes the socket lock once per batch instead of once per message.
    pub fn try_recv(&self) -> Result<Option<Message>, SocketError> {
        if self.shared.recv_batch > 1 {
            if self
                .shared
                .closed
                .load(std::sync::atomic::Ordering::Acquire)
            {
                return Err(SocketError::Closed);
            }
            let mut ready = self.shared.lock_ready();
            if let Some(m) = ready.pop_front() {
                let more = !ready.is_empty();
                drop(ready);
                if more {
                    self.shared.pass_recv_baton();
                }
                return Ok(Some(m));
            }
        }
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        if st.closed {
            return Err(SocketError::Closed);
        }
        st.routing.check_recv().map_err(|e| match e {
            RoutingError::State => SocketError::InvalidState,
            RoutingError::NotSupported => SocketError::NotSupported(self.shared.kind),
        })?;
        if let Some(m) = st.routing.take_local() {
            let more = st.routing.has_local() || st.inbox_len() > 0;
            drop(guard);
            if more {
                self.shared.pass_recv_baton();
            }
            return Ok(Some(m));
        }
        if self.shared.recv_batch > 1 && st.routing.recv_in_batches() {
            return Ok(self.route_batch(guard));
        }
        while let Some((from, msg)) = st.pop_inbox() {
            match st.routing.on_recv(from, msg) {
                RecvAction::Deliver(m) => {
                    let more = st.inbox_len() > 0;
                    drop(guard);
                    if more {
                        self.shared.pass_recv_baton();
                    }
                    return Ok(Some(m));
                }
                RecvAction::Drop => {}
                RecvAction::DropAndKill(reason) => kill_unless_inproc(st, from, reason),
            }
        }
        Ok(None)
    }

    /// Routes up to `recv_batch` messages off the incoming queue under the socket lock
    /// (held by `guard`): returns the first, queues the rest in the ready queue.
    fn route_batch(
        &self,
        mut guard: std::sync::MutexGuard<'_, crate::state::State>,
    ) -> Option<Message> {
        let st = &mut *guard;
        let mut first = None;
        let mut rest = 0;
        // Locked once per batch, under the socket lock, so batches stay in order.
        let mut ready = None;
        while rest + 1 < self.shared.recv_batch || first.is_none() {
            let Some((from, msg)) = st.pop_inbox() else {
                break;
            };
            match st.routing.on_recv(from, msg) {
                RecvAction::Deliver(m) => {
                    if first.is_none() {
                        first = Some(m);
                    } else {
                        ready
                            .get_or_insert_with(|| self.shared.lock_ready())
                            .push_back(m);
                        rest += 1;
                    }
                }
                RecvAction::Drop => {}
                RecvAction::DropAndKill(reason) => kill_unless_inproc(st, from, reason),
            }
        }
        let more = rest > 0 || st.inbox_len() > 0 || st.routing.has_local();
        drop(ready);
        drop(guard);
        if first.is_some() && more {
            self.shared.pass_recv_baton();
        }
        first
    }

    /// Receives the next whole message. Cancel-safe: a message is only taken off the queue
    /// in the same step that returns it.
    pub async fn recv(&self) -> Result<Message, SocketError> {
        if let Some(m) = self.try_recv()? {
            return Ok(m);
        }
        // Counted before the check below, so a receiver that leaves messages behind
        // wakes us (see `Shared::pass_recv_baton`).
        let _waiting = self.shared.recv_waiter();
        loop {
            let mut notified = pin!(self.shared.recv_ready.notified());
            notified.as_mut().enable();
            if let Some(m) = self.try_recv()? {
                return Ok(m);
            }
            notified.await;
        }
    }

    /// Sets a routing option (ROUTER_MANDATORY, XPUB_VERBOSE, ...); fails with
    /// `NotSupported` when it does not apply to this socket type.
    pub fn set_routing_option(&self, opt: RoutingOption) -> Result<(), SocketError> {
        let mut st = self.shared.lock();
        if st.closed {
            return Err(SocketError::Closed);
        }
        st.routing
            .set_option(opt)
            .map_err(|_| SocketError::NotSupported(self.shared.kind))?;
        self.shared
            .lock_ready()
            .retain(|m| st.routing.still_wanted(m));
        Ok(())
    }

    /// Adds a subscription (SUB, XPUB with XPUB_MANUAL).
    pub fn subscribe(&self, topic: Bytes) -> Result<(), SocketError> {
        self.change_subscription(true, topic)
    }

    /// Removes one subscription (SUB, XPUB with XPUB_MANUAL).
    pub fn unsubscribe(&self, topic: Bytes) -> Result<(), SocketError> {
        self.change_subscription(false, topic)
    }

    fn change_subscription(&self, on: bool, topic: Bytes) -> Result<(), SocketError> {
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        if st.closed {
            return Err(SocketError::Closed);
        }
        let supported = if on {
            st.routing.subscribe(topic, &mut st.peers)
        } else {
            st.routing.unsubscribe(topic, &mut st.peers)
        };
        // Messages routed ahead under the old subscriptions are checked again.
        self.shared
            .lock_ready()
            .retain(|m| st.routing.still_wanted(m));
        if supported {
            Ok(())
        } else {
            Err(SocketError::NotSupported(self.shared.kind))
        }
    }

    /// Closes the socket: stops listeners and dialers; connections get up to the linger
    /// time to send what is queued. Idempotent.
    pub fn close(&self) {
        let bound;
        {
            let mut st = self.shared.lock();
            if st.closed {
                return;
            }
            st.closed = true;
            self.shared
                .closed
                .store(true, std::sync::atomic::Ordering::Release);
            for p in st.peers.iter_mut() {
                p.wake();
            }
            bound = st.bound.iter().map(|(e, _)| e.clone()).collect::<Vec<_>>();
        }
        // Each listener closes now: its CLOSED is queued before the shutdown is signalled,
        // so a monitor that ends on that signal (MONITOR_STOPPED) has it. inproc binds
        // report nothing, as in libzmq.
        for ep in bound
            .iter()
            .filter(|e| !matches!(e, zmtp_transport::Endpoint::Inproc(_)))
        {
            self.shared
                .events
                .report(ep, crate::events::EventKind::Closed);
        }
        self.shared.shutdown.cancel();
        self.shared.recv_ready.notify_waiters();
        self.shared.send_ready.notify_waiters();
    }

    /// Closes the socket and waits until its connections have sent what was queued (or
    /// the linger time ran out) and ended.
    pub async fn close_and_flush(&self) {
        self.close();
        loop {
            let mut notified = pin!(self.shared.drivers_done.notified());
            notified.as_mut().enable();
            if self
                .shared
                .drivers
                .load(std::sync::atomic::Ordering::Acquire)
                == 0
            {
                return;
            }
            notified.await;
        }
    }

    /// True after [`Socket::close`].
    pub fn is_closed(&self) -> bool {
        self.shared.lock().closed
    }

    /// Waits until every connected pipe's queue is empty and its connection has written
    /// everything it took from it, or until `timeout` passes; returns which happened.
    pub async fn flush(&self, timeout: Option<Duration>) -> bool {
        let deadline = timeout.map(|t| tokio::time::Instant::now() + t);
        let mut delay = Duration::from_millis(1);
        loop {
            if self.shared.lock().peers.all_flushed() {
                return true;
            }
            if deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
                return false;
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_millis(20));
        }
    }
}

/// A protocol violation found on receive drops the sender's connection, except over
/// inproc, where libzmq only skips the message.
fn kill_unless_inproc(st: &mut crate::state::State, from: PeerId, reason: &'static str) {
    if let Some(p) = st.peers.get_mut(from).filter(|p| !p.is_inproc()) {
        p.kill(reason);
    }
}
