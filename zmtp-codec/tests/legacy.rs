//! ZMTP 1.0 and 2.0 peers, written by hand byte by byte as libzmq 2.x/3.x and JeroMQ
//! 0.3 send them: the identity exchange, data both ways in each framing, subscriptions
//! as data, libzmq's phantom subscription for unversioned peers, no heartbeats, and
//! refusals (secured sockets, garbage, oversized identities, commands).

mod common;

use std::time::{Duration, Instant};

use bytes::Bytes;
use common::pair::{feed, frame, transmit};
use zmtp_codec::frame::WriteBuf;
use zmtp_codec::version::signature;
use zmtp_codec::{
    Event, Mechanism, NullMechanism, PlainMechanism, Protocol, ProtocolError, SIGNATURE_LEN,
    Session, SessionConfig, SocketType,
};

/// A ZMTP 2.0 greeting (libzmq 3.x / JeroMQ 0.3) of a `t` socket with an empty identity.
fn v2_greeting(revision: u8, t: SocketType) -> Vec<u8> {
    let mut g = signature(0).to_vec();
    g.extend([revision, t.number()]);
    g
}

/// A ZMTP 1.0 frame.
fn v1_frame(more: bool, body: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    let counted = body.len() as u64 + 1;
    if counted < 255 {
        v.push(counted as u8);
    } else {
        v.push(0xFF);
        v.extend(counted.to_be_bytes());
    }
    v.push(u8::from(more));
    v.extend_from_slice(body);
    v
}

fn session_with(cfg: SessionConfig, m: Box<dyn Mechanism>) -> Session {
    Session::new(cfg, m, Instant::now())
}

fn session(t: SocketType, identity: &'static [u8]) -> Session {
    let mut cfg = SessionConfig::new(t);
    cfg.identity = Bytes::from_static(identity);
    session_with(cfg, Box::new(NullMechanism::new()))
}

fn encode(s: &mut Session, more: bool, body: &[u8]) -> Vec<u8> {
    let mut w = WriteBuf::new();
    s.encode_frame(more, &Bytes::copy_from_slice(body), &mut w)
        .expect("ready");
    drain(w)
}

fn subscription(s: &mut Session, subscribe: bool, topic: &'static [u8]) -> Vec<u8> {
    let mut w = WriteBuf::new();
    s.encode_subscription(subscribe, &Bytes::from_static(topic), &mut w)
        .expect("ready");
    drain(w)
}

fn drain(mut w: WriteBuf) -> Vec<u8> {
    let mut v = Vec::new();
    while !w.is_empty() {
        let n = w.contiguous().len();
        v.extend_from_slice(w.contiguous());
        w.advance(n);
    }
    v
}

fn frames_of(evs: &[Event]) -> Vec<(bool, Vec<u8>)> {
    evs.iter()
        .filter_map(|e| match e {
            Event::Frame { more, body } => Some((*more, body.to_vec())),
            _ => None,
        })
        .collect()
}

/// A ZMTP 2.0 peer (a JeroMQ 0.3 PUSH) fed one byte at a time to our ROUTER: it gets
/// our signature, major version, socket type and identity frame; its identity and its
/// frames come out; ours go out in ZMTP 2.0 framing.
#[test]
fn zmtp_2_peer_byte_by_byte() {
    let mut s = session(SocketType::Router, b"rtr");
    let mut sent = transmit(&mut s);
    let mut input = v2_greeting(1, SocketType::Dealer);
    input.extend(frame(0, b"peer-id"));
    input.extend(frame(1, b"a"));
    input.extend(frame(0, &[7u8; 300]));
    let mut evs = Vec::new();
    for &b in &input {
        let (e, err) = feed(&mut s, &[b], 1);
        assert_eq!(err, None);
        evs.extend(e);
        sent.extend(transmit(&mut s));
    }
    let mut want = signature(3).to_vec();
    want.extend([3, SocketType::Router.number()]);
    want.extend(frame(0, b"rtr"));
    assert_eq!(sent, want);
    let Event::Ready(info) = &evs[0] else {
        panic!("{evs:?}")
    };
    assert_eq!((info.major, info.minor), (2, 0));
    assert_eq!(info.socket_type, Some(SocketType::Dealer));
    assert_eq!(info.identity, "peer-id");
    assert!(info.metadata.is_empty());
    assert!(s.is_ready());
    assert_eq!(
        frames_of(&evs),
        vec![(true, b"a".to_vec()), (false, vec![7u8; 300])]
    );
    assert_eq!(encode(&mut s, true, b"x"), frame(1, b"x"));
    assert_eq!(encode(&mut s, false, &[1u8; 256]), frame(0, &[1u8; 256]));
    assert!(s.peer_greeting().is_none());
    assert_eq!(
        s.peer_version(),
        Some(zmtp_codec::PeerVersion::Zmtp20 {
            socket_type: SocketType::Dealer.number()
        })
    );
}

