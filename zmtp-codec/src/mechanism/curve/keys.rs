//! CURVE long-term keys (X25519): public and secret keys, key pairs, and the
//! binary / Z85 forms libzmq's key options accept.

use std::fmt;
use std::str::FromStr;

use crypto_box::aead::OsRng;
use crypto_box::aead::rand_core::RngCore;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::z85;

/// Length of a CURVE key in bytes.
pub const KEY_LEN: usize = 32;
/// Length of a CURVE key in Z85 text.
pub const KEY_Z85_LEN: usize = 40;

/// Why a key was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Not 32 bytes, 40 Z85 characters, or 40 Z85 characters and a NUL.
    #[error("a CURVE key is 32 bytes or 40 Z85 characters (41 with a trailing NUL), not {0} bytes")]
    Length(usize),
    /// The text is not valid Z85.
    #[error("invalid Z85 key: {0}")]
    Z85(#[from] z85::Z85Error),
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed")]
    Random,
}

/// The 32 bytes of a key given as 32 raw bytes, 40 Z85 characters, or 41
/// bytes (40 Z85 characters and a trailing NUL), as libzmq's key options
/// accept them. The decoded bytes of the caller's buffer are its own business:
/// only the returned array is ours.
fn key_bytes(input: &[u8]) -> Result<[u8; KEY_LEN], KeyError> {
    let text = match input.len() {
        KEY_LEN => {
            let mut out = [0u8; KEY_LEN];
            out.copy_from_slice(input);
            return Ok(out);
        }
        KEY_Z85_LEN => input,
        41 if input[KEY_Z85_LEN] == 0 => &input[..KEY_Z85_LEN],
        n => return Err(KeyError::Length(n)),
    };
    let mut decoded = z85::decode_bytes(text)?;
    let mut out = [0u8; KEY_LEN];
    // 40 characters always decode to 32 bytes.
    let res = if decoded.len() == KEY_LEN {
        out.copy_from_slice(&decoded);
        Ok(out)
    } else {
        Err(KeyError::Length(input.len()))
    };
    decoded.zeroize();
    res
}

/// Fills `buf` from the operating system's random number generator.
pub(crate) fn random(buf: &mut [u8]) -> Result<(), KeyError> {
    OsRng.try_fill_bytes(buf).map_err(|_| KeyError::Random)
}

/// A CURVE public key (32 bytes, X25519).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CurvePublicKey([u8; KEY_LEN]);

impl CurvePublicKey {
    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> CurvePublicKey {
        CurvePublicKey(bytes)
    }

    /// The key's 32 bytes.
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// Parses 32 raw bytes, 40 Z85 characters, or 41 bytes (40 Z85
    /// characters and a trailing NUL), as libzmq's `ZMQ_CURVE_PUBLICKEY` and
    /// `ZMQ_CURVE_SERVERKEY` options accept them.
    pub fn parse(input: &[u8]) -> Result<CurvePublicKey, KeyError> {
        key_bytes(input).map(CurvePublicKey)
    }

    /// The key as 40 Z85 characters.
    pub fn to_z85(&self) -> String {
        z85::encode(&self.0).unwrap_or_default()
    }

    pub(crate) fn to_box_key(self) -> crypto_box::PublicKey {
        crypto_box::PublicKey::from_bytes(self.0)
    }
}

impl fmt::Debug for CurvePublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CurvePublicKey({})", self.to_z85())
    }
}

impl fmt::Display for CurvePublicKey {
    /// The Z85 form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_z85())
    }
}

impl FromStr for CurvePublicKey {
    type Err = KeyError;

    /// Parses the Z85 form (40 characters).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CurvePublicKey::parse(s.as_bytes())
    }
}

/// A CURVE secret key (32 bytes, X25519). Zeroized when dropped; `Debug`
/// never shows it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct CurveSecretKey([u8; KEY_LEN]);

impl CurveSecretKey {
    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> CurveSecretKey {
        CurveSecretKey(bytes)
    }

    /// The key's 32 bytes.
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// Parses 32 raw bytes, 40 Z85 characters, or 41 bytes (40 Z85
    /// characters and a trailing NUL), as libzmq's `ZMQ_CURVE_SECRETKEY`
    /// option accepts them.
    pub fn parse(input: &[u8]) -> Result<CurveSecretKey, KeyError> {
        key_bytes(input).map(CurveSecretKey)
    }

    /// The key as 40 Z85 characters (handle with care).
    pub fn to_z85(&self) -> String {
        z85::encode(&self.0).unwrap_or_default()
    }

    /// A fresh random key from the operating system's generator.
    pub(crate) fn random() -> Result<CurveSecretKey, KeyError> {
        let mut key = CurveSecretKey([0u8; KEY_LEN]);
        random(&mut key.0)?;
        Ok(key)
    }

    /// The matching public key (libzmq's `zmq_curve_public`: X25519 of the
    /// base point).
    pub fn public_key(&self) -> CurvePublicKey {
        CurvePublicKey(*self.to_box_key().public_key().as_bytes())
    }

