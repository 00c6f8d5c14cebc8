//! CurveZMQ nonces (RFC 26): a 16-byte prefix and an 8-byte big-endian
//! counter ("short nonce"), or an 8-byte prefix and 16 random bytes ("long
//! nonce").

use crypto_box::Nonce;

use super::keys::random;
use super::wire::{crypto_error, curve_error};
use crate::ProtocolError;
use crate::error::codes;

/// HELLO box (C'→S).
pub(super) const HELLO: &[u8; 16] = b"CurveZMQHELLO---";
/// INITIATE box (C'→S').
pub(super) const INITIATE: &[u8; 16] = b"CurveZMQINITIATE";
/// READY box (S'→C').
pub(super) const READY: &[u8; 16] = b"CurveZMQREADY---";
/// MESSAGE box from the client.
pub(super) const MESSAGE_C: &[u8; 16] = b"CurveZMQMESSAGEC";
/// MESSAGE box from the server.
pub(super) const MESSAGE_S: &[u8; 16] = b"CurveZMQMESSAGES";
/// WELCOME box (S→C').
pub(super) const WELCOME: &[u8; 8] = b"WELCOME-";
/// The cookie's secret box.
pub(super) const COOKIE: &[u8; 8] = b"COOKIE--";
/// The vouch box (C→S').
pub(super) const VOUCH: &[u8; 8] = b"VOUCH---";

/// A short nonce: `prefix` and the counter value `n`.
pub(super) fn short(prefix: &[u8; 16], n: u64) -> Nonce {
    let mut nonce = Nonce::default();
    nonce[..16].copy_from_slice(prefix);
    nonce[16..].copy_from_slice(&n.to_be_bytes());
    nonce
}

/// A long nonce: `prefix` and 16 bytes.
pub(super) fn long(prefix: &[u8; 8], tail: &[u8; 16]) -> Nonce {
    let mut nonce = Nonce::default();
    nonce[..8].copy_from_slice(prefix);
    nonce[8..].copy_from_slice(tail);
    nonce
}

/// 16 fresh random bytes for a long nonce.
pub(super) fn random_tail() -> Result<[u8; 16], ProtocolError> {
    let mut tail = [0u8; 16];
    random(&mut tail).map_err(|_| crypto_error("the OS random number generator failed"))?;
    Ok(tail)
}

/// Our short-nonce counter: libzmq starts every side at 1 (client HELLO = 1,
/// INITIATE = 2, first MESSAGE = 3; server READY = 1, first MESSAGE = 2).
#[derive(Clone, Copy, Debug)]
pub(super) struct Counter(u64);

impl Counter {
    /// A counter whose next value is 1.
    pub(super) fn new() -> Counter {
        Counter(1)
    }

    /// The next value (never reused: the counter refuses to wrap).
    pub(super) fn next(&mut self) -> Result<u64, ProtocolError> {
        let n = self.0;
        self.0 = n.checked_add(1).ok_or_else(|| {
            curve_error(
                codes::ZMTP_INVALID_SEQUENCE,
                "CURVE nonce counter exhausted",
            )
        })?;
        Ok(n)
    }
}

/// The 8 bytes at `at..at + 8` of `body` as a big-endian counter value.
pub(super) fn read_short(body: &[u8], at: usize) -> Option<u64> {
    let bytes: [u8; 8] = body.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts() {
        let n = short(MESSAGE_C, 0x0102);
        assert_eq!(&n[..16], b"CurveZMQMESSAGEC");
        assert_eq!(&n[16..], &[0, 0, 0, 0, 0, 0, 1, 2]);
        let l = long(VOUCH, &[7; 16]);
        assert_eq!(&l[..8], b"VOUCH---");
        assert_eq!(&l[8..], &[7; 16]);
        assert_ne!(random_tail().unwrap(), random_tail().unwrap());
        assert_eq!(read_short(&[0, 0, 0, 0, 0, 0, 0, 0, 9], 1), Some(9));
        assert_eq!(read_short(&[0; 8], 1), None);
    }

    #[test]
    fn counter_starts_at_one_and_never_wraps() {
        let mut c = Counter::new();
        assert_eq!(c.next(), Ok(1));
        assert_eq!(c.next(), Ok(2));
        let mut last = Counter(u64::MAX);
        assert!(last.next().is_err());
    }
}
