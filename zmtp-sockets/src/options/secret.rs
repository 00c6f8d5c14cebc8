//! [`Secret`]: a password that reads back as set but never shows in `Debug` output.

use std::fmt;

use bytes::Bytes;

/// A password: readable back as set, but never shown by `Debug`.
///
/// ```
/// use zmtp_sockets::options::{Secret, SocketOption};
/// let opt = SocketOption::PlainPassword("hunter2".into());
/// assert!(!format!("{opt:?}").contains("hunter2"));
/// assert_eq!(Secret::from("hunter2").0, "hunter2");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(pub Bytes);

impl From<Bytes> for Secret {
    fn from(b: Bytes) -> Self {
        Secret(b)
    }
}

impl From<&'static str> for Secret {
    fn from(s: &'static str) -> Self {
        Secret(Bytes::from_static(s.as_bytes()))
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(Bytes::from(s))
    }
}

impl From<Vec<u8>> for Secret {
    fn from(v: Vec<u8>) -> Self {
        Secret(Bytes::from(v))
    }
}

impl From<&[u8]> for Secret {
    fn from(v: &[u8]) -> Self {
        Secret(Bytes::copy_from_slice(v))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() {
            "Secret(empty)"
        } else {
            "Secret(<redacted>)"
        })
    }
}
