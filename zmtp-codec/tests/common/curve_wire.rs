//! A CurveZMQ client written straight from RFC 26 with `crypto_box`, to
//! forge the commands a real client never sends (another vouch, a tampered
//! cookie, chosen nonces).

use crypto_box::aead::{Aead, AeadCore, OsRng};
use crypto_box::{Nonce, PublicKey, SalsaBox, SecretKey};

fn short_nonce(prefix: &[u8; 16], n: u64) -> Nonce {
    let mut v = prefix.to_vec();
    v.extend_from_slice(&n.to_be_bytes());
    *Nonce::from_slice(&v)
}

fn long_nonce(prefix: &[u8; 8], tail: &[u8]) -> Nonce {
    let mut v = prefix.to_vec();
    v.extend_from_slice(tail);
    *Nonce::from_slice(&v)
}

/// A hand-driven CURVE client.
pub struct WireClient {
    /// Long-term secret c.
    pub secret: SecretKey,
    /// The server's long-term key S.
    pub server: PublicKey,
    /// Transient secret c'.
    pub transient: SecretKey,
    /// S' from WELCOME.
    pub server_transient: Option<PublicKey>,
    /// The cookie from WELCOME.
    pub cookie: Vec<u8>,
}

impl WireClient {
    /// A client with long-term secret `secret` talking to `server`.
    pub fn new(secret: [u8; 32], server: [u8; 32]) -> WireClient {
        WireClient {
            secret: SecretKey::from_bytes(secret),
            server: PublicKey::from_bytes(server),
            transient: SecretKey::generate(&mut OsRng),
            server_transient: None,
            cookie: Vec::new(),
        }
    }

    /// C'.
    pub fn transient_public(&self) -> [u8; 32] {
        *self.transient.public_key().as_bytes()
    }

    /// The HELLO body (200 bytes) with short nonce `n`.
    pub fn hello(&self, n: u64) -> Vec<u8> {
        let mut v = b"\x05HELLO\x01\x00".to_vec();
        v.extend_from_slice(&[0u8; 72]);
        v.extend_from_slice(&self.transient_public());
        v.extend_from_slice(&n.to_be_bytes());
        let b = SalsaBox::new(&self.server, &self.transient);
        v.extend(
            b.encrypt(&short_nonce(b"CurveZMQHELLO---", n), &[0u8; 64][..])
                .unwrap(),
        );
        v
    }

    /// Opens a WELCOME body, keeping S' and the cookie.
    pub fn welcome(&mut self, body: &[u8]) {
        assert_eq!(body.len(), 168);
        assert_eq!(&body[..8], b"\x07WELCOME");
        let b = SalsaBox::new(&self.server, &self.transient);
        let plain = b
            .decrypt(&long_nonce(b"WELCOME-", &body[8..24]), &body[24..])
            .expect("WELCOME opens");
        self.server_transient = Some(PublicKey::from_slice(&plain[..32]).unwrap());
        self.cookie = plain[32..].to_vec();
    }

    fn channel(&self) -> SalsaBox {
        SalsaBox::new(
            self.server_transient.as_ref().expect("WELCOME seen"),
            &self.transient,
        )
    }

    /// An INITIATE body with short nonce `n` whose vouch says
    /// `vouch_transient ‖ vouch_server` and whose metadata is `metadata`.
    pub fn initiate_with(
        &self,
        n: u64,
        vouch_transient: [u8; 32],
        vouch_server: [u8; 32],
        metadata: &[u8],
    ) -> Vec<u8> {
        let ours = *self.secret.public_key().as_bytes();
        self.initiate_full(n, ours, vouch_transient, vouch_server, metadata)
    }

    /// A correct-looking INITIATE (nonce 2) whose box claims the long-term
    /// key `claimed` while the vouch is made with our own secret.
    pub fn initiate_claiming(&self, claimed: [u8; 32], metadata: &[u8]) -> Vec<u8> {
        let (t, s) = (self.transient_public(), *self.server.as_bytes());
        self.initiate_full(2, claimed, t, s, metadata)
    }

    /// The general INITIATE: nonce, the long-term key the box claims, the
    /// vouch's contents, metadata.
    pub fn initiate_full(
        &self,
        n: u64,
        claimed: [u8; 32],
        vouch_transient: [u8; 32],
        vouch_server: [u8; 32],
        metadata: &[u8],
    ) -> Vec<u8> {
        let tail = SalsaBox::generate_nonce(&mut OsRng);
        let tail = &tail[..16];
        let mut vouch_plain = vouch_transient.to_vec();
        vouch_plain.extend_from_slice(&vouch_server);
        let vouch = SalsaBox::new(self.server_transient.as_ref().unwrap(), &self.secret)
            .encrypt(&long_nonce(b"VOUCH---", tail), &vouch_plain[..])
            .unwrap();
        let mut plain = claimed.to_vec();
        plain.extend_from_slice(tail);
        plain.extend_from_slice(&vouch);
        plain.extend_from_slice(metadata);
        let mut v = b"\x08INITIATE".to_vec();
        v.extend_from_slice(&self.cookie);
        v.extend_from_slice(&n.to_be_bytes());
        v.extend(
            self.channel()
                .encrypt(&short_nonce(b"CurveZMQINITIATE", n), &plain[..])
                .unwrap(),
        );
        v
    }

    /// A correct INITIATE (nonce 2) with `metadata`.
    pub fn initiate(&self, metadata: &[u8]) -> Vec<u8> {
        self.initiate_with(
            2,
            self.transient_public(),
            *self.server.as_bytes(),
            metadata,
        )
    }

    /// Opens a READY body: the server's metadata bytes.
    pub fn ready(&self, body: &[u8]) -> Vec<u8> {
        assert_eq!(&body[..6], b"\x05READY");
        let mut n = [0u8; 8];
        n.copy_from_slice(&body[6..14]);
        self.channel()
            .decrypt(
                &short_nonce(b"CurveZMQREADY---", u64::from_be_bytes(n)),
                &body[14..],
            )
            .expect("READY opens")
    }

    /// A MESSAGE body from the client with short nonce `n`, plaintext
    /// flags `flags` and `data`.
    pub fn message(&self, n: u64, flags: u8, data: &[u8]) -> Vec<u8> {
        let mut plain = vec![flags];
        plain.extend_from_slice(data);
        let mut v = b"\x07MESSAGE".to_vec();
        v.extend_from_slice(&n.to_be_bytes());
        v.extend(
            self.channel()
                .encrypt(&short_nonce(b"CurveZMQMESSAGEC", n), &plain[..])
                .unwrap(),
        );
        v
    }

    /// Opens a MESSAGE body from the server: (nonce, flags, data).
    pub fn open_message(&self, body: &[u8]) -> (u64, u8, Vec<u8>) {
        assert_eq!(&body[..8], b"\x07MESSAGE");
        let mut n = [0u8; 8];
        n.copy_from_slice(&body[8..16]);
        let n = u64::from_be_bytes(n);
        let plain = self
            .channel()
            .decrypt(&short_nonce(b"CurveZMQMESSAGES", n), &body[16..])
            .expect("MESSAGE opens");
        (n, plain[0], plain[1..].to_vec())
    }
}
