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

use std::fmt;

use bytes::Bytes;

use super::table::{Options, SockOpt};

/// A security mechanism (the `mechanism` option: NULL 0, PLAIN 1, CURVE 2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum MechanismKind {
    /// No security.
    #[default]
    Null,
    /// User name and password in clear text (RFC 24).
    Plain,
    /// CurveZMQ encryption and authentication (RFC 25/26).
    Curve,
}

impl MechanismKind {
    /// libzmq's `ZMQ_NULL` / `ZMQ_PLAIN` / `ZMQ_CURVE` number.
    pub fn number(self) -> i64 {
        match self {
            MechanismKind::Null => 0,
            MechanismKind::Plain => 1,
            MechanismKind::Curve => 2,
        }
    }
}

/// The mechanism chosen by the security options, and whether this socket takes its
/// server side.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Security {
    /// The mechanism.
    pub mechanism: MechanismKind,
    /// Server side (PLAIN_SERVER / CURVE_SERVER set last); NULL ignores it.
    pub as_server: bool,
}

/// A password: readable back as set, but never shown by `Debug`.
///
/// ```
/// use zmtp_sockets::options::{Secret, SocketOption};
/// let opt = SocketOption::PlainPassword("hunter2".into());
/// assert!(!format!("{opt:?}").contains("hunter2"));
/// assert_eq!(Secret::from("hunter2").0, "hunter2");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(pub Bytes);

impl From<Bytes> for Secret {
    fn from(b: Bytes) -> Self {
        Secret(b)
    }
}

impl From<&'static str> for Secret {
    fn from(s: &'static str) -> Self {
        Secret(Bytes::from_static(s.as_bytes()))
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(Bytes::from(s))
    }
}

impl From<Vec<u8>> for Secret {
    fn from(v: Vec<u8>) -> Self {
        Secret(Bytes::from(v))
    }
}

impl From<&[u8]> for Secret {
    fn from(v: &[u8]) -> Self {
        Secret(Bytes::copy_from_slice(v))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() {
            "Secret(empty)"
        } else {
            "Secret(<redacted>)"
        })
    }
}

/// Updates the mechanism after a security option was stored; other options leave it
/// alone.
pub(crate) fn after_set(o: &mut Options, opt: SockOpt) {
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
