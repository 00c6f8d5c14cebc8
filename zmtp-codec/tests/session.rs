//! Session state machine: handshake, error paths and data-phase behaviour,
//! driven with hand-written peer bytes.

use std::time::Instant;

use bytes::{Bytes, BytesMut};
use zmtp_codec::command::Command;
use zmtp_codec::frame::{WriteBuf, encode_frame};
use zmtp_codec::{
    Event, GREETING_LEN, Metadata, NullMechanism, Protocol, ProtocolError, SIGNATURE_LEN, Session,
    SessionConfig, SocketType,
};

/// What is left of our greeting once the signature went out.
const GREETING_REST: usize = GREETING_LEN - SIGNATURE_LEN;

fn session(t: SocketType) -> Session {
    session_with(SessionConfig::new(t))
}

fn session_with(cfg: SessionConfig) -> Session {
    Session::new(cfg, Box::new(NullMechanism::new()), Instant::now())
}

/// libzmq 4.3's NULL greeting (padding ends in 01).
fn libzmq_greeting(major: u8, minor: u8, mech: &[u8]) -> Vec<u8> {
    let mut g = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, major, minor];
    g.extend_from_slice(mech);
    g.resize(64, 0);
    g
}

fn ready_frame(props: &[(&str, &str)]) -> Vec<u8> {
    let mut m = Metadata::new();
    for (n, v) in props {
        m.push(n.to_string(), v.to_string()).unwrap();
    }
    let mut out = BytesMut::new();
    Command::Ready(m).encode(&mut out);
    out.to_vec()
}

fn output(s: &mut Session) -> Vec<u8> {
    let mut w = WriteBuf::new();
    while s.has_transmit() {
        s.poll_transmit(&mut w);
    }
    let mut v = Vec::new();
    while !w.is_empty() {
        let c = w.contiguous().to_vec();
        w.advance(c.len());
        v.extend(c);
    }
    v
}

/// SUBSCRIBE command for topic "A" (ZMTP 3.1 form).
const SUBSCRIBE_A: [u8; 13] = [
    0x04, 0x0B, 0x09, 0x53, 0x55, 0x42, 0x53, 0x43, 0x52, 0x49, 0x42, 0x45, 0x41,
];

/// Wire bytes of a subscription to `topic` encoded by `s`.
fn subscribe_bytes(s: &mut Session, topic: &'static [u8]) -> Vec<u8> {
    let mut w = WriteBuf::new();
    s.encode_subscription(true, &Bytes::from_static(topic), &mut w)
        .unwrap();
    w.contiguous().to_vec()
}

/// Feeds `bytes` and collects events until the session needs more input.
fn feed(s: &mut Session, bytes: &[u8]) -> Result<Vec<Event>, ProtocolError> {
    s.handle_input(bytes);
    let mut evs = Vec::new();
    while let Some(e) = s.poll_event()? {
        evs.push(e);
    }
    Ok(evs)
}

/// A session of type `ours` that has completed the handshake with a
/// libzmq-like peer of type `theirs`.
fn ready_session(ours: SocketType, theirs: &str) -> Session {
    let mut s = session(ours);
    let mut bytes = libzmq_greeting(3, 1, b"NULL");
    bytes.extend(ready_frame(&[("Socket-Type", theirs)]));
    let evs = feed(&mut s, &bytes).unwrap();
    assert!(matches!(evs.as_slice(), [Event::Ready(_)]));
    output(&mut s);
    s
}

