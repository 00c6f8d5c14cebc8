//! What the CURVE handshakes share: command sizes, command names in error reports,
//! and the errors with libzmq's codes.

use crate::ProtocolError;
use crate::error::codes;

/// HELLO is exactly this long.
pub(super) const HELLO_LEN: usize = 200;
/// WELCOME is exactly this long.
pub(super) const WELCOME_LEN: usize = 168;
/// INITIATE without metadata.
pub(super) const INITIATE_MIN_LEN: usize = 257;
/// READY without metadata.
pub(super) const READY_MIN_LEN: usize = 30;

/// A CURVE failure with one of libzmq's protocol error codes.
pub(super) fn curve_error(code: u32, reason: &'static str) -> ProtocolError {
    ProtocolError::MechanismCode {
        code,
        reason: reason.into(),
    }
}

/// A box that does not open (or cannot be made): `ZMTP_CRYPTOGRAPHIC`.
pub(super) fn crypto_error(reason: &'static str) -> ProtocolError {
    curve_error(codes::ZMTP_CRYPTOGRAPHIC, reason)
}

/// A command that is not allowed here: `ZMTP_UNEXPECTED_COMMAND`.
pub(super) fn unexpected(name: &[u8]) -> ProtocolError {
    ProtocolError::UnexpectedCommand(String::from_utf8_lossy(name).into_owned())
}

/// The name of a command body, for error reports (lossy, possibly empty).
pub(super) fn command_name(body: &[u8]) -> &[u8] {
    let n = body.first().map_or(0, |&n| usize::from(n));
    body.get(1..1 + n)
        .unwrap_or(body.get(1..).unwrap_or_default())
}
