//! Socket options: one declarative table (`table.rs` rows, expanded by `macros.rs`) from
//! which the name enum [`SockOpt`], the typed [`SocketOption`], the storage [`Options`]
//! and the getters and setters are generated. Each row gives the libzmq name, the access
//! (read, write), the value kind with its sentinels (`kinds.rs`), and for an option zmtp
//! honours its field, default, socket types and [`Effect`] class.
//!
//! # When a change takes effect
//!
//! - [`Effect::NewConnections`], pipe and connection options (SNDHWM, RCVHWM,
//!   MAXMSGSIZE, ROUTING_ID, CONNECT_ROUTING_ID, HANDSHAKE_IVL, IMMEDIATE, CONFLATE,
//!   RECONNECT_IVL, RECONNECT_IVL_MAX): apply to pipes and connections created after the
//!   change, as in libzmq. Pipes and connections that exist keep the values they were
//!   made with; CONNECT_ROUTING_ID is consumed by the next connect.
//! - [`Effect::NextCall`], pattern options (ROUTER_MANDATORY, ROUTER_HANDOVER,
//!   PROBE_ROUTER, REQ_*, XPUB_*, INVERT_MATCHING, STREAM_NOTIFY) and timeouts (RCVTIMEO,
//!   SNDTIMEO): apply at once, to the next call (PROBE_ROUTER and XPUB_WELCOME_MSG to the
//!   next new connection).
//! - [`Effect::AtClose`], LINGER: read when the socket closes.
//!
//! Setting an option on a socket type it does not apply to, or an option zmtp does not
//! honour, fails with [`OptionError::NotSupported`]: nothing is accepted and ignored.

mod error;
mod kinds;
mod macros;
mod mechanism;
mod meta;
mod net_kinds;
mod sec_kinds;
mod secret;
mod security;
mod socket;
mod sockopt;
mod table;
mod tcp;
mod value;

pub use error::OptionError;
pub use mechanism::{MechanismKind, Security};
pub use meta::{Access, Effect, Support};
pub use secret::Secret;
pub use table::{Options, SockOpt, SocketOption};
pub use value::{OptionValue, ValueKind};