#[test]
fn sends_greeting_in_stages_then_ready() {
    let mut s = session(SocketType::Dealer);
    // libzmq's bytes exactly: the padding is an empty identity frame's length
    let expected = libzmq_greeting(3, 1, b"NULL");
    // the signature at once, nothing more before the peer's
    assert!(s.has_transmit());
    assert_eq!(output(&mut s), expected[..SIGNATURE_LEN]);
    assert!(!s.has_transmit());
    assert_eq!(s.needed(), 64);

    let g = libzmq_greeting(3, 1, b"NULL");
    // libzmq's staged greeting: 10 + 1 + 53; ours follows it stage by stage
    assert!(feed(&mut s, &g[..10]).unwrap().is_empty());
    assert_eq!(output(&mut s), expected[10..11], "our major version");
    assert!(feed(&mut s, &g[10..11]).unwrap().is_empty());
    assert_eq!(output(&mut s), expected[11..], "the rest");
    assert!(feed(&mut s, &g[11..]).unwrap().is_empty());
    // our READY is sent without waiting for the peer's
    let ready = output(&mut s);
    assert_eq!(ready.len(), 43);
    assert_eq!(
        ready,
        ready_frame(&[("Socket-Type", "DEALER"), ("Identity", "")])
    );
    assert!(!s.is_ready());
    assert_eq!(s.needed(), 2);

    let evs = feed(
        &mut s,
        &ready_frame(&[("Socket-Type", "ROUTER"), ("Identity", "abc")]),
    )
    .unwrap();
    let [Event::Ready(info)] = evs.as_slice() else {
        panic!("{evs:?}")
    };
    assert_eq!(info.socket_type, Some(SocketType::Router));
    assert_eq!(info.identity, "abc");
    assert_eq!((info.major, info.minor), (3, 1));
    assert_eq!(info.metadata.len(), 2);
    assert!(s.is_ready());
    assert_eq!(s.peer_info(), Some(info));
    assert!(s.recv_buf().is_empty());
}

#[test]
fn identity_sent_only_by_req_dealer_router() {
    for t in SocketType::ALL {
        let mut cfg = SessionConfig::new(t);
        cfg.identity = Bytes::from_static(b"id");
        let mut s = session_with(cfg);
        output(&mut s);
        feed(&mut s, &libzmq_greeting(3, 1, b"NULL")).unwrap();
        let out = output(&mut s).split_off(GREETING_REST);
        let expected = if t.sends_identity() {
            ready_frame(&[("Socket-Type", t.as_str()), ("Identity", "id")])
        } else {
            ready_frame(&[("Socket-Type", t.as_str())])
        };
        assert_eq!(out, expected, "{t}");
    }
    let mut s = session(SocketType::Sub);
    output(&mut s);
    feed(&mut s, &libzmq_greeting(3, 1, b"NULL")).unwrap();
    let sub_ready = output(&mut s).split_off(GREETING_REST);
    assert_eq!(sub_ready.len(), 27);
    assert_eq!(&sub_ready[..2], &[0x04, 0x19]);
}

#[test]
fn garbage_greeting_fails_as_a_zmtp_1_frame() {
    // 'G' is a ZMTP 1.0 length; 'E' has reserved flag bits set: not a ZMTP peer.
    let mut s = session(SocketType::Pull);
    assert_eq!(feed(&mut s, b"G"), Ok(vec![]));
    assert!(matches!(
        feed(&mut s, b"ET / HTTP/1.1\r\n"),
        Err(ProtocolError::MalformedFrame(_))
    ));
}

#[test]
fn signature_without_version_bit_and_reserved_flags_fails() {
    let mut s = session(SocketType::Pull);
    let mut g = libzmq_greeting(3, 1, b"NULL");
    g[9] = 0x7E;
    assert!(matches!(
        feed(&mut s, &g[..10]),
        Err(ProtocolError::MalformedFrame(_))
    ));
}

#[test]
fn revision_one_is_a_zmtp_2_peer() {
    let mut s = session(SocketType::Pull);
    let mut g = libzmq_greeting(1, 0, b"NULL");
    g[11] = SocketType::Push.number();
    assert_eq!(feed(&mut s, &g[..10]), Ok(vec![]));
    assert_eq!(feed(&mut s, &g[10..11]), Ok(vec![]));
    assert_eq!(feed(&mut s, &g[11..12]), Ok(vec![]));
    let evs = feed(&mut s, &[0x00, 0x02, b'i', b'd']).unwrap();
    let [Event::Ready(info)] = evs.as_slice() else {
        panic!("{evs:?}")
    };
    assert_eq!((info.major, info.minor), (2, 0));
    assert_eq!(info.socket_type, Some(SocketType::Push));
    assert_eq!(info.identity, "id");
    let e = ProtocolError::UnsupportedVersion { major: 2 };
    assert_eq!(e.code(), 0x1000_0000);
}

