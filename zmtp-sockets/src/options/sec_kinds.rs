//! Value kinds of the security options: PLAIN credentials and the ZAP domain (at most
//! 255 bytes each, as they travel in one-byte-length fields), the password, which
//! `Debug` never shows, and CURVE keys (32 bytes, 40 Z85 characters, or those plus a
//! trailing NUL, as libzmq takes them).

use bytes::Bytes;
use zmtp_codec::{CurvePublicKey, CurveSecretKey};

use super::error::OptionError;
use super::kinds::Kind;
use super::secret::Secret;
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
    type Typed = Secret;
    type Stored = Secret;
    const VALUE: ValueKind = ValueKind::Bytes;
    fn typed(name: &'static str, v: OptionValue) -> Result<Secret, OptionError> {
        short_bytes(name, v).map(Secret)
    }
    fn store(name: &'static str, t: Secret) -> Result<Secret, OptionError> {
        check_len(name, t.0).map(Secret)
    }
    fn load(s: &Secret) -> OptionValue {
        OptionValue::Bytes(s.0.clone())
    }
}

/// A CURVE public key.
pub(crate) struct PublicKey;

impl Kind for PublicKey {
    type Typed = CurvePublicKey;
    type Stored = Option<CurvePublicKey>;
    const VALUE: ValueKind = ValueKind::Bytes;
    fn typed(name: &'static str, v: OptionValue) -> Result<CurvePublicKey, OptionError> {
        CurvePublicKey::parse(&short_bytes(name, v)?).map_err(|_| OptionError::InvalidValue(name))
    }
    fn store(_: &'static str, t: CurvePublicKey) -> Result<Option<CurvePublicKey>, OptionError> {
        Ok(Some(t))
    }
    fn load(s: &Option<CurvePublicKey>) -> OptionValue {
        OptionValue::Bytes(
            s.map(|k| Bytes::copy_from_slice(k.as_bytes()))
                .unwrap_or_default(),
        )
    }
}

/// A CURVE secret key.
pub(crate) struct SecretKey;

impl Kind for SecretKey {
    type Typed = CurveSecretKey;
    type Stored = Option<CurveSecretKey>;
    const VALUE: ValueKind = ValueKind::Bytes;
    fn typed(name: &'static str, v: OptionValue) -> Result<CurveSecretKey, OptionError> {
        CurveSecretKey::parse(&short_bytes(name, v)?).map_err(|_| OptionError::InvalidValue(name))
    }
    fn store(_: &'static str, t: CurveSecretKey) -> Result<Option<CurveSecretKey>, OptionError> {
        Ok(Some(t))
    }
    fn load(s: &Option<CurveSecretKey>) -> OptionValue {
        OptionValue::Bytes(
            s.as_ref()
                .map(|k| Bytes::copy_from_slice(k.as_bytes()))
                .unwrap_or_default(),
        )
    }
}
