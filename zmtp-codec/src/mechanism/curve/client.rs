//! The CURVE client: HELLO, WELCOME, INITIATE (with the vouch), READY.

use std::fmt;

use bytes::{BufMut, Bytes, BytesMut};
use zeroize::Zeroizing;

use super::boxes::{self, TAG_LEN};
use super::cookie::COOKIE_LEN;
use super::keys::{CurveKeypair, CurvePublicKey, CurveSecretKey};
use super::nonce::{self, Counter};
use super::traffic::Channel;
use super::wire::{
    HELLO_LEN, INITIATE_MIN_LEN, READY_MIN_LEN, WELCOME_LEN, command_name, crypto_error,
    curve_error, unexpected,
};
use crate::ProtocolError;
use crate::error::codes;
use crate::frame::{COMMAND, encode_frame_header};
use crate::mechanism::{MechanismStatus, refusal};
use crate::metadata::Metadata;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Nothing sent yet.
    Start,
    /// HELLO sent, waiting for WELCOME.
    Welcome,
    /// INITIATE sent, waiting for READY.
    Ready,
    Done,
}

/// The client side of a CURVE handshake.
pub(super) struct Client {
    ours: CurveKeypair,
    server: CurvePublicKey,
    /// C'/c', made at start; dropped (zeroized) once READY arrived.
    transient: Option<CurveKeypair>,
    counter: Counter,
    channel: Option<Channel>,
    step: Step,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CurveClient")
            .field("public", &self.ours.public)
            .field("server", &self.server)
            .field("step", &self.step)
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub(super) fn new(ours: CurveKeypair, server: CurvePublicKey) -> Client {
        Client {
            ours,
            server,
            transient: None,
            counter: Counter::new(),
            channel: None,
            step: Step::Start,
        }
    }

    pub(super) fn channel(&mut self) -> Option<&mut Channel> {
        self.channel.as_mut()
    }

    /// Sends HELLO: version 1.0, 72 zero bytes, C', short nonce,
    /// Box[64 zero bytes](C'→S).
    pub(super) fn start(&mut self, out: &mut BytesMut) -> Result<MechanismStatus, ProtocolError> {
        if self.step != Step::Start {
            return Err(unexpected(b"HELLO"));
        }
        let secret = CurveSecretKey::random()
            .map_err(|_| crypto_error("the OS random number generator failed"))?;
        let transient = CurveKeypair::from_secret(secret);
        let n = self.counter.next()?;
        out.reserve(2 + HELLO_LEN);
        encode_frame_header(out, COMMAND, HELLO_LEN);
        out.put_slice(b"\x05HELLO\x01\x00");
        out.put_bytes(0, 72);
        out.put_slice(transient.public.as_bytes());
        out.put_u64(n);
        let hello_box = boxes::precompute(&self.server, &transient.secret);
        boxes::seal(&hello_box, &nonce::short(nonce::HELLO, n), &[0u8; 64], out)
            .map_err(|_| crypto_error("cannot seal the CURVE HELLO box"))?;
        self.transient = Some(transient);
        self.step = Step::Welcome;
        Ok(MechanismStatus::Handshaking)
    }

    pub(super) fn on_command(
        &mut self,
        body: &Bytes,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        if let Some(error) = refusal::error_command(body) {
            return Err(match self.step {
                Step::Welcome | Step::Ready => error,
                Step::Start | Step::Done => unexpected(b"ERROR"),
            });
        }
        match self.step {
            Step::Welcome if body.starts_with(b"\x07WELCOME") => self.on_welcome(body, local, out),
            Step::Ready if body.starts_with(b"\x05READY") => self.on_ready(body),
            _ => Err(unexpected(command_name(body))),
        }
    }

