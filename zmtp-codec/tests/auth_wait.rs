//! The "waiting for the authenticator" state, driven with a fake mechanism
//! (NULL never waits): one AuthRequest event, no decoding while waiting,
//! resumption after the reply, refusal, and the handshake deadline.

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use zmtp_codec::auth::{STATUS_FAILED, STATUS_OK};
use zmtp_codec::command::Command;
use zmtp_codec::frame::{RawFrame, WriteBuf};
use zmtp_codec::{
    AuthReply, AuthRequest, Event, GREETING_LEN, Greeting, Mechanism, MechanismName,
    MechanismStatus, Metadata, NullMechanism, Protocol, ProtocolError, SIGNATURE_LEN, Session,
    SessionConfig, SocketType,
};

const IVL: Duration = Duration::from_secs(5);

/// When the fake asks the authenticator.
#[derive(Clone, Copy, PartialEq)]
enum AskAt {
    /// Right after the greetings, before sending READY (like libzmq's NULL
    /// server with a ZAP domain); READY goes out after a 200 reply, ERROR
    /// "400" after a refusal.
    Start,
    /// After the peer's READY arrived; the reply completes the handshake.
    PeerReady,
}

/// A NULL-compatible mechanism that consults the authenticator.
struct FakeZap {
    ask_at: AskAt,
    peer: Option<Metadata>,
    replies: usize,
}

impl FakeZap {
    fn request() -> AuthRequest {
        let mut r = AuthRequest::new(MechanismName::NULL, vec![]);
        r.domain = Bytes::from_static(b"global");
        r
    }
}

impl Mechanism for FakeZap {
    fn name(&self) -> MechanismName {
        MechanismName::NULL
    }

    fn start(
        &mut self,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        if self.ask_at == AskAt::Start {
            return Ok(MechanismStatus::AwaitingAuth(FakeZap::request()));
        }
        Command::Ready(local.clone()).encode(out);
        Ok(MechanismStatus::Handshaking)
    }

    fn on_frame(
        &mut self,
        frame: RawFrame,
        _local: &Metadata,
        _out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        let Command::Ready(peer) = Command::decode(frame.body)? else {
            return Err(ProtocolError::UnexpectedCommand("?".into()));
        };
        match self.ask_at {
            AskAt::Start => Ok(MechanismStatus::Ready { peer }),
            AskAt::PeerReady => {
                self.peer = Some(peer);
                Ok(MechanismStatus::AwaitingAuth(FakeZap::request()))
            }
        }
    }

    fn on_auth_reply(
        &mut self,
        reply: AuthReply,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        self.replies += 1;
        if !reply.is_success() {
            Command::Error(Bytes::from(reply.status_code.to_string())).encode(out);
            return Err(ProtocolError::Mechanism("authentication refused".into()));
        }
        match self.ask_at {
            AskAt::Start => {
                Command::Ready(local.clone()).encode(out);
                Ok(MechanismStatus::Handshaking)
            }
            AskAt::PeerReady => Ok(MechanismStatus::Ready {
                peer: self.peer.take().unwrap_or_default(),
            }),
        }
    }
}

fn fake_session(ask_at: AskAt, now: Instant) -> Session {
    let mut cfg = SessionConfig::new(SocketType::Router);
    cfg.identity = Bytes::from_static(b"srv");
    cfg.handshake_ivl = Some(IVL);
    let fake = FakeZap {
        ask_at,
        peer: None,
        replies: 0,
    };
    Session::new(cfg, Box::new(fake), now)
}

fn transmit(p: &mut impl Protocol) -> Vec<u8> {
    let mut w = WriteBuf::new();
    while p.has_transmit() {
        p.poll_transmit(&mut w);
    }
    let mut v = Vec::new();
    while !w.is_empty() {
        let c = w.contiguous().to_vec();
        w.advance(c.len());
        v.extend(c);
    }
    v
}

/// What a NULL DEALER peer sends: greeting, READY, then a one-frame message.
fn peer_bytes() -> Vec<u8> {
    let mut peer = Session::new(
        SessionConfig::new(SocketType::Dealer),
        Box::new(NullMechanism::new()),
        Instant::now(),
    );
    // Our (the fake's) whole greeting, so the peer's goes out whole, then READY.
    let mut ours = BytesMut::new();
    Greeting::new(MechanismName::NULL, false).encode(&mut ours);
    peer.handle_input(&ours);
    peer.poll_event().unwrap();
    let mut v = transmit(&mut peer);
    v.extend([0x00, 0x02, b'h', b'i']);
    v
}

fn ready_frame(props: &[(&str, &[u8])]) -> Vec<u8> {
    let mut m = Metadata::new();
    for (n, v) in props {
        m.push(n.to_string(), Bytes::copy_from_slice(v)).unwrap();
    }
    let mut out = BytesMut::new();
    Command::Ready(m).encode(&mut out);
    out.to_vec()
}

