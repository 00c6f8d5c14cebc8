//! The server's cookie (RFC 26): `Box[C' ‖ s'](K)` under a symmetric cookie
//! key K that the server keeps only for the handshake. K is fresh for each
//! WELCOME and lives at most [`COOKIE_LIFETIME`] from the server mechanism's
//! creation; afterwards it is zeroized and no cookie can be opened.

use std::time::{Duration, Instant};

use bytes::BytesMut;
use crypto_secretbox::{KeyInit, XSalsa20Poly1305};
use zeroize::Zeroizing;

use super::boxes::{open, seal};
use super::keys::{CurvePublicKey, CurveSecretKey, KEY_LEN, random};
use super::nonce;
use super::wire::crypto_error;
use crate::ProtocolError;

/// How long the server's cookie key lives, from the creation of the server
/// mechanism (RFC 26: the server SHOULD discard it within 60 seconds).
pub const COOKIE_LIFETIME: Duration = Duration::from_secs(60);

/// Length of a cookie on the wire: 16-byte nonce tail and an 80-byte box.
pub(super) const COOKIE_LEN: usize = 96;

/// The cookie key and its deadline.
pub(super) struct CookieKey {
    key: Option<Zeroizing<[u8; KEY_LEN]>>,
    expires: Instant,
    expired: bool,
}

impl std::fmt::Debug for CookieKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CookieKey")
            .field("present", &self.key.is_some())
            .field("expired", &self.expired)
            .finish_non_exhaustive()
    }
}

fn expired() -> ProtocolError {
    crypto_error("the CURVE cookie key has expired")
}

impl CookieKey {
    /// No key yet; none may exist after `created + COOKIE_LIFETIME`.
    pub(super) fn new(created: Instant) -> CookieKey {
        CookieKey {
            key: None,
            expires: created + COOKIE_LIFETIME,
            expired: false,
        }
    }

    /// The expiry deadline, while it matters.
    pub(super) fn deadline(&self) -> Option<Instant> {
        (!self.expired).then_some(self.expires)
    }

    /// Expires the key when `now` is past its deadline.
    pub(super) fn handle_timeout(&mut self, now: Instant) {
        if !self.expired && now >= self.expires {
            self.expired = true;
            self.key = None;
        }
    }

    /// Zeroizes the key and stops the deadline (the handshake no longer
    /// needs it).
    pub(super) fn forget(&mut self) {
        self.key = None;
        self.expired = true;
    }

    /// A fresh key and the cookie `Box[C' ‖ s'](K)` it seals, as the 96
    /// bytes of the wire form.
    pub(super) fn mint(
        &mut self,
        client_transient: &CurvePublicKey,
        server_transient: &CurveSecretKey,
    ) -> Result<[u8; COOKIE_LEN], ProtocolError> {
        if self.expired {
            return Err(expired());
        }
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        let rng = |_| crypto_error("the OS random number generator failed");
        random(&mut key[..]).map_err(rng)?;
        let tail = nonce::random_tail()?;
        let mut plain = Zeroizing::new([0u8; 64]);
        plain[..32].copy_from_slice(client_transient.as_bytes());
        plain[32..].copy_from_slice(server_transient.as_bytes());
        let cipher = XSalsa20Poly1305::new(&(*key).into());
        let mut boxed = BytesMut::with_capacity(80);
        seal(
            &cipher,
            &nonce::long(nonce::COOKIE, &tail),
            &plain[..],
            &mut boxed,
        )
        .map_err(|_| crypto_error("cannot seal the CURVE cookie"))?;
        let mut cookie = [0u8; COOKIE_LEN];
        cookie[..16].copy_from_slice(&tail);
        cookie[16..].copy_from_slice(&boxed);
        self.key = Some(key);
        Ok(cookie)
    }

    /// Opens a cookie echoed by the client: `C' ‖ s'` (64 bytes).
    pub(super) fn open(&self, cookie: &[u8]) -> Result<Zeroizing<Vec<u8>>, ProtocolError> {
        let key = self.key.as_ref().ok_or_else(expired)?;
        let (tail, boxed) = cookie
            .split_first_chunk::<16>()
            .ok_or_else(|| crypto_error("short CURVE cookie"))?;
        let cipher = XSalsa20Poly1305::new(&(**key).into());
        let plain = open(&cipher, &nonce::long(nonce::COOKIE, tail), boxed)
            .map_err(|_| crypto_error("cannot open the CURVE cookie"))?;
        if plain.len() != 64 {
            return Err(crypto_error("CURVE cookie of the wrong size"));
        }
        Ok(plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mint_open_expire() {
        let t0 = Instant::now();
        let mut k = CookieKey::new(t0);
        assert_eq!(k.deadline(), Some(t0 + COOKIE_LIFETIME));
        let c = CurvePublicKey::from_bytes([1; 32]);
        let s = CurveSecretKey::from_bytes([2; 32]);
        let cookie = k.mint(&c, &s).unwrap();
        let plain = k.open(&cookie).unwrap();
        assert_eq!(&plain[..32], &[1; 32]);
        assert_eq!(&plain[32..], &[2; 32]);
        let mut bad = cookie;
        bad[50] ^= 0x80;
        assert!(k.open(&bad).is_err());
        assert!(k.open(&cookie[..10]).is_err());
        // A second WELCOME gets a fresh key: the old cookie no longer opens.
        let again = k.mint(&c, &s).unwrap();
        assert!(k.open(&cookie).is_err());
        k.handle_timeout(t0 + COOKIE_LIFETIME - Duration::from_secs(1));
        assert!(k.open(&again).is_ok());
        k.handle_timeout(t0 + COOKIE_LIFETIME);
        assert!(k.open(&again).is_err());
        assert!(k.mint(&c, &s).is_err());
        assert_eq!(k.deadline(), None);
        assert!(!format!("{k:?}").contains("key:"));
    }
}
