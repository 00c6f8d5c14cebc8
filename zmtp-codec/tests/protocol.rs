//! The `Protocol` surface of `Session` and `RawSession`: timers driven with
//! explicit `Instant`s, what the peer is told on fatal errors, the
//! subscription form per peer version, the failed state, byte-by-byte input,
//! the large-body fast path, and two endpoints wired through the trait.

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use zmtp_codec::command::Command;
use zmtp_codec::frame::{WriteBuf, encode_frame_header};
use zmtp_codec::{
    Event, Greeting, MechanismName, Metadata, NullMechanism, Protocol, ProtocolError, RawSession,
    SIGNATURE_LEN, Session, SessionConfig, SocketType,
};

const IVL: Duration = Duration::from_secs(5);

fn session_at(t: SocketType, now: Instant, ivl: Option<Duration>) -> Session {
    let mut cfg = SessionConfig::new(t);
    cfg.handshake_ivl = ivl;
    Session::new(cfg, Box::new(NullMechanism::new()), now)
}

fn greeting(minor: u8) -> Vec<u8> {
    let mut g = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, minor];
    g.extend_from_slice(b"NULL");
    g.resize(64, 0);
    g
}

fn ready_frame(socket_type: &str) -> Vec<u8> {
    let mut m = Metadata::new();
    m.push("Socket-Type", socket_type.to_owned()).unwrap();
    let mut out = BytesMut::new();
    Command::Ready(m).encode(&mut out);
    out.to_vec()
}

fn drain(w: &mut WriteBuf) -> Vec<u8> {
    let mut v = Vec::new();
    while !w.is_empty() {
        let c = w.contiguous().to_vec();
        w.advance(c.len());
        v.extend(c);
    }
    v
}

fn transmit(p: &mut impl Protocol) -> Vec<u8> {
    let mut w = WriteBuf::new();
    while p.has_transmit() {
        p.poll_transmit(&mut w);
    }
    drain(&mut w)
}

fn events(p: &mut impl Protocol) -> Result<Vec<Event>, ProtocolError> {
    let mut v = Vec::new();
    while let Some(e) = p.poll_event()? {
        v.push(e);
    }
    Ok(v)
}

/// A session of type `ours` past the handshake with a `theirs` peer
/// announcing ZMTP 3.`minor`; its output so far is dropped.
fn ready(ours: SocketType, theirs: &str, minor: u8) -> Session {
    let mut s = session_at(ours, Instant::now(), Some(IVL));
    let mut bytes = greeting(minor);
    bytes.extend(ready_frame(theirs));
    s.handle_input(&bytes);
    assert!(matches!(events(&mut s).unwrap()[..], [Event::Ready(_)]));
    transmit(&mut s);
    s
}

#[test]
fn handshake_deadline_fires_at_not_before() {
    let t0 = Instant::now();
    let mut s = session_at(SocketType::Pull, t0, Some(IVL));
    assert_eq!(s.poll_timeout(), Some(t0 + IVL));
    assert_eq!(s.handle_timeout(t0), Ok(()));
    assert_eq!(s.handle_timeout(t0 + IVL - Duration::from_nanos(1)), Ok(()));
    assert_eq!(s.poll_timeout(), Some(t0 + IVL));
    // the deadline keeps running through the handshake
    s.handle_input(&greeting(1));
    assert_eq!(events(&mut s), Ok(vec![]));
    assert_eq!(s.poll_timeout(), Some(t0 + IVL));
    transmit(&mut s);
    let err = s.handle_timeout(t0 + IVL).unwrap_err();
    assert_eq!(err, ProtocolError::HandshakeTimeout);
    assert!(!err.stops_reconnect(), "a timeout is retried");
    assert_eq!(err.code(), 0x1000_0000);
    // failed: no timers, nothing told to the peer, nothing decoded any more
    assert_eq!(s.poll_timeout(), None);
    assert!(!s.has_transmit());
    s.handle_input(&ready_frame("PUSH"));
    assert_eq!(s.poll_event(), Err(ProtocolError::HandshakeTimeout));
    assert_eq!(s.poll_event(), Err(ProtocolError::HandshakeTimeout));
    assert!(!s.is_ready());
    assert_eq!(s.failure(), Some(&ProtocolError::HandshakeTimeout));
    assert_eq!(s.handle_timeout(t0 + IVL * 2), Ok(()));
}

