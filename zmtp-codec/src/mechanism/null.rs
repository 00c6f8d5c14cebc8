//! The NULL mechanism (RFC 23/37): both sides send READY right away.

use bytes::BytesMut;

use super::{Mechanism, MechanismStatus, refusal};
use crate::ProtocolError;
use crate::auth::{AuthReply, AuthRequest};
use crate::command::Command;
use crate::frame::RawFrame;
use crate::greeting::MechanismName;
use crate::metadata::Metadata;

/// The NULL security mechanism: no authentication, no encryption.
///
/// Symmetric like libzmq: READY is sent as soon as the greetings are
/// exchanged, and the handshake completes when the peer's READY arrives.
/// [`with_auth`](Self::with_auth) first asks the authenticator (ZAP), as a
/// libzmq socket with a ZAP domain does.
#[derive(Clone, Debug, Default)]
pub struct NullMechanism {
    /// Ask the authenticator before sending READY.
    auth: bool,
    /// Refuse ZMTP 1.0 / 2.0 peers (a ZAP domain is set).
    zmtp3_only: bool,
    /// Our READY has been sent.
    sent: bool,
    /// The peer's READY, once received.
    received: Option<Metadata>,
    /// The handshake completed (a second READY is unexpected).
    done: bool,
}

impl NullMechanism {
    /// A fresh NULL mechanism.
    pub fn new() -> NullMechanism {
        NullMechanism::default()
    }

    /// NULL with ZAP (the engine's choice when ZMQ_ZAP_DOMAIN is set): at
    /// the start the authenticator is asked (no credentials) before READY is
    /// sent; `200` sends READY, `400`/`500` send ERROR with that code and
    /// fail, `300` fails without ERROR.
    pub fn with_auth() -> NullMechanism {
        NullMechanism {
            auth: true,
            ..NullMechanism::default()
        }
    }

    /// The same mechanism refusing ZMTP 1.0 and 2.0 peers, as a libzmq NULL socket
    /// with a ZAP domain does even when no handler is bound (`zap_enabled()`).
    pub fn zmtp3_only(mut self) -> NullMechanism {
        self.zmtp3_only = true;
        self
    }

    /// Ready once READY went both ways.
    fn status(&mut self) -> MechanismStatus {
        match self.received.take() {
            Some(peer) if self.sent => {
                self.done = true;
                MechanismStatus::Ready { peer }
            }
            other => {
                self.received = other;
                MechanismStatus::Handshaking
            }
        }
    }
}

impl Mechanism for NullMechanism {
    fn refuses_legacy_peers(&self) -> bool {
        self.auth || self.zmtp3_only
    }

    fn name(&self) -> MechanismName {
        MechanismName::NULL
    }

    fn start(
        &mut self,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        if self.auth {
            return Ok(MechanismStatus::AwaitingAuth(AuthRequest::new(
                MechanismName::NULL,
                vec![],
            )));
        }
        Command::Ready(local.clone()).encode(out);
        self.sent = true;
        Ok(MechanismStatus::Handshaking)
    }

    fn on_frame(
        &mut self,
        frame: RawFrame,
        _local: &Metadata,
        _out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        if !frame.command {
            return Err(ProtocolError::DataBeforeReady);
        }
        if let Some(error) = refusal::error_command(&frame.body) {
            return Err(error);
        }
        match Command::decode(frame.body)? {
            Command::Ready(peer) if !self.done && self.received.is_none() => {
                self.received = Some(peer);
                Ok(self.status())
            }
            other => Err(ProtocolError::UnexpectedCommand(
                String::from_utf8_lossy(other.name()).into_owned(),
            )),
        }
    }

    fn on_auth_reply(
        &mut self,
        reply: AuthReply,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        if !self.auth || self.sent {
            return Err(ProtocolError::Mechanism("unexpected ZAP reply".into()));
        }
        if !reply.is_success() {
            return Err(refusal::auth_refusal(reply.status_code, out));
        }
        Command::Ready(local.clone()).encode(out);
        self.sent = true;
        Ok(self.status())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn ready_frame() -> RawFrame {
        let mut out = BytesMut::new();
        let mut m = Metadata::new();
        m.push("Socket-Type", "PUSH").unwrap();
        Command::Ready(m).encode_body(&mut out);
        RawFrame::command(out.freeze())
    }

    #[test]
    fn sends_ready_on_start() {
        let mut m = NullMechanism::new();
        let mut local = Metadata::new();
        local.push("Socket-Type", "PULL").unwrap();
        let mut out = BytesMut::new();
        assert_eq!(m.start(&local, &mut out), Ok(MechanismStatus::Handshaking));
        assert_eq!(&out[..3], &[0x04, 0x1A, 0x05]);
        let st = m.on_frame(ready_frame(), &local, &mut out).unwrap();
        let MechanismStatus::Ready { peer } = st else {
            panic!("not ready")
        };
        assert_eq!(peer.get("socket-type").unwrap(), "PUSH");
        assert!(!m.wraps_traffic());
        assert!(m.wrap(0, b"", &mut out).is_err());
        assert!(m.unwrap(ready_frame()).is_err());
    }

    #[test]
    fn handshake_errors() {
        let local = Metadata::new();
        let mut out = BytesMut::new();
        let mut m = NullMechanism::new();
        assert_eq!(
            m.on_frame(RawFrame::data(false, Bytes::new()), &local, &mut out),
            Err(ProtocolError::DataBeforeReady)
        );
        assert_eq!(
            m.on_frame(
                RawFrame::command(Bytes::from_static(b"\x05ERROR\x03400")),
                &local,
                &mut out
            ),
            Err(ProtocolError::AuthFailed { status: 400 })
        );
        assert_eq!(
            m.on_frame(
                RawFrame::command(Bytes::from_static(b"\x04PING\0\0")),
                &local,
                &mut out
            ),
            Err(ProtocolError::UnexpectedCommand("PING".into()))
        );
        assert_eq!(
            m.on_frame(
                RawFrame::command(Bytes::from_static(b"\x5eRROR\x03500")),
                &local,
                &mut out
            ),
            Err(ProtocolError::AuthFailed { status: 500 })
        );
        assert_eq!(
            m.on_frame(
                RawFrame::command(Bytes::from_static(b"\x05ERROR\x03bad")),
                &local,
                &mut out
            ),
            Err(ProtocolError::PeerError("bad".into()))
        );
        assert!(m.on_frame(ready_frame(), &local, &mut out).is_ok());
        assert_eq!(
            m.on_frame(ready_frame(), &local, &mut out),
            Err(ProtocolError::UnexpectedCommand("READY".into()))
        );
    }
}
