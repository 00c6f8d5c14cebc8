//! The 64-byte ZMTP 3.x greeting: encoding and incremental validation.

use std::fmt;
use std::str::FromStr;

use bytes::{BufMut, BytesMut};

use crate::ProtocolError;

/// Length of a ZMTP 3.x greeting.
pub const GREETING_LEN: usize = 64;
/// Length of the greeting's signature (`0xFF`, 8 padding bytes, `0x7F`): what we send
/// before we know anything of the peer.
pub const SIGNATURE_LEN: usize = 10;

/// Offset of the signature's last byte (`0x7F`; only bit 0 matters).
const SIG_END: usize = 9;
/// Offset of the major version byte.
const MAJOR: usize = 10;
/// Offset of the minor version byte.
const MINOR: usize = 11;
/// Offset of the 20-byte mechanism field.
const MECH: usize = 12;
/// Offset of the as-server byte.
const AS_SERVER: usize = 32;

/// A security mechanism name as carried in the greeting: ASCII, NUL-padded
/// to 20 bytes, compared byte-exact.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct MechanismName(pub [u8; 20]);

impl MechanismName {
    /// `NULL`
    pub const NULL: MechanismName = MechanismName::from_static("NULL");
    /// `PLAIN`
    pub const PLAIN: MechanismName = MechanismName::from_static("PLAIN");
    /// `CURVE`
    pub const CURVE: MechanismName = MechanismName::from_static("CURVE");

    /// Builds a name at compile time. Names longer than 20 bytes are truncated.
    pub const fn from_static(name: &str) -> MechanismName {
        let src = name.as_bytes();
        let mut out = [0u8; 20];
        let mut i = 0;
        while i < src.len() && i < 20 {
            out[i] = src[i];
            i += 1;
        }
        MechanismName(out)
    }

    /// The name without its NUL padding.
    pub fn as_bytes(&self) -> &[u8] {
        let end = self.0.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
        &self.0[..end]
    }
}

impl FromStr for MechanismName {
    type Err = ProtocolError;

    /// Accepts 1..=20 bytes.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() || s.len() > 20 {
            return Err(ProtocolError::BadGreeting(
                "mechanism name must be 1..=20 bytes",
            ));
        }
        Ok(MechanismName::from_static(s))
    }
}

impl fmt::Display for MechanismName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(self.as_bytes()))
    }
}

impl fmt::Debug for MechanismName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MechanismName({self})")
    }
}

/// A ZMTP 3.x greeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Greeting {
    /// Major version as received (we send 3; 2 and >= 4 are treated as 3.1).
    pub major: u8,
    /// Minor version as received (we send 1).
    pub minor: u8,
    /// Security mechanism.
    pub mechanism: MechanismName,
    /// The as-server flag (ignored on receipt, as libzmq does).
    pub as_server: bool,
}

impl Greeting {
    /// Our greeting: ZMTP 3.1 with the given mechanism.
    pub fn new(mechanism: MechanismName, as_server: bool) -> Greeting {
        Greeting {
            major: 3,
            minor: 1,
            mechanism,
            as_server,
        }
    }

    /// Appends the 64-byte greeting to `out`.
    pub fn encode(&self, out: &mut BytesMut) {
        out.reserve(GREETING_LEN);
        out.put_u8(0xFF);
        out.put_bytes(0, 8);
        out.put_u8(0x7F);
        out.put_u8(self.major);
        out.put_u8(self.minor);
        out.put_slice(&self.mechanism.0);
        out.put_u8(u8::from(self.as_server));
        out.put_bytes(0, GREETING_LEN - AS_SERVER - 1);
    }

    /// Validates as much of a (possibly partial) peer greeting as `buf`
    /// holds. Returns `Ok(None)` while fewer than 64 bytes are present and no
    /// error is detectable yet, `Ok(Some(_))` once the first 64 bytes form a
    /// valid 3.x greeting (extra bytes in `buf` are not looked at).
    ///
    /// Errors are reported as early as possible: a first byte other than
    /// `0xFF` after one byte, a signature without the version bit after 10,
    /// a major version 0 or 1 after 11.
    pub fn decode(buf: &[u8]) -> Result<Option<Greeting>, ProtocolError> {
        match buf.first() {
            None => return Ok(None),
            Some(&0xFF) => {}
            Some(_) => return Err(ProtocolError::UnsupportedVersion { major: 0 }),
        }
        if let Some(&sig) = buf.get(SIG_END)
            && sig & 1 == 0
        {
            return Err(ProtocolError::UnsupportedVersion { major: 0 });
        }
        if let Some(&major) = buf.get(MAJOR)
            && major < 2
        {
            return Err(ProtocolError::UnsupportedVersion { major });
        }
        let Some(g) = buf.get(..GREETING_LEN) else {
            return Ok(None);
        };
        let mut mechanism = [0u8; 20];
        mechanism.copy_from_slice(&g[MECH..MECH + 20]);
        Ok(Some(Greeting {
            major: g[MAJOR],
            minor: g[MINOR],
            mechanism: MechanismName(mechanism),
            as_server: g[AS_SERVER] != 0,
        }))
    }

