//! The ZAP client (RFC 27): a handshake's authentication request goes to the handler
//! bound at `inproc://zeromq.zap.01` in the socket's context, as libzmq sends it, and
//! its reply is checked as libzmq checks it.
//!
//! Each request travels on a private DEALER connected to the handler (a REP or ROUTER
//! of the application's, or the built-in authenticator), so a handler written for
//! libzmq sees the same frames: `""`, `"1.0"`, request id `"1"`, domain, address,
//! identity (our socket's routing id), mechanism, credentials.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use zmtp_codec::auth::{STATUS_FAILED, STATUS_INTERNAL, STATUS_OK, STATUS_TEMPORARY};
use zmtp_codec::{AuthReply, AuthRequest, Metadata, ProtocolError, SocketType};
use zmtp_transport::Endpoint;

use crate::context::Context;
use crate::message::Message;
use crate::shared::Shared;
use crate::socket::Socket;

/// The inproc name ZAP handlers bind.
pub const ZAP_ENDPOINT: &str = "zeromq.zap.01";

/// libzmq's `ZMQ_PROTOCOL_ERROR_ZAP_*` codes for a reply it cannot use.
pub mod codes {
    /// `ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY`: not 7 frames, or no empty delimiter.
    pub const MALFORMED_REPLY: u32 = 0x2000_0001;
    /// `ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID`
    pub const BAD_REQUEST_ID: u32 = 0x2000_0002;
    /// `ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION`
    pub const BAD_VERSION: u32 = 0x2000_0003;
    /// `ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE`
    pub const INVALID_STATUS_CODE: u32 = 0x2000_0004;
    /// `ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA`
    pub const INVALID_METADATA: u32 = 0x2000_0005;
}

const VERSION: &[u8] = b"1.0";
const REQUEST_ID: &[u8] = b"1";

/// The handler's checked answer, or why the handshake fails.
pub(crate) type ZapCall = Pin<Box<dyn Future<Output = Result<AuthReply, ProtocolError>> + Send>>;

/// Whether a ZAP handler is bound in the socket's context.
pub(crate) fn handler_bound(shared: &Shared) -> bool {
    shared.inproc.is_bound(ZAP_ENDPOINT)
}

/// Sends `request` to the bound handler; `None` when no handler is bound (the caller
/// applies libzmq's rule for that mechanism).
pub(crate) fn ask(shared: &Shared, request: &AuthRequest) -> Option<ZapCall> {
    if !handler_bound(shared) {
        return None;
    }
    let context = Arc::new(Context {
        inproc: shared.inproc.clone(),
    });
    let sock = Socket::with_context(SocketType::Dealer, context).ok()?;
    sock.update_options(|o| o.linger = Some(Duration::ZERO));
    sock.connect(&Endpoint::Inproc(ZAP_ENDPOINT.into())).ok()?;
    let msg = request_message(request);
    // Closed however the call ends: answered, or dropped with its connection.
    let sock = CloseOnDrop(sock);
    Some(Box::pin(async move {
        sock.0.send(msg).await.map_err(lost)?;
        let reply = sock.0.recv().await.map_err(lost)?;
        parse_reply(reply)
    }))
}

/// The private DEALER of one request, closed when the request ends.
struct CloseOnDrop(Socket);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        self.0.close();
    }
}

fn lost(e: crate::SocketError) -> ProtocolError {
    ProtocolError::Mechanism(format!("ZAP handler unreachable: {e}"))
}

/// The request as libzmq frames it (with the empty delimiter a REQ-style handler needs).
fn request_message(r: &AuthRequest) -> Message {
    let mut m = Message::new();
    m.push(Bytes::new());
    m.push(Bytes::from_static(VERSION));
    m.push(Bytes::from_static(REQUEST_ID));
    m.push(r.domain.clone());
    m.push(r.address.clone());
    m.push(r.identity.clone());
    m.push(Bytes::copy_from_slice(r.mechanism.to_string().as_bytes()));
    for c in &r.credentials {
        m.push(c.clone());
    }
    m
}

fn refuse(code: u32, reason: &str) -> ProtocolError {
    ProtocolError::MechanismCode {
        code,
        reason: format!("ZAP reply: {reason}"),
    }
}

