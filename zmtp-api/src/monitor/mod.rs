//! The socket monitor: lifecycle events with libzmq's event set, codes and values.
//!
//! - [`Socket::monitor_events`](crate::Socket::monitor_events): a typed [`Stream`](futures::Stream)
//!   of [`MonitorEvent`]s; [`blocking::Socket::monitor_events`](crate::blocking::Socket::monitor_events)
//!   an iterator with timeouts.
//! - [`Socket::monitor`](crate::Socket::monitor): libzmq's `zmq_socket_monitor`, publishing
//!   two-frame messages (`u16` event + `u32` value, little-endian, then the endpoint) on an
//!   inproc PAIR, for code ported from libzmq.
//!
//! A socket has one monitor, as in libzmq: a second one replaces the first, which then
//! ends with `MONITOR_STOPPED`, as does a stopped monitor and the monitor of a closed
//! socket. The queue is bounded: a slow reader loses events (counted by
//! [`Socket::monitor_events_dropped`](crate::Socket::monitor_events_dropped)) and never
//! slows the socket. Nobody monitoring costs one relaxed atomic load per lifecycle point.

mod event;
mod publish;
mod stream;

pub use event::MonitorEvent;
pub use stream::{DEFAULT_MONITOR_CAPACITY, MonitorEvents};
pub use zmtp_sockets::ConnectionError;
pub use zmtp_sockets::events::{EventKind, EventMask, EventType};
