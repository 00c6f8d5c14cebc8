//! The CURVE server: validates HELLO, answers WELCOME with a cookie,
//! checks INITIATE (cookie, box, vouch), asks the authenticator when told to,
//! and sends READY.

use std::fmt;
use std::time::Instant;

use bytes::{BufMut, Bytes, BytesMut};

use super::boxes::{self, TAG_LEN};
use super::cookie::{COOKIE_LEN, CookieKey};
use super::keys::{CurveKeypair, CurvePublicKey, CurveSecretKey};
use super::nonce::{self, Counter};
use super::traffic::Channel;
use super::wire::{HELLO_LEN, INITIATE_MIN_LEN, WELCOME_LEN, command_name};
use super::wire::{crypto_error, curve_error, unexpected};
use crate::ProtocolError;
use crate::auth::{AuthReply, AuthRequest};
use crate::error::codes;
use crate::frame::{COMMAND, encode_frame_header};
use crate::greeting::MechanismName;
use crate::mechanism::{MechanismStatus, refusal};
use crate::metadata::Metadata;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Waiting for HELLO.
    Hello,
    /// WELCOME sent, waiting for INITIATE.
    Initiate,
    /// Waiting for the authenticator's answer.
    Auth,
    Done,
}

/// The server side of a CURVE handshake.
pub(super) struct Server {
    ours: CurveKeypair,
    authenticate: bool,
    cookie: CookieKey,
    /// C', from HELLO.
    client_transient: Option<CurvePublicKey>,
    /// S'/s', made for this connection's WELCOME; dropped (zeroized) once
    /// the channel key is precomputed.
    transient: Option<CurveKeypair>,
    /// The client's metadata while the authenticator decides.
    peer: Option<Metadata>,
    channel: Option<Channel>,
    step: Step,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CurveServer")
            .field("public", &self.ours.public)
            .field("authenticate", &self.authenticate)
            .field("step", &self.step)
            .field("cookie", &self.cookie)
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

/// libzmq's check_basic_command_structure: a name length byte and more
/// than that many bytes.
fn check_structure(body: &[u8]) -> Result<(), ProtocolError> {
    match body.first() {
        Some(&n) if body.len() > 1 && body.len() > usize::from(n) => Ok(()),
        _ => Err(ProtocolError::MalformedCommand("bad command structure")),
    }
}

fn key_at(bytes: &[u8], at: usize) -> CurvePublicKey {
    let key: [u8; 32] = bytes
        .get(at..at + 32)
        .and_then(|k| k.try_into().ok())
        .unwrap_or_default();
    CurvePublicKey::from_bytes(key)
}

impl Server {
    pub(super) fn new(ours: CurveKeypair, authenticate: bool, now: Instant) -> Server {
        Server {
            ours,
            authenticate,
            cookie: CookieKey::new(now),
            client_transient: None,
            transient: None,
            peer: None,
            channel: None,
            step: Step::Hello,
        }
    }

    pub(super) fn channel(&mut self) -> Option<&mut Channel> {
        self.channel.as_mut()
    }

    pub(super) fn poll_timeout(&self) -> Option<Instant> {
        match self.step {
            Step::Hello | Step::Initiate => self.cookie.deadline(),
            Step::Auth | Step::Done => None,
        }
    }

    pub(super) fn handle_timeout(&mut self, now: Instant) {
        self.cookie.handle_timeout(now);
    }

    pub(super) fn on_command(
        &mut self,
        body: &Bytes,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        check_structure(body)?;
        match self.step {
            Step::Hello if body.starts_with(b"\x05HELLO") => self.on_hello(body, out),
            Step::Initiate if body.starts_with(b"\x08INITIATE") => {
                self.on_initiate(body, local, out)
            }
            _ => Err(unexpected(command_name(body))),
        }
    }

    /// Checks HELLO exactly and answers WELCOME.
    fn on_hello(
        &mut self,
        body: &[u8],
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        if body.len() != HELLO_LEN {
            return Err(curve_error(
                codes::ZMTP_MALFORMED_COMMAND_HELLO,
                "CURVE HELLO is not 200 bytes",
            ));
        }
        if body[6..8] != [1, 0] {
            return Err(curve_error(
                codes::ZMTP_MALFORMED_COMMAND_HELLO,
                "CURVE HELLO with a version other than 1.0",
            ));
        }
        let client_transient = key_at(body, 80);
        let n = nonce::read_short(body, 112).unwrap_or_default();
        // One precomputation for both the HELLO box and the WELCOME box.
        let long_term = boxes::precompute(&client_transient, &self.ours.secret);
        boxes::open(&long_term, &nonce::short(nonce::HELLO, n), &body[120..])
            .map_err(|_| crypto_error("cannot open the CURVE HELLO box (wrong server key?)"))?;

        let secret = CurveSecretKey::random()
            .map_err(|_| crypto_error("the OS random number generator failed"))?;
        let transient = CurveKeypair::from_secret(secret);
        let cookie = self.cookie.mint(&client_transient, &transient.secret)?;
        let tail = nonce::random_tail()?;
        let mut plain = zeroize::Zeroizing::new([0u8; 32 + COOKIE_LEN]);
        plain[..32].copy_from_slice(transient.public.as_bytes());
        plain[32..].copy_from_slice(&cookie);
        out.reserve(2 + WELCOME_LEN);
        encode_frame_header(out, COMMAND, WELCOME_LEN);
        out.put_slice(b"\x07WELCOME");
        out.put_slice(&tail);
        boxes::seal(
            &long_term,
            &nonce::long(nonce::WELCOME, &tail),
            &plain[..],
            out,
        )
        .map_err(|_| crypto_error("cannot seal the CURVE WELCOME box"))?;
        self.client_transient = Some(client_transient);
        self.transient = Some(transient);
        self.step = Step::Initiate;
        Ok(MechanismStatus::Handshaking)
    }