/// Revision 0: a 12-byte greeting, then ZMTP 1.0 framing both ways.
#[test]
fn revision_zero_speaks_zmtp_1_framing() {
    let mut s = session(SocketType::Dealer, b"");
    transmit(&mut s);
    let mut input = v2_greeting(0, SocketType::Router);
    input.extend(v1_frame(false, b""));
    input.extend(v1_frame(true, b"hello"));
    input.extend(v1_frame(false, &[9u8; 1000]));
    let (evs, err) = feed(&mut s, &input, 3);
    assert_eq!(err, None);
    assert!(matches!(&evs[0], Event::Ready(i) if i.major == 1 && i.identity.is_empty()));
    assert_eq!(
        frames_of(&evs),
        vec![(true, b"hello".to_vec()), (false, vec![9u8; 1000])]
    );
    let out = transmit(&mut s);
    // the socket type, then our empty identity as a ZMTP 1.0 frame
    assert_eq!(
        out,
        [&[3, SocketType::Dealer.number()][..], &v1_frame(false, b"")].concat()
    );
    assert_eq!(encode(&mut s, true, b"hi"), v1_frame(true, b"hi"));
    assert_eq!(
        encode(&mut s, false, &[5u8; 400]),
        v1_frame(false, &[5u8; 400])
    );
}

/// A ZMTP 1.0 peer without a signature (libzmq 2.x): its first frame is its identity;
/// ours is the signature we already sent plus the identity's body. A PUB gets a
/// phantom subscription to everything from it (it never forwards subscriptions).
#[test]
fn unversioned_peer_gets_our_identity_body_and_a_pub_subscribes_it_to_everything() {
    for (t, phantom) in [
        (SocketType::Pub, true),
        (SocketType::XPub, true),
        (SocketType::Router, false),
    ] {
        let mut s = session(t, b"me");
        let sig = transmit(&mut s);
        let id_len = if t == SocketType::Router { 2 } else { 0 };
        assert_eq!(sig, signature(id_len));
        let mut input = v1_frame(false, b"old");
        input.extend(v1_frame(false, b"data"));
        let (evs, err) = feed(&mut s, &input, 1);
        assert_eq!(err, None);
        let Event::Ready(info) = &evs[0] else {
            panic!("{evs:?}")
        };
        assert_eq!((info.major, info.identity.as_ref()), (1, &b"old"[..]));
        assert_eq!(info.socket_type, None);
        assert_eq!(
            evs.get(1) == Some(&Event::Subscribe(Bytes::new())),
            phantom,
            "{t:?}: {evs:?}"
        );
        assert_eq!(frames_of(&evs), vec![(false, b"data".to_vec())]);
        let body: &[u8] = if t == SocketType::Router { b"me" } else { b"" };
        assert_eq!(transmit(&mut s), body, "{t:?}");
        assert_eq!(encode(&mut s, false, b"x"), v1_frame(false, b"x"));
    }
}

/// Subscriptions travel as data frames `0x01`/`0x00` + topic in both old framings.
#[test]
fn subscriptions_are_data_frames() {
    for revision in [0u8, 1] {
        let mut s = session(SocketType::Sub, b"");
        transmit(&mut s);
        let mut input = v2_greeting(revision, SocketType::Pub);
        input.extend(if revision == 0 {
            v1_frame(false, b"")
        } else {
            frame(0, b"")
        });
        let (evs, err) = feed(&mut s, &input, usize::MAX);
        assert!(err.is_none() && matches!(evs[..], [Event::Ready(_)]));
        let (sub, cancel) = if revision == 0 {
            (v1_frame(false, b"\x01news"), v1_frame(false, b"\x00news"))
        } else {
            (frame(0, b"\x01news"), frame(0, b"\x00news"))
        };
        assert_eq!(subscription(&mut s, true, b"news"), sub);
        assert_eq!(subscription(&mut s, false, b"news"), cancel);
    }
}

