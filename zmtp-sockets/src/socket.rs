//! The engine's socket: send and receive against the pipes, bind and connect.

use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use zmtp_codec::SocketType;
use zmtp_transport::{Backoff, Endpoint, Listener};

use crate::context::{Context, runtime_handle};
use crate::driver::{Role, StreamDriver};
use crate::error::{SendFailure, SocketError};
use crate::inproc::{InprocConnect, join};
use crate::message::Message;
use crate::options::Options;
use crate::peer::PeerId;
use crate::routing::{RecvAction, Routing, RoutingError, RoutingOption, SendError};
use crate::state::{Peer, Shared};

/// An engine socket. Cloning gives another handle to the same socket; the socket stays
/// open until [`Socket::close`] is called.
#[derive(Clone, Debug)]
pub struct Socket {
    shared: Arc<Shared>,
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
            shared: Arc::new(Shared::new(kind, routing, runtime, context)),
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

    fn check_open(&self) -> Result<(), SocketError> {
        if self.shared.lock().closed {
            Err(SocketError::Closed)
        } else {
            Ok(())
        }
    }

    /// Binds and starts accepting; returns the resolved endpoint (wildcard port filled in).
    pub fn bind(&self, endpoint: &str) -> Result<String, SocketError> {
        self.check_open()?;
        let ep: Endpoint = endpoint.parse()?;
        let token = self.shared.shutdown.child_token();
        let resolved = match &ep {
            Endpoint::Inproc(name) => {
                let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<InprocConnect>();
                let binding = self.shared.context.inproc.bind(name, tx)?;
                let shared = self.shared.clone();
                let t = token.clone();
                self.shared.runtime.spawn(async move {
                    let _binding = binding;
                    loop {
                        tokio::select! {
                            _ = t.cancelled() => break,
                            req = rx.recv() => match req {
                                Some(req) => join(shared.clone(), req),
                                None => break,
                            },
                        }
                    }
                });
                ep.to_string()
            }
            _ => {
                let listener = {
                    let _guard = self.shared.runtime.enter();
                    Listener::bind(&ep)?
                };
                let resolved = listener.local_endpoint().to_string();
                let shared = self.shared.clone();
                let t = token.clone();
                self.shared.runtime.spawn(accept_loop(shared, listener, t));
                resolved
            }
        };
        tracing::debug!(target: "zmtp_sockets", endpoint = %resolved, "bound");
        let mut st = self.shared.lock();
        st.bound.push((resolved.clone(), token));
        st.last_endpoint = Some(resolved.clone());
        Ok(resolved)
    }

    /// Connects (in the background, reconnecting as needed). The pipe exists at once, so
    /// messages queue before the connection is up.
    pub fn connect(&self, endpoint: &str) -> Result<(), SocketError> {
        self.check_open()?;
        let ep: Endpoint = endpoint.parse()?;
        ep.for_connect()?;
        let id = {
            let mut guard = self.shared.lock();
            let st = &mut *guard;
            let mut peer = Peer::new(&st.options);
            // CONNECT_ROUTING_ID names only the next connection.
            peer.connect_routing_id = st.options.connect_routing_id.take();
            peer.inproc = matches!(ep, Endpoint::Inproc(_));
            let rid = peer.connect_routing_id.clone();
            let id = st.peers.insert(peer);
            if !st.options.immediate {
                st.routing.attach_dialed(id, rid.as_ref());
            }
            id
        };
        self.shared.send_ready.notify_waiters();
        let token = self.shared.shutdown.child_token();
        match &ep {
            Endpoint::Inproc(name) => {
                self.shared.context.inproc.connect(
                    name,
                    InprocConnect {
                        shared: self.shared.clone(),
                        peer: id,
                    },
                );
            }
            _ => {
                let shared = self.shared.clone();
                // Counted from now, so close_and_flush waits for a dialer that has not run yet.
                let guard = self.shared.driver_started();
                let dial = dial_loop(shared, ep.clone(), id, token.clone());
                self.shared.runtime.spawn(async move {
                    dial.await;
                    drop(guard);
                });
            }
        }
        let mut st = self.shared.lock();
        st.connected.push((ep.to_string(), token, id));
        st.last_endpoint = Some(ep.to_string());
        Ok(())
    }

    /// Stops listening on a bound endpoint (give the resolved form for wildcard binds,
    /// as [`Socket::bind`] returned it). Connections already accepted stay.
    pub fn unbind(&self, endpoint: &str) -> Result<(), SocketError> {
        let mut st = self.shared.lock();
        let pos = find_endpoint(st.bound.iter().map(|(e, _)| e), endpoint)?;
        let (_, token) = st.bound.remove(pos);
        token.cancel();
        Ok(())
    }

