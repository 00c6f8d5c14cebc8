//! The security options' shared state: which mechanism the socket uses and on which
//! side, decided by the security option set last (libzmq's rule).
//!
//! - PLAIN_SERVER and CURVE_SERVER: 1 selects that mechanism as server, 0 returns to
//!   NULL.
//! - PLAIN_USERNAME and PLAIN_PASSWORD: a value selects PLAIN as client; an empty one
//!   returns to NULL.
//! - CURVE_SERVERKEY selects CURVE as client; CURVE_PUBLICKEY and CURVE_SECRETKEY select
//!   CURVE and keep the current side.
//!
//! The stored PLAIN_SERVER and CURVE_SERVER flags are rewritten after each change so
//! that they read back as libzmq's do: set only while that mechanism is chosen as
//! server.

use super::mechanism::{MechanismKind, Security};
use super::table::{Options, SockOpt};

impl Options {
    /// Updates the mechanism after a security option was stored; other options leave
    /// it alone (called by every stored option's setter).
    pub(crate) fn after_set(&mut self, opt: SockOpt) {
        after_set(self, opt);
    }
}

fn after_set(o: &mut Options, opt: SockOpt) {
    let sec = &mut o.security;
    let chosen = |sec: &mut Security, on: bool, kind: MechanismKind, server: Option<bool>| {
        if on {
            sec.mechanism = kind;
            if let Some(s) = server {
                sec.as_server = s;
            }
        } else {
            *sec = Security::default();
        }
    };
    match opt {
        SockOpt::PlainServer => chosen(sec, o.plain_server, MechanismKind::Plain, Some(true)),
        SockOpt::PlainUsername => chosen(
            sec,
            !o.plain_username.is_empty(),
            MechanismKind::Plain,
            Some(false),
        ),
        SockOpt::PlainPassword => chosen(
            sec,
            !o.plain_password.0.is_empty(),
            MechanismKind::Plain,
            Some(false),
        ),
        SockOpt::CurveServer => chosen(sec, o.curve_server, MechanismKind::Curve, Some(true)),
        SockOpt::CurvePublicKey | SockOpt::CurveSecretKey => {
            chosen(sec, true, MechanismKind::Curve, None)
        }
        SockOpt::CurveServerKey => chosen(sec, true, MechanismKind::Curve, Some(false)),
        _ => return,
    }
    o.plain_server = sec.as_server && sec.mechanism == MechanismKind::Plain;
    o.curve_server = sec.as_server && sec.mechanism == MechanismKind::Curve;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::SocketOption as O;
    use crate::options::secret::Secret;
    use crate::options::table::prepare;
    use zmtp_codec::{CurvePublicKey, CurveSecretKey, SocketType};

    fn set(o: &mut Options, opt: O) {
        let change = prepare(opt, SocketType::Dealer).unwrap();
        (change.write)(o);
    }

    #[test]
    fn the_last_security_option_set_wins() {
        let mut o = Options::default();
        assert_eq!(o.security, Security::default());
        set(&mut o, O::PlainServer(true));
        assert_eq!(o.security.mechanism, MechanismKind::Plain);
        assert!(o.security.as_server && o.plain_server);
        set(&mut o, O::PlainUsername("u".into()));
        assert!(!o.security.as_server && !o.plain_server);
        assert_eq!(o.security.mechanism, MechanismKind::Plain);
        set(&mut o, O::PlainPassword(Secret::default()));
        assert_eq!(o.security, Security::default());
        set(&mut o, O::PlainServer(true));
        set(&mut o, O::PlainServer(false));
        assert_eq!(o.security, Security::default());
        // CURVE keys keep the side; the server key makes a client.
        set(&mut o, O::CurveServer(true));
        set(
            &mut o,
            O::CurveSecretKey(CurveSecretKey::from_bytes([1; 32])),
        );
        assert!(o.security.as_server && o.curve_server && !o.plain_server);
        assert_eq!(o.security.mechanism, MechanismKind::Curve);
        set(&mut o, O::PlainServer(true));
        assert!(!o.curve_server && o.plain_server);
        set(
            &mut o,
            O::CurvePublicKey(CurvePublicKey::from_bytes([2; 32])),
        );
        assert!(o.security.as_server && !o.plain_server && o.curve_server);
        set(
            &mut o,
            O::CurveServerKey(CurvePublicKey::from_bytes([3; 32])),
        );
        assert!(!o.security.as_server && !o.curve_server);
        assert_eq!(o.security.mechanism, MechanismKind::Curve);
        set(&mut o, O::CurveServer(false));
        assert_eq!(o.security, Security::default());
    }

    #[test]
    fn passwords_stay_out_of_debug_output() {
        let mut o = Options::default();
        set(&mut o, O::PlainPassword("hunter2".into()));
        set(
            &mut o,
            O::CurveSecretKey(CurveSecretKey::from_bytes([7; 32])),
        );
        let debug = format!("{o:?}");
        assert!(!debug.contains("hunter2"));
        assert!(!debug.contains("7, 7"));
        assert!(!debug.contains(&CurveSecretKey::from_bytes([7; 32]).to_z85()));
        assert_eq!(format!("{:?}", Secret::default()), "Secret(empty)");
    }
}
