//! The greeting phase: our greeting in libzmq's stages, and the peer's version read
//! off its first bytes (RFC 23's version negotiation, [`crate::version`]).
//!
//! Our signature goes out at creation, our major version once the peer's signature
//! is in, and the rest once its revision is: the 53 bytes of a ZMTP 3 greeting (on
//! the connecting side only once the peer's whole greeting is in, see
//! [`SessionConfig::connecting`](super::SessionConfig::connecting)), or the
//! socket-type byte that ends a ZMTP 2.0 greeting. A peer that stops reading after an
//! old version is never sent what it cannot parse.

use bytes::{Buf, BufMut};

use super::{Phase, Session};
use crate::greeting::{GREETING_LEN, SIGNATURE_LEN};
use crate::mechanism::MechanismStatus;
use crate::version::{self, PeerVersion, Stage};
use crate::{ProtocolError, SocketType};

/// What the end of the greeting phase started.
pub(super) enum Negotiated {
    /// A ZMTP 3 peer: the mechanism's first status.
    Mechanism(MechanismStatus),
    /// A ZMTP 1.0 / 2.0 peer: the identity exchange.
    Legacy,
}

impl Session {
    /// The identity a socket of `socket_type` announces: its own for REQ, DEALER and
    /// ROUTER (which send the `Identity` property), empty for the others. ZMTP 1.0 and
    /// 2.0 peers get it as their first frame.
    pub(super) fn wire_identity_for(
        socket_type: SocketType,
        identity: &bytes::Bytes,
    ) -> bytes::Bytes {
        if socket_type.sends_identity() {
            identity.clone()
        } else {
            bytes::Bytes::new()
        }
    }

    /// Stages our greeting and, once the peer's greeting is complete, ends the
    /// greeting phase (`Ok(None)` until then).
    ///
    /// What is left of our greeting then leaves in a transmit of its own, ahead of
    /// the handshake's first command (libzmq writes them in separate steps too): a
    /// libzmq peer reading both at once judges our READY at once and, at a socket-type
    /// mismatch, closes before flushing its own.
    pub(super) fn negotiate(&mut self) -> Result<Option<Negotiated>, ProtocolError> {
        self.stage_greeting();
        let Some(version) = version::detect(&self.recv)? else {
            return Ok(None);
        };
        if let PeerVersion::Zmtp3(_) = version {
            // The connecting side's rest goes out now (also at a mismatch, so the
            // peer learns it too).
            self.queue_greeting(GREETING_LEN);
        }
        if !self.out.is_empty() {
            self.split_at = Some(self.out.len());
        }
        self.recv.advance(version.greeting_len());
        self.version = Some(version);
        match version {
            PeerVersion::Zmtp3(g) => {
                let ours = self.mechanism.name();
                if g.mechanism != ours {
                    return Err(ProtocolError::MechanismMismatch {
                        ours: ours.to_string(),
                        theirs: g.mechanism.to_string(),
                    });
                }
                self.peer_greeting = Some(g);
                self.subscriptions_as_data = g.is_zmtp30();
                self.phase = Phase::Handshake;
                let status = self.mechanism.start(&self.local, &mut self.out)?;
                Ok(Some(Negotiated::Mechanism(status)))
            }
            legacy => {
                self.start_legacy(legacy)?;
                Ok(Some(Negotiated::Legacy))
            }
        }
    }

    /// Queues the next part of our greeting that the peer's bytes so far call for.
    fn stage_greeting(&mut self) {
        match version::stage(&self.recv) {
            Stage::Unknown => {}
            Stage::Signature => self.queue_greeting(SIGNATURE_LEN + 1),
            Stage::Revision(rev) => {
                self.queue_greeting(SIGNATURE_LEN + 1);
                if !version::is_legacy_revision(rev) {
                    if !self.connecting {
                        self.queue_greeting(GREETING_LEN);
                    }
                } else if self.greeting_sent == SIGNATURE_LEN + 1 {
                    // ZMTP 2.0's greeting ends with our socket type; nothing more of
                    // the ZMTP 3 greeting is ever sent.
                    self.out.put_u8(self.socket_type.number());
                    self.greeting_sent = GREETING_LEN;
                }
            }
        }
    }

    /// Queues our greeting up to byte `upto` (what is not queued yet).
    fn queue_greeting(&mut self, upto: usize) {
        if self.greeting_sent < upto {
            self.out
                .extend_from_slice(&self.greeting[self.greeting_sent..upto]);
            self.greeting_sent = upto;
        }
    }
}
