//! The socket's event sink: connection lifecycle points (listening, accepted, connected,
//! handshake done or failed, disconnected, retrying, closed) report here as plain data.
//! Nobody listening costs one relaxed atomic load per report; the socket monitor reads
//! the events through [`Socket::events`](crate::Socket::events) or, as the one
//! replaceable monitor libzmq has per socket, [`Socket::monitor`](crate::Socket::monitor).
//! Each [`EventKind`] maps to libzmq's event code ([`EventType`]) and value.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;
use zmtp_transport::Endpoint;

use crate::error::ConnectionError;

/// `EFAULT`: libzmq's value for a PLAIN handshake without a ZAP handler.
const EFAULT: u32 = 14;
/// `EPIPE` (Linux): the value libzmq reports when a peer closed during the handshake.
const EPIPE: u32 = 32;
/// `EINPROGRESS` (Linux): the value of `CONNECT_DELAYED`.
const EINPROGRESS: u32 = 115;
/// `ETIMEDOUT` (Linux): the value reported for a handshake that ran out of time.
const ETIMEDOUT: u32 = 110;

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
    /// A tcp connection attempt started and did not complete at once (libzmq's
    /// `CONNECT_DELAYED`, reported when its non-blocking `connect` says `EINPROGRESS`,
    /// which on Linux is every tcp attempt and no ipc one).
    ConnectDelayed,
    /// A connection was made to a connect endpoint.
    Connected,
    /// A connection attempt failed; the next is made after this interval.
    ConnectRetried(Duration),
    /// A listener was closed (unbind or socket close), or a failed connection attempt's
    /// OS socket was (libzmq reports both).
    Closed,
    /// Closing a descriptor failed. Kept for libzmq's event set; never reported here
    /// (dropping a tokio socket cannot fail).
    CloseFailed(std::io::ErrorKind),
    /// A connection completed its ZMTP handshake.
    HandshakeSucceeded,
    /// A connection's handshake failed (reported before its [`EventKind::Disconnected`],
    /// as libzmq does): a protocol error gives `HANDSHAKE_FAILED_PROTOCOL`, anything
    /// else (peer gone, I/O error, timeout) `HANDSHAKE_FAILED_NO_DETAIL`.
    HandshakeFailed(Arc<ConnectionError>),
    /// The ZAP handler refused the peer, with this ZAP status code (300, 400 or 500).
    AuthFailed(u32),
    /// A connection ended (after a failed handshake too), except at our own close.
    Disconnected(Arc<ConnectionError>),
}

/// libzmq's monitor event codes (`ZMQ_EVENT_*` in `zmq.h`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventType {
    /// `ZMQ_EVENT_CONNECTED` (0x0001).
    Connected,
    /// `ZMQ_EVENT_CONNECT_DELAYED` (0x0002).
    ConnectDelayed,
    /// `ZMQ_EVENT_CONNECT_RETRIED` (0x0004).
    ConnectRetried,
    /// `ZMQ_EVENT_LISTENING` (0x0008).
    Listening,
    /// `ZMQ_EVENT_BIND_FAILED` (0x0010).
    BindFailed,
    /// `ZMQ_EVENT_ACCEPTED` (0x0020).
    Accepted,
    /// `ZMQ_EVENT_ACCEPT_FAILED` (0x0040).
    AcceptFailed,
    /// `ZMQ_EVENT_CLOSED` (0x0080).
    Closed,
    /// `ZMQ_EVENT_CLOSE_FAILED` (0x0100).
    CloseFailed,
    /// `ZMQ_EVENT_DISCONNECTED` (0x0200).
    Disconnected,
    /// `ZMQ_EVENT_MONITOR_STOPPED` (0x0400): the last event a monitor sees.
    MonitorStopped,
    /// `ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL` (0x0800).
    HandshakeFailedNoDetail,
    /// `ZMQ_EVENT_HANDSHAKE_SUCCEEDED` (0x1000).
    HandshakeSucceeded,
    /// `ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL` (0x2000).
    HandshakeFailedProtocol,
    /// `ZMQ_EVENT_HANDSHAKE_FAILED_AUTH` (0x4000).
    HandshakeFailedAuth,
}

impl EventType {
    /// Every event type, in code order.
    pub const ALL: [EventType; 15] = [
        EventType::Connected,
        EventType::ConnectDelayed,
        EventType::ConnectRetried,
        EventType::Listening,
        EventType::BindFailed,
        EventType::Accepted,
        EventType::AcceptFailed,
        EventType::Closed,
        EventType::CloseFailed,
        EventType::Disconnected,
        EventType::MonitorStopped,
        EventType::HandshakeFailedNoDetail,
        EventType::HandshakeSucceeded,
        EventType::HandshakeFailedProtocol,
        EventType::HandshakeFailedAuth,
    ];

    /// libzmq's numeric code (one bit each, so codes combine into an [`EventMask`]).
    pub fn code(self) -> u16 {
        1 << (self as u16)
    }

