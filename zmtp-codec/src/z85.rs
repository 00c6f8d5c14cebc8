//! Z85 (ZeroMQ RFC 32): the text form of CURVE keys. Four bytes become five printable
//! characters; 32-byte keys become 40 characters.

/// The 85 characters, in value order.
const ALPHABET: &[u8; 85] =
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/// Why Z85 text or data was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Z85Error {
    /// Encoding takes a multiple of 4 bytes.
    #[error("Z85 encodes a multiple of 4 bytes, not {0}")]
    DataLength(usize),
    /// Decoding takes a multiple of 5 characters.
    #[error("Z85 text is a multiple of 5 characters, not {0}")]
    TextLength(usize),
    /// A character outside the Z85 alphabet.
    #[error("invalid Z85 character at position {0}")]
    Character(usize),
    /// A group of five characters whose value does not fit in four bytes.
    #[error("Z85 group at position {0} is out of range")]
    Overflow(usize),
}

/// The value of each byte as a Z85 character (`None`: not in the alphabet).
fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)
}

/// Encodes `data` (a multiple of 4 bytes) as Z85 text.
pub fn encode(data: &[u8]) -> Result<String, Z85Error> {
    if !data.len().is_multiple_of(4) {
        return Err(Z85Error::DataLength(data.len()));
    }
    let mut out = String::with_capacity(data.len() / 4 * 5);
    for chunk in data.chunks_exact(4) {
        let mut n = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        let mut group = [0u8; 5];
        for slot in group.iter_mut().rev() {
            *slot = ALPHABET[(n % 85) as usize];
            n /= 85;
        }
        out.extend(group.iter().map(|&b| char::from(b)));
    }
    Ok(out)
}

/// Decodes Z85 text (a multiple of 5 characters).
pub fn decode(text: &str) -> Result<Vec<u8>, Z85Error> {
    decode_bytes(text.as_bytes())
}

/// Decodes Z85 text given as bytes (a multiple of 5 characters; any byte
/// outside the alphabet is refused).
pub fn decode_bytes(bytes: &[u8]) -> Result<Vec<u8>, Z85Error> {
    if !bytes.len().is_multiple_of(5) {
        return Err(Z85Error::TextLength(bytes.len()));
    }
    let mut out = Vec::with_capacity(bytes.len() / 5 * 4);
    for (g, group) in bytes.chunks_exact(5).enumerate() {
        let mut n: u64 = 0;
        for (i, &c) in group.iter().enumerate() {
            let v = value(c).ok_or(Z85Error::Character(g * 5 + i))?;
            n = n * 85 + u64::from(v);
        }
        let n = u32::try_from(n).map_err(|_| Z85Error::Overflow(g * 5))?;
        out.extend_from_slice(&n.to_be_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_32_test_vector() {
        let data = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];
        assert_eq!(encode(&data).as_deref(), Ok("HelloWorld"));
        assert_eq!(decode("HelloWorld").as_deref(), Ok(&data[..]));
    }

    #[test]
    fn refusals() {
        assert_eq!(encode(&[1, 2, 3]), Err(Z85Error::DataLength(3)));
        assert_eq!(decode("Hell"), Err(Z85Error::TextLength(4)));
        assert_eq!(decode("Hel~o"), Err(Z85Error::Character(3)));
        // 85^5 - 1 is above 2^32 - 1: the largest group is refused.
        assert_eq!(decode("#####"), Err(Z85Error::Overflow(0)));
        assert_eq!(encode(&[]).as_deref(), Ok(""));
    }

    #[test]
    fn every_four_byte_edge_round_trips() {
        for n in [0u32, 1, 84, 85, 0x7FFF_FFFF, u32::MAX - 1, u32::MAX] {
            let data = n.to_be_bytes();
            let text = encode(&data).expect("encode");
            assert_eq!(decode(&text).expect("decode"), data);
        }
    }
}