    /// Whether the peer is a ZMTP 3.0 peer (major 3, minor 0): it expects
    /// subscriptions as data frames. Anything else counts as 3.1.
    pub fn is_zmtp30(&self) -> bool {
        self.major == 3 && self.minor == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn libzmq_null_greeting() -> Vec<u8> {
        let mut v = vec![
            0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, 1, b'N', b'U', b'L', b'L',
        ];
        v.resize(64, 0);
        v
    }

    #[test]
    fn encodes_null_greeting() {
        let mut out = BytesMut::new();
        Greeting::new(MechanismName::NULL, false).encode(&mut out);
        let mut expected = libzmq_null_greeting();
        expected[8] = 0; // we send RFC padding (all zero)
        assert_eq!(&out[..], &expected[..]);
    }

    #[test]
    fn encodes_as_server_and_mechanism() {
        let mut out = BytesMut::new();
        Greeting::new(MechanismName::CURVE, true).encode(&mut out);
        assert_eq!(out.len(), 64);
        assert_eq!(&out[12..17], b"CURVE");
        assert!(out[17..32].iter().all(|&b| b == 0));
        assert_eq!(out[32], 1);
    }

    #[test]
    fn decodes_libzmq_greeting_ignoring_padding() {
        let g = libzmq_null_greeting();
        for n in 0..64 {
            assert_eq!(Greeting::decode(&g[..n]), Ok(None), "prefix {n}");
        }
        let got = Greeting::decode(&g).unwrap().unwrap();
        assert_eq!(got, Greeting::new(MechanismName::NULL, false));
        assert!(!got.is_zmtp30());
        // arbitrary padding, as-server and filler are ignored
        let mut g2 = g.clone();
        g2[1..9].copy_from_slice(&[9; 8]);
        g2[32] = 1;
        g2[40] = 0xAA;
        let got2 = Greeting::decode(&g2).unwrap().unwrap();
        assert_eq!(got2.mechanism, MechanismName::NULL);
    }

    #[test]
    fn garbage_rejected_after_first_byte() {
        assert_eq!(
            Greeting::decode(b"G"),
            Err(ProtocolError::UnsupportedVersion { major: 0 })
        );
        assert_eq!(
            Greeting::decode(b"GET / HTTP/1.1\r\n"),
            Err(ProtocolError::UnsupportedVersion { major: 0 })
        );
    }

    #[test]
    fn signature_without_version_bit_rejected_after_ten_bytes() {
        let mut g = libzmq_null_greeting();
        g[9] = 0x7E;
        assert_eq!(Greeting::decode(&g[..9]), Ok(None));
        assert_eq!(
            Greeting::decode(&g[..10]),
            Err(ProtocolError::UnsupportedVersion { major: 0 })
        );
    }

    #[test]
    fn old_majors_rejected_after_eleven_bytes() {
        for major in [0u8, 1] {
            let mut g = libzmq_null_greeting();
            g[10] = major;
            assert_eq!(Greeting::decode(&g[..10]), Ok(None));
            assert_eq!(
                Greeting::decode(&g[..11]),
                Err(ProtocolError::UnsupportedVersion { major })
            );
        }
    }

    #[test]
    fn majors_two_and_above_four_accepted() {
        for major in [2u8, 4, 255] {
            let mut g = libzmq_null_greeting();
            g[10] = major;
            let got = Greeting::decode(&g).unwrap().unwrap();
            assert_eq!(got.major, major);
            assert!(!got.is_zmtp30());
        }
    }

    #[test]
    fn minor_zero_is_zmtp30() {
        let mut g = libzmq_null_greeting();
        g[11] = 0;
        assert!(Greeting::decode(&g).unwrap().unwrap().is_zmtp30());
        g[11] = 7;
        assert!(!Greeting::decode(&g).unwrap().unwrap().is_zmtp30());
    }

    #[test]
    fn mechanism_names() {
        assert_eq!(MechanismName::PLAIN.as_bytes(), b"PLAIN");
        assert_eq!("CURVE".parse::<MechanismName>(), Ok(MechanismName::CURVE));
        assert!("".parse::<MechanismName>().is_err());
        assert!("X".repeat(21).parse::<MechanismName>().is_err());
        assert_eq!(MechanismName::NULL.to_string(), "NULL");
    }
}