#[test]
fn majors_two_and_four_treated_as_31() {
    for major in [2u8, 4] {
        let mut s = session(SocketType::Push);
        let mut bytes = libzmq_greeting(major, 0, b"NULL");
        bytes.extend(ready_frame(&[("Socket-Type", "PULL")]));
        let evs = feed(&mut s, &bytes).unwrap();
        let [Event::Ready(info)] = evs.as_slice() else {
            panic!()
        };
        assert_eq!((info.major, info.minor), (major, 0));
        // only 3.0 exactly gets the data-frame form
        assert_eq!(subscribe_bytes(&mut s, b"A"), SUBSCRIBE_A);
    }
}

#[test]
fn minor_zero_is_zmtp30_peer() {
    let mut s = session(SocketType::Sub);
    let mut bytes = libzmq_greeting(3, 0, b"NULL");
    bytes.extend(ready_frame(&[("Socket-Type", "PUB")]));
    feed(&mut s, &bytes).unwrap();
    assert!(s.is_ready());
    assert_eq!(subscribe_bytes(&mut s, b"A"), [0x00, 0x02, 0x01, 0x41]);
}

#[test]
fn mechanism_mismatch() {
    let mut s = session(SocketType::Pull);
    let err = feed(&mut s, &libzmq_greeting(3, 1, b"PLAIN")).unwrap_err();
    assert_eq!(
        err,
        ProtocolError::MechanismMismatch {
            ours: "NULL".into(),
            theirs: "PLAIN".into()
        }
    );
    assert_eq!(err.code(), 0x1100_0002);
    // case matters
    let mut s = session(SocketType::Pull);
    assert!(feed(&mut s, &libzmq_greeting(3, 1, b"null")).is_err());
}

#[test]
fn huge_frame_header_never_allocates() {
    let mut s = session(SocketType::Pull);
    feed(&mut s, &libzmq_greeting(3, 1, b"NULL")).unwrap();
    // 2^40-byte command during the handshake, no limit: just waits for the bytes
    let hdr = [0x06, 0, 0, 0x01, 0, 0, 0, 0, 0];
    assert_eq!(feed(&mut s, &hdr), Ok(vec![]));
    assert!(s.needed() <= s.recv_buf().len() + (8 << 20));
    assert!(s.recv_buf().capacity() < 1 << 20);
    // top bit set: rejected outright
    let mut s = session(SocketType::Pull);
    feed(&mut s, &libzmq_greeting(3, 1, b"NULL")).unwrap();
    assert!(matches!(
        feed(&mut s, &[0x06, 0x80, 0, 0, 0, 0, 0, 0, 1]),
        Err(ProtocolError::FrameTooLarge { .. })
    ));
}

#[test]
fn max_msg_size_applies_to_handshake_commands() {
    let mut cfg = SessionConfig::new(SocketType::Pull);
    cfg.max_msg_size = Some(10);
    let mut s = session_with(cfg);
    let mut bytes = libzmq_greeting(3, 1, b"NULL");
    bytes.extend(ready_frame(&[("Socket-Type", "PUSH")]));
    assert_eq!(
        feed(&mut s, &bytes[..66]),
        Err(ProtocolError::FrameTooLarge { size: 26, max: 10 })
    );
}

#[test]
fn max_msg_size_inclusive_checked_before_body() {
    let mut cfg = SessionConfig::new(SocketType::Pull);
    cfg.max_msg_size = Some(30);
    let mut s = session_with(cfg);
    let mut bytes = libzmq_greeting(3, 1, b"NULL");
    bytes.extend(ready_frame(&[("Socket-Type", "PUSH")]));
    feed(&mut s, &bytes).unwrap();
    assert!(s.is_ready());
    let mut f = BytesMut::new();
    encode_frame(&mut f, 0, &[7; 30]);
    let evs = feed(&mut s, &f).unwrap();
    assert!(matches!(&evs[..], [Event::Frame { more: false, body }] if body.len() == 30));
    // header alone of a 31-byte frame fails
    assert_eq!(
        feed(&mut s, &[0x00, 31]),
        Err(ProtocolError::FrameTooLarge { size: 31, max: 30 })
    );
}

