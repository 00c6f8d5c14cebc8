//! Bind, connect, unbind and disconnect: the socket's endpoints, the listener tasks that
//! accept connections and the dialer tasks that make (and remake) them.

use std::sync::Arc;
use std::time::Duration;

use zmtp_transport::{Backoff, Endpoint, Listener};

use crate::driver::{Link, Role};
use crate::error::SocketError;
use crate::events::EventKind;
use crate::inproc::join;
use crate::peer::PeerId;
use crate::pipe::Pipe;
use crate::shared::{InprocConnect, Shared};
use crate::socket::Socket;

impl Socket {
    /// Binds and starts accepting; returns the resolved endpoint (wildcard port filled in).
    pub fn bind(&self, ep: &Endpoint) -> Result<Endpoint, SocketError> {
        self.check_open()?;
        self.check_security(ep)?;
        let resolved = self.bind_inner(ep).inspect_err(|e| {
            // libzmq reports nothing for inproc binds.
            if !matches!(ep, Endpoint::Inproc(_)) {
                self.emit(ep, EventKind::BindFailed(io_kind(e)));
            }
        })?;
        Ok(resolved)
    }

    /// Reports an event about `ep` to the socket's event sink.
    pub(crate) fn emit(&self, ep: &Endpoint, kind: EventKind) {
        emit(&self.shared, ep, kind);
    }

    /// A missing CURVE key fails here rather than in every handshake later (inproc
    /// connections use no mechanism).
    fn check_security(&self, ep: &Endpoint) -> Result<(), SocketError> {
        if matches!(ep, Endpoint::Inproc(_)) {
            return Ok(());
        }
        crate::security::check(&self.shared.lock().options)
    }

    fn bind_inner(&self, ep: &Endpoint) -> Result<Endpoint, SocketError> {
        let token = self.shared.shutdown.child_token();
        let resolved = match ep {
            Endpoint::Inproc(name) => {
                let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<InprocConnect>();
                // The name is free again the moment `token` fires (unbind, close), not
                // when this task gets round to dropping the binding.
                let t = token.clone();
                let binding = self
                    .shared
                    .inproc
                    .bind_while(name, tx, move || !t.is_cancelled())?;
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
                ep.clone()
            }
            _ => {
                let tcp = self.shared.lock().options.tcp_options();
                let listener = {
                    let _guard = self.shared.runtime.enter();
                    Listener::bind_with(ep, &tcp)?
                };
                let resolved = listener.local_endpoint().clone();
                let shared = self.shared.clone();
                let t = token.clone();
                self.shared
                    .runtime
                    .spawn(accept_loop(shared, listener, resolved.clone(), t));
                resolved
            }
        };
        tracing::debug!(target: "zmtp_sockets", endpoint = %resolved, "bound");
        if !matches!(resolved, Endpoint::Inproc(_)) {
            self.emit(&resolved, EventKind::Listening);
        }
        let mut st = self.shared.lock();
        st.bound.push((resolved.clone(), token));
        st.last_endpoint = Some(resolved.clone());
        Ok(resolved)
    }