    /// Drops a connection made with [`Socket::connect`], with its pipe and queued messages.
    pub fn disconnect(&self, endpoint: &str) -> Result<(), SocketError> {
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        let pos = find_endpoint(st.connected.iter().map(|(e, _, _)| e), endpoint)?;
        let (_, token, id) = st.connected.remove(pos);
        token.cancel();
        // Like zmq_disconnect: what this pipe received but the application has not read
        // is discarded.
        st.routing.detach(id, 0);
        if let Some(mut p) = st.peers.remove(id) {
            p.wake();
        }
        Ok(())
    }

    /// A token cancelled when the socket closes (for `closed()` futures).
    pub fn closed_token(&self) -> tokio_util::sync::CancellationToken {
        self.shared.shutdown.clone()
    }

    /// The last endpoint bound or connected.
    pub fn last_endpoint(&self) -> Option<String> {
        self.shared.lock().last_endpoint.clone()
    }

    /// Bound (`true`) or connected (`false`) endpoints, newest first.
    pub fn endpoints(&self, bound: bool) -> Vec<String> {
        let st = self.shared.lock();
        if bound {
            st.bound.iter().rev().map(|(e, _)| e.clone()).collect()
        } else {
            st.connected
                .iter()
                .rev()
                .map(|(e, _, _)| e.clone())
                .collect()
        }
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
            let more = st.routing.has_local() || !st.inbox.is_empty();
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
                    let more = !st.inbox.is_empty();
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
        let more = rest > 0 || !st.inbox.is_empty() || st.routing.has_local();
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
            if self.shared.lock().peers.all_empty() {
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
    if let Some(p) = st.peers.get_mut(from).filter(|p| !p.inproc) {
        p.kill = Some(reason);
        p.wake();
    }
}

/// Position of `endpoint` (as given, or in canonical form) in a list of endpoints.
fn find_endpoint<'a>(
    mut list: impl Iterator<Item = &'a String>,
    endpoint: &str,
) -> Result<usize, SocketError> {
    let canonical = endpoint.parse::<Endpoint>().map(|e| e.to_string()).ok();
    list.position(|e| e == endpoint || Some(e) == canonical.as_ref())
        .ok_or_else(|| SocketError::NoSuchEndpoint(endpoint.to_string()))
}

async fn accept_loop(
    shared: Arc<Shared>,
    mut listener: Listener,
    token: tokio_util::sync::CancellationToken,
) {
    loop {
        let accepted = tokio::select! {
            _ = token.cancelled() => break,
            r = listener.accept() => r,
        };
        match accepted {
            Ok((stream, addr)) => {
                let s = shared.clone();
                shared.runtime.spawn(async move {
                    StreamDriver::new(s, stream, Role::Accepted, addr)
                        .run()
                        .await;
                });
            }
            Err(e) => {
                tracing::error!(target: "zmtp_sockets", error = %e, "listener failed");
                break;
            }
        }
    }
}

/// Connects, runs the connection, and reconnects with backoff until the socket closes.
/// After close it keeps trying for up to the linger time while its pipe holds messages.
async fn dial_loop(
    shared: Arc<Shared>,
    ep: Endpoint,
    id: PeerId,
    token: tokio_util::sync::CancellationToken,
) {
    let (ivl, max) = {
        let st = shared.lock();
        (st.options.reconnect_ivl, st.options.reconnect_ivl_max)
    };
    let mut backoff = Backoff::new(ivl.unwrap_or(Duration::from_millis(100)), max);
    // Set once the socket closes: the instant after which queued messages are abandoned.
    let mut give_up: Option<Option<tokio::time::Instant>> = None;
    loop {
        if give_up.is_none() && token.is_cancelled() {
            let linger = shared.lock().options.linger;
            give_up = Some(linger.map(|d| tokio::time::Instant::now() + d));
        }
        if let Some(deadline) = give_up {
            let empty = shared.lock().peers.get(id).is_none_or(|p| p.out.is_empty());
            if empty || deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
                return;
            }
        }
        let attempt = tokio::select! {
            _ = token.cancelled(), if give_up.is_none() => continue,
            _ = sleep_until_opt(give_up.flatten()) => return,
            r = zmtp_transport::connect(&ep) => r,
        };
        match attempt {
            Ok(stream) => {
                backoff.reset();
                let addr = ep.to_string();
                let err = StreamDriver::new(shared.clone(), stream, Role::Dialed(id), addr)
                    .run()
                    .await;
                if err.is_fatal() {
                    if !matches!(err, crate::error::ConnectionError::SocketClosed) {
                        tracing::warn!(target: "zmtp_sockets", endpoint = %ep, "not reconnecting after protocol error");
                        shared.lock().detach_peer(id, 0);
                    }
                    return;
                }
            }
            Err(e) => {
                tracing::debug!(target: "zmtp_sockets", endpoint = %ep, error = %e, "connect failed")
            }
        }
        if ivl.is_none() {
            return;
        }
        tokio::select! {
            _ = token.cancelled(), if give_up.is_none() => {}
            _ = sleep_until_opt(give_up.flatten()) => return,
            _ = tokio::time::sleep(backoff.next_delay()) => {}
        }
    }
}

async fn sleep_until_opt(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}
