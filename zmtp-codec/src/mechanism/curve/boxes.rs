//! NaCl boxes in libsodium's "combined" layout, as CurveZMQ puts them on the
//! wire: the 16-byte Poly1305 tag, then the ciphertext (XSalsa20). Public-key
//! boxes are `crypto_box`'s X25519, HSalsa20 and XSalsa20-Poly1305 put
//! together from their RustCrypto parts in [`nacl`](super::nacl) (for a
//! cheaper Poly1305 on short boxes), secret boxes (the cookie)
//! `XSalsa20Poly1305` (`crypto_secretbox`).

use bytes::{BufMut, BytesMut};
use crypto_box::Nonce;
use crypto_box::aead::AeadInPlace;
use crypto_box::aead::generic_array::GenericArray;
use crypto_box::aead::generic_array::typenum::U24;
use zeroize::Zeroizing;

use super::keys::{CurvePublicKey, CurveSecretKey};
use super::nacl::BoxKey;

/// Length of the Poly1305 tag in front of every box.
pub(super) const TAG_LEN: usize = 16;

/// A box could not be made or opened (wrong key, tampered bytes, too short).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct BoxError;

/// The precomputed box between `theirs` and `ours` (libsodium's
/// `crypto_box_beforenm`): X25519 then HSalsa20, done once.
pub(super) fn precompute(theirs: &CurvePublicKey, ours: &CurveSecretKey) -> BoxKey {
    BoxKey::precompute(&theirs.to_box_key(), &ours.to_box_key())
}

/// Appends the box of `plaintext` (tag then ciphertext) to `out`.
pub(super) fn seal<A: AeadInPlace<NonceSize = U24>>(
    cipher: &A,
    nonce: &Nonce,
    plaintext: &[u8],
    out: &mut BytesMut,
) -> Result<(), BoxError> {
    out.reserve(TAG_LEN + plaintext.len());
    let start = out.len();
    out.put_bytes(0, TAG_LEN);
    out.put_slice(plaintext);
    seal_in_place(cipher, nonce, &mut out[start..])
}

/// Seals `buf` in place: `buf` holds [`TAG_LEN`] bytes of room for the tag,
/// then the plaintext, which becomes the ciphertext.
pub(super) fn seal_in_place<A: AeadInPlace<NonceSize = U24>>(
    cipher: &A,
    nonce: &Nonce,
    buf: &mut [u8],
) -> Result<(), BoxError> {
    let Some((tag_room, data)) = buf.split_at_mut_checked(TAG_LEN) else {
        return Err(BoxError);
    };
    let tag = cipher
        .encrypt_in_place_detached(nonce, b"", data)
        .map_err(|_| BoxError)?;
    tag_room.copy_from_slice(&tag);
    Ok(())
}

/// Opens `boxed` (tag then ciphertext) into a plaintext that is zeroized when
/// dropped.
pub(super) fn open<A: AeadInPlace<NonceSize = U24>>(
    cipher: &A,
    nonce: &Nonce,
    boxed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, BoxError> {
    let (tag, ciphertext) = boxed.split_at_checked(TAG_LEN).ok_or(BoxError)?;
    let mut plain = Zeroizing::new(ciphertext.to_vec());
    open_in_place(cipher, nonce, tag, &mut plain)?;
    Ok(plain)
}

/// Opens `data` in place, checking `tag`.
pub(super) fn open_in_place<A: AeadInPlace<NonceSize = U24>>(
    cipher: &A,
    nonce: &Nonce,
    tag: &[u8],
    data: &mut [u8],
) -> Result<(), BoxError> {
    if tag.len() != TAG_LEN {
        return Err(BoxError);
    }
    cipher
        .decrypt_in_place_detached(nonce, b"", data, GenericArray::from_slice(tag))
        .map_err(|_| BoxError)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_secretbox::{KeyInit, XSalsa20Poly1305};

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len() / 2)
            .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
            .collect()
    }

    /// libsodium-generated `crypto_box_easy` vector (from PHP sodium_compat's
    /// test suite): the tag must come first, as libzmq reads it.
    #[test]
    fn matches_libsodium_combined_layout() {
        let alice = CurveSecretKey::from_bytes(
            hex("68f208412d8dd5db9d0c6d18512e86f0ec75665ab841372d57b042b27ef89d4c")
                .try_into()
                .unwrap(),
        );
        let bob_public = CurvePublicKey::from_bytes(
            hex("e8980c86e032f1eb2975052e8d65bddd15c3b59641174ec9678a53789d92c754")
                .try_into()
                .unwrap(),
        );
        let nonce =
            Nonce::clone_from_slice(&hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37"));
        let plaintext = hex(concat!(
            "be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a",
            "1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057",
            "e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040",
            "e082f93776384864 5e0705"
        )
        .replace(' ', "")
        .as_str());
        let expected = hex(concat!(
            "c03f27d188ef650cd12936913137bb17ed4c98c2648939e2e1d2e855470a7b8c632cabfd5ab3b3c2",
            "d313dc8c9ecf5da173e1f9c318cdef1dced6d2519e695085e6b5c401a2bd5331442986c7076d4126",
            "25497c4cb2fd94c6f103961033b2c930d7e82e0341f29d3879bd6ab9d881ea3a1f365d634e653c6e",
            "171aac7fc1e76934d23be6f04a54010808dbf0f9bd30f63b68d026"
        ));
        let mut out = BytesMut::new();
        seal(
            &precompute(&bob_public, &alice),
            &nonce,
            &plaintext,
            &mut out,
        )
        .unwrap();
        assert_eq!(&out[..], &expected[..]);
        let bob = CurveSecretKey::from_bytes(
            hex("b581fb5ae182a16f603f39270d4e3b95bc008310b727a11dd4e784a0044d461b")
                .try_into()
                .unwrap(),
        );
        let opened = open(&precompute(&alice.public_key(), &bob), &nonce, &expected).unwrap();
        assert_eq!(&opened[..], &plaintext[..]);
    }

    #[test]
    fn tampering_and_short_boxes_fail() {
        let key = XSalsa20Poly1305::new(&[9u8; 32].into());
        let nonce = Nonce::default();
        let mut out = BytesMut::new();
        seal(&key, &nonce, b"cookie", &mut out).unwrap();
        assert_eq!(out.len(), TAG_LEN + 6);
        assert_eq!(&open(&key, &nonce, &out).unwrap()[..], b"cookie");
        for i in 0..out.len() {
            let mut bad = out.to_vec();
            bad[i] ^= 1;
            assert_eq!(open(&key, &nonce, &bad), Err(BoxError));
        }
        assert_eq!(open(&key, &nonce, &out[..15]), Err(BoxError));
        assert_eq!(seal_in_place(&key, &nonce, &mut [0u8; 3]), Err(BoxError));
    }
}
