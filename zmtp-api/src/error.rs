//! [`Error`]: one enum for every failure of the API, covering Racket's error catalogue.

use zmtp_codec::{ProtocolError, SocketType};
use zmtp_sockets::options::OptionError;
use zmtp_sockets::{Message, SocketError};
use zmtp_transport::TransportError;

use crate::endpoint::EndpointMode;

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Errors from socket operations. Each variant notes the Racket message it stands for.
/// Racket's "socket is permanently locked for writes" has no counterpart: sends are
/// atomic and cancel-safe, so no interrupted send can leave a socket locked.
///
/// Lower-level failures are kept, not turned into text: they are the
/// [`source`](std::error::Error::source) of [`Error::InvalidEndpoint`],
/// [`Error::Transport`], [`Error::Engine`] and [`Error::Protocol`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The socket is closed (Racket: "socket is closed").
    #[error("socket is closed")]
    Closed,
    /// The endpoint could not be parsed or its transport is not supported (Racket:
    /// "invalid endpoint or unsupported endpoint format"; libzmq `EINVAL`,
    /// `EPROTONOSUPPORT`). The detail is the source: printed as a chain the message
    /// reads `invalid endpoint or unsupported endpoint format: cannot parse "nonsense":
    /// missing `scheme://``.
    #[error("invalid endpoint or unsupported endpoint format")]
    InvalidEndpoint(#[source] TransportError),
    /// The address is already in use (Racket: "error binding socket", `EADDRINUSE`).
    #[error("address in use: {0}")]
    AddrInUse(String),
    /// A multi-frame message arrived where one frame was expected; the message is
    /// consumed and handed back here (Racket: "received multi-frame message").
    #[error("received multi-frame message ({frames} frames)")]
    MultiFrame {
        /// Number of frames.
        frames: usize,
        /// The consumed message.
        message: Message,
    },
    /// The message was not valid UTF-8 (Racket: `bytes->string/utf-8` failing in
    /// `zmq-recv-string`).
    #[error("message is not valid UTF-8")]
    Utf8(#[from] std::string::FromUtf8Error),
    /// The operation is not supported by this socket type, e.g. subscribing on a PUSH
    /// socket (Racket: "subscribe error"; libzmq `ENOTSUP`).
    #[error("operation not supported by {0:?} sockets")]
    NotSupported(SocketType),
    /// REQ/REP state machine violation: send twice, receive before sending ... (Racket:
    /// "error sending message" / "error receiving frame" with `EFSM`).
    #[error("operation not valid in the socket's current state")]
    InvalidState,
    /// A non-blocking (`try_`) operation could not complete now (libzmq `EAGAIN`).
    #[error("operation would block")]
    WouldBlock,
    /// No peer with that routing id: ROUTER with ROUTER_MANDATORY, STREAM (libzmq
    /// `EHOSTUNREACH`).
    #[error("host unreachable")]
    HostUnreachable,
    /// A message with no frames (Racket's contract: at least one frame).
    #[error("cannot send a message with no frames")]
    EmptyMessage,
    /// A message cannot carry both a routing id and a group (Racket: "cannot have both").
    #[error("a message cannot have both a routing id and a group")]
    MetaConflict,
    /// The value has the right type but is out of range for the option, e.g. a linger
    /// of -2 or an empty identity (Racket: "error setting socket option", `EINVAL`).
    #[error("invalid value for option {0}")]
    InvalidOptionValue(&'static str),
    /// `unbind`/`disconnect` of an endpoint the socket does not have (Racket: "error
    /// unbinding socket" / "error disconnecting socket", `ENOENT`).
    #[error("no such endpoint: {0}")]
    NoSuchEndpoint(String),
    /// RCVTIMEO/SNDTIMEO (or a blocking call's timeout) expired (libzmq `EAGAIN`).
    #[error("operation timed out")]
    Timeout,
    /// A blocking call was made on a current-thread tokio runtime, where it could
    /// deadlock the runtime; use the async API there (on a multi-threaded runtime blocking
    /// calls work).
    #[error("blocking call inside a current-thread async runtime; use the async Socket there")]
    BlockingInRuntime,
    /// The option is recognised but this socket does not support it: either zmtp does
    /// not implement it (see [`SockOpt`](crate::SockOpt) for the status of each option) or it does not
    /// apply to this socket type (libzmq: `EINVAL`).
    #[error("option not supported: {0}")]
    OptionNotSupported(&'static str),
    /// An option refusal this API has no variant for (the engine's option error is
    /// non-exhaustive); the engine's error is the source (Racket: "error setting socket
    /// option").
    #[error("option refused")]
    Option(#[source] OptionError),
    /// No option has this name (Racket: "unknown option").
    #[error("unknown option: {0}")]
    UnknownOption(String),
    /// The option can be set but not read, e.g. `subscribe` (Racket: "socket option is
    /// not readable").
    #[error("socket option is not readable: {0}")]
    OptionNotReadable(&'static str),
    /// The option can be read but not set, e.g. `type` (Racket: "socket option is not
    /// writable").
    #[error("socket option is not writable: {0}")]
    OptionNotWritable(&'static str),
    /// The value has the wrong type for the option (Racket: "bad value for option").
    #[error("bad value for option {option}; expected {expected}")]
    BadOptionValue {
        /// The option's name.
        option: &'static str,
        /// What the option takes: `"integer"`, `"0 or 1"` or `"bytes"`.
        expected: &'static str,
    },
    /// The endpoint policy refused a bind or connect (Racket: the security guard).
    #[error("{mode:?} to {endpoint} denied by endpoint policy: {reason}")]
    PolicyDenied {
        /// The endpoint as given.
        endpoint: String,
        /// Bind or connect.
        mode: EndpointMode,
        /// The policy's reason.
        reason: String,
    },
    /// A peer broke the ZMTP protocol (Racket: protocol violations), with the codec's
    /// error as source. Reserved: connection-level failures are handled by the engine
    /// (the connection is dropped and, for protocol errors, not retried) and not yet
    /// reported to socket calls. (Racket's authentication failures have no variant yet:
    /// zmtp implements only the NULL mechanism, which never fails; the security work adds
    /// one with its typed error.)
    #[error("protocol error")]
    Protocol(#[source] ProtocolError),
    /// A transport failure that is neither a bad endpoint nor an address in use nor an
    /// operating-system error (e.g. binding outside any runtime); the transport's error
    /// is the source (Racket: "error binding socket" / "error connecting socket").
    #[error("transport error")]
    Transport(#[source] TransportError),
    /// An engine failure this API has no variant for (the engine's error enum is
    /// non-exhaustive); the engine's error is the source.
    #[error("socket engine error")]
    Engine(#[source] SocketError),
    /// Z85 text or data that cannot be converted (RFC 32: data in 4-byte groups, text
    /// in 5-character groups of its 85 characters).
    #[error("Z85: {0}")]
    Z85(#[from] zmtp_codec::z85::Z85Error),
    /// A CURVE key that is not 32 bytes, 40 Z85 characters, or those plus a trailing
    /// NUL (or the OS random generator failed while making a key pair).
    #[error("CURVE key: {0}")]
    InvalidKey(#[from] zmtp_codec::KeyError),
    /// Bind or connect with CURVE chosen but this key option unset.
    #[error("CURVE needs the {0} option set before bind or connect")]
    MissingKey(&'static str),
    /// An operating-system error (Racket: the errno-carrying "error ..." messages).
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        use TransportError as T;
        match e {
            T::AddrInUse(a) => Error::AddrInUse(a),
            T::Io(io) => Error::Io(io),
            e @ (T::Invalid { .. } | T::PathTooLong(_) | T::UnsupportedTransport(_)) => {
                Error::InvalidEndpoint(e)
            }
            e @ T::Resolve(_) => Error::InvalidEndpoint(e),
            other => Error::Transport(other),
        }
    }
}

impl From<SocketError> for Error {
    fn from(e: SocketError) -> Self {
        use SocketError as E;
        match e {
            E::Closed => Error::Closed,
            E::NotSupported(k) => Error::NotSupported(k),
            E::InvalidState => Error::InvalidState,
            E::WouldBlock => Error::WouldBlock,
            E::EmptyMessage => Error::EmptyMessage,
            E::HostUnreachable => Error::HostUnreachable,
            E::NoSuchEndpoint(e) => Error::NoSuchEndpoint(e.to_string()),
            E::Transport(t) => t.into(),
            E::MissingKey(k) => Error::MissingKey(k),
            other => Error::Engine(other),
        }
    }
}

impl From<OptionError> for Error {
    fn from(e: OptionError) -> Self {
        use OptionError as O;
        match e {
            O::UnknownOption(n) => Error::UnknownOption(n),
            O::NotSupported(n) => Error::OptionNotSupported(n),
            O::NotReadable(n) => Error::OptionNotReadable(n),
            O::NotWritable(n) => Error::OptionNotWritable(n),
            O::BadValue { option, expected } => Error::BadOptionValue { option, expected },
            O::InvalidValue(n) => Error::InvalidOptionValue(n),
            O::Socket(s) => s.into(),
            // `OptionError` is non-exhaustive; a future refusal still names no value.
            other => Error::Option(other),
        }
    }
}
