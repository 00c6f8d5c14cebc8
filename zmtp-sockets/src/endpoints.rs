//! Bind, connect, unbind and disconnect: the socket's endpoints, the listener tasks that
//! accept connections and the dialer tasks that make (and remake) them.

use std::sync::Arc;
use std::time::Duration;

use zmtp_transport::{Backoff, Endpoint, Listener};

use crate::driver::{Role, StreamDriver};
use crate::error::SocketError;
use crate::inproc::{InprocConnect, join};
use crate::peer::PeerId;
use crate::socket::Socket;
use crate::state::{Peer, Shared};

impl Socket {
    /// Binds and starts accepting; returns the resolved endpoint (wildcard port filled in).
    pub fn bind(&self, ep: &Endpoint) -> Result<Endpoint, SocketError> {
        self.check_open()?;
        let token = self.shared.shutdown.child_token();
        let resolved = match ep {
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
                ep.clone()
            }
            _ => {
                let listener = {
                    let _guard = self.shared.runtime.enter();
                    Listener::bind(ep)?
                };
                let resolved = listener.local_endpoint().clone();
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
    pub fn connect(&self, ep: &Endpoint) -> Result<(), SocketError> {
        self.check_open()?;
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
        match ep {
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
        st.connected.push((ep.clone(), token, id));
        st.last_endpoint = Some(ep.clone());
        Ok(())
    }

    /// Stops listening on a bound endpoint (give the resolved form for wildcard binds,
    /// as [`Socket::bind`] returned it). Connections already accepted stay.
    pub fn unbind(&self, ep: &Endpoint) -> Result<(), SocketError> {
        let mut st = self.shared.lock();
        let pos = find_endpoint(st.bound.iter().map(|(e, _)| e), ep)?;
        let (_, token) = st.bound.remove(pos);
        token.cancel();
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
        if let Some(mut p) = st.peers.remove(id) {
            p.wake();
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
