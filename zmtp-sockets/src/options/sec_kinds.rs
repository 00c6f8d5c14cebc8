//! Value kinds of the security options: PLAIN credentials and the ZAP domain (at most
//! 255 bytes each, as they travel in one-byte-length fields), and the password, which
//! `Debug` never shows.

use bytes::Bytes;

use super::error::OptionError;
use super::kinds::Kind;
use super::security::Secret;
use super::value::{OptionValue, ValueKind};

/// The longest PLAIN user name, password or ZAP domain.
const MAX_LEN: usize = 255;

fn short_bytes(name: &'static str, v: OptionValue) -> Result<Bytes, OptionError> {
    match v {
        OptionValue::Bytes(b) => Ok(b),
        OptionValue::Int(_) => Err(OptionError::BadValue {
            option: name,
            expected: ValueKind::Bytes.expected(),
        }),
    }
}

fn check_len(name: &'static str, b: Bytes) -> Result<Bytes, OptionError> {
    if b.len() > MAX_LEN {
        return Err(OptionError::InvalidValue(name));
    }
    Ok(b)
}

/// A byte string of at most 255 bytes (PLAIN_USERNAME, ZAP_DOMAIN).
pub(crate) struct ShortBlob;

impl Kind for ShortBlob {
    type Typed = Bytes;
    type Stored = Bytes;
    const VALUE: ValueKind = ValueKind::Bytes;
    fn typed(name: &'static str, v: OptionValue) -> Result<Bytes, OptionError> {
        short_bytes(name, v)
    }
    fn store(name: &'static str, t: Bytes) -> Result<Bytes, OptionError> {
        check_len(name, t)
    }
    fn load(s: &Bytes) -> OptionValue {
        OptionValue::Bytes(s.clone())
    }
}

/// A password: at most 255 bytes, kept out of `Debug` output.
pub(crate) struct Password;

impl Kind for Password {
    type Typed = Bytes;
    type Stored = Secret;
    const VALUE: ValueKind = ValueKind::Bytes;
    fn typed(name: &'static str, v: OptionValue) -> Result<Bytes, OptionError> {
        short_bytes(name, v)
    }
    fn store(name: &'static str, t: Bytes) -> Result<Secret, OptionError> {
        check_len(name, t).map(Secret)
    }
    fn load(s: &Secret) -> OptionValue {
        OptionValue::Bytes(s.0.clone())
    }
}
