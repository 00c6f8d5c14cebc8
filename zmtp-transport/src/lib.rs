//! Endpoints and stream transports for zmtp, a pure-Rust ZeroMQ (ZMTP 3.1).
//!
//! This crate knows nothing about ZMTP framing: it parses endpoint strings
//! ([`Endpoint`]), binds listeners ([`Listener`]), dials peers ([`connect`]),
//! yields byte streams ([`Stream`]) for `tcp://` and `ipc://`, computes
//! reconnect delays ([`Backoff`]) and rendezvouses `inproc://` peers
//! ([`InprocRegistry`]).
//!
//! Logging uses [`tracing`] with the target `zmtp_transport`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod backoff;
pub mod dial;
pub mod endpoint;
pub mod error;
pub mod inproc;
pub mod listener;
mod resolve;
pub mod stream;
pub mod tcp_options;
mod unix_addr;
mod zone;

pub use backoff::{Backoff, HANDSHAKE_FAILURE_CAP};
pub use dial::{connect, connect_with};
pub use endpoint::{Endpoint, EndpointError, Host, IpcAddr, Port, TcpSource};
pub use error::TransportError;
pub use inproc::{InprocBinding, InprocRegistry};
pub use listener::Listener;
pub use stream::Stream;
pub use tcp_options::TcpOptions;

/// The `tracing` target used by every log record of this crate.
pub(crate) const LOG_TARGET: &str = "zmtp_transport";
