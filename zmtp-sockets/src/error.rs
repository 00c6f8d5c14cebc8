//! Engine errors.

use zmtp_codec::{ProtocolError, SocketType};
use zmtp_transport::{Endpoint, TransportError};

use crate::message::Message;

/// Errors from engine socket operations.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SocketError {
    /// The socket is closed.
    #[error("socket is closed")]
    Closed,
    /// Endpoint parse, bind or connect failure.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The socket type does not support this operation.
    #[error("operation not supported by {0:?} sockets")]
    NotSupported(SocketType),
    /// The socket's state machine forbids this operation now (REQ/REP alternation).
    #[error("operation not valid in the socket's current state")]
    InvalidState,
    /// A non-blocking operation could not complete now.
    #[error("operation would block")]
    WouldBlock,
    /// ROUTER_MANDATORY / STREAM: no peer with that routing id.
    #[error("host unreachable: no peer with that routing id")]
    HostUnreachable,
    /// unbind/disconnect of an endpoint the socket does not have.
    #[error("no such endpoint: {0}")]
    NoSuchEndpoint(Endpoint),
    /// A message with no frames.
    #[error("cannot send a message with no frames")]
    EmptyMessage,
    /// The chosen security mechanism lacks a key (bind or connect with CURVE chosen and
    /// this option unset).
    #[error("CURVE needs the {0} option set before bind or connect")]
    MissingKey(&'static str),
}

/// A failed send that hands the message back to the caller.
#[derive(Debug)]
pub struct SendFailure {
    /// Why it failed.
    pub error: SocketError,
    /// The message, when it was not consumed.
    pub message: Option<Message>,
}

/// Why a connection ended.
#[derive(Debug, thiserror::Error)]
pub enum ConnectionError {
    /// The peer broke the protocol; a connecting socket does not reconnect after this.
    #[error("protocol error: {0}")]
    Protocol(#[from] ProtocolError),
    /// Routing found the peer's traffic invalid (e.g. a REQ reply without delimiter).
    #[error("peer violated the socket pattern: {0}")]
    Pattern(&'static str),
    /// Transport-level failure.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// The peer closed the connection.
    #[error("connection closed by peer")]
    Eof,
    /// Our socket closed.
    #[error("socket closed")]
    SocketClosed,
    /// A PLAIN client arrived and no ZAP handler is bound to check its credentials
    /// (libzmq refuses it the same way: HANDSHAKE_FAILED_NO_DETAIL with `EFAULT`).
    #[error("no ZAP handler is bound at inproc://zeromq.zap.01")]
    NoZapHandler,
}

impl ConnectionError {
    /// True when a connecting socket must stop reconnecting (libzmq gives up after protocol errors).
    pub fn is_fatal(&self) -> bool {
        match self {
            ConnectionError::Protocol(e) => e.stops_reconnect(),
            ConnectionError::Pattern(_) | ConnectionError::SocketClosed => true,
            ConnectionError::Io(_) | ConnectionError::Eof | ConnectionError::NoZapHandler => false,
        }
    }
}