/// Checks the reply as libzmq does: 7 frames with the delimiter, version, request id,
/// a status of 200/300/400/500, then text, user id and metadata.
pub(crate) fn parse_reply(m: Message) -> Result<AuthReply, ProtocolError> {
    let f = m.frames();
    if f.len() != 7 || !f[0].is_empty() {
        return Err(refuse(codes::MALFORMED_REPLY, "expected 7 frames"));
    }
    if f[1] != VERSION {
        return Err(refuse(codes::BAD_VERSION, "version is not 1.0"));
    }
    if f[2] != REQUEST_ID {
        return Err(refuse(codes::BAD_REQUEST_ID, "wrong request id"));
    }
    let status_code = match &f[3][..] {
        b"200" => STATUS_OK,
        b"300" => STATUS_TEMPORARY,
        b"400" => STATUS_FAILED,
        b"500" => STATUS_INTERNAL,
        _ => return Err(refuse(codes::INVALID_STATUS_CODE, "bad status code")),
    };
    let metadata = Metadata::decode(f[6].clone())
        .map_err(|_| refuse(codes::INVALID_METADATA, "bad metadata"))?;
    Ok(AuthReply {
        status_code,
        status_text: f[4].clone(),
        user_id: f[5].clone(),
        metadata,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Poll;

    /// A request abandoned before its answer (its connection ended) closes its private
    /// DEALER: the handler's pipe to it goes away.
    #[tokio::test]
    async fn an_abandoned_request_leaves_no_connection_behind() {
        let ctx = Context::new();
        let handler = Socket::with_context(SocketType::Router, ctx.clone()).unwrap();
        handler
            .bind(&Endpoint::Inproc(ZAP_ENDPOINT.into()))
            .unwrap();
        let server = Socket::with_context(SocketType::Pull, ctx).unwrap();
        let request = AuthRequest::new(zmtp_codec::MechanismName::PLAIN, vec![]);
        let pipes = || handler.shared.lock().peers.iter_mut().count();
        for _ in 0..3 {
            let mut call = ask(&server.shared, &request).unwrap();
            // Sends the request, then waits for the answer that never comes.
            let polled = std::future::poll_fn(|cx| Poll::Ready(call.as_mut().poll(cx))).await;
            assert!(polled.is_pending());
            let asked = handler.recv().await.unwrap();
            assert_eq!(asked.frames()[2], "1.0");
            drop(call);
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while pipes() > 0 {
            assert!(
                std::time::Instant::now() < deadline,
                "{} pipes left",
                pipes()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        handler.close();
        server.close();
    }

    fn reply(frames: &[&[u8]]) -> Message {
        Message::from_frames(frames.iter().map(|f| Bytes::copy_from_slice(f)))
    }

    #[test]
    fn replies_are_checked_as_libzmq_checks_them() {
        let ok = parse_reply(reply(&[b"", b"1.0", b"1", b"200", b"OK", b"alice", b""])).unwrap();
        assert!(ok.is_success());
        assert_eq!(ok.user_id, "alice");
        let code = |frames: &[&[u8]]| match parse_reply(reply(frames)) {
            Err(ProtocolError::MechanismCode { code, .. }) => code,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            code(&[b"", b"1.0", b"1", b"200", b"", b""]),
            codes::MALFORMED_REPLY
        );
        assert_eq!(
            code(&[b"x", b"1.0", b"1", b"200", b"", b"", b""]),
            codes::MALFORMED_REPLY
        );
        assert_eq!(
            code(&[b"", b"2.0", b"1", b"200", b"", b"", b""]),
            codes::BAD_VERSION
        );
        assert_eq!(
            code(&[b"", b"1.0", b"2", b"200", b"", b"", b""]),
            codes::BAD_REQUEST_ID
        );
        assert_eq!(
            code(&[b"", b"1.0", b"1", b"201", b"", b"", b""]),
            codes::INVALID_STATUS_CODE
        );
        assert_eq!(
            code(&[b"", b"1.0", b"1", b"200", b"", b"", b"\x05"]),
            codes::INVALID_METADATA
        );
        for (text, status) in [("300", 300), ("400", 400), ("500", 500)] {
            let r = parse_reply(reply(&[b"", b"1.0", b"1", text.as_bytes(), b"", b"", b""]));
            assert_eq!(r.unwrap().status_code, status);
        }
    }

    #[test]
    fn requests_are_framed_as_libzmq_frames_them() {
        let mut r = AuthRequest::new(
            zmtp_codec::MechanismName::PLAIN,
            vec![Bytes::from_static(b"u"), Bytes::from_static(b"p")],
        );
        r.domain = Bytes::from_static(b"global");
        r.address = Bytes::from_static(b"127.0.0.1");
        let m = request_message(&r);
        let expected: [&[u8]; 9] = [
            b"",
            b"1.0",
            b"1",
            b"global",
            b"127.0.0.1",
            b"",
            b"PLAIN",
            b"u",
            b"p",
        ];
        assert_eq!(m.frames(), expected);
    }
}