    /// The event type with this code, if any.
    pub fn from_code(code: u16) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.code() == code)
    }

    /// libzmq's name without the `ZMQ_EVENT_` prefix (`"CONNECTED"`).
    pub fn name(self) -> &'static str {
        match self {
            EventType::Connected => "CONNECTED",
            EventType::ConnectDelayed => "CONNECT_DELAYED",
            EventType::ConnectRetried => "CONNECT_RETRIED",
            EventType::Listening => "LISTENING",
            EventType::BindFailed => "BIND_FAILED",
            EventType::Accepted => "ACCEPTED",
            EventType::AcceptFailed => "ACCEPT_FAILED",
            EventType::Closed => "CLOSED",
            EventType::CloseFailed => "CLOSE_FAILED",
            EventType::Disconnected => "DISCONNECTED",
            EventType::MonitorStopped => "MONITOR_STOPPED",
            EventType::HandshakeFailedNoDetail => "HANDSHAKE_FAILED_NO_DETAIL",
            EventType::HandshakeSucceeded => "HANDSHAKE_SUCCEEDED",
            EventType::HandshakeFailedProtocol => "HANDSHAKE_FAILED_PROTOCOL",
            EventType::HandshakeFailedAuth => "HANDSHAKE_FAILED_AUTH",
        }
    }
}

/// A set of event types (libzmq's `events` argument of `zmq_socket_monitor`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EventMask(pub u32);

impl EventMask {
    /// Every event (`ZMQ_EVENT_ALL`, 0xFFFF).
    pub const ALL: EventMask = EventMask(0xFFFF);
    /// No event.
    pub const NONE: EventMask = EventMask(0);

    /// True when `t` is in the set.
    pub fn contains(self, t: EventType) -> bool {
        self.0 & u32::from(t.code()) != 0
    }
}

impl From<EventType> for EventMask {
    fn from(t: EventType) -> Self {
        EventMask(u32::from(t.code()))
    }
}

impl<T: Into<EventMask>> std::ops::BitOr<T> for EventMask {
    type Output = EventMask;
    fn bitor(self, rhs: T) -> EventMask {
        EventMask(self.0 | rhs.into().0)
    }
}

impl<T: Into<EventMask>> std::ops::BitOr<T> for EventType {
    type Output = EventMask;
    fn bitor(self, rhs: T) -> EventMask {
        EventMask::from(self) | rhs
    }
}

/// The errno-like value of an I/O error kind (0 when it has no OS code).
fn errno(kind: std::io::ErrorKind) -> u32 {
    std::io::Error::from(kind)
        .raw_os_error()
        .and_then(|e| u32::try_from(e).ok())
        .unwrap_or(0)
}

impl EventKind {
    /// libzmq's event type for this event.
    pub fn event_type(&self) -> EventType {
        match self {
            EventKind::Listening => EventType::Listening,
            EventKind::BindFailed(_) => EventType::BindFailed,
            EventKind::Accepted => EventType::Accepted,
            EventKind::AcceptFailed(_) => EventType::AcceptFailed,
            EventKind::ConnectDelayed => EventType::ConnectDelayed,
            EventKind::Connected => EventType::Connected,
            EventKind::ConnectRetried(_) => EventType::ConnectRetried,
            EventKind::Closed => EventType::Closed,
            EventKind::CloseFailed(_) => EventType::CloseFailed,
            EventKind::HandshakeSucceeded => EventType::HandshakeSucceeded,
            EventKind::HandshakeFailed(e) => match protocol_code(e) {
                Some(_) => EventType::HandshakeFailedProtocol,
                None => EventType::HandshakeFailedNoDetail,
            },
            EventKind::AuthFailed(_) => EventType::HandshakeFailedAuth,
            EventKind::Disconnected(_) => EventType::Disconnected,
        }
    }

    /// libzmq's value for this event: the next interval in ms for `CONNECT_RETRIED`, the
    /// `ZMQ_PROTOCOL_ERROR_*` code for `HANDSHAKE_FAILED_PROTOCOL`, the ZAP status for
    /// `HANDSHAKE_FAILED_AUTH`, an errno for the failures (`EINPROGRESS` for
    /// `CONNECT_DELAYED`). libzmq gives the OS descriptor for `LISTENING`, `ACCEPTED`,
    /// `CONNECTED`, `CLOSED` and `DISCONNECTED`; there is none to give here, so 0.
    pub fn value(&self) -> u32 {
        match self {
            EventKind::BindFailed(k) | EventKind::AcceptFailed(k) | EventKind::CloseFailed(k) => {
                errno(*k)
            }
            EventKind::ConnectDelayed => EINPROGRESS,
            EventKind::ConnectRetried(d) => u32::try_from(d.as_millis()).unwrap_or(u32::MAX),
            EventKind::HandshakeFailed(e) => protocol_code(e).unwrap_or(match &**e {
                ConnectionError::Io(io) => io
                    .raw_os_error()
                    .and_then(|c| u32::try_from(c).ok())
                    .unwrap_or(0),
                ConnectionError::Protocol(_) => ETIMEDOUT,
                ConnectionError::NoZapHandler => EFAULT,
                _ => EPIPE,
            }),
            EventKind::AuthFailed(status) => *status,
            _ => 0,
        }
    }
}

