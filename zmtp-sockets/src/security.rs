//! The mechanism of a new connection, as the security options chose it, and libzmq's
//! rules for a handshake that asks ZAP while no handler is bound.

use zmtp_codec::{
    AuthReply, Mechanism, MechanismName, NullMechanism, PlainMechanism, ProtocolError,
};

use crate::options::{MechanismKind, Options};
use crate::shared::Shared;

/// The mechanism for a new tcp or ipc connection (inproc connections have none, as in
/// libzmq).
pub(crate) fn mechanism(shared: &Shared, o: &Options) -> Result<Box<dyn Mechanism>, ProtocolError> {
    let sec = o.security;
    Ok(match (sec.mechanism, sec.as_server) {
        // NULL asks ZAP only with a domain set and a handler bound (libzmq skips it
        // silently otherwise).
        (MechanismKind::Null, _) => {
            let _ = !o.zap_domain.is_empty() && crate::zap::handler_bound(shared);
            Box::new(NullMechanism::new())
        }
        (MechanismKind::Plain, true) => Box::new(PlainMechanism::server(true)),
        (MechanismKind::Plain, false) => Box::new(PlainMechanism::client(
            o.plain_username.clone(),
            o.plain_password.0.clone(),
        )?),
        (MechanismKind::Curve, _) => {
            return Err(ProtocolError::Mechanism(
                "CURVE is not available yet".into(),
            ));
        }
    })
}

/// What a handshake gets when it asks ZAP and no handler is bound: PLAIN fails (libzmq
/// requires a handler, `None` here), NULL and CURVE accept the peer.
pub(crate) fn without_handler(mechanism: MechanismName) -> Option<AuthReply> {
    (mechanism != MechanismName::PLAIN).then(|| AuthReply::new(zmtp_codec::auth::STATUS_OK))
}
