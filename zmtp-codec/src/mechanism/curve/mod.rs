//! The CURVE mechanism (ZMTP-CURVE, RFC 25, over CurveZMQ, RFC 26), as libzmq
//! speaks it: HELLO / WELCOME / INITIATE / READY with perfect forward
//! secrecy through per-connection transient keys, then every frame boxed in
//! a MESSAGE command.
//!
//! `keys` holds the long-term keys, `nonce` the nonce layouts, `boxes` the
//! NaCl boxes, `cookie` the server's cookie key, `client` and `server` the
//! two handshakes, `traffic` the data phase, `wire` the command sizes and errors they
//! share.

mod boxes;
mod client;
mod cookie;
mod keys;
mod nacl;
mod nonce;
mod server;
mod traffic;
mod wire;

pub use cookie::COOKIE_LIFETIME;
pub use keys::{CurveKeypair, CurvePublicKey, CurveSecretKey, KeyError};

use std::time::Instant;

use bytes::BytesMut;

use super::{Mechanism, MechanismStatus};
use crate::ProtocolError;
use crate::auth::AuthReply;
use crate::frame::RawFrame;
use crate::greeting::MechanismName;
use crate::metadata::Metadata;
use client::Client;
use server::Server;
use traffic::Channel;

#[derive(Debug)]
enum Side {
    Client(Client),
    Server(Server),
}

/// The CURVE security mechanism, client or server side.
///
/// The client knows the server's long-term public key; the server may ask
/// the authenticator (ZAP) about the client's long-term public key. After
/// the handshake every frame is encrypted
/// ([`wraps_traffic`](Mechanism::wraps_traffic) is true). Transient secrets,
/// the precomputed keys and the cookie key are zeroized when dropped, and
/// `Debug` shows no secret.
#[derive(Debug)]
pub struct CurveMechanism {
    side: Side,
}

impl CurveMechanism {
    /// The client side: our long-term key pair and the server's long-term
    /// public key (ZMQ_CURVE_SERVERKEY).
    pub fn client(ours: CurveKeypair, server: CurvePublicKey) -> CurveMechanism {
        CurveMechanism {
            side: Side::Client(Client::new(ours, server)),
        }
    }

    /// The server side: our long-term key pair; with `authenticate`, each
    /// client's long-term public key is handed to the authenticator (ZAP)
    /// before READY. `now` starts the cookie key's lifetime
    /// ([`COOKIE_LIFETIME`]).
    pub fn server(ours: CurveKeypair, authenticate: bool, now: Instant) -> CurveMechanism {
        CurveMechanism {
            side: Side::Server(Server::new(ours, authenticate, now)),
        }
    }

    fn channel(&mut self) -> Result<&mut Channel, ProtocolError> {
        let channel = match &mut self.side {
            Side::Client(c) => c.channel(),
            Side::Server(s) => s.channel(),
        };
        channel.ok_or(ProtocolError::NotReady)
    }
}

impl Mechanism for CurveMechanism {
    fn name(&self) -> MechanismName {
        MechanismName::CURVE
    }

    fn as_server(&self) -> bool {
        matches!(self.side, Side::Server(_))
    }

    fn start(
        &mut self,
        _local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        match &mut self.side {
            Side::Client(c) => c.start(out),
            Side::Server(_) => Ok(MechanismStatus::Handshaking),
        }
    }

    fn on_frame(
        &mut self,
        frame: RawFrame,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        if !frame.command {
            return Err(ProtocolError::DataBeforeReady);
        }
        match &mut self.side {
            Side::Client(c) => c.on_command(&frame.body, local, out),
            Side::Server(s) => s.on_command(&frame.body, local, out),
        }
    }

    fn on_auth_reply(
        &mut self,
        reply: AuthReply,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        match &mut self.side {
            Side::Server(s) => s.on_auth_reply(reply, local, out),
            Side::Client(_) => Err(ProtocolError::Mechanism("unexpected ZAP reply".into())),
        }
    }

    fn wraps_traffic(&self) -> bool {
        true
    }

    #[inline]
    fn wrap(
        &mut self,
        frame_flags: u8,
        body: &[u8],
        out: &mut BytesMut,
    ) -> Result<(), ProtocolError> {
        self.channel()?.wrap(frame_flags, body, out)
    }

    #[inline]
    fn unwrap(&mut self, frame: RawFrame) -> Result<RawFrame, ProtocolError> {
        self.channel()?.unwrap(frame)
    }

    fn poll_timeout(&self) -> Option<Instant> {
        match &self.side {
            Side::Server(s) => s.poll_timeout(),
            Side::Client(_) => None,
        }
    }

    fn handle_timeout(&mut self, now: Instant) {
        if let Side::Server(s) = &mut self.side {
            s.handle_timeout(now);
        }
    }
}