    /// Checks INITIATE: the cookie, the box, the vouch; then READY or the
    /// authenticator.
    fn on_initiate(
        &mut self,
        body: &[u8],
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        if body.len() < INITIATE_MIN_LEN {
            return Err(curve_error(
                codes::ZMTP_MALFORMED_COMMAND_INITIATE,
                "CURVE INITIATE shorter than 257 bytes",
            ));
        }
        let (Some(client_transient), Some(transient)) =
            (self.client_transient, self.transient.as_ref())
        else {
            return Err(unexpected(b"INITIATE"));
        };
        let cookie = self.cookie.open(&body[9..9 + COOKIE_LEN])?;
        if cookie[..32] != client_transient.as_bytes()[..]
            || cookie[32..] != transient.secret.as_bytes()[..]
        {
            return Err(crypto_error(
                "the CURVE cookie does not match this connection",
            ));
        }
        let n = nonce::read_short(body, 105).unwrap_or_default();
        let precom = boxes::precompute(&client_transient, &transient.secret);
        let plain = boxes::open(&precom, &nonce::short(nonce::INITIATE, n), &body[113..])
            .map_err(|_| crypto_error("cannot open the CURVE INITIATE box"))?;
        // At least 128 bytes: C (32), vouch nonce (16), vouch box (80).
        let client_key = key_at(&plain, 0);
        let vouch_tail: [u8; 16] = plain[32..48].try_into().unwrap_or_default();
        let vouch = boxes::open(
            &boxes::precompute(&client_key, &transient.secret),
            &nonce::long(nonce::VOUCH, &vouch_tail),
            &plain[48..128],
        )
        .map_err(|_| crypto_error("cannot open the CURVE vouch"))?;
        if vouch[..32] != client_transient.as_bytes()[..] {
            return Err(curve_error(
                codes::ZMTP_KEY_EXCHANGE,
                "the CURVE vouch is for another transient key",
            ));
        }
        if vouch[32..] != self.ours.public.as_bytes()[..] {
            return Err(curve_error(
                codes::ZMTP_KEY_EXCHANGE,
                "the CURVE vouch is for another server key",
            ));
        }
        let peer = Metadata::decode(Bytes::copy_from_slice(&plain[128..]))?;

        self.channel = Some(Channel::new(precom, false, Counter::new(), n));
        self.cookie.forget();
        self.transient = None;
        if self.authenticate {
            self.peer = Some(peer);
            self.step = Step::Auth;
            let key = Bytes::copy_from_slice(client_key.as_bytes());
            return Ok(MechanismStatus::AwaitingAuth(AuthRequest::new(
                MechanismName::CURVE,
                vec![key],
            )));
        }
        self.ready(local, out)?;
        Ok(MechanismStatus::Ready { peer })
    }

    /// Appends READY: short nonce, Box[metadata](S'→C').
    fn ready(&mut self, local: &Metadata, out: &mut BytesMut) -> Result<(), ProtocolError> {
        let channel = self.channel.as_mut().ok_or_else(|| unexpected(b"READY"))?;
        let n = channel.next_nonce()?;
        let len = 14 + TAG_LEN + local.encoded_len();
        out.reserve(9 + len);
        encode_frame_header(out, COMMAND, len);
        out.put_slice(b"\x05READY");
        out.put_u64(n);
        let start = out.len();
        out.put_bytes(0, TAG_LEN);
        local.encode(out);
        channel.seal_in_place(nonce::READY, n, &mut out[start..])?;
        self.step = Step::Done;
        Ok(())
    }

    pub(super) fn on_auth_reply(
        &mut self,
        reply: AuthReply,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        if self.step != Step::Auth {
            return Err(ProtocolError::Mechanism("unexpected ZAP reply".into()));
        }
        if !reply.is_success() {
            return Err(refusal::auth_refusal(reply.status_code, out));
        }
        self.ready(local, out)?;
        let peer = self.peer.take().unwrap_or_default();
        Ok(MechanismStatus::Ready { peer })
    }
}
