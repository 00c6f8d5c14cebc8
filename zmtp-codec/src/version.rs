//! RFC 23 version negotiation: which protocol a peer speaks, read off the first
//! bytes it sends, and the bytes of ours that answer each stage.
//!
//! Every peer starts with what looks like a ZMTP 1.0 frame header: `0xFF`, an 8-byte
//! length and a flags byte whose bit 0 is set (`0x7F`). A ZMTP 1.0 peer sends a real
//! frame instead (its identity), so a first byte other than `0xFF`, or a flags byte
//! with bit 0 clear, means ZMTP 1.0 without a revision. Otherwise the 11th byte is the
//! revision: 0 (ZMTP 1.0 framing) and 1 (ZMTP 2.0) end the greeting with a
//! socket-type byte (12 bytes in all); anything else is ZMTP 3.x (64 bytes).

use crate::ProtocolError;
use crate::greeting::{Greeting, SIGNATURE_LEN};

/// Length of a ZMTP 1.0 (revision 0) or 2.0 greeting: signature, revision,
/// socket type.
pub const LEGACY_GREETING_LEN: usize = 12;

/// Offset of the revision (major version) byte.
const REVISION: usize = SIGNATURE_LEN;
/// Offset of the socket-type byte of a 12-byte greeting.
const LEGACY_SOCKET_TYPE: usize = REVISION + 1;

/// The protocol a peer speaks, as its greeting announces it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeerVersion {
    /// ZMTP 1.0 without a signature: its bytes are ZMTP 1.0 frames from the
    /// first, starting with its identity.
    Unversioned,
    /// Revision 0: a 12-byte greeting, then ZMTP 1.0 framing.
    Zmtp10 {
        /// The socket-type byte (libzmq's `ZMQ_TYPE` number).
        socket_type: u8,
    },
    /// Revision 1: a 12-byte greeting, then ZMTP 2.0 framing.
    Zmtp20 {
        /// The socket-type byte (libzmq's `ZMQ_TYPE` number).
        socket_type: u8,
    },
    /// ZMTP 3.x: the 64-byte greeting.
    Zmtp3(Greeting),
}

impl PeerVersion {
    /// How many of the peer's bytes the greeting takes (0 for an unversioned peer,
    /// whose bytes are all frames).
    pub fn greeting_len(&self) -> usize {
        match self {
            PeerVersion::Unversioned => 0,
            PeerVersion::Zmtp10 { .. } | PeerVersion::Zmtp20 { .. } => LEGACY_GREETING_LEN,
            PeerVersion::Zmtp3(_) => crate::greeting::GREETING_LEN,
        }
    }

    /// Whether the peer speaks ZMTP 1.0 or 2.0 (no mechanism, no commands).
    pub fn is_legacy(&self) -> bool {
        !matches!(self, PeerVersion::Zmtp3(_))
    }

    /// The version pair reported for the peer: (1, 0), (2, 0) or the greeting's.
    pub fn major_minor(&self) -> (u8, u8) {
        match self {
            PeerVersion::Unversioned | PeerVersion::Zmtp10 { .. } => (1, 0),
            PeerVersion::Zmtp20 { .. } => (2, 0),
            PeerVersion::Zmtp3(g) => (g.major, g.minor),
        }
    }
}

/// How far a peer's greeting has come: what it reveals so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Not enough bytes to tell anything.
    Unknown,
    /// A versioned signature (10 bytes): the peer waits for our major version.
    Signature,
    /// The revision byte is in: the peer waits for the rest of our greeting.
    Revision(u8),
}

/// What `buf` (the peer's first bytes) reveals so far, for staging our greeting.
/// Never fails: [`detect`] reports problems.
pub fn stage(buf: &[u8]) -> Stage {
    if buf.first() != Some(&0xFF) || buf.len() < SIGNATURE_LEN || buf[SIGNATURE_LEN - 1] & 1 == 0 {
        return Stage::Unknown;
    }
    match buf.get(REVISION) {
        Some(&rev) => Stage::Revision(rev),
        None => Stage::Signature,
    }
}

/// Whether a revision is answered with a 12-byte greeting (ZMTP 1.0 / 2.0).
pub fn is_legacy_revision(revision: u8) -> bool {
    revision <= 1
}

