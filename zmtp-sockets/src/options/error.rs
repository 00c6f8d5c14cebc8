//! [`OptionError`]: why an option could not be read or set.

use crate::error::SocketError;

/// Why an option could not be read or set. Every refusal is typed: no option is ever
/// accepted and ignored.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OptionError {
    /// No option has this name.
    #[error("unknown option: {0}")]
    UnknownOption(String),
    /// The option is recognised but not honoured: zmtp does not implement it, or it does
    /// not apply to this socket type (libzmq: `EINVAL`).
    #[error("option not supported: {0}")]
    NotSupported(&'static str),
    /// The option can be set but not read (e.g. `subscribe`).
    #[error("socket option is not readable: {0}")]
    NotReadable(&'static str),
    /// The option can be read but not set (e.g. `type`).
    #[error("socket option is not writable: {0}")]
    NotWritable(&'static str),
    /// The value has the wrong type for the option.
    #[error("bad value for option {option}; expected {expected}")]
    BadValue {
        /// The option's name.
        option: &'static str,
        /// What the option takes: `"integer"`, `"0 or 1"` or `"bytes"`.
        expected: &'static str,
    },
    /// The value has the right type but is out of range (e.g. a linger of -2 or an empty
    /// routing id).
    #[error("invalid value for option {0}")]
    InvalidValue(&'static str),
    /// The socket refused the change (closed, or `subscribe` on a type without
    /// subscriptions).
    #[error(transparent)]
    Socket(#[from] SocketError),
}
