//! ZAP (RFC 27) request and reply as plain data: what a mechanism asks the
//! authenticator and what comes back. Transporting them (the
//! `inproc://zeromq.zap.01` REQ/REP exchange, version and request id frames)
//! is the driver's business.

use bytes::Bytes;

use crate::greeting::MechanismName;
use crate::metadata::Metadata;

/// ZAP status code of a successful authentication.
pub const STATUS_OK: u16 = 200;
/// ZAP status code: temporary error, the client should retry.
pub const STATUS_TEMPORARY: u16 = 300;
/// ZAP status code: authentication failed.
pub const STATUS_FAILED: u16 = 400;
/// ZAP status code: internal error of the authenticator.
pub const STATUS_INTERNAL: u16 = 500;

/// An authentication request a mechanism raised during the handshake
/// (carried to the driver by [`Event::AuthRequest`](crate::Event::AuthRequest)).
/// `Debug` shows how many credential frames it has, not what they say (a PLAIN
/// password is one).
#[derive(Clone, PartialEq, Eq)]
pub struct AuthRequest {
    /// ZAP domain (ZMQ_ZAP_DOMAIN, may be empty); set by the mechanism.
    pub domain: Bytes,
    /// The peer's transport address as text (an IP address for TCP). The
    /// session does not know it: empty until the driver fills it in.
    pub address: Bytes,
    /// Routing identity: our own socket's routing id, as libzmq sends it
    /// (the peer's identity has not arrived yet). Set by the session.
    pub identity: Bytes,
    /// Mechanism name (`NULL`, `PLAIN`, `CURVE`).
    pub mechanism: MechanismName,
    /// Mechanism-specific credential frames: none for NULL, username and
    /// password for PLAIN, the client's 32-byte public key for CURVE.
    pub credentials: Vec<Bytes>,
}

impl std::fmt::Debug for AuthRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthRequest")
            .field("domain", &self.domain)
            .field("address", &self.address)
            .field("identity", &self.identity)
            .field("mechanism", &self.mechanism)
            .field("credentials", &self.credentials.len())
            .finish()
    }
}

impl AuthRequest {
    /// A request for `mechanism` with the given credentials; domain, address
    /// and identity empty.
    pub fn new(mechanism: MechanismName, credentials: Vec<Bytes>) -> AuthRequest {
        AuthRequest {
            domain: Bytes::new(),
            address: Bytes::new(),
            identity: Bytes::new(),
            mechanism,
            credentials,
        }
    }
}

/// The authenticator's answer, fed back with
/// [`Protocol::handle_auth_reply`](crate::Protocol::handle_auth_reply).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthReply {
    /// Status code: [`STATUS_OK`], [`STATUS_TEMPORARY`], [`STATUS_FAILED`]
    /// or [`STATUS_INTERNAL`].
    pub status_code: u16,
    /// Human-readable status text.
    pub status_text: Bytes,
    /// The authenticated user id (becomes the `User-Id` message property).
    pub user_id: Bytes,
    /// Extra properties the authenticator attached to the connection.
    pub metadata: Metadata,
}

impl AuthReply {
    /// A reply with `status_code` and empty text, user id and metadata.
    pub fn new(status_code: u16) -> AuthReply {
        AuthReply {
            status_code,
            status_text: Bytes::new(),
            user_id: Bytes::new(),
            metadata: Metadata::new(),
        }
    }

    /// Whether the peer was accepted (status 200).
    pub fn is_success(&self) -> bool {
        self.status_code == STATUS_OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors() {
        let r = AuthRequest::new(MechanismName::PLAIN, vec![Bytes::from_static(b"u")]);
        assert!(r.domain.is_empty() && r.address.is_empty() && r.identity.is_empty());
        assert_eq!(r.credentials.len(), 1);
        let p = AuthRequest::new(MechanismName::PLAIN, vec!["user".into(), "hunter2".into()]);
        assert!(!format!("{p:?}").contains("hunter2"));
        assert!(AuthReply::new(STATUS_OK).is_success());
        for code in [STATUS_TEMPORARY, STATUS_FAILED, STATUS_INTERNAL] {
            assert!(!AuthReply::new(code).is_success());
        }
    }
}
