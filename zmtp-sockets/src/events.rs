//! The socket's event sink: connection lifecycle points (listening, accepted, connected,
//! handshake done or failed, disconnected, retrying, closed) report here as plain data.
//! Nobody listening costs one relaxed atomic load per report; the socket monitor reads
//! the events through [`Socket::events`](crate::Socket::events).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;
use zmtp_transport::Endpoint;

use crate::error::ConnectionError;

/// What happened (libzmq's monitor event names).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum EventKind {
    /// A bind succeeded; the listener accepts connections.
    Listening,
    /// A bind failed (the OS error kind; `InvalidInput` for a refused endpoint).
    BindFailed(std::io::ErrorKind),
    /// A listener accepted a connection.
    Accepted,
    /// A listener failed to accept a connection.
    AcceptFailed(std::io::ErrorKind),
    /// A connection was made to a connect endpoint.
    Connected,
    /// A connection attempt failed; the next is made after this interval.
    ConnectRetried(Duration),
    /// A listener was closed (unbind or socket close).
    Closed,
    /// A connection completed its ZMTP handshake.
    HandshakeSucceeded,
    /// A connection ended before its handshake completed.
    HandshakeFailed(Arc<ConnectionError>),
    /// An established connection ended.
    Disconnected(Arc<ConnectionError>),
}

/// One event with the endpoint it concerns: the listener's endpoint for listening,
/// accepted and closed (and for connections a listener accepted), the connect endpoint
/// for connections made by `connect`.
#[derive(Clone, Debug)]
pub struct SocketEvent {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// What happened.
    pub kind: EventKind,
}

/// Where lifecycle points report (one per socket).
#[derive(Debug, Default)]
pub(crate) struct EventSink {
    active: AtomicBool,
    listeners: Mutex<Vec<mpsc::Sender<SocketEvent>>>,
    dropped: AtomicU64,
}

impl EventSink {
    /// Reports an event; `event` is only built when somebody listens. A listener whose
    /// queue is full misses the event (counted in [`EventSink::dropped`]); one that went
    /// away is forgotten.
    #[inline]
    pub fn emit(&self, event: impl FnOnce() -> SocketEvent) {
        if !self.active.load(Ordering::Relaxed) {
            return;
        }
        self.emit_slow(event());
    }

    #[inline(never)]
    fn emit_slow(&self, event: SocketEvent) {
        let mut listeners = self.listeners.lock().unwrap_or_else(|e| e.into_inner());
        listeners.retain(|tx| match tx.try_send(event.clone()) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
                true
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        });
        if listeners.is_empty() {
            self.active.store(false, Ordering::Relaxed);
        }
    }

    /// Reports an event about `endpoint` (built only when somebody listens).
    #[inline]
    pub fn report(&self, endpoint: &Endpoint, kind: EventKind) {
        self.emit(|| SocketEvent {
            endpoint: endpoint.clone(),
            kind,
        });
    }

    /// A new listener with room for `capacity` unread events (at least 1).
    pub fn subscribe(&self, capacity: usize) -> mpsc::Receiver<SocketEvent> {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let mut listeners = self.listeners.lock().unwrap_or_else(|e| e.into_inner());
        listeners.push(tx);
        self.active.store(true, Ordering::Relaxed);
        rx
    }

    /// Events missed by listeners whose queue was full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev() -> SocketEvent {
        SocketEvent {
            endpoint: Endpoint::Inproc("x".into()),
            kind: EventKind::Listening,
        }
    }

    #[test]
    fn nothing_is_built_without_listeners() {
        let sink = EventSink::default();
        sink.emit(|| unreachable!("built with nobody listening"));
    }

    #[test]
    fn every_listener_gets_each_event_and_full_queues_drop() {
        let sink = EventSink::default();
        let mut a = sink.subscribe(1);
        let mut b = sink.subscribe(4);
        sink.emit(ev);
        sink.emit(ev);
        assert!(a.try_recv().is_ok());
        assert!(a.try_recv().is_err());
        assert!(b.try_recv().is_ok() && b.try_recv().is_ok());
        assert_eq!(sink.dropped(), 1);
    }

    #[test]
    fn closed_listeners_are_forgotten() {
        let sink = EventSink::default();
        drop(sink.subscribe(1));
        sink.emit(ev);
        assert!(!sink.active.load(Ordering::Relaxed));
        sink.emit(|| unreachable!("no listener left"));
    }
}
