//! One monitor event, and its libzmq wire form (two frames).

use bytes::Bytes;
use zmtp_sockets::SocketEvent;
use zmtp_sockets::events::{EventKind, EventType};

/// One monitor event as libzmq reports it, plus the engine's typed detail.
#[derive(Clone, Debug)]
pub struct MonitorEvent {
    /// libzmq's event type (its code is [`EventType::code`]).
    pub event: EventType,
    /// libzmq's value: the next interval in ms for `CONNECT_RETRIED`, the
    /// `ZMQ_PROTOCOL_ERROR_*` code for `HANDSHAKE_FAILED_PROTOCOL`, the ZAP status for
    /// `HANDSHAKE_FAILED_AUTH`, an errno for failures, 0 where libzmq gives a descriptor.
    pub value: u32,
    /// The endpoint libzmq reports: the listener's for `LISTENING`, `ACCEPTED`, `CLOSED`
    /// and accepted connections, the connect endpoint for connections made by `connect`;
    /// empty for `MONITOR_STOPPED`.
    pub endpoint: String,
    /// The engine's event (with the reason a connection ended); `None` for
    /// `MONITOR_STOPPED`.
    pub kind: Option<EventKind>,
}

impl MonitorEvent {
    /// The event that ends every monitor.
    pub fn stopped() -> MonitorEvent {
        MonitorEvent {
            event: EventType::MonitorStopped,
            value: 0,
            endpoint: String::new(),
            kind: None,
        }
    }

    /// libzmq's two frames: 6 bytes (`u16` event code, `u32` value, little-endian as
    /// libzmq writes them on the platforms it runs on here) and the endpoint.
    ///
    /// ```
    /// let frames = zmtp_api::monitor::MonitorEvent::stopped().to_frames();
    /// assert_eq!(&frames[0][..], &[0x00, 0x04, 0, 0, 0, 0]);
    /// assert!(frames[1].is_empty());
    /// ```
    pub fn to_frames(&self) -> [Bytes; 2] {
        let mut head = Vec::with_capacity(6);
        head.extend_from_slice(&self.event.code().to_le_bytes());
        head.extend_from_slice(&self.value.to_le_bytes());
        [Bytes::from(head), Bytes::from(self.endpoint.clone())]
    }

    /// Parses libzmq's two frames (from a monitor PAIR); `None` when they are not a
    /// monitor message. The typed detail is not on the wire, so `kind` is `None`.
    ///
    /// ```
    /// use zmtp_api::monitor::{EventType, MonitorEvent};
    /// let ev = MonitorEvent::from_frames(&[&[0x04, 0, 100, 0, 0, 0][..], b"tcp://127.0.0.1:5555"])
    ///     .unwrap();
    /// assert_eq!((ev.event, ev.value), (EventType::ConnectRetried, 100));
    /// ```
    pub fn from_frames<T: AsRef<[u8]>>(frames: &[T]) -> Option<MonitorEvent> {
        let [head, endpoint] = frames else {
            return None;
        };
        let head: &[u8; 6] = head.as_ref().try_into().ok()?;
        let event = EventType::from_code(u16::from_le_bytes([head[0], head[1]]))?;
        let value = u32::from_le_bytes([head[2], head[3], head[4], head[5]]);
        let endpoint = String::from_utf8_lossy(endpoint.as_ref()).into_owned();
        Some(MonitorEvent {
            event,
            value,
            endpoint,
            kind: None,
        })
    }
}

impl From<SocketEvent> for MonitorEvent {
    fn from(ev: SocketEvent) -> Self {
        MonitorEvent {
            event: ev.kind.event_type(),
            value: ev.kind.value(),
            endpoint: ev.endpoint.to_string(),
            kind: Some(ev.kind),
        }
    }
}
