//! ZeroMQ in pure Rust: the socket API users see. It mirrors the Racket `zeromq` binding
//! one to one (see [`racket`] for the name-by-name table) in idiomatic Rust.
//!
//! - [`Socket`]: a cheap `Clone + Send + Sync` handle; async methods run on the caller's
//!   tokio runtime (or, outside one, on an internal I/O thread). Sends are atomic and
//!   cancel-safe; receives are cancel-safe. Dropping the last handle closes the socket.
//! - [`blocking::Socket`]: the same methods without `async`, for programs with no
//!   runtime; [`blocking::select`] waits on several sockets.
//! - [`Socket::builder`]: Racket's `zmq-socket` keywords, applied in Racket's order with
//!   a default linger of 100 ms.
//! - Options by [`SockOpt`] or libzmq name ([`Socket::get_option_named`]); only honoured
//!   options are accepted, the others fail with typed errors. One table in the engine
//!   defines them all; [`SockOpt::effect`] says when a change takes effect.
//! - Endpoints as text or parsed [`Endpoint`] values ([`IntoEndpoints`]), parsed once.
//! - [`policy`]: which endpoints `bind`/`connect` may use, per [`Context`], task or socket.
//! - [`monitor`]: lifecycle events with libzmq's codes, as a stream, an iterator or
//!   libzmq's monitor PAIR.
//! - [`proxy`]: a symmetric forwarder with a capture callback and a stop future.
//!
//! ```
//! use zmtp_api::{Socket, SocketType};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> zmtp_api::Result<()> {
//! let rep = Socket::new(SocketType::Rep)?;
//! rep.bind("inproc://doc-hello")?;
//! let req = Socket::new(SocketType::Req)?;
//! req.connect("inproc://doc-hello")?;
//! req.send("Hello").await?;
//! assert_eq!(rep.recv_string().await?, "Hello");
//! rep.send("World").await?;
//! assert_eq!(req.recv_string().await?, "World");
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth;
pub mod blocking;
mod builder;
mod context;
mod endpoint;
mod endpoints;
mod error;
mod library;
mod message;
pub mod monitor;
mod options;
pub mod policy;
mod proxy;
pub mod racket;
mod recv;
mod send;
mod socket;
mod stream;
mod z85;

pub use auth::{Authenticator, ZAP_ENDPOINT};
pub use builder::{DEFAULT_LINGER, SocketBuilder};
pub use context::Context;
pub use endpoint::{AsEndpoint, EndpointArg, EndpointMode, IntoEndpoints};
pub use error::{Error, Result};
pub use library::{DRAFT_AVAILABLE, available, version, zmtp_version};
pub use message::MessageExt;
pub use options::OptionMode;
pub use proxy::{Proxy, ProxyEnd, proxy};
pub use socket::Socket;
pub use stream::{Closed, Messages};
pub use z85::{
    CurveKeypair, CurvePublicKey, CurveSecretKey, KeyError, curve_keypair, curve_public,
    z85_decode, z85_encode,
};
pub use zmtp_sockets::options::{Effect, OptionError, OptionValue, Secret, SockOpt, SocketOption};
pub use zmtp_transport::{Endpoint, TransportError};

pub use bytes::Bytes;
pub use zmtp_codec::SocketType;
pub use zmtp_sockets::Message;