#[test]
fn truncated_metadata_rejected() {
    let mut s = session(SocketType::Pull);
    let mut bytes = libzmq_greeting(3, 1, b"NULL");
    // READY with Socket-Type value length 8 but only 4 bytes present
    let body = b"\x05READY\x0bSocket-Type\x00\x00\x00\x08PUSH";
    bytes.extend([0x04, body.len() as u8]);
    bytes.extend_from_slice(body);
    let err = feed(&mut s, &bytes).unwrap_err();
    assert!(matches!(err, ProtocolError::InvalidMetadata(_)));
    assert_eq!(err.code(), 0x1000_0018);
}

#[test]
fn data_before_ready() {
    let mut s = session(SocketType::Pull);
    let mut bytes = libzmq_greeting(3, 1, b"NULL");
    bytes.extend([0x00, 0x02, b'h', b'i']);
    assert_eq!(feed(&mut s, &bytes), Err(ProtocolError::DataBeforeReady));
}

#[test]
fn unexpected_command_during_handshake() {
    let mut s = session(SocketType::Pull);
    let mut bytes = libzmq_greeting(3, 1, b"NULL");
    bytes.extend(b"\x04\x07\x04PING\x00\x00");
    let err = feed(&mut s, &bytes).unwrap_err();
    assert_eq!(err, ProtocolError::UnexpectedCommand("PING".into()));
    assert_eq!(err.code(), 0x1000_0001);
}

#[test]
fn error_during_handshake() {
    let mut s = session(SocketType::Pull);
    let mut bytes = libzmq_greeting(3, 1, b"NULL");
    bytes.extend([
        0x04, 0x0A, 0x05, 0x45, 0x52, 0x52, 0x4F, 0x52, 0x03, 0x34, 0x30, 0x30,
    ]);
    // Exactly "400": an authentication failure (libzmq's HANDSHAKE_FAILED_AUTH).
    assert_eq!(
        feed(&mut s, &bytes),
        Err(ProtocolError::AuthFailed { status: 400 })
    );
}

#[test]
fn error_after_handshake() {
    let mut s = ready_session(SocketType::Pull, "PUSH");
    assert_eq!(
        feed(&mut s, b"\x04\x0a\x05ERROR\x03bye"),
        Err(ProtocolError::PeerError("bye".into()))
    );
}

#[test]
fn incompatible_socket_type() {
    let mut s = session(SocketType::Push);
    let mut bytes = libzmq_greeting(3, 1, b"NULL");
    bytes.extend(ready_frame(&[("Socket-Type", "PUSH")]));
    let err = feed(&mut s, &bytes).unwrap_err();
    assert_eq!(
        err,
        ProtocolError::IncompatibleSocketType {
            ours: SocketType::Push,
            theirs: "PUSH".into()
        }
    );
    // unknown or lower-case type name
    for v in ["pull", "FOO"] {
        let mut s = session(SocketType::Push);
        let mut bytes = libzmq_greeting(3, 1, b"NULL");
        bytes.extend(ready_frame(&[("Socket-Type", v)]));
        assert!(matches!(
            feed(&mut s, &bytes),
            Err(ProtocolError::IncompatibleSocketType { .. })
        ));
    }
}

#[test]
fn missing_socket_type_accepted_like_libzmq() {
    for props in [
        &[][..],
        &[("socket-type", "pub")][..],
        &[("X-Foo", "1")][..],
    ] {
        let mut s = session(SocketType::Push);
        let mut bytes = libzmq_greeting(3, 1, b"NULL");
        bytes.extend(ready_frame(props));
        let evs = feed(&mut s, &bytes).unwrap();
        let [Event::Ready(info)] = evs.as_slice() else {
            panic!()
        };
        assert_eq!(info.socket_type, None);
        assert_eq!(info.identity, "");
    }
}

