//! The zmtp engine: per-connection I/O drivers, pipes with high-water marks, and one
//! routing state machine per socket type (testable without I/O).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod bufpool;
pub mod context;
mod driver;
mod endpoints;
pub mod error;
pub mod events;
mod inproc;
pub mod message;
pub mod options;
pub mod peer;
mod pipe;
mod pipes;
pub mod routing;
mod security;
mod shared;
mod socket;
mod state;
pub mod zap;

pub use context::Context;
pub use error::{ConnectionError, SendFailure, SocketError};
pub use events::{EventKind, SocketEvent};
pub use message::{Frames, Message, Meta, copy_bytes};
pub use options::{OptionError, OptionValue, Options, SockOpt, SocketOption};
pub use socket::Socket;
pub use zmtp_codec::SocketType;
