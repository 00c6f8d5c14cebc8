//! The NULL mechanism (RFC 23/37): both sides send READY right away.

use bytes::BytesMut;

use super::{Mechanism, MechanismStatus};
use crate::ProtocolError;
use crate::command::Command;
use crate::frame::RawFrame;
use crate::greeting::MechanismName;
use crate::metadata::Metadata;

/// The NULL security mechanism: no authentication, no encryption.
///
/// Symmetric like libzmq: READY is sent as soon as the greetings are
/// exchanged, and the handshake completes when the peer's READY arrives.
#[derive(Clone, Debug, Default)]
pub struct NullMechanism {
    ready: bool,
}

impl NullMechanism {
    /// A fresh NULL mechanism.
    pub fn new() -> NullMechanism {
        NullMechanism::default()
    }
}

impl Mechanism for NullMechanism {
    fn name(&self) -> MechanismName {
        MechanismName::NULL
    }

    fn start(
        &mut self,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        Command::Ready(local.clone()).encode(out);
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
        match Command::decode(frame.body)? {
            Command::Ready(peer) if !self.ready => {
                self.ready = true;
                Ok(MechanismStatus::Ready { peer })
            }
            Command::Error(reason) => Err(ProtocolError::PeerError(
                String::from_utf8_lossy(&reason).into_owned(),
            )),
            other => Err(ProtocolError::UnexpectedCommand(
                String::from_utf8_lossy(other.name()).into_owned(),
            )),
        }
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
            Err(ProtocolError::PeerError("400".into()))
        );
        assert_eq!(
            m.on_frame(
                RawFrame::command(Bytes::from_static(b"\x04PING\0\0")),
                &local,
                &mut out
            ),
            Err(ProtocolError::UnexpectedCommand("PING".into()))
        );
        assert!(m.on_frame(ready_frame(), &local, &mut out).is_ok());
        assert_eq!(
            m.on_frame(ready_frame(), &local, &mut out),
            Err(ProtocolError::UnexpectedCommand("READY".into()))
        );
    }
}
