//! The mechanism the security options chose ([`Security`]), as data: set by
//! `security.rs` after each change, read by the engine for each new connection.

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
