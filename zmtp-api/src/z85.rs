//! Z85 (ZeroMQ RFC 32), the text form of CURVE keys, as `zmq_z85_encode` /
//! `zmq_z85_decode`, and CURVE key pairs as `zmq_curve_keypair` / `zmq_curve_public`.

pub use zmtp_codec::{CurveKeypair, CurvePublicKey, CurveSecretKey, KeyError};

use crate::Result;

/// Encodes `data` (a multiple of 4 bytes; a CURVE key is 32) as Z85 text.
///
/// ```
/// let text = zmtp_api::z85_encode(&[0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])?;
/// assert_eq!(text, "HelloWorld");
/// assert!(zmtp_api::z85_encode(&[1, 2, 3]).is_err());
/// # Ok::<(), zmtp_api::Error>(())
/// ```
pub fn z85_encode(data: &[u8]) -> Result<String> {
    Ok(zmtp_codec::z85::encode(data)?)
}

/// Decodes Z85 text (a multiple of 5 characters; a CURVE key is 40).
///
/// ```
/// let data = zmtp_api::z85_decode("HelloWorld")?;
/// assert_eq!(data, [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]);
/// assert!(zmtp_api::z85_decode("Hel~o").is_err());
/// # Ok::<(), zmtp_api::Error>(())
/// ```
pub fn z85_decode(text: &str) -> Result<Vec<u8>> {
    Ok(zmtp_codec::z85::decode(text)?)
}

/// A new CURVE key pair from the operating system's random generator, as
/// `zmq_curve_keypair` (which gives both keys as Z85 text: use
/// [`CurvePublicKey::to_z85`] and [`CurveSecretKey::to_z85`]).
///
/// ```
/// let pair = zmtp_api::curve_keypair()?;
/// assert_eq!(pair.public.to_z85().len(), 40);
/// assert_eq!(zmtp_api::curve_public(pair.secret.to_z85())?, pair.public);
/// # Ok::<(), zmtp_api::Error>(())
/// ```
pub fn curve_keypair() -> Result<CurveKeypair> {
    Ok(CurveKeypair::try_generate()?)
}

/// The public key of a CURVE secret key given as 32 bytes, 40 Z85 characters, or
/// those plus a trailing NUL, as `zmq_curve_public`.
///
/// ```
/// // The server pair of zmq_curve(7).
/// let public = zmtp_api::curve_public("JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6")?;
/// assert_eq!(public.to_z85(), "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7");
/// assert!(zmtp_api::curve_public("too short").is_err());
/// # Ok::<(), zmtp_api::Error>(())
/// ```
pub fn curve_public(secret: impl AsRef<[u8]>) -> Result<CurvePublicKey> {
    Ok(CurveSecretKey::parse(secret.as_ref())?.public_key())
}
