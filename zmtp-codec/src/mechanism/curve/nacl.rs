//! NaCl's `crypto_box` put together from RustCrypto parts, the standard way
//! (as `crypto_box` and `crypto_secretbox` themselves do it): the shared key
//! is X25519 then HSalsa20 (`crypto_box_beforenm`), each box an XSalsa20
//! keystream whose first 32 bytes are the Poly1305 one-time key and whose
//! rest XORs the plaintext, the tag Poly1305 of the ciphertext.
//!
//! Why not `crypto_box::SalsaBox` itself: its `poly1305` (0.8) picks an AVX2
//! backend at run time whose per-key setup costs more than the whole MAC of a
//! short message, and every box has a fresh one-time key. Here Poly1305 is
//! `poly1305` 0.6 with its `force-soft` feature (the portable backend): a
//! 64-byte box seals and opens about four times faster. From
//! [`LONG_BOX`] bytes on, where the AVX2 setup pays for itself, boxes go to
//! `crypto_secretbox::XSalsa20Poly1305` (the very box `SalsaBox` wraps) with
//! the same key. No primitive is implemented here; `tests` compares every
//! length to `SalsaBox`.

use crypto_box::aead::generic_array::GenericArray;
use crypto_box::aead::generic_array::typenum::{U0, U16, U24};
use crypto_box::aead::{AeadCore, AeadInPlace, Error, KeyInit, Nonce, Tag};
use crypto_secretbox::XSalsa20Poly1305;
use curve25519_dalek::MontgomeryPoint;
use poly1305::Poly1305;
use poly1305::universal_hash::{NewUniversalHash, Output};
use salsa20::XSalsa20;
use salsa20::cipher::typenum::U10;
use salsa20::cipher::{KeyIvInit, StreamCipher};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Boxes of this many bytes or more use `crypto_secretbox` (AVX2 Poly1305
/// where the CPU has it): measured break-even of the two backends near 4 KiB.
const LONG_BOX: usize = 4096;

/// A precomputed box key (libsodium's `crypto_box_beforenm` output), or a
/// secret-box key: seals and opens XSalsa20-Poly1305 boxes, the tag apart.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(super) struct BoxKey([u8; 32]);

impl BoxKey {
    /// The shared key between `theirs` and `ours`: X25519, then HSalsa20
    /// with a zero input, as `crypto_box::SalsaBox::new` computes it.
    pub(super) fn precompute(theirs: &crypto_box::PublicKey, ours: &crypto_box::SecretKey) -> Self {
        let scalar = Zeroizing::new(ours.to_scalar());
        let mut shared = MontgomeryPoint(*theirs.as_bytes()) * *scalar;
        let key = Zeroizing::new(salsa20::hsalsa::<U10>(
            GenericArray::from_slice(&shared.0),
            &GenericArray::default(),
        ));
        shared.zeroize();
        BoxKey((*key).into())
    }

    /// `crypto_secretbox`'s box with this key, for long boxes.
    fn long(&self) -> XSalsa20Poly1305 {
        XSalsa20Poly1305::new(GenericArray::from_slice(&self.0))
    }

    /// The keystream for `nonce` past the one-time key, and the MAC keyed
    /// with it.
    fn cipher_and_mac(&self, nonce: &Nonce<Self>) -> (XSalsa20, Poly1305) {
        let mut cipher = XSalsa20::new(GenericArray::from_slice(&self.0), nonce);
        let mut mac_key = Zeroizing::new(poly1305::Key::default());
        cipher.apply_keystream(&mut mac_key);
        (cipher, Poly1305::new(&mac_key))
    }
}

impl AeadCore for BoxKey {
    type NonceSize = U24;
    type TagSize = U16;
    type CiphertextOverhead = U0;
}

impl AeadInPlace for BoxKey {
    fn encrypt_in_place_detached(
        &self,
        nonce: &Nonce<Self>,
        associated_data: &[u8],
        buffer: &mut [u8],
    ) -> Result<Tag<Self>, Error> {
        if buffer.len() >= LONG_BOX {
            return self
                .long()
                .encrypt_in_place_detached(nonce, associated_data, buffer);
        }
        if !associated_data.is_empty() {
            return Err(Error);
        }
        let (mut cipher, mac) = self.cipher_and_mac(nonce);
        cipher.apply_keystream(buffer);
        Ok(mac.compute_unpadded(buffer).into_bytes())
    }

    fn decrypt_in_place_detached(
        &self,
        nonce: &Nonce<Self>,
        associated_data: &[u8],
        buffer: &mut [u8],
        tag: &Tag<Self>,
    ) -> Result<(), Error> {
        if buffer.len() >= LONG_BOX {
            return self
                .long()
                .decrypt_in_place_detached(nonce, associated_data, buffer, tag);
        }
        if !associated_data.is_empty() {
            return Err(Error);
        }
        let (mut cipher, mac) = self.cipher_and_mac(nonce);
        // `Output`'s equality is constant-time (`subtle`).
        if mac.compute_unpadded(buffer) != Output::new(*tag) {
            return Err(Error);
        }
        cipher.apply_keystream(buffer);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_box::SalsaBox;
    use proptest::prelude::*;

    fn keys(a: [u8; 32], b: [u8; 32]) -> (BoxKey, SalsaBox) {
        let ours = crypto_box::SecretKey::from_bytes(a);
        let theirs = crypto_box::SecretKey::from_bytes(b).public_key();
        (
            BoxKey::precompute(&theirs, &ours),
            SalsaBox::new(&theirs, &ours),
        )
    }

    #[test]
    fn every_length_to_2000_and_around_long_matches_salsabox_both_ways() {
        let (ours, reference) = keys([3; 32], [7; 32]);
        let nonce = Nonce::<BoxKey>::from([5; 24]);
        for len in (0..=2000usize).chain(LONG_BOX - 40..LONG_BOX + 40) {
            let plain: Vec<u8> = (0..len).map(|i| (i * 31 + len) as u8).collect();
            let mut a = plain.clone();
            let tag_a = ours.encrypt_in_place_detached(&nonce, b"", &mut a).unwrap();
            let mut b = plain.clone();
            let tag_b = reference
                .encrypt_in_place_detached(&nonce, b"", &mut b)
                .unwrap();
            assert_eq!((&a, tag_a), (&b, tag_b), "seal, length {len}");
            // Each opens the other's box.
            reference
                .decrypt_in_place_detached(&nonce, b"", &mut a, &tag_a)
                .unwrap();
            ours.decrypt_in_place_detached(&nonce, b"", &mut b, &tag_b)
                .unwrap();
            assert_eq!((&a, &b), (&plain, &plain), "open, length {len}");
        }
    }

    #[test]
    fn associated_data_is_refused() {
        let (ours, _) = keys([1; 32], [2; 32]);
        let nonce = Nonce::<BoxKey>::default();
        for len in [4, LONG_BOX] {
            let mut buf = vec![0u8; len];
            assert!(
                ours.encrypt_in_place_detached(&nonce, b"x", &mut buf)
                    .is_err()
            );
            let tag = Tag::<BoxKey>::default();
            assert!(
                ours.decrypt_in_place_detached(&nonce, b"x", &mut buf, &tag)
                    .is_err()
            );
        }
    }

    proptest! {
        #[test]
        fn matches_salsabox_and_rejects_tampering(
            a in any::<[u8; 32]>(),
            b in any::<[u8; 32]>(),
            nonce in any::<[u8; 24]>(),
            plain in proptest::collection::vec(any::<u8>(), 0..=2000),
            long in any::<bool>(),
            flip in any::<usize>(),
        ) {
            let (ours, reference) = keys(a, b);
            let nonce = Nonce::<BoxKey>::from(nonce);
            let mut plain = plain;
            if long {
                plain.resize(plain.len() + LONG_BOX, 0xa5);
            }
            let mut x = plain.clone();
            let tag_x = ours.encrypt_in_place_detached(&nonce, b"", &mut x).unwrap();
            let mut y = plain.clone();
            let tag_y = reference.encrypt_in_place_detached(&nonce, b"", &mut y).unwrap();
            prop_assert_eq!(&x, &y);
            prop_assert_eq!(tag_x, tag_y);
            // A flipped bit anywhere in tag or ciphertext is refused, and the
            // buffer is left as it was.
            let mut tag_bad = tag_x;
            let mut bad = x.clone();
            let at = flip % (16 + bad.len());
            if at < 16 { tag_bad[at] ^= 1 } else { bad[at - 16] ^= 1 }
            let before = bad.clone();
            prop_assert!(ours.decrypt_in_place_detached(&nonce, b"", &mut bad, &tag_bad).is_err());
            prop_assert_eq!(&bad, &before);
            reference.decrypt_in_place_detached(&nonce, b"", &mut x, &tag_x).unwrap();
            ours.decrypt_in_place_detached(&nonce, b"", &mut y, &tag_y).unwrap();
            prop_assert_eq!(&x, &plain);
            prop_assert_eq!(&y, &plain);
        }
    }
}