    pub(crate) fn to_box_key(&self) -> crypto_box::SecretKey {
        crypto_box::SecretKey::from_bytes(self.0)
    }
}

impl fmt::Debug for CurveSecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CurveSecretKey(<redacted>)")
    }
}

impl PartialEq for CurveSecretKey {
    fn eq(&self, other: &Self) -> bool {
        // Not on a hot path and not timing-sensitive enough to matter, but
        // compare every byte anyway.
        self.0
            .iter()
            .zip(other.0.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

impl Eq for CurveSecretKey {}

/// A CURVE key pair: a secret key and its public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurveKeypair {
    /// The public key.
    pub public: CurvePublicKey,
    /// The secret key.
    pub secret: CurveSecretKey,
}

impl CurveKeypair {
    /// A fresh key pair from the operating system's random number generator
    /// (libzmq's `zmq_curve_keypair`).
    ///
    /// # Panics
    ///
    /// Only if the operating system cannot provide random numbers; use
    /// [`try_generate`](Self::try_generate) to handle that.
    pub fn generate() -> CurveKeypair {
        match CurveKeypair::try_generate() {
            Ok(pair) => pair,
            Err(e) => panic!("cannot generate a CURVE key pair: {e}"),
        }
    }

    /// A fresh key pair, or [`KeyError::Random`] when the operating system's
    /// random number generator fails.
    pub fn try_generate() -> Result<CurveKeypair, KeyError> {
        CurveSecretKey::random().map(CurveKeypair::from_secret)
    }

    /// The pair of a secret key, its public key derived (libzmq's
    /// `zmq_curve_public`).
    pub fn from_secret(secret: CurveSecretKey) -> CurveKeypair {
        CurveKeypair {
            public: secret.public_key(),
            secret,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // zmq_curve(7)'s example key pairs.
    const CLIENT_PUBLIC: &str = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
    const CLIENT_SECRET: &str = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs";
    const SERVER_PUBLIC: &str = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    const SERVER_SECRET: &str = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";

    fn hex(s: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex");
        }
        out
    }

    #[test]
    fn libzmq_test_keys() {
        for (public, secret, public_hex, secret_hex) in [
            (
                CLIENT_PUBLIC,
                CLIENT_SECRET,
                "BB88471D65E2659B30C55A5321CEBB5AAB2B70A398645C26DCA2B2FCB43FC518",
                "7BB864B489AFA3671FBE69101F94B38972F24816DFB01B51656B3FEC8DFD0888",
            ),
            (
                SERVER_PUBLIC,
                SERVER_SECRET,
                "54FCBA24E93249969316FB617C872BB0C1D1FF14800427C594CBFACF1BC2D652",
                "8E0BDD697628B91D8F245587EE95C5B04D48963F79259877B49CD9063AEAD3B7",
            ),
        ] {
            let s = CurveSecretKey::parse(secret.as_bytes()).expect("z85 secret");
            assert_eq!(s.as_bytes(), &hex(secret_hex));
            let pair = CurveKeypair::from_secret(s.clone());
            assert_eq!(pair.public.as_bytes(), &hex(public_hex));
            assert_eq!(pair.public.to_z85(), public);
            assert_eq!(s.to_z85(), secret);
            assert_eq!(public.parse::<CurvePublicKey>(), Ok(pair.public));
            // 32 raw bytes and 40 characters plus NUL are accepted too.
            assert_eq!(CurvePublicKey::parse(&hex(public_hex)), Ok(pair.public));
            let mut with_nul = public.as_bytes().to_vec();
            with_nul.push(0);
            assert_eq!(CurvePublicKey::parse(&with_nul), Ok(pair.public));
        }
    }

    #[test]
    fn refusals() {
        assert_eq!(CurvePublicKey::parse(&[0; 31]), Err(KeyError::Length(31)));
        assert_eq!(
            CurvePublicKey::parse(&[b'a'; 42]),
            Err(KeyError::Length(42))
        );
        let mut not_nul = CLIENT_PUBLIC.as_bytes().to_vec();
        not_nul.push(b'x');
        assert_eq!(CurvePublicKey::parse(&not_nul), Err(KeyError::Length(41)));
        assert!(matches!(
            CurveSecretKey::parse(b"~ne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"),
            Err(KeyError::Z85(_))
        ));
        assert!(matches!(
            CurveSecretKey::parse(b"########################################"),
            Err(KeyError::Z85(_))
        ));
    }

    #[test]
    fn secrets_are_never_shown() {
        let pair =
            CurveKeypair::from_secret(CurveSecretKey::parse(CLIENT_SECRET.as_bytes()).unwrap());
        let shown = format!("{pair:?}");
        assert!(shown.contains(CLIENT_PUBLIC), "{shown}");
        assert!(!shown.contains(CLIENT_SECRET), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn generated_pairs_are_consistent_and_distinct() {
        let a = CurveKeypair::generate();
        let b = CurveKeypair::try_generate().expect("os rng");
        assert_eq!(a.secret.public_key(), a.public);
        assert_ne!(a.public, b.public);
        assert_ne!(a.secret, b.secret);
    }
}
