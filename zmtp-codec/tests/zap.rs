//! ZAP through the real mechanisms: NULL with a ZAP domain (`with_auth`),
//! PLAIN's refusals in both ERROR forms, and the properties an accepted
//! reply adds to the peer's metadata.

mod common;

use std::time::Instant;

use bytes::Bytes;
use common::pair::{feed, pump, transmit};
use zmtp_codec::auth::{AuthReply, STATUS_OK};
use zmtp_codec::error::codes;
use zmtp_codec::{
    Event, Greeting, Mechanism, MechanismName, NullMechanism, PlainMechanism, Protocol,
    ProtocolError, Session, SessionConfig, SocketType,
};

fn session(kind: SocketType, m: impl Mechanism) -> Session {
    Session::new(SessionConfig::new(kind), Box::new(m), Instant::now())
}

#[test]
fn null_with_auth_asks_before_ready_and_adds_the_zap_properties() {
    let mut s = session(SocketType::Router, NullMechanism::with_auth());
    let mut c = session(SocketType::Dealer, NullMechanism::new());
    let [cs, ss] = pump(&mut c, &mut s);
    assert!(cs.error.is_none() && ss.error.is_none());
    // The server asked at once, without credentials, and sent no READY yet;
    // the client's READY (already received) waits in the buffer.
    let req = ss
        .events
        .iter()
        .find_map(|e| match e {
            Event::AuthRequest(r) => Some(r.clone()),
            _ => None,
        })
        .expect("asked");
    assert_eq!(req.mechanism, MechanismName::NULL);
    assert!(req.credentials.is_empty());
    assert!(cs.ready().is_none() && ss.ready().is_none());

    let mut reply = AuthReply::new(STATUS_OK);
    reply.user_id = Bytes::from_static(b"bob");
    reply.metadata.push("X-Tier", "gold").unwrap();
    s.handle_auth_reply(reply).unwrap();
    let [cs, ss] = pump(&mut c, &mut s);
    assert!(cs.error.is_none() && ss.error.is_none(), "{cs:?} {ss:?}");
    assert!(cs.ready().is_some());
    let peer = ss.ready().expect("server ready");
    assert_eq!(peer.socket_type, Some(SocketType::Dealer));
    assert_eq!(&peer.metadata.get("User-Id").unwrap()[..], b"bob");
    assert_eq!(&peer.metadata.get("X-Tier").unwrap()[..], b"gold");
    assert!(peer.metadata.get("Socket-Type").is_some());
    // Without ZAP there is no User-Id.
    let info = cs.ready().unwrap();
    assert!(info.metadata.get("User-Id").is_none());
}

#[test]
fn null_with_auth_refusals() {
    for status in [400u16, 500, 300] {
        let mut s = session(SocketType::Router, NullMechanism::with_auth());
        let mut c = session(SocketType::Dealer, NullMechanism::new());
        pump(&mut c, &mut s);
        assert_eq!(
            s.handle_auth_reply(AuthReply::new(status)),
            Err(ProtocolError::AuthFailed { status })
        );
        let told = transmit(&mut s);
        let (_, cerr) = feed(&mut c, &told, usize::MAX);
        if status == 300 {
            assert!(told.is_empty());
            assert_eq!(cerr, None);
        } else {
            assert_eq!(cerr, Some(ProtocolError::AuthFailed { status }));
        }
    }
}

#[test]
fn plain_refusal_300_closes_silently() {
    let mut c = session(
        SocketType::Dealer,
        PlainMechanism::client(Bytes::from_static(b"u"), Bytes::from_static(b"p")).unwrap(),
    );
    let mut s = session(SocketType::Router, PlainMechanism::server(true));
    pump(&mut c, &mut s);
    assert_eq!(
        s.handle_auth_reply(AuthReply::new(300)),
        Err(ProtocolError::AuthFailed { status: 300 })
    );
    assert!(transmit(&mut s).is_empty());
}

#[test]
fn plain_and_null_clients_understand_libzmq_plains_broken_error() {
    // libzmq's PLAIN server: 04 09 5E 52 52 4F 52 03 34 30 30.
    let broken = [
        0x04, 0x09, 0x5E, 0x52, 0x52, 0x4F, 0x52, 0x03, 0x34, 0x30, 0x30,
    ];
    let mut greeting = bytes::BytesMut::new();
    Greeting::new(MechanismName::PLAIN, true).encode(&mut greeting);
    let mut c = session(
        SocketType::Dealer,
        PlainMechanism::client(Bytes::from_static(b"u"), Bytes::from_static(b"p")).unwrap(),
    );
    let mut input = greeting.to_vec();
    input.extend_from_slice(&broken);
    assert_eq!(
        feed(&mut c, &input, usize::MAX).1,
        Some(ProtocolError::AuthFailed { status: 400 })
    );

    let mut greeting = bytes::BytesMut::new();
    Greeting::new(MechanismName::NULL, false).encode(&mut greeting);
    let mut n = session(SocketType::Dealer, NullMechanism::new());
    let mut input = greeting.to_vec();
    input.extend_from_slice(&broken);
    assert_eq!(
        feed(&mut n, &input, usize::MAX).1,
        Some(ProtocolError::AuthFailed { status: 400 })
    );
}

#[test]
fn plain_malformed_hello_and_welcome_codes() {
    let mut greeting = bytes::BytesMut::new();
    Greeting::new(MechanismName::PLAIN, false).encode(&mut greeting);
    let mut s = session(SocketType::Router, PlainMechanism::server(false));
    let mut input = greeting.to_vec();
    input.extend_from_slice(b"\x04\x09\x05HELLO\x05ab"); // user name truncated
    let err = feed(&mut s, &input, usize::MAX).1.expect("refused");
    assert_eq!(err.code(), codes::ZMTP_MALFORMED_COMMAND_HELLO);

    let mut greeting = bytes::BytesMut::new();
    Greeting::new(MechanismName::PLAIN, true).encode(&mut greeting);
    let mut c = session(
        SocketType::Dealer,
        PlainMechanism::client(Bytes::from_static(b"u"), Bytes::from_static(b"p")).unwrap(),
    );
    let mut input = greeting.to_vec();
    input.extend_from_slice(b"\x04\x09\x07WELCOMEx");
    let err = feed(&mut c, &input, usize::MAX).1.expect("refused");
    assert_eq!(err.code(), codes::ZMTP_MALFORMED_COMMAND_WELCOME);
}
