//! The mechanism of a new connection, as the security options chose it, the check that
//! it has its keys, and libzmq's rules for a handshake that asks ZAP while no handler
//! is bound.

use std::time::Instant;

use zmtp_codec::{
    AuthReply, CurveKeypair, CurveMechanism, Mechanism, MechanismName, NullMechanism,
    PlainMechanism, ProtocolError,
};

use crate::error::SocketError;
use crate::options::{MechanismKind, Options};
use crate::shared::Shared;

/// Checks at bind and connect that the chosen mechanism has what it needs: a CURVE
/// server its secret key, a CURVE client its key pair and the server's key.
pub(crate) fn check(o: &Options) -> Result<(), SocketError> {
    let sec = o.security;
    if sec.mechanism != MechanismKind::Curve {
        return Ok(());
    }
    let missing = if o.curve_secretkey.is_none() {
        Some("curve_secretkey")
    } else if sec.as_server {
        None
    } else if o.curve_publickey.is_none() {
        Some("curve_publickey")
    } else if o.curve_serverkey.is_none() {
        Some("curve_serverkey")
    } else {
        None
    };
    missing.map_or(Ok(()), |key| Err(SocketError::MissingKey(key)))
}

/// The mechanism for a new tcp or ipc connection started at `now` (inproc connections
/// have none, as in libzmq).
pub(crate) fn mechanism(
    shared: &Shared,
    o: &Options,
    now: Instant,
) -> Result<Box<dyn Mechanism>, ProtocolError> {
    let sec = o.security;
    let missing = || ProtocolError::Mechanism("a CURVE key is missing".into());
    Ok(match (sec.mechanism, sec.as_server) {
        // NULL asks ZAP only with a domain set and a handler bound (libzmq skips it
        // silently otherwise); a domain alone already refuses ZMTP 1.0 / 2.0 peers.
        (MechanismKind::Null, _) => {
            if o.zap_domain.is_empty() {
                Box::new(NullMechanism::new())
            } else if crate::zap::handler_bound(shared) {
                Box::new(NullMechanism::with_auth())
            } else {
                Box::new(NullMechanism::new().zmtp3_only())
            }
        }
        (MechanismKind::Plain, true) => Box::new(PlainMechanism::server(true)),
        (MechanismKind::Plain, false) => Box::new(PlainMechanism::client(
            o.plain_username.clone(),
            o.plain_password.0.clone(),
        )?),
        (MechanismKind::Curve, true) => {
            let secret = o.curve_secretkey.clone().ok_or_else(missing)?;
            Box::new(CurveMechanism::server(
                CurveKeypair::from_secret(secret),
                true,
                now,
            ))
        }
        (MechanismKind::Curve, false) => {
            let ours = CurveKeypair {
                public: o.curve_publickey.ok_or_else(missing)?,
                secret: o.curve_secretkey.clone().ok_or_else(missing)?,
            };
            Box::new(CurveMechanism::client(
                ours,
                o.curve_serverkey.ok_or_else(missing)?,
            ))
        }
    })
}

/// What a handshake gets when it asks ZAP and no handler is bound: PLAIN fails (libzmq
/// requires a handler, `None` here), NULL and CURVE accept the peer.
pub(crate) fn without_handler(mechanism: MechanismName) -> Option<AuthReply> {
    (mechanism != MechanismName::PLAIN).then(|| AuthReply::new(zmtp_codec::auth::STATUS_OK))
}
