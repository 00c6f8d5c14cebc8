//! ZeroMQ in pure Rust: the socket API users see.
//!
//! (Facade surface: bodies are filled in by the engine work; signatures are stable.)

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
    /// Empty message (no frames).
    #[error("cannot send a message with no frames")]
    EmptyMessage,
    /// Bad option value.
    #[error("invalid value for option {0}")]
    InvalidOptionValue(&'static str),
    /// I/O error.
    #[error(transparent)]
    Io(#[from] std::io::Error),
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
}

/// Which endpoints to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointMode {
    /// Endpoints this socket is bound to.
    Bind,
    /// Endpoints this socket connects to.
    Connect,
}

/// A ZeroMQ socket: a cheap `Clone + Send + Sync` handle.
#[derive(Clone)]
pub struct Socket {
    _private: (),
}

impl Socket {
    /// Creates a socket of the given type.
    pub fn new(_kind: SocketType) -> Result<Socket> {
        todo!()
    }
    /// The socket's type.
    pub fn socket_type(&self) -> SocketType {
        todo!()
    }
    /// Binds to an endpoint (`tcp://*:5555`, `tcp://127.0.0.1:*`, `ipc:///tmp/x`, `inproc://name`).
    pub fn bind(&self, _endpoint: &str) -> Result<()> {
        todo!()
    }
    /// Connects to an endpoint; returns at once and connects (and reconnects) in the background.
    pub fn connect(&self, _endpoint: &str) -> Result<()> {
        todo!()
    }
    /// The last bound or connected endpoint, with wildcards resolved (`tcp://127.0.0.1:40123`).
    pub fn last_endpoint(&self) -> Option<String> {
        todo!()
    }
    /// Endpoints bound or connected, newest first.
    pub fn endpoints(&self, _mode: EndpointMode) -> Vec<String> {
        todo!()
    }
    /// Sets an option.
    pub fn set_option(&self, _opt: SocketOption) -> Result<()> {
        todo!()
    }
    /// Subscribes (SUB) to a topic prefix.
    pub fn subscribe(&self, _topic: impl AsRef<[u8]>) -> Result<()> {
        todo!()
    }
    /// Removes one subscription (SUB).
    pub fn unsubscribe(&self, _topic: impl AsRef<[u8]>) -> Result<()> {
        todo!()
    }
    /// Sends a message (one or more frames), waiting while the pipe is full.
    pub async fn send(&self, _msg: impl Into<Message>) -> Result<()> {
        todo!()
    }
    /// Sends a multipart message given as frames.
    pub async fn send_multipart<I, T>(&self, frames: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: Into<Bytes>,
    {
        self.send(Message::from_frames(frames)).await
    }
    /// Sends without waiting; `Error::WouldBlock` when the message cannot be queued now.
    pub fn try_send(&self, _msg: impl Into<Message>) -> Result<()> {
        todo!()
    }
    /// Receives a whole message. Cancel-safe.
    pub async fn recv_message(&self) -> Result<Message> {
        todo!()
    }
    /// Receives a single-frame message; a multi-frame one is consumed and returned in the error.
    pub async fn recv(&self) -> Result<Bytes> {
        todo!()
    }
    /// Receives all frames of the next message.
    pub async fn recv_multipart(&self) -> Result<Vec<Bytes>> {
        todo!()
    }
    /// Receives a single-frame UTF-8 message.
    pub async fn recv_string(&self) -> Result<String> {
        todo!()
    }
    /// Receives without waiting.
    pub fn try_recv_message(&self) -> Result<Option<Message>> {
        todo!()
    }
    /// Closes the socket (idempotent).
    pub fn close(&self) {
        todo!()
    }
    /// True after close.
    pub fn is_closed(&self) -> bool {
        todo!()
    }
}
