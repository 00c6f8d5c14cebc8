//! CURVE through a Session, either side, driven by a real peer mechanism to
//! the point under test, then fuzzed: raw bytes right after the greeting,
//! after the first handshake command (server: a valid HELLO; client: a valid
//! WELCOME), or in the data phase, either raw or as frames whose plaintext
//! (flags and body) the real peer encrypts. Must never panic.
#![no_main]

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use libfuzzer_sys::fuzz_target;

#[path = "common/session.rs"]
mod common;
use common::{drain, feed};
use zmtp_codec::auth::AuthReply;
use zmtp_codec::frame::WriteBuf;
use zmtp_codec::{
    CurveKeypair, CurveMechanism, CurveSecretKey, FrameDecoder, Greeting, Mechanism, MechanismName,
    MechanismStatus, Metadata, Protocol, Session, SessionConfig, SocketType,
};

/// Fixed long-term keys (server, client), derived once.
fn keypairs() -> (CurveKeypair, CurveKeypair) {
    static KEYS: OnceLock<(CurveKeypair, CurveKeypair)> = OnceLock::new();
    KEYS.get_or_init(|| {
        let pair = |seed| CurveKeypair::from_secret(CurveSecretKey::from_bytes([seed; 32]));
        (pair(7), pair(9))
    })
    .clone()
}

/// The real peer: a mechanism driven by hand.
struct Peer {
    mech: CurveMechanism,
    local: Metadata,
    dec: FrameDecoder,
    buf: BytesMut,
    greeting_left: usize,
    ready: bool,
    failed: bool,
}

impl Peer {
    fn new(mech: CurveMechanism, kind: SocketType) -> Peer {
        let mut local = Metadata::new();
        let _ = local.push("Socket-Type", kind.as_str());
        Peer {
            mech,
            local,
            dec: FrameDecoder::new(None),
            buf: BytesMut::new(),
            greeting_left: 64,
            ready: false,
            failed: false,
        }
    }

    /// Our greeting and first command.
    fn start(&mut self, out: &mut BytesMut) {
        Greeting::new(MechanismName::CURVE, self.mech.as_server()).encode(out);
        if self.mech.start(&self.local, out).is_err() {
            self.failed = true;
        }
    }

    /// Takes the session's output; answers into `out`.
    fn absorb(&mut self, mut bytes: &[u8], out: &mut BytesMut) {
        let skip = self.greeting_left.min(bytes.len());
        self.greeting_left -= skip;
        bytes = &bytes[skip..];
        self.buf.extend_from_slice(bytes);
        while !self.ready && !self.failed {
            let Ok(Some(frame)) = self.dec.decode(&mut self.buf) else {
                return;
            };
            match self.mech.on_frame(frame, &self.local, out) {
                Ok(MechanismStatus::Ready { .. }) => self.ready = true,
                Ok(MechanismStatus::AwaitingAuth(_)) => {
                    match self
                        .mech
                        .on_auth_reply(AuthReply::new(200), &self.local, out)
                    {
                        Ok(MechanismStatus::Ready { .. }) => self.ready = true,
                        Ok(_) => {}
                        Err(_) => self.failed = true,
                    }
                }
                Ok(_) => {}
                Err(_) => self.failed = true,
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let test_server = mode & 1 != 0;
    let stage = (mode >> 1) & 3;
    let step = if mode & 0x08 != 0 { 1 } else { usize::MAX };
    let authenticate = mode & 0x10 != 0;
    let status = [200, 300, 400, 500][usize::from(mode >> 5) & 3];

    let t0 = Instant::now();
    let (server_keys, client_keys) = keypairs();
    let server_public = server_keys.public;
    let mut cfg = SessionConfig::new(if test_server {
        SocketType::Router
    } else {
        SocketType::Dealer
    });
    cfg.handshake_ivl = Some(Duration::from_secs(30));
    let (mut s, mut peer) = if test_server {
        let m = CurveMechanism::server(server_keys, authenticate, t0);
        let peer = CurveMechanism::client(client_keys, server_public);
        (
            Session::new(cfg, Box::new(m), t0),
            Peer::new(peer, SocketType::Dealer),
        )
    } else {
        let m = CurveMechanism::client(client_keys, server_public);
        let peer = CurveMechanism::server(server_keys, false, t0);
        (
            Session::new(cfg, Box::new(m), t0),
            Peer::new(peer, SocketType::Router),
        )
    };

    // Drive the real handshake up to the stage under test.
    let mut to_s = BytesMut::new();
    peer.start(&mut to_s);
    if stage == 0 {
        // Only the greeting.
        to_s.truncate(64);
    }
    // Exchanges: the server under test reads HELLO in round 1 and INITIATE
    // in round 2; the client under test reads the greeting in round 1,
    // WELCOME in round 2 and READY in round 3.
    let rounds = match (stage, test_server) {
        (0, _) | (1, true) => 1,
        (1, false) | (_, true) => 2,
        (_, false) => 3,
    };
    for _ in 0..rounds {
        if !feed(&mut s, &to_s, usize::MAX, status) {
            return;
        }
        to_s.clear();
        let out = drain(&mut s);
        peer.absorb(&out, &mut to_s);
    }

    // The fuzzed part.
    let mut now = t0;
    if stage == 2 && s.is_ready() && peer.ready {
        // Frames: flags byte, length byte, body; encrypted by the real peer.
        let mut input = BytesMut::new();
        let mut rest = rest;
        while let [flags, len, tail @ ..] = rest {
            let n = usize::from(*len).min(tail.len());
            let _ = peer.mech.wrap(*flags & 0x05, &tail[..n], &mut input);
            rest = &tail[n..];
        }
        feed(&mut s, &input, step, status);
    } else {
        for piece in rest.chunks(64) {
            if !feed(&mut s, piece, step, status) {
                break;
            }
            now += Duration::from_secs(5);
            if s.poll_timeout().is_some_and(|t| t <= now) && s.handle_timeout(now).is_err() {
                break;
            }
        }
    }
    let _ = drain(&mut s);
    let mut w = WriteBuf::new();
    let _ = s.encode_frame(false, &Bytes::from_static(b"x"), &mut w);
});