#[test]
fn handshake_deadline_cleared_at_ready_and_optional() {
    let t0 = Instant::now();
    let mut s = session_at(SocketType::Pull, t0, Some(IVL));
    let mut bytes = greeting(1);
    bytes.extend(ready_frame("PUSH"));
    s.handle_input(&bytes);
    assert!(matches!(events(&mut s).unwrap()[..], [Event::Ready(_)]));
    assert_eq!(s.poll_timeout(), None);
    assert_eq!(s.handle_timeout(t0 + IVL * 10), Ok(()));
    assert!(s.is_ready());

    let s = session_at(SocketType::Pull, t0, None);
    assert_eq!(s.poll_timeout(), None);
    // a deadline Instant cannot represent never fires
    let s = session_at(SocketType::Pull, t0, Some(Duration::MAX));
    assert_eq!(s.poll_timeout(), None);
}

#[test]
fn incompatible_socket_type_queues_error_command() {
    let mut s = session_at(SocketType::Push, Instant::now(), Some(IVL));
    assert_eq!(transmit(&mut s).len(), SIGNATURE_LEN);
    let mut bytes = greeting(1);
    bytes.extend(ready_frame("PUSH"));
    bytes.extend([0x00, 0x01, b'x']);
    s.handle_input(&bytes);
    let err = s.poll_event().unwrap_err();
    assert!(matches!(err, ProtocolError::IncompatibleSocketType { .. }));
    assert!(err.stops_reconnect());
    assert_eq!(err.code(), 0x1000_0018);
    assert_eq!(err.peer_reason(), Some(&b"incompatible socket type"[..]));
    let out = transmit(&mut s);
    // the rest of our greeting, our READY, then the ERROR
    let mut ours = BytesMut::new();
    Greeting::new(MechanismName::NULL, false).encode(&mut ours);
    let mut expected = ours[SIGNATURE_LEN..].to_vec();
    let mut ready = BytesMut::new();
    let mut m = Metadata::new();
    m.push("Socket-Type", "PUSH").unwrap();
    Command::Ready(m).encode(&mut ready);
    expected.extend_from_slice(&ready);
    expected.extend([0x04, 0x1F, 0x05, b'E', b'R', b'R', b'O', b'R', 0x18]);
    expected.extend_from_slice(b"incompatible socket type");
    assert_eq!(out, expected);
    // the failure sticks, is told once, and nothing more is decoded
    assert_eq!(s.poll_event(), Err(err.clone()));
    assert!(!s.has_transmit());
    assert_eq!(s.recv_buf().len(), 3);
    assert_eq!(s.poll_timeout(), None);
    let mut w = WriteBuf::new();
    assert_eq!(
        s.encode_frame(false, &Bytes::from_static(b"x"), &mut w),
        Err(ProtocolError::NotReady)
    );
}

#[test]
fn other_errors_tell_the_peer_nothing() {
    let mut s = ready(SocketType::Pull, "PUSH", 1);
    s.handle_input(b"\x04\x0a\x05ERROR\x03bye\x00\x01x");
    let err = s.poll_event().unwrap_err();
    assert_eq!(err, ProtocolError::PeerError("bye".into()));
    assert!(err.stops_reconnect());
    assert!(!s.has_transmit());
    assert!(!s.is_ready());
    assert_eq!(s.poll_event(), Err(err));
    assert_eq!(s.recv_buf().len(), 3);
    for e in [
        ProtocolError::BadGreeting("x"),
        ProtocolError::FrameTooLarge { size: 2, max: 1 },
        ProtocolError::HandshakeTimeout,
    ] {
        assert_eq!(e.peer_reason(), None);
    }
    assert!(!ProtocolError::NotReady.stops_reconnect());
}

