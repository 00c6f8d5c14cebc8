//! ZeroMQ in pure Rust: the socket API users see.
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
#![warn(missing_docs)]

pub mod blocking;
mod socket;
mod stream;

pub use socket::Socket;
pub use stream::{Closed, Messages};
pub use zmtp_sockets::Context;

pub use bytes::Bytes;
pub use zmtp_codec::SocketType;
pub use zmtp_sockets::Message;

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Errors from socket operations.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The socket is closed.
    #[error("socket is closed")]
    Closed,
    /// Endpoint string could not be parsed or is not supported.
    #[error("invalid endpoint: {0}")]
    InvalidEndpoint(String),
    /// The address is already in use.
    #[error("address in use: {0}")]
    AddrInUse(String),
    /// A multi-frame message arrived where one frame was expected (the message is consumed).
    #[error("received multi-frame message ({frames} frames)")]
    MultiFrame {
        /// Number of frames.
        frames: usize,
        /// The consumed message.
        message: Message,
    },
    /// The message was not valid UTF-8.
    #[error("message is not valid UTF-8")]
    Utf8(#[from] std::string::FromUtf8Error),
    /// Operation not supported by this socket type.
    #[error("operation not supported by {0:?} sockets")]
    NotSupported(SocketType),
    /// REQ/REP state machine violation (send twice, recv before send ...).
    #[error("operation not valid in the socket's current state")]
    InvalidState,
    /// Non-blocking operation could not complete now.
    #[error("operation would block")]
    WouldBlock,
    /// No peer with that routing id (ROUTER_MANDATORY, STREAM).
    #[error("host unreachable")]
    HostUnreachable,
    /// Empty message (no frames).
    #[error("cannot send a message with no frames")]
    EmptyMessage,
    /// Bad option value.
    #[error("invalid value for option {0}")]
    InvalidOptionValue(&'static str),
    /// unbind/disconnect of an endpoint the socket does not have.
    #[error("no such endpoint: {0}")]
    NoSuchEndpoint(String),
    /// RCVTIMEO/SNDTIMEO (or a blocking call's timeout) expired.
    #[error("operation timed out")]
    Timeout,
    /// A blocking call was made on a tokio runtime thread, where it could deadlock the
    /// runtime; use the async API there.
    #[error("blocking call inside an async runtime; use the async Socket there")]
    BlockingInRuntime,
    /// Option not supported by this socket type or not implemented.
    #[error("option not supported: {0}")]
    OptionNotSupported(&'static str),
    /// I/O error.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl From<zmtp_sockets::SocketError> for Error {
    fn from(e: zmtp_sockets::SocketError) -> Self {
        use zmtp_sockets::SocketError as E;
        use zmtp_transport::TransportError as T;
        match e {
            E::Closed => Error::Closed,
            E::NotSupported(k) => Error::NotSupported(k),
            E::InvalidState => Error::InvalidState,
            E::WouldBlock => Error::WouldBlock,
            E::EmptyMessage => Error::EmptyMessage,
            E::HostUnreachable => Error::HostUnreachable,
            E::NoSuchEndpoint(e) => Error::NoSuchEndpoint(e),
            E::Transport(T::AddrInUse(a)) => Error::AddrInUse(a),
            E::Transport(T::Io(io)) => Error::Io(io),
            E::Transport(other) => Error::InvalidEndpoint(other.to_string()),
            other => Error::Io(std::io::Error::other(other.to_string())),
        }
    }
}

/// Socket options for this slice (more arrive with the full facade).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SocketOption {
    /// ZMQ_SNDHWM: messages per outgoing pipe (0 = unlimited).
    SndHwm(usize),
    /// ZMQ_RCVHWM: messages per incoming pipe (0 = unlimited).
    RcvHwm(usize),
    /// ZMQ_LINGER in milliseconds (-1 = forever).
    Linger(i64),
    /// ZMQ_RECONNECT_IVL in milliseconds (-1 = never reconnect).
    ReconnectIvl(i64),
    /// ZMQ_RECONNECT_IVL_MAX in milliseconds (0 = no exponential backoff).
    ReconnectIvlMax(i64),
    /// ZMQ_HANDSHAKE_IVL in milliseconds (0 = no limit).
    HandshakeIvl(i64),
    /// ZMQ_MAXMSGSIZE in bytes per frame (-1 = unlimited).
    MaxMsgSize(i64),
    /// ZMQ_ROUTING_ID (1..=255 bytes).
    RoutingId(Bytes),
    /// ZMQ_CONNECT_ROUTING_ID: local routing id of the next connect (ROUTER, STREAM).
    ConnectRoutingId(Bytes),
    /// ZMQ_IMMEDIATE: queue only to completed connections.
    Immediate(bool),
    /// ZMQ_CONFLATE: keep only the last message (DEALER, PULL, PUSH, PUB, SUB).
    Conflate(bool),
    /// ZMQ_ROUTER_MANDATORY: unknown routing id fails with [`Error::HostUnreachable`].
    RouterMandatory(bool),
    /// ZMQ_ROUTER_HANDOVER: a new peer with a taken id replaces the old one.
    RouterHandover(bool),
    /// ZMQ_PROBE_ROUTER: send an empty message on every new connection.
    ProbeRouter(bool),
    /// ZMQ_REQ_CORRELATE: tag requests with an id and match replies.
    ReqCorrelate(bool),
    /// ZMQ_REQ_RELAXED: allow a new request before the reply.
    ReqRelaxed(bool),
    /// ZMQ_XPUB_VERBOSE: report every subscription.
    XpubVerbose(bool),
    /// ZMQ_XPUB_VERBOSER: report every subscription and unsubscription.
    XpubVerboser(bool),
    /// ZMQ_XPUB_MANUAL: the application decides subscriptions.
    XpubManual(bool),
    /// ZMQ_XPUB_NODROP: block instead of dropping at a subscriber's HWM.
    XpubNodrop(bool),
    /// ZMQ_XPUB_WELCOME_MSG: sent to every new subscriber (empty = none).
    XpubWelcomeMsg(Bytes),
    /// ZMQ_INVERT_MATCHING: deliver what does not match (PUB, XPUB, SUB).
    InvertMatching(bool),
    /// ZMQ_STREAM_NOTIFY: [id, ""] on connect and disconnect (STREAM).
    StreamNotify(bool),
    /// ZMQ_RCVTIMEO in milliseconds (-1 = wait forever): receives fail with
    /// [`Error::Timeout`] after it.
    RcvTimeo(i64),
    /// ZMQ_SNDTIMEO in milliseconds (-1 = wait forever): sends fail with
    /// [`Error::Timeout`] after it.
    SndTimeo(i64),
}

/// Which endpoints to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointMode {
    /// Endpoints this socket is bound to.
    Bind,
    /// Endpoints this socket connects to.
    Connect,
}
