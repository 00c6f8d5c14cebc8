//! PLAIN through a Session, either side, driven by a real peer mechanism to
//! the point under test, then fuzzed: raw bytes right after the greeting,
//! after the first handshake command (server: a valid HELLO, answered by
//! the fuzzed ZAP status; client: a valid WELCOME), or in the data phase.
//! Must never panic.
#![no_main]

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use libfuzzer_sys::fuzz_target;

#[path = "common/session.rs"]
mod common;
use common::{drain, feed};
use zmtp_codec::frame::WriteBuf;
use zmtp_codec::{
    FrameDecoder, Greeting, Mechanism, MechanismName, MechanismStatus, Metadata, PlainMechanism,
    Protocol, Session, SessionConfig, SocketType,
};

/// The real peer: a mechanism driven by hand.
struct Peer {
    mech: PlainMechanism,
    local: Metadata,
    dec: FrameDecoder,
    buf: BytesMut,
    greeting_left: usize,
    done: bool,
}

impl Peer {
    fn new(mech: PlainMechanism, kind: SocketType) -> Peer {
        let mut local = Metadata::new();
        let _ = local.push("Socket-Type", kind.as_str());
        Peer {
            mech,
            local,
            dec: FrameDecoder::new(None),
            buf: BytesMut::new(),
            greeting_left: 64,
            done: false,
        }
    }

    fn start(&mut self, out: &mut BytesMut) {
        Greeting::new(MechanismName::PLAIN, self.mech.as_server()).encode(out);
        if self.mech.start(&self.local, out).is_err() {
            self.done = true;
        }
    }

    fn absorb(&mut self, mut bytes: &[u8], out: &mut BytesMut) {
        let skip = self.greeting_left.min(bytes.len());
        self.greeting_left -= skip;
        bytes = &bytes[skip..];
        self.buf.extend_from_slice(bytes);
        while !self.done {
            let Ok(Some(frame)) = self.dec.decode(&mut self.buf) else {
                return;
            };
            match self.mech.on_frame(frame, &self.local, out) {
                Ok(MechanismStatus::Handshaking) => {}
                Ok(_) | Err(_) => self.done = true,
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
    let client = || {
        PlainMechanism::client(Bytes::from_static(b"admin"), Bytes::from_static(b"secret"))
            .expect("short credentials")
    };
    let mut cfg = SessionConfig::new(if test_server {
        SocketType::Router
    } else {
        SocketType::Dealer
    });
    cfg.handshake_ivl = Some(Duration::from_secs(30));
    let (mut s, mut peer) = if test_server {
        (
            Session::new(cfg, Box::new(PlainMechanism::server(authenticate)), t0),
            Peer::new(client(), SocketType::Dealer),
        )
    } else {
        (
            Session::new(cfg, Box::new(client()), t0),
            Peer::new(PlainMechanism::server(false), SocketType::Router),
        )
    };

    let mut to_s = BytesMut::new();
    peer.start(&mut to_s);
    if stage == 0 {
        to_s.truncate(64);
    }
    // The server under test reads HELLO in round 1 and INITIATE in round 2;
    // the client under test the greeting in round 1, WELCOME in round 2 and
    // READY in round 3.
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

    let mut now = t0;
    for piece in rest.chunks(64) {
        if !feed(&mut s, piece, step, status) {
            break;
        }
        now += Duration::from_secs(5);
        if s.poll_timeout().is_some_and(|t| t <= now) && s.handle_timeout(now).is_err() {
            break;
        }
    }
    let _ = drain(&mut s);
    let mut w = WriteBuf::new();
    let _ = s.encode_frame(false, &Bytes::from_static(b"x"), &mut w);
});