#[test]
fn subscription_form_follows_peer_version() {
    let sub = Bytes::from_static(b"A");
    let mut w = WriteBuf::new();
    let mut s30 = ready(SocketType::Sub, "PUB", 0);
    s30.encode_subscription(true, &sub, &mut w).unwrap();
    s30.encode_subscription(false, &sub, &mut w).unwrap();
    assert_eq!(
        drain(&mut w),
        [0x00, 0x02, 0x01, 0x41, 0x00, 0x02, 0x00, 0x41]
    );
    let mut s31 = ready(SocketType::Sub, "PUB", 1);
    s31.encode_subscription(true, &sub, &mut w).unwrap();
    s31.encode_subscription(false, &sub, &mut w).unwrap();
    let mut expected = vec![0x04, 0x0B, 0x09];
    expected.extend_from_slice(b"SUBSCRIBEA");
    expected.extend([0x04, 0x08, 0x06]);
    expected.extend_from_slice(b"CANCELA");
    assert_eq!(drain(&mut w), expected);
    // a long topic on a 3.0 peer: long header, prefix byte counted
    let long = Bytes::from(vec![b't'; 255]);
    s30.encode_subscription(true, &long, &mut w).unwrap();
    let out = drain(&mut w);
    assert_eq!(&out[..10], &[0x02, 0, 0, 0, 0, 0, 0, 1, 0, 0x01]);
    assert_eq!(out.len(), 9 + 256);
}

#[test]
fn byte_by_byte_input_gives_the_same_events() {
    let mut bytes = greeting(1);
    bytes.extend(ready_frame("PUSH"));
    bytes.extend([0x01, 0x01, b'a']);
    bytes.extend(b"\x04\x07\x04PING\x00\x05");
    let mut big = BytesMut::new();
    encode_frame_header(&mut big, 0, 300);
    bytes.extend_from_slice(&big);
    bytes.extend((0..300).map(|i| i as u8));

    let mut whole = session_at(SocketType::Pull, Instant::now(), Some(IVL));
    whole.handle_input(&bytes);
    let expected = events(&mut whole).unwrap();
    assert_eq!(expected.len(), 4);

    let mut s = session_at(SocketType::Pull, Instant::now(), Some(IVL));
    let mut got = Vec::new();
    for b in &bytes {
        s.handle_input(std::slice::from_ref(b));
        got.extend(events(&mut s).unwrap());
        // whatever is buffered is not enough for the next unit
        assert!(s.needed() > s.recv_buf().len());
    }
    assert_eq!(got, expected);
    assert_eq!(transmit(&mut s), transmit(&mut whole));
}

#[test]
fn large_body_fast_path_on_the_internal_buffer() {
    let mut s = ready(SocketType::Pull, "PUSH", 1);
    let mut bytes = BytesMut::new();
    encode_frame_header(&mut bytes, 0x01, 1000);
    bytes.extend_from_slice(&[9; 10]);
    s.handle_input(&bytes[..5]);
    assert_eq!(s.take_large_body(512), Ok(None));
    s.handle_input(&bytes[5..]);
    assert_eq!(s.take_large_body(2000), Ok(None));
    assert_eq!(s.take_large_body(512), Ok(Some((true, 1000))));
    // the header is consumed; the driver takes the body itself
    assert_eq!(&s.recv_buf()[..], &[9; 10]);
    s.recv_buf().clear();
    // commands are not taken, whatever their size
    s.handle_input(b"\x04\x05\x04PONG");
    assert_eq!(s.take_large_body(0), Ok(None));
    assert_eq!(events(&mut s), Ok(vec![Event::Pong]));
    let mut tiny = session_at(SocketType::Pull, Instant::now(), None);
    tiny.handle_input(&[0x02, 0, 0, 0, 0, 0, 0, 4, 0]);
    assert_eq!(tiny.take_large_body(256), Ok(None), "not in the data phase");
}

