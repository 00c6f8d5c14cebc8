//! Authentication during the handshake: the protocol's ZAP request goes to the handler
//! (or gets libzmq's answer when none is bound), and the reply is fed back.

use std::task::{Context, Poll};

use bytes::Bytes;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite};

use zmtp_codec::{AuthRequest, Metadata, PeerInfo, Protocol};

use super::Driver;
use crate::error::ConnectionError;

impl<S: AsyncRead + AsyncWrite + Unpin, P: Protocol> Driver<S, P> {
    /// The protocol asks the authenticator: fill in what only the socket knows (domain,
    /// the peer's address) and send the request.
    pub(super) fn start_auth(&mut self, mut request: AuthRequest) -> Result<(), ConnectionError> {
        request.domain = self.shared.lock().options.zap_domain.clone();
        request.address = zap_address(&self.link.peer_address);
        match crate::zap::ask(&self.shared, &request) {
            Some(call) => self.zap = Some(call),
            None => match crate::security::without_handler(request.mechanism) {
                Some(reply) => self.proto.handle_auth_reply(reply)?,
                None => {
                    tracing::warn!(target: "zmtp_sockets", peer = %self.link.peer_address, mechanism = %request.mechanism, "no ZAP handler bound at inproc://zeromq.zap.01; refusing the peer");
                    return Err(ConnectionError::NoZapHandler);
                }
            },
        }
        Ok(())
    }

    /// Feeds the handler's reply to the protocol once it arrives.
    pub(super) fn poll_zap(&mut self, cx: &mut Context<'_>) -> Result<bool, ConnectionError> {
        let Some(call) = self.zap.as_mut() else {
            return Ok(false);
        };
        let Poll::Ready(reply) = call.as_mut().poll(cx) else {
            return Ok(false);
        };
        self.zap = None;
        let reply = reply?;
        if !reply.is_success() {
            tracing::warn!(target: "zmtp_sockets", peer = %self.link.peer_address, status = reply.status_code, "ZAP handler refused the peer");
        }
        self.proto.handle_auth_reply(reply)?;
        Ok(true)
    }
}

/// A connection's message properties: what the peer's handshake said (with `User-Id`
/// and the ZAP handler's properties when it was asked) and, for tcp, `Peer-Address`.
pub(super) fn properties(info: &PeerInfo, peer_address: &str) -> Arc<Metadata> {
    let mut props = info.metadata.clone();
    let address = zap_address(peer_address);
    if !address.is_empty() {
        // A valid name and a short value: cannot fail.
        let _ = props.insert("Peer-Address", address);
    }
    Arc::new(props)
}

/// The address a ZAP request carries: the peer's IP address for tcp (libzmq sends no
/// port), empty otherwise.
fn zap_address(peer: &str) -> Bytes {
    let ip = match peer.parse::<std::net::SocketAddr>() {
        Ok(a) => Some(a.ip()),
        Err(_) => peer.parse::<std::net::IpAddr>().ok(),
    };
    ip.map(|ip| Bytes::from(ip.to_string())).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn zap_addresses_are_bare_ip_addresses() {
        for (peer, want) in [
            ("127.0.0.1", "127.0.0.1"),
            ("127.0.0.1:5555", "127.0.0.1"),
            ("[::1]:5555", "::1"),
            ("::1", "::1"),
            ("/tmp/x.sock", ""),
            ("", ""),
        ] {
            assert_eq!(super::zap_address(peer), want, "{peer}");
        }
    }
}
