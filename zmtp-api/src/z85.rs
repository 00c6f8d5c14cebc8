//! Z85 (ZeroMQ RFC 32), the text form of CURVE keys, as `zmq_z85_encode` /
//! `zmq_z85_decode`.

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