#[test]
fn unknown_command_and_second_ready_ignored() {
    let mut s = ready_session(SocketType::Pull, "PUSH");
    let mut bytes = b"\x04\x06\x04JOINx".to_vec();
    bytes.extend(ready_frame(&[("Socket-Type", "PUSH")]));
    bytes.extend([0x04, 0x00]); // empty (malformed) command: ignored too
    bytes.extend([0x04, 0x02, 0x09, b'S']); // truncated name: ignored
    bytes.extend([0x00, 0x01, b'm']);
    let evs = feed(&mut s, &bytes).unwrap();
    assert_eq!(
        evs,
        vec![Event::Frame {
            more: false,
            body: Bytes::from_static(b"m")
        }]
    );
    assert!(!s.has_transmit());
}

#[test]
fn ping_queues_pong_with_truncated_context() {
    let mut s = ready_session(SocketType::Pub, "SUB");
    let mut ping = vec![0x04, 7 + 19, 0x04, b'P', b'I', b'N', b'G', 0x00, 0x32];
    ping.extend(0u8..19);
    let evs = feed(&mut s, &ping).unwrap();
    assert_eq!(
        evs,
        vec![Event::Ping {
            ttl_deciseconds: 50
        }]
    );
    let mut expected = vec![0x04, 0x15, 0x04, b'P', b'O', b'N', b'G'];
    expected.extend(0u8..16);
    assert_eq!(output(&mut s), expected);
    // PING without TTL: accepted, TTL 0, empty PONG
    let evs = feed(&mut s, b"\x04\x05\x04PING").unwrap();
    assert_eq!(evs, vec![Event::Ping { ttl_deciseconds: 0 }]);
    assert_eq!(output(&mut s), b"\x04\x05\x04PONG");
    let evs = feed(&mut s, b"\x04\x07\x04PONGab").unwrap();
    assert_eq!(evs, vec![Event::Pong]);
}

#[test]
fn subscribe_and_cancel_events() {
    let mut s = ready_session(SocketType::XPub, "XSUB");
    let bytes = [
        &[0x04, 0x0B, 0x09][..],
        b"SUBSCRIBEA",
        &[0x04, 0x08, 0x06],
        b"CANCELA",
        &[0x00, 0x02, 0x01, 0x41], // 3.0-style subscription: a data frame
    ]
    .concat();
    let evs = feed(&mut s, &bytes).unwrap();
    assert_eq!(
        evs,
        vec![
            Event::Subscribe(Bytes::from_static(b"A")),
            Event::Cancel(Bytes::from_static(b"A")),
            Event::Frame {
                more: false,
                body: Bytes::from_static(b"\x01A")
            }
        ]
    );
}

#[test]
fn encoding_requires_ready_session() {
    let mut s = session(SocketType::Push);
    let mut w = WriteBuf::new();
    assert_eq!(
        s.encode_frame(false, &Bytes::from_static(b"x"), &mut w),
        Err(ProtocolError::NotReady)
    );
    assert_eq!(
        s.encode_subscription(true, &Bytes::new(), &mut w),
        Err(ProtocolError::NotReady)
    );
    let mut s = ready_session(SocketType::Sub, "PUB");
    s.encode_subscription(true, &Bytes::from_static(b"A"), &mut w)
        .unwrap();
    s.encode_frame(true, &Bytes::from_static(b"A"), &mut w)
        .unwrap();
    s.encode_frame(false, &Bytes::from_static(b"B"), &mut w)
        .unwrap();
    let mut expected = b"\x04\x0b\x09SUBSCRIBEA".to_vec();
    expected.extend([0x01, 0x01, 0x41, 0x00, 0x01, 0x42]);
    assert_eq!(w.contiguous(), &expected[..]);
}

#[test]
fn frames_are_not_decoded_past_an_error() {
    let mut s = session(SocketType::Pull);
    let mut bytes = libzmq_greeting(3, 1, b"NULL");
    bytes.extend(ready_frame(&[("Socket-Type", "PUSH")]));
    bytes.extend([0x01, 0x01, b'a', 0x00, 0x01, b'b']);
    let evs = feed(&mut s, &bytes).unwrap();
    assert_eq!(evs.len(), 3);
    assert!(matches!(&evs[1], Event::Frame { more: true, body } if body == "a"));
    assert!(matches!(&evs[2], Event::Frame { more: false, body } if body == "b"));
}