    /// Connects (in the background, reconnecting as needed). The pipe exists at once, so
    /// messages queue before the connection is up.
    pub fn connect(&self, ep: &Endpoint) -> Result<(), SocketError> {
        self.check_open()?;
        ep.for_connect()?;
        self.check_security(ep)?;
        let id = {
            let mut guard = self.shared.lock();
            let st = &mut *guard;
            let mut pipe = Pipe::new(&st.options);
            // CONNECT_ROUTING_ID names only the next connection.
            let rid = st.options.connect_routing_id.take();
            pipe.set_connect_routing_id(rid.clone());
            pipe.set_inproc(matches!(ep, Endpoint::Inproc(_)));
            let id = st.peers.insert(pipe);
            if !st.options.immediate {
                st.routing.attach_dialed(id, rid.as_ref());
            }
            id
        };
        self.shared.send_ready.notify_waiters();
        let token = self.shared.shutdown.child_token();
        match ep {
            Endpoint::Inproc(name) => {
                self.shared.inproc.connect(
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
        st.connected.push((ep.clone(), token, id));
        st.last_endpoint = Some(ep.clone());
        Ok(())
    }

    /// Stops listening on a bound endpoint (give the resolved form for wildcard binds,
    /// as [`Socket::bind`] returned it). Connections already accepted stay.
    /// An inproc name is free for another bind when this returns. Fails with
    /// [`SocketError::Closed`] on a closed socket.
    pub fn unbind(&self, ep: &Endpoint) -> Result<(), SocketError> {
        let mut st = self.shared.lock();
        if st.closed {
            return Err(SocketError::Closed);
        }
        let pos = find_endpoint(st.bound.iter().map(|(e, _)| e), ep)?;
        let (bound, token) = st.bound.remove(pos);
        drop(st);
        token.cancel();
        if !matches!(bound, Endpoint::Inproc(_)) {
            self.emit(&bound, EventKind::Closed);
        }
        Ok(())
    }

    /// Drops a connection made with [`Socket::connect`], with its pipe and queued messages.
    pub fn disconnect(&self, ep: &Endpoint) -> Result<(), SocketError> {
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        let pos = find_endpoint(st.connected.iter().map(|(e, _, _)| e), ep)?;
        let (_, token, id) = st.connected.remove(pos);
        token.cancel();
        // Like zmq_disconnect: what this pipe received but the application has not read
        // is discarded.
        st.routing.detach(id, 0);
        if let Some(mut pipe) = st.peers.remove(id) {
            pipe.wake();
        }
        Ok(())
    }

    /// The last endpoint bound or connected.
    pub fn last_endpoint(&self) -> Option<Endpoint> {
        self.shared.lock().last_endpoint.clone()
    }

    /// Bound (`true`) or connected (`false`) endpoints, newest first.
    pub fn endpoints(&self, bound: bool) -> Vec<Endpoint> {
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
}

/// Reports an event about `ep` to the socket's event sink.
fn emit(shared: &Shared, ep: &Endpoint, kind: EventKind) {
    shared.events.report(ep, kind);
}

/// The OS error kind a failed bind reports.
fn io_kind(e: &SocketError) -> std::io::ErrorKind {
    match e {
        SocketError::Transport(t) => transport_kind(t),
        _ => std::io::ErrorKind::InvalidInput,
    }
}

/// The OS error kind of a transport failure (`InvalidInput` for a refused endpoint).
fn transport_kind(e: &zmtp_transport::TransportError) -> std::io::ErrorKind {
    use std::io::ErrorKind as K;
    use zmtp_transport::TransportError as T;
    match e {
        T::AddrInUse(_) => K::AddrInUse,
        T::Io(io) => io.kind(),
        T::Resolve(_) => K::AddrNotAvailable,
        _ => K::InvalidInput,
    }
}

/// Position of `ep` in a list of endpoints.
fn find_endpoint<'a>(
    mut list: impl Iterator<Item = &'a Endpoint>,
    ep: &Endpoint,
) -> Result<usize, SocketError> {
    list.position(|e| e == ep)
        .ok_or_else(|| SocketError::NoSuchEndpoint(ep.clone()))
}

async fn accept_loop(
    shared: Arc<Shared>,
    mut listener: Listener,
    endpoint: Endpoint,
    token: tokio_util::sync::CancellationToken,
) {
    loop {
        let accepted = tokio::select! {
            _ = token.cancelled() => break,
            r = listener.accept() => r,
        };
        match accepted {
            Ok((stream, addr)) => {
                emit(&shared, &endpoint, EventKind::Accepted);
                let s = shared.clone();
                let ep = endpoint.clone();
                shared.runtime.spawn(async move {
                    let link = Link {
                        role: Role::Accepted,
                        endpoint: ep,
                        peer_address: addr,
                    };
                    crate::driver::run(s, stream, link).await;
                });
            }
            Err(e) => {
                tracing::error!(target: "zmtp_sockets", error = %e, "listener failed");
                emit(
                    &shared,
                    &endpoint,
                    EventKind::AcceptFailed(transport_kind(&e)),
                );
                break;
            }
        }
    }
    // Unbind and close report CLOSED themselves (close does it at once, so the event
    // precedes a monitor's MONITOR_STOPPED).
}

/// Connects, runs the connection, and reconnects with backoff until the socket closes.
/// After close it keeps trying for up to the linger time while its pipe holds messages.
async fn dial_loop(
    shared: Arc<Shared>,
    ep: Endpoint,
    id: PeerId,
    token: tokio_util::sync::CancellationToken,
) {
    let (ivl, max, tcp) = {
        let st = shared.lock();
        let o = &st.options;
        (o.reconnect_ivl, o.reconnect_ivl_max, o.tcp_options())
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
            let empty = shared.lock().peers.get(id).is_none_or(|p| p.out_len() == 0);
            if empty || deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
                return;
            }
        }
        // libzmq's non-blocking tcp connect says EINPROGRESS (Linux, even on loopback);
        // ipc connects complete at once.
        if matches!(ep, Endpoint::Tcp { .. }) {
            emit(&shared, &ep, EventKind::ConnectDelayed);
        }
        let attempt = tokio::select! {
            _ = token.cancelled(), if give_up.is_none() => continue,
            _ = sleep_until_opt(give_up.flatten()) => return,
            r = zmtp_transport::connect_with(&ep, &tcp) => r,
        };
        match attempt {
            Ok(stream) => {
                emit(&shared, &ep, EventKind::Connected);
                let link = Link {
                    role: Role::Dialed(id),
                    endpoint: ep.clone(),
                    peer_address: ep.to_string(),
                };
                let ended = crate::driver::run(shared.clone(), stream, link).await;
                // Only a completed handshake restarts the delays: a peer that keeps
                // dropping us before it is redialled less and less often.
                if ended.handshaked {
                    backoff.reset();
                } else {
                    backoff.handshake_failed();
                }
                let err = ended.error;
                if err.is_fatal() {
                    if !matches!(*err, crate::error::ConnectionError::SocketClosed) {
                        tracing::warn!(target: "zmtp_sockets", endpoint = %ep, "not reconnecting after protocol error");
                        shared.lock().detach_peer(id, 0);
                    }
                    return;
                }
            }
            Err(e) => {
                tracing::debug!(target: "zmtp_sockets", endpoint = %ep, error = %e, "connect failed");
                // libzmq closes the attempt's OS socket and reports it (none was opened
                // when the name did not resolve).
                if !matches!(e, zmtp_transport::TransportError::Resolve(_)) {
                    emit(&shared, &ep, EventKind::Closed);
                }
            }
        }
        if ivl.is_none() {
            return;
        }
        let delay = backoff.next_delay();
        emit(&shared, &ep, EventKind::ConnectRetried(delay));
        tokio::select! {
            _ = token.cancelled(), if give_up.is_none() => {}
            _ = sleep_until_opt(give_up.flatten()) => return,
            _ = tokio::time::sleep(delay) => {}
        }
    }
}

async fn sleep_until_opt(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}