/// No heartbeats to an old peer (it has no PING), and the handshake deadline ends
/// with its identity.
#[test]
fn no_timers_after_an_old_peers_identity() {
    let t0 = Instant::now();
    let mut cfg = SessionConfig::new(SocketType::Pull);
    cfg.heartbeat_ivl = Some(Duration::from_millis(100));
    cfg.handshake_ivl = Some(Duration::from_secs(1));
    let mut s = Session::new(cfg, Box::new(NullMechanism::new()), t0);
    transmit(&mut s);
    assert!(s.poll_timeout().is_some());
    let mut input = v2_greeting(1, SocketType::Push);
    input.extend(frame(0, b""));
    let (evs, err) = feed(&mut s, &input, usize::MAX);
    assert!(err.is_none() && matches!(evs[..], [Event::Ready(_)]));
    assert_eq!(s.poll_timeout(), None);
    assert_eq!(s.handle_timeout(t0 + Duration::from_secs(60)), Ok(()));
    assert!(transmit(&mut s).is_empty() || s.is_ready());
    assert!(s.is_ready());
}

/// A socket with a mechanism or a ZAP domain refuses every old peer, as libzmq does.
#[test]
fn secured_sockets_refuse_old_peers() {
    type Make = fn() -> Box<dyn Mechanism>;
    let secured: [(&str, Make); 4] = [
        ("NULL with ZAP", || Box::new(NullMechanism::with_auth())),
        ("NULL with a domain, no handler", || {
            Box::new(NullMechanism::new().zmtp3_only())
        }),
        ("PLAIN server", || Box::new(PlainMechanism::server(false))),
        ("PLAIN client", || {
            Box::new(PlainMechanism::client("u".into(), "p".into()).expect("credentials"))
        }),
    ];
    for (what, make) in secured {
        for (input, major) in [
            (v2_greeting(1, SocketType::Dealer), 2),
            (v2_greeting(0, SocketType::Dealer), 1),
            (v1_frame(false, b"id"), 1),
        ] {
            let mut s = session_with(SessionConfig::new(SocketType::Router), make());
            transmit(&mut s);
            let (_, err) = feed(&mut s, &input, usize::MAX);
            assert_eq!(
                err,
                Some(ProtocolError::UnsupportedVersion { major }),
                "{what}"
            );
            let e = err.expect("refused");
            assert!(e.stops_reconnect() && e.peer_reason().is_none(), "{what}");
        }
    }
}

/// Garbage on the old paths is refused with a typed error, byte by byte or whole.
#[test]
fn garbage_on_the_old_paths_is_refused() {
    let mut long_id = v2_greeting(1, SocketType::Dealer);
    long_id.extend(frame(0, &[b'x'; 256]));
    let mut command = v2_greeting(1, SocketType::Dealer);
    command.extend(frame(0, b""));
    command.extend(frame(0x04, b"\x04PING\x00\x00"));
    let mut v1_zero = v2_greeting(0, SocketType::Dealer);
    v1_zero.push(0);
    let cases: [(&str, Vec<u8>); 6] = [
        ("identity with MORE (0x01 bytes)", vec![0x01; 64]),
        (
            "HTTP request",
            b"GET / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        ),
        ("identity over 255 bytes", long_id),
        ("a command from a ZMTP 2.0 peer", command),
        ("ZMTP 1.0 length 0", v1_zero),
        (
            "unversioned identity over 255 bytes",
            v1_frame(false, &[1u8; 300]),
        ),
    ];
    for (what, input) in cases {
        for step in [1, usize::MAX] {
            let mut s = session(SocketType::Pull, b"");
            transmit(&mut s);
            let (_, err) = feed(&mut s, &input, step);
            assert!(
                matches!(err, Some(ProtocolError::MalformedFrame(_))),
                "{what} (step {step}): {err:?}"
            );
            // the failure sticks, and nothing panics on more input
            s.handle_input(b"\xFF\x00more");
            assert!(s.poll_event().is_err(), "{what}");
        }
    }
}

/// Our signature announces the identity frame a ZMTP 1.0 peer reads: its length
/// counts our ROUTING_ID (REQ, DEALER, ROUTER) plus the flags byte.
#[test]
fn our_signature_is_our_identity_frame_header() {
    for (t, id, len) in [
        (SocketType::Dealer, &b"abcd"[..], 4usize),
        (SocketType::Req, b"", 0),
        (SocketType::Push, b"ignored", 0),
    ] {
        let mut cfg = SessionConfig::new(t);
        cfg.identity = Bytes::copy_from_slice(id);
        let mut s = session_with(cfg, Box::new(NullMechanism::new()));
        let sig = transmit(&mut s);
        assert_eq!(sig.len(), SIGNATURE_LEN);
        assert_eq!(sig, signature(len), "{t:?}");
        assert_eq!(
            u64::from_be_bytes(sig[1..9].try_into().expect("8")),
            len as u64 + 1
        );
    }
}
