//! ERROR commands during the handshake: what we send when our authenticator
//! refuses the peer, and what a peer's ERROR means (libzmq's
//! `handle_error_reason`: exactly `300`, `400` or `500` is an authentication
//! failure with that status).

use bytes::{Bytes, BytesMut};

use crate::ProtocolError;
use crate::auth::STATUS_TEMPORARY;
use crate::command::Command;
use crate::error::codes;

/// The well-formed ERROR prefix: name length 5, `ERROR`.
const ERROR: &[u8] = b"\x05ERROR";
/// libzmq's PLAIN server writes its ERROR name as the C string `"\x05ERROR"`,
/// which the compiler reads as the byte 0x5E followed by `RROR` (see the digest
/// appendix); libzmq's PLAIN client expects exactly that form.
const LIBZMQ_PLAIN_ERROR: &[u8] = b"\x5eRROR";

/// The error a peer's ERROR `reason` stands for.
pub(crate) fn peer_error(reason: &[u8]) -> ProtocolError {
    match reason {
        b"300" => ProtocolError::AuthFailed { status: 300 },
        b"400" => ProtocolError::AuthFailed { status: 400 },
        b"500" => ProtocolError::AuthFailed { status: 500 },
        _ => ProtocolError::PeerError(String::from_utf8_lossy(reason).into_owned()),
    }
}

/// When `body` is an ERROR command, well-formed or in libzmq PLAIN's broken
/// form, the error it means: [`peer_error`] of its reason, or
/// `MALFORMED_COMMAND_ERROR` when the reason is truncated. `None`: not an
/// ERROR.
pub(crate) fn error_command(body: &[u8]) -> Option<ProtocolError> {
    let rest = body
        .strip_prefix(ERROR)
        .or_else(|| body.strip_prefix(LIBZMQ_PLAIN_ERROR))?;
    let malformed = || ProtocolError::MechanismCode {
        code: codes::ZMTP_MALFORMED_COMMAND_ERROR,
        reason: "malformed ERROR command".into(),
    };
    let Some((&len, reason)) = rest.split_first() else {
        return Some(malformed());
    };
    Some(match reason.get(..usize::from(len)) {
        Some(reason) => peer_error(reason),
        None => malformed(),
    })
}

/// Our authenticator refused the peer with `status`: a temporary failure
/// (300) closes silently, any other status is first told to the peer in a
/// well-formed ERROR command (appended to `out`), as libzmq does.
pub(crate) fn auth_refusal(status: u16, out: &mut BytesMut) -> ProtocolError {
    if status != STATUS_TEMPORARY {
        Command::Error(Bytes::from(status.to_string())).encode(out);
    }
    ProtocolError::AuthFailed { status }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons() {
        assert_eq!(
            peer_error(b"400"),
            ProtocolError::AuthFailed { status: 400 }
        );
        assert_eq!(
            peer_error(b"300"),
            ProtocolError::AuthFailed { status: 300 }
        );
        assert_eq!(
            peer_error(b"500"),
            ProtocolError::AuthFailed { status: 500 }
        );
        for other in [&b"200"[..], b"401", b"4000", b"", b"nope"] {
            assert!(matches!(peer_error(other), ProtocolError::PeerError(_)));
        }
    }

    #[test]
    fn both_error_forms() {
        assert_eq!(
            error_command(b"\x05ERROR\x03400"),
            Some(ProtocolError::AuthFailed { status: 400 })
        );
        // libzmq PLAIN's image: 04 09 5E 52 52 4F 52 03 34 30 30.
        assert_eq!(
            error_command(&[0x5E, 0x52, 0x52, 0x4F, 0x52, 0x03, 0x34, 0x30, 0x30]),
            Some(ProtocolError::AuthFailed { status: 400 })
        );
        assert_eq!(
            error_command(b"\x05ERROR\x04oops!"),
            Some(ProtocolError::PeerError("oops".into()))
        );
        for bad in [&b"\x05ERROR"[..], b"\x05ERROR\x05abc", b"\x5eRROR\x01"] {
            assert_eq!(
                error_command(bad).map(|e| e.code()),
                Some(codes::ZMTP_MALFORMED_COMMAND_ERROR)
            );
        }
        assert_eq!(error_command(b"\x05READY"), None);
        assert_eq!(error_command(b""), None);
    }

    #[test]
    fn refusal_tells_the_peer_except_for_300() {
        let mut out = BytesMut::new();
        assert_eq!(
            auth_refusal(400, &mut out),
            ProtocolError::AuthFailed { status: 400 }
        );
        assert_eq!(&out[..], b"\x04\x0a\x05ERROR\x03400");
        out.clear();
        assert_eq!(
            auth_refusal(300, &mut out),
            ProtocolError::AuthFailed { status: 300 }
        );
        assert!(out.is_empty());
    }
}

/// [`auth_refusal`] for the PLAIN server: the ERROR is written in libzmq PLAIN's
/// form (name bytes `0x5E "RROR"`), the only one libzmq's PLAIN client reads as an
/// authentication failure; our own clients read both forms.
pub(crate) fn plain_auth_refusal(status: u16, out: &mut BytesMut) -> ProtocolError {
    if status != STATUS_TEMPORARY {
        let reason = status.to_string();
        let mut body = Vec::with_capacity(LIBZMQ_PLAIN_ERROR.len() + 1 + reason.len());
        body.extend_from_slice(LIBZMQ_PLAIN_ERROR);
        // A 3-digit status: the length fits in one byte.
        body.push(reason.len() as u8);
        body.extend_from_slice(reason.as_bytes());
        crate::frame::encode_frame(out, crate::frame::COMMAND, &body);
    }
    ProtocolError::AuthFailed { status }
}

#[cfg(test)]
mod plain_form_tests {
    use super::*;

    #[test]
    fn the_plain_refusal_is_libzmqs_bytes_and_reads_back() {
        let mut out = BytesMut::new();
        let e = plain_auth_refusal(400, &mut out);
        assert_eq!(e, ProtocolError::AuthFailed { status: 400 });
        assert_eq!(&out[..], b"\x04\x09\x5eRROR\x03400");
        assert_eq!(error_command(&out[2..]), Some(e));
        let mut out = BytesMut::new();
        plain_auth_refusal(300, &mut out);
        assert!(out.is_empty());
    }
}