/// Moves bytes both ways until neither side has anything to say, in pieces of
/// `piece` bytes, collecting each side's events.
fn pump(
    a: &mut impl Protocol,
    b: &mut impl Protocol,
    wa: &mut WriteBuf,
    wb: &mut WriteBuf,
    piece: usize,
) -> (Vec<Event>, Vec<Event>) {
    let (mut ea, mut eb) = (Vec::new(), Vec::new());
    loop {
        a.poll_transmit(wa);
        b.poll_transmit(wb);
        if wa.is_empty() && wb.is_empty() {
            ea.extend(events(a).unwrap());
            eb.extend(events(b).unwrap());
            if !a.has_transmit() && !b.has_transmit() {
                return (ea, eb);
            }
            continue;
        }
        move_piece(wa, b, piece);
        move_piece(wb, a, piece);
        ea.extend(events(a).unwrap());
        eb.extend(events(b).unwrap());
    }
}

fn move_piece(w: &mut WriteBuf, to: &mut impl Protocol, piece: usize) {
    let n = w.contiguous().len().min(piece);
    to.handle_input(&w.contiguous()[..n]);
    w.advance(n);
}

#[test]
fn two_sessions_through_the_trait() {
    let t0 = Instant::now();
    let mut a = session_at(SocketType::XPub, t0, Some(IVL));
    let mut b = session_at(SocketType::XSub, t0, Some(IVL));
    let (mut wa, mut wb) = (WriteBuf::new(), WriteBuf::new());
    let (ea, eb) = pump(&mut a, &mut b, &mut wa, &mut wb, 7);
    let [Event::Ready(pa)] = &ea[..] else {
        panic!("{ea:?}")
    };
    let [Event::Ready(pb)] = &eb[..] else {
        panic!("{eb:?}")
    };
    assert_eq!(pa.socket_type, Some(SocketType::XSub));
    assert_eq!(pb.socket_type, Some(SocketType::XPub));
    assert_eq!(a.peer_info(), Some(pa));
    assert_eq!((a.poll_timeout(), b.poll_timeout()), (None, None));

    let topic = Bytes::from_static(b"news");
    b.encode_subscription(true, &topic, &mut wb).unwrap();
    b.encode_subscription(false, &topic, &mut wb).unwrap();
    let body = Bytes::from(vec![5u8; 40_000]);
    a.encode_frame(true, &topic, &mut wa).unwrap();
    a.encode_frame(false, &body, &mut wa).unwrap();
    let (ea, eb) = pump(&mut a, &mut b, &mut wa, &mut wb, 4096);
    assert_eq!(
        ea,
        vec![
            Event::Subscribe(topic.clone()),
            Event::Cancel(topic.clone())
        ]
    );
    assert_eq!(
        eb,
        vec![
            Event::Frame {
                more: true,
                body: topic
            },
            Event::Frame { more: false, body }
        ]
    );
}

#[test]
fn raw_sessions_through_the_trait() {
    let mut a = RawSession::new();
    let mut b = RawSession::new();
    let (mut wa, mut wb) = (WriteBuf::new(), WriteBuf::new());
    let (ea, eb) = pump(&mut a, &mut b, &mut wa, &mut wb, 100);
    for e in [ea, eb] {
        let [Event::Ready(info)] = &e[..] else {
            panic!("{e:?}")
        };
        assert_eq!(info.socket_type, None);
    }
    a.encode_subscription(true, &Bytes::from_static(b"ignored"), &mut wa)
        .unwrap();
    a.encode_frame(true, &Bytes::from_static(b"GET /"), &mut wa)
        .unwrap();
    a.encode_frame(false, &Bytes::from_static(b" HTTP"), &mut wa)
        .unwrap();
    // the receiver sees whatever arrived per poll: pieces of 4 bytes here
    let (_, eb) = pump(&mut a, &mut b, &mut wa, &mut wb, 4);
    let got: Vec<u8> = eb
        .iter()
        .flat_map(|e| match e {
            Event::Frame { more: false, body } => body.to_vec(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(got, b"GET / HTTP");
    // one single-frame message per piece delivered: 4 + 1 + 4 + 1 bytes
    assert_eq!(eb.len(), 4);
}