    /// Opens WELCOME (S', cookie) and answers with INITIATE.
    fn on_welcome(
        &mut self,
        body: &[u8],
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        // libzmq reports a WELCOME of the wrong size as a cryptographic
        // failure (curve_client_tools_t::process_welcome).
        if body.len() != WELCOME_LEN {
            return Err(crypto_error("CURVE WELCOME is not 168 bytes"));
        }
        let transient = self
            .transient
            .as_ref()
            .ok_or_else(|| unexpected(b"WELCOME"))?;
        let tail: [u8; 16] = body[8..24].try_into().unwrap_or_default();
        let plain = boxes::open(
            &boxes::precompute(&self.server, &transient.secret),
            &nonce::long(nonce::WELCOME, &tail),
            &body[24..],
        )
        .map_err(|_| crypto_error("cannot open the CURVE WELCOME box"))?;
        // 144-byte box: S' (32) and the cookie (96).
        let server_transient =
            CurvePublicKey::from_bytes(plain[..32].try_into().unwrap_or_default());
        let cookie = &plain[32..32 + COOKIE_LEN];
        let precom = boxes::precompute(&server_transient, &transient.secret);
        let mut channel = Channel::new(precom, true, self.counter, 0);
        self.initiate(&mut channel, &server_transient, cookie, local, out)?;
        self.channel = Some(channel);
        self.step = Step::Ready;
        Ok(MechanismStatus::Handshaking)
    }

    /// Appends INITIATE: cookie, short nonce,
    /// Box[C ‖ vouch nonce ‖ vouch ‖ metadata](C'→S') with
    /// vouch = Box[C' ‖ S](C→S').
    fn initiate(
        &self,
        channel: &mut Channel,
        server_transient: &CurvePublicKey,
        cookie: &[u8],
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<(), ProtocolError> {
        let transient = self
            .transient
            .as_ref()
            .ok_or_else(|| unexpected(b"WELCOME"))?;
        let vouch_tail = nonce::random_tail()?;
        let mut vouch_plain = Zeroizing::new([0u8; 64]);
        vouch_plain[..32].copy_from_slice(transient.public.as_bytes());
        vouch_plain[32..].copy_from_slice(self.server.as_bytes());
        let mut vouch = BytesMut::with_capacity(80);
        boxes::seal(
            &boxes::precompute(server_transient, &self.ours.secret),
            &nonce::long(nonce::VOUCH, &vouch_tail),
            &vouch_plain[..],
            &mut vouch,
        )
        .map_err(|_| crypto_error("cannot seal the CURVE vouch"))?;

        let n = channel.next_nonce()?;
        let len = INITIATE_MIN_LEN + local.encoded_len();
        out.reserve(9 + len);
        encode_frame_header(out, COMMAND, len);
        out.put_slice(b"\x08INITIATE");
        out.put_slice(cookie);
        out.put_u64(n);
        let start = out.len();
        out.put_bytes(0, TAG_LEN);
        out.put_slice(self.ours.public.as_bytes());
        out.put_slice(&vouch_tail);
        out.put_slice(&vouch);
        local.encode(out);
        channel.seal_in_place(nonce::INITIATE, n, &mut out[start..])
    }

    /// Opens READY: the server's metadata; the handshake is done.
    fn on_ready(&mut self, body: &[u8]) -> Result<MechanismStatus, ProtocolError> {
        if body.len() < READY_MIN_LEN {
            return Err(curve_error(
                codes::ZMTP_MALFORMED_COMMAND_READY,
                "CURVE READY shorter than 30 bytes",
            ));
        }
        let channel = self.channel.as_mut().ok_or_else(|| unexpected(b"READY"))?;
        let n = nonce::read_short(body, 6).unwrap_or_default();
        channel.set_peer_nonce(n);
        let plain = channel
            .open(nonce::READY, n, &body[14..])
            .map_err(|_| crypto_error("cannot open the CURVE READY box"))?;
        let peer = Metadata::decode(Bytes::copy_from_slice(&plain))?;
        self.step = Step::Done;
        self.transient = None;
        Ok(MechanismStatus::Ready { peer })
    }
}