/// Classifies the peer from its first bytes: `Ok(None)` until enough have arrived.
/// Errors come only from a ZMTP 3.x greeting ([`Greeting::decode`]).
pub fn detect(buf: &[u8]) -> Result<Option<PeerVersion>, ProtocolError> {
    match buf.first() {
        None => return Ok(None),
        Some(&0xFF) => {}
        Some(_) => return Ok(Some(PeerVersion::Unversioned)),
    }
    match buf.get(SIGNATURE_LEN - 1) {
        None => return Ok(None),
        Some(&flags) if flags & 1 == 0 => return Ok(Some(PeerVersion::Unversioned)),
        Some(_) => {}
    }
    match buf.get(REVISION) {
        None => Ok(None),
        Some(&rev) if is_legacy_revision(rev) => Ok(buf.get(LEGACY_SOCKET_TYPE).map(|&t| {
            if rev == 0 {
                PeerVersion::Zmtp10 { socket_type: t }
            } else {
                PeerVersion::Zmtp20 { socket_type: t }
            }
        })),
        Some(_) => Ok(Greeting::decode(buf)?.map(PeerVersion::Zmtp3)),
    }
}

/// Our signature: `0xFF`, the 8-byte length of a ZMTP 1.0 identity frame carrying
/// `identity_len` bytes (the length counts the flags byte), and flags `0x7F`. To a
/// ZMTP 3 or 2.0 peer it is padding; to a ZMTP 1.0 peer it is the header of our
/// identity, whose body follows (as libzmq sends it).
pub fn signature(identity_len: usize) -> [u8; SIGNATURE_LEN] {
    let mut sig = [0u8; SIGNATURE_LEN];
    sig[0] = 0xFF;
    sig[1..9].copy_from_slice(&(identity_len as u64 + 1).to_be_bytes());
    sig[9] = 0x7F;
    sig
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::greeting::MechanismName;
    use bytes::BytesMut;

    fn v3() -> Vec<u8> {
        let mut b = BytesMut::new();
        Greeting::new(MechanismName::NULL, false).encode(&mut b);
        b.to_vec()
    }

    #[test]
    fn a_first_byte_other_than_ff_is_unversioned_at_once() {
        assert_eq!(detect(b"\x05\x00abcd"), Ok(Some(PeerVersion::Unversioned)));
        assert_eq!(detect(b"G"), Ok(Some(PeerVersion::Unversioned)));
        assert_eq!(detect(b""), Ok(None));
    }

    #[test]
    fn flags_without_bit_zero_is_an_unversioned_long_frame() {
        let mut b = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 3, 0x00];
        for n in 1..10 {
            assert_eq!(detect(&b[..n]), Ok(None), "prefix {n}");
        }
        assert_eq!(detect(&b), Ok(Some(PeerVersion::Unversioned)));
        b[9] = 0x7F;
        assert_eq!(detect(&b), Ok(None));
        assert_eq!(stage(&b), Stage::Signature);
    }

    #[test]
    fn revisions_zero_and_one_take_twelve_bytes() {
        for (rev, want) in [
            (0u8, PeerVersion::Zmtp10 { socket_type: 8 }),
            (1, PeerVersion::Zmtp20 { socket_type: 8 }),
        ] {
            let mut b = signature(0).to_vec();
            b.push(rev);
            assert_eq!(detect(&b), Ok(None));
            assert_eq!(stage(&b), Stage::Revision(rev));
            b.push(8);
            assert_eq!(detect(&b), Ok(Some(want)));
            assert_eq!(want.greeting_len(), 12);
            assert!(want.is_legacy());
        }
    }

    #[test]
    fn revision_three_takes_sixty_four_bytes() {
        let g = v3();
        for n in 0..64 {
            assert_eq!(detect(&g[..n]), Ok(None), "prefix {n}");
        }
        let got = detect(&g).unwrap().unwrap();
        assert!(matches!(got, PeerVersion::Zmtp3(_)));
        assert_eq!(got.major_minor(), (3, 1));
        assert_eq!(got.greeting_len(), 64);
    }

    #[test]
    fn stages_follow_the_bytes() {
        let g = v3();
        assert_eq!(stage(&g[..9]), Stage::Unknown);
        assert_eq!(stage(&g[..10]), Stage::Signature);
        assert_eq!(stage(&g[..11]), Stage::Revision(3));
        assert_eq!(stage(b"GET / HTTP"), Stage::Unknown);
    }

    #[test]
    fn signature_carries_the_identity_frame_length() {
        assert_eq!(
            signature(0),
            [0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F],
            "libzmq's bytes for an empty identity"
        );
        assert_eq!(signature(4)[8], 5);
    }
}
