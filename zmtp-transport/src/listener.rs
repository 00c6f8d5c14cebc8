//! [`Listener`]: a bound tcp or ipc endpoint accepting [`Stream`]s.

use std::net::SocketAddr;

use tokio::net::{TcpListener, UnixListener};

use crate::endpoint::{Endpoint, Host, Port};
use crate::{Stream, TcpOptions, TransportError};

mod accept_retry;
mod ipc;
mod tcp;

use accept_retry::{AcceptFailure, AcceptPause};

/// A listening tcp or ipc socket.
///
/// For an `ipc://` path, the socket file is removed when the listener is
/// dropped, provided the file at that path is still the one this listener
/// created (same device and inode).
#[derive(Debug)]
pub struct Listener {
    inner: Inner,
    local: Endpoint,
    pause: AcceptPause,
    /// Applied to each accepted tcp connection.
    tcp: TcpOptions,
}

#[derive(Debug)]
enum Inner {
    Tcp(TcpListener),
    Ipc {
        listener: UnixListener,
        /// Dropped after `listener` (field order), removing the socket file.
        _file: Option<ipc::SocketFile>,
    },
}

impl Listener {
    /// Binds a `tcp://` or `ipc://` endpoint.
    ///
    /// Synchronous, but must be called within a tokio runtime context (inside
    /// a task, or under [`Runtime::enter`](tokio::runtime::Runtime::enter));
    /// otherwise [`TransportError::NoRuntime`] is returned. Host names are
    /// resolved with a blocking lookup.
    ///
    /// * tcp: `*` binds `0.0.0.0`; port `*`/`0` picks an ephemeral port (see
    ///   [`local_endpoint`](Self::local_endpoint)); `SO_REUSEADDR` is set.
    /// * ipc: an existing socket file at the path is replaced; `@name` binds
    ///   the Linux abstract namespace; `*` binds a fresh private path (a new
    ///   mode-0700 directory under `TMPDIR` or `/tmp`, removed with the listener).
    ///
    /// Errors: [`TransportError::AddrInUse`], [`TransportError::Resolve`],
    /// [`TransportError::Invalid`] for `inproc://`, or [`TransportError::Io`].
    pub fn bind(ep: &Endpoint) -> Result<Listener, TransportError> {
        Listener::bind_with(ep, &TcpOptions::default())
    }

    /// As [`Listener::bind`], with tcp socket settings for the listener and for every
    /// connection it accepts (ignored for ipc).
    pub fn bind_with(ep: &Endpoint, tcp: &TcpOptions) -> Result<Listener, TransportError> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(TransportError::NoRuntime);
        }
        let (inner, local) = match ep {
            Endpoint::Tcp {
                source: Some(_), ..
            } => {
                return Err(TransportError::invalid(
                    &ep.to_string(),
                    "a source address (`src;dst`) is for connect only",
                ));
            }
            Endpoint::Tcp { host, port, .. } => {
                let listener = tcp::bind(ep, host, *port, tcp)?;
                let local = tcp_endpoint(listener.local_addr()?);
                (Inner::Tcp(listener), local)
            }
            Endpoint::Ipc(addr) => {
                let bound = ipc::bind(ep, addr)?;
                let local = Endpoint::Ipc(bound.addr);
                let inner = Inner::Ipc {
                    listener: bound.listener,
                    _file: bound.cleanup,
                };
                (inner, local)
            }
            Endpoint::Inproc(_) => {
                return Err(TransportError::invalid(
                    &ep.to_string(),
                    "inproc endpoints are bound with InprocRegistry",
                ));
            }
        };
        tracing::debug!(target: crate::LOG_TARGET, endpoint = %local, "listening");
        Ok(Listener {
            inner,
            local,
            pause: AcceptPause::default(),
            tcp: tcp.clone(),
        })
    }

    /// The bound endpoint with wildcards resolved, e.g. `tcp://0.0.0.0:40123`
    /// for `tcp://*:*` or `tcp://127.0.0.1:40123` for `tcp://localhost:*`
    /// (libzmq's `ZMQ_LAST_ENDPOINT`). ipc endpoints are returned as given.
    pub fn local_endpoint(&self) -> Endpoint {
        self.local.clone()
    }

    /// Accepts the next connection, returning it with the peer's address (IP
    /// text for tcp, empty for ipc). TCP streams get `TCP_NODELAY`.
    ///
    /// Errors that concern only the pending connection (`ECONNABORTED`,
    /// `ECONNRESET`, network errors...) are logged and skipped. Resource
    /// exhaustion (`EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM`) is logged as a
    /// warning and retried after a pause of 10 ms doubling up to 1 s (reset
    /// by a success), instead of spinning. Only other errors are returned.
    ///
    /// Cancel safe: no connection is lost if the future is dropped, and a
    /// pending pause is still honoured by the next call.
    pub async fn accept(&mut self) -> Result<(Stream, String), TransportError> {
        loop {
            self.pause.wait().await;
            let result = match &self.inner {
                Inner::Tcp(l) => l.accept().await.map(|(s, addr)| {
                    if let Err(e) = self.tcp.apply_connection(socket2::SockRef::from(&s)) {
                        tracing::debug!(target: crate::LOG_TARGET, error = %e, "cannot apply tcp options to an accepted connection");
                    }
                    (Stream::from_tcp(s), addr.ip().to_string())
                }),
                Inner::Ipc { listener, .. } => listener
                    .accept()
                    .await
                    .map(|(s, _)| (Stream::Ipc(s), String::new())),
            };
            let e = match result {
                Ok(accepted) => {
                    self.pause.reset();
                    return Ok(accepted);
                }
                Err(e) => e,
            };
            match accept_retry::classify(&e) {
                AcceptFailure::Resource => {
                    let delay = self.pause.on_resource_error();
                    tracing::warn!(target: crate::LOG_TARGET, endpoint = %self.local, error = %e, ?delay, "accept failed for lack of resources; pausing");
                }
                AcceptFailure::Connection => {
                    tracing::debug!(target: crate::LOG_TARGET, endpoint = %self.local, error = %e, "accept: pending connection failed; skipped");
                }
                AcceptFailure::Fatal => {
                    tracing::warn!(target: crate::LOG_TARGET, endpoint = %self.local, error = %e, "accept failed");
                    return Err(e.into());
                }
            }
        }
    }
}

/// The endpoint naming a bound tcp address.
fn tcp_endpoint(addr: SocketAddr) -> Endpoint {
    Endpoint::Tcp {
        host: Host::Ip(addr.ip()),
        port: Port::Num(addr.port()),
        source: None,
    }
}