/// The `ZMQ_PROTOCOL_ERROR_*` code when `e` is a protocol error libzmq reports as one
/// (a handshake timeout is a timeout there, reported without detail).
fn protocol_code(e: &ConnectionError) -> Option<u32> {
    match e {
        ConnectionError::Protocol(p) if p.stops_reconnect() => Some(p.code()),
        _ => None,
    }
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

/// One receiver of events.
#[derive(Debug)]
struct Listener {
    tx: mpsc::Sender<SocketEvent>,
    mask: EventMask,
    /// The socket's one monitor (replaced by the next, stopped by `stop_monitor`).
    monitor: bool,
}

/// Where lifecycle points report (one per socket).
#[derive(Debug, Default)]
pub(crate) struct EventSink {
    active: AtomicBool,
    listeners: Mutex<Vec<Listener>>,
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
        let t = event.kind.event_type();
        let mut listeners = self.lock();
        listeners.retain(|l| {
            if !l.mask.contains(t) {
                return !l.tx.is_closed();
            }
            match l.tx.try_send(event.clone()) {
                Ok(()) => true,
                Err(mpsc::error::TrySendError::Full(_)) => {
                    self.dropped.fetch_add(1, Ordering::Relaxed);
                    true
                }
                Err(mpsc::error::TrySendError::Closed(_)) => false,
            }
        });
        if listeners.is_empty() {
            self.active.store(false, Ordering::Relaxed);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Listener>> {
        self.listeners.lock().unwrap_or_else(|e| e.into_inner())
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
        self.add(capacity, EventMask::ALL, false)
    }

    /// The socket's monitor, replacing (and so ending) the previous one: it receives the
    /// events in `mask`, with room for `capacity` unread ones.
    pub fn replace_monitor(&self, capacity: usize, mask: EventMask) -> mpsc::Receiver<SocketEvent> {
        self.add(capacity, mask, true)
    }

    /// Ends the socket's monitor (its receiver yields what it holds, then `None`); false
    /// when there was none.
    pub fn stop_monitor(&self) -> bool {
        let mut listeners = self.lock();
        let before = listeners.len();
        listeners.retain(|l| !l.monitor);
        before != listeners.len()
    }

    /// True while the socket's monitor has a live receiver.
    pub fn has_monitor(&self) -> bool {
        self.lock().iter().any(|l| l.monitor && !l.tx.is_closed())
    }

    fn add(&self, capacity: usize, mask: EventMask, monitor: bool) -> mpsc::Receiver<SocketEvent> {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let mut listeners = self.lock();
        if monitor {
            listeners.retain(|l| !l.monitor);
        }
        listeners.push(Listener { tx, mask, monitor });
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

    #[test]
    fn codes_are_libzmqs() {
        let codes: Vec<u16> = EventType::ALL.iter().map(|t| t.code()).collect();
        assert_eq!(codes[0], 0x0001);
        assert_eq!(EventType::MonitorStopped.code(), 0x0400);
        assert_eq!(EventType::HandshakeFailedAuth.code(), 0x4000);
        assert_eq!(
            EventType::from_code(0x2000),
            Some(EventType::HandshakeFailedProtocol)
        );
        let mismatch = ConnectionError::Protocol(zmtp_codec::ProtocolError::MechanismMismatch {
            ours: "NULL".into(),
            theirs: "PLAIN".into(),
        });
        let k = EventKind::HandshakeFailed(Arc::new(mismatch));
        assert_eq!(k.event_type(), EventType::HandshakeFailedProtocol);
        assert_eq!(k.value(), 0x1100_0002);
        let k = EventKind::ConnectRetried(Duration::from_millis(150));
        assert_eq!((k.event_type().code(), k.value()), (0x0004, 150));
    }

    #[test]
    fn a_new_monitor_replaces_the_old_and_masks_filter() {
        let sink = EventSink::default();
        let mut old = sink.replace_monitor(4, EventMask::ALL);
        let mut new = sink.replace_monitor(4, EventType::Accepted | EventType::Closed);
        sink.emit(ev);
        assert!(matches!(
            old.try_recv(),
            Err(mpsc::error::TryRecvError::Disconnected)
        ));
        assert!(new.try_recv().is_err(), "LISTENING is not in the mask");
        assert!(sink.stop_monitor());
        assert!(matches!(
            new.try_recv(),
            Err(mpsc::error::TryRecvError::Disconnected)
        ));
        assert!(!sink.stop_monitor());
    }
}