#[test]
fn waits_at_start_without_decoding_then_resumes() {
    let t0 = Instant::now();
    let mut s = fake_session(AskAt::Start, t0);
    let signature = transmit(&mut s);
    assert_eq!(signature.len(), SIGNATURE_LEN);
    let input = peer_bytes();
    s.handle_input(&input);
    let Ok(Some(Event::AuthRequest(req))) = s.poll_event() else {
        panic!("no AuthRequest")
    };
    // the rest of our greeting went out once the peer's arrived, nothing more
    assert_eq!(transmit(&mut s).len(), GREETING_LEN - SIGNATURE_LEN);
    assert_eq!(req.domain, "global");
    assert_eq!(req.identity, "srv", "our own routing id, as libzmq");
    assert!(req.address.is_empty() && req.credentials.is_empty());
    assert_eq!(req.mechanism, MechanismName::NULL);
    // asked once; nothing decoded or sent while waiting
    for _ in 0..3 {
        assert_eq!(s.poll_event(), Ok(None));
    }
    assert_eq!(s.recv_buf().len(), input.len() - GREETING_LEN);
    assert!(!s.has_transmit() && !s.is_ready());
    assert_eq!(s.poll_timeout(), Some(t0 + IVL));
    assert_eq!(s.handle_timeout(t0 + IVL / 2), Ok(()));

    assert_eq!(s.handle_auth_reply(AuthReply::new(STATUS_OK)), Ok(()));
    assert_eq!(
        transmit(&mut s),
        ready_frame(&[("Socket-Type", b"ROUTER"), ("Identity", b"srv")])
    );
    let Ok(Some(Event::Ready(info))) = s.poll_event() else {
        panic!("not ready")
    };
    assert_eq!(info.socket_type, Some(SocketType::Dealer));
    assert_eq!(
        s.poll_event(),
        Ok(Some(Event::Frame {
            more: false,
            body: Bytes::from_static(b"hi")
        }))
    );
    assert_eq!(s.poll_timeout(), None);
    // a late or duplicate reply is ignored
    assert_eq!(s.handle_auth_reply(AuthReply::new(STATUS_FAILED)), Ok(()));
    assert!(s.is_ready() && !s.has_transmit());
}

#[test]
fn reply_completes_the_handshake() {
    let mut s = fake_session(AskAt::PeerReady, Instant::now());
    transmit(&mut s);
    s.handle_input(&peer_bytes());
    assert!(matches!(s.poll_event(), Ok(Some(Event::AuthRequest(_)))));
    // our READY went out (after the rest of our greeting) before the wait; no
    // Ready until the reply
    let out = transmit(&mut s);
    assert_eq!(
        out[GREETING_LEN - SIGNATURE_LEN..],
        ready_frame(&[("Socket-Type", b"ROUTER"), ("Identity", b"srv")])
    );
    assert_eq!(s.poll_event(), Ok(None));
    assert!(s.peer_info().is_none());
    let mut reply = AuthReply::new(STATUS_OK);
    reply.user_id = Bytes::from_static(b"alice");
    s.handle_auth_reply(reply).unwrap();
    assert!(matches!(s.poll_event(), Ok(Some(Event::Ready(_)))));
    assert!(s.is_ready());
    assert!(matches!(s.poll_event(), Ok(Some(Event::Frame { .. }))));
}

#[test]
fn refusal_fails_the_session() {
    let mut s = fake_session(AskAt::Start, Instant::now());
    transmit(&mut s);
    s.handle_input(&peer_bytes());
    assert!(matches!(s.poll_event(), Ok(Some(Event::AuthRequest(_)))));
    assert_eq!(transmit(&mut s).len(), GREETING_LEN - SIGNATURE_LEN);
    let err = s
        .handle_auth_reply(AuthReply::new(STATUS_FAILED))
        .unwrap_err();
    assert_eq!(
        err,
        ProtocolError::Mechanism("authentication refused".into())
    );
    // what the mechanism told the peer is still flushed
    assert_eq!(transmit(&mut s), b"\x04\x0a\x05ERROR\x03400");
    assert_eq!(s.poll_event(), Err(err));
    assert_eq!(s.poll_timeout(), None);
    assert_eq!(s.handle_auth_reply(AuthReply::new(STATUS_OK)), Ok(()));
    assert!(!s.is_ready());
}

#[test]
fn deadline_fires_while_waiting() {
    let t0 = Instant::now();
    let mut s = fake_session(AskAt::Start, t0);
    transmit(&mut s);
    s.handle_input(&peer_bytes());
    assert!(matches!(s.poll_event(), Ok(Some(Event::AuthRequest(_)))));
    assert_eq!(transmit(&mut s).len(), GREETING_LEN - SIGNATURE_LEN);
    assert_eq!(s.poll_timeout(), Some(t0 + IVL));
    assert_eq!(
        s.handle_timeout(t0 + IVL),
        Err(ProtocolError::HandshakeTimeout)
    );
    assert_eq!(s.poll_event(), Err(ProtocolError::HandshakeTimeout));
    // the answer arriving after the timeout is ignored
    assert_eq!(s.handle_auth_reply(AuthReply::new(STATUS_OK)), Ok(()));
    assert!(!s.is_ready() && !s.has_transmit());
}

#[test]
fn null_never_waits_and_refuses_replies() {
    let mut null = NullMechanism::new();
    let mut out = BytesMut::new();
    assert!(matches!(
        null.on_auth_reply(AuthReply::new(STATUS_OK), &Metadata::new(), &mut out),
        Err(ProtocolError::Mechanism(_))
    ));
    assert!(out.is_empty());
    // a NULL session ignores a reply nobody asked for
    let mut s = Session::new(
        SessionConfig::new(SocketType::Pull),
        Box::new(NullMechanism::new()),
        Instant::now(),
    );
    assert_eq!(s.handle_auth_reply(AuthReply::new(STATUS_OK)), Ok(()));
    assert_eq!(s.poll_event(), Ok(None));
}
