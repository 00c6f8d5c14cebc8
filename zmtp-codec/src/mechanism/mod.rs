//! Security mechanisms: the [`Mechanism`] trait the session drives during
//! the handshake (and, for CURVE, on every data-phase frame).

mod curve;
mod null;
mod plain;
mod refusal;

pub use curve::{
    COOKIE_LIFETIME, CurveKeypair, CurveMechanism, CurvePublicKey, CurveSecretKey, KeyError,
};
pub use null::NullMechanism;
pub use plain::PlainMechanism;

use std::time::Instant;

use bytes::BytesMut;

use crate::ProtocolError;
use crate::auth::{AuthReply, AuthRequest};
use crate::frame::RawFrame;
use crate::greeting::MechanismName;
use crate::metadata::Metadata;

/// What a mechanism reports after each handshake step.
///
/// Non-exhaustive: more states may be added.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MechanismStatus {
    /// More handshake frames are needed.
    Handshaking,
    /// The handshake is complete; `peer` is the peer's metadata.
    Ready {
        /// The metadata the peer sent (READY/INITIATE properties).
        peer: Metadata,
    },
    /// The mechanism waits for the authenticator (ZAP, RFC 27): the session
    /// hands `request` to the driver once, as
    /// [`Event::AuthRequest`](crate::Event::AuthRequest), decodes no more
    /// handshake input until the reply arrives, and passes that reply to
    /// [`Mechanism::on_auth_reply`]. The handshake deadline keeps running.
    AwaitingAuth(AuthRequest),
}

/// A ZMTP security mechanism (NULL, PLAIN, CURVE).
pub trait Mechanism: Send + 'static {
    /// The name announced in our greeting (must equal the peer's).
    fn name(&self) -> MechanismName;

    /// Whether a peer speaking ZMTP 1.0 or 2.0 (which has no mechanism) is refused,
    /// as libzmq refuses it when its `zap_enabled()`: every mechanism but NULL, and
    /// NULL when it asks the authenticator.
    fn refuses_legacy_peers(&self) -> bool {
        self.name() != MechanismName::NULL
    }

    /// The as-server flag of our greeting.
    fn as_server(&self) -> bool {
        false
    }

    /// Called once both greetings are exchanged. `local` is our metadata
    /// (Socket-Type, Identity, ...). Whole command frames to send are
    /// appended to `out`.
    fn start(
        &mut self,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError>;

    /// A frame received during the handshake (libzmq passes every handshake
    /// frame to the mechanism, whatever its COMMAND bit).
    fn on_frame(
        &mut self,
        frame: RawFrame,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError>;

    /// The authenticator's answer to the request this mechanism raised with
    /// [`MechanismStatus::AwaitingAuth`]. Whole command frames to send
    /// (WELCOME, READY, ERROR, ...) are appended to `out`. A refusal is
    /// returned as an error. The default refuses: a mechanism that never
    /// waits never gets a reply.
    fn on_auth_reply(
        &mut self,
        reply: AuthReply,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        let _ = (reply, local, out);
        Err(ProtocolError::Mechanism(
            "this mechanism does not authenticate through ZAP".into(),
        ))
    }

    /// Whether data-phase frames are transformed (CURVE MESSAGE boxes).
    /// NULL and PLAIN: `false`. Queried once, when the handshake completes.
    fn wraps_traffic(&self) -> bool {
        false
    }

    /// Wraps one outgoing frame (`frame_flags`: MORE/COMMAND bits of the
    /// original frame), appending the whole wire frame(s) to `out`. Only
    /// called when [`wraps_traffic`](Self::wraps_traffic) is true.
    fn wrap(
        &mut self,
        frame_flags: u8,
        body: &[u8],
        out: &mut BytesMut,
    ) -> Result<(), ProtocolError> {
        let _ = (frame_flags, body, out);
        Err(ProtocolError::Mechanism(
            "this mechanism does not wrap traffic".into(),
        ))
    }

    /// The mechanism's own deadline during the handshake (`None`: none), e.g.
    /// the expiry of CURVE's cookie key. The session reports the earlier of
    /// this and its own timers until the handshake completes.
    fn poll_timeout(&self) -> Option<Instant> {
        None
    }

    /// Called by the session when a timer is due during the handshake; the
    /// mechanism acts on its deadlines that are due at `now` (and must then
    /// report a later one, or none, from [`poll_timeout`](Self::poll_timeout)).
    fn handle_timeout(&mut self, now: Instant) {
        let _ = now;
    }

    /// Unwraps one incoming frame into the original (more, command, body).
    /// Only called when [`wraps_traffic`](Self::wraps_traffic) is true.
    fn unwrap(&mut self, frame: RawFrame) -> Result<RawFrame, ProtocolError> {
        let _ = frame;
        Err(ProtocolError::Mechanism(
            "this mechanism does not wrap traffic".into(),
        ))
    }
}
