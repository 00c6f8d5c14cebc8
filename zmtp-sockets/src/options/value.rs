//! [`OptionValue`]: an option value given or read by name, and [`ValueKind`], the type
//! of value an option takes.

use std::time::Duration;

use bytes::Bytes;

/// The type of value an option takes when it is set by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueKind {
    /// An integer (durations in milliseconds).
    Int,
    /// 0 or 1.
    Bool,
    /// A byte string.
    Bytes,
}

impl ValueKind {
    /// What a value of this kind looks like, for error messages: `"integer"`, `"0 or 1"`
    /// or `"bytes"`.
    ///
    /// ```
    /// assert_eq!(zmtp_sockets::options::ValueKind::Bool.expected(), "0 or 1");
    /// ```
    pub fn expected(self) -> &'static str {
        match self {
            ValueKind::Int => "integer",
            ValueKind::Bool => "0 or 1",
            ValueKind::Bytes => "bytes",
        }
    }
}

/// An option value: an integer (booleans are 0 or 1, durations milliseconds) or bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OptionValue {
    /// An integer option.
    Int(i64),
    /// A byte-string option.
    Bytes(Bytes),
}

impl OptionValue {
    /// The integer, if this is one.
    ///
    /// ```
    /// assert_eq!(zmtp_sockets::options::OptionValue::Int(5).as_int(), Some(5));
    /// ```
    pub fn as_int(&self) -> Option<i64> {
        match self {
            OptionValue::Int(v) => Some(*v),
            OptionValue::Bytes(_) => None,
        }
    }

    /// The bytes, if this is a byte string.
    ///
    /// ```
    /// let v = zmtp_sockets::options::OptionValue::from("id");
    /// assert_eq!(v.as_bytes().map(|b| &b[..]), Some(&b"id"[..]));
    /// ```
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match self {
            OptionValue::Int(_) => None,
            OptionValue::Bytes(b) => Some(b),
        }
    }
}

macro_rules! int_from {
    ($($t:ty),*) => {$(
        impl From<$t> for OptionValue {
            fn from(v: $t) -> Self {
                OptionValue::Int(i64::from(v))
            }
        }
    )*};
}
int_from!(i8, i16, i32, i64, u8, u16, u32, bool);

impl From<Duration> for OptionValue {
    /// Milliseconds, saturating at `i64::MAX`.
    fn from(d: Duration) -> Self {
        OptionValue::Int(i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}

impl From<Bytes> for OptionValue {
    fn from(b: Bytes) -> Self {
        OptionValue::Bytes(b)
    }
}

impl From<&[u8]> for OptionValue {
    fn from(b: &[u8]) -> Self {
        OptionValue::Bytes(Bytes::copy_from_slice(b))
    }
}

impl<const N: usize> From<&[u8; N]> for OptionValue {
    fn from(b: &[u8; N]) -> Self {
        OptionValue::Bytes(Bytes::copy_from_slice(b))
    }
}

impl From<Vec<u8>> for OptionValue {
    fn from(b: Vec<u8>) -> Self {
        OptionValue::Bytes(b.into())
    }
}

impl From<&str> for OptionValue {
    fn from(s: &str) -> Self {
        OptionValue::Bytes(Bytes::copy_from_slice(s.as_bytes()))
    }
}

impl From<String> for OptionValue {
    fn from(s: String) -> Self {
        OptionValue::Bytes(s.into())
    }
}
