//! CURVE (RFC 25/26) between two sessions: the handshake and its wire images,
//! encrypted traffic both ways, ZAP, and the cookie key's lifetime.
//! Hostile peers are in `curve_hostile.rs`.

mod common;

use std::time::{Duration, Instant};

use bytes::Bytes;
use common::curve_wire::WireClient;
use common::pair::{events, feed, frame, greet, pump, pump_with, split_frames, transmit};
use zmtp_codec::auth::{AuthReply, STATUS_OK};
use zmtp_codec::error::codes;
use zmtp_codec::frame::WriteBuf;
use zmtp_codec::{
    COOKIE_LIFETIME, CurveKeypair, CurveMechanism, CurvePublicKey, CurveSecretKey, Event, Greeting,
    Mechanism, MechanismName, Metadata, Protocol, ProtocolError, Session, SessionConfig,
    SocketType,
};

const CLIENT_SECRET: &str = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs";
const SERVER_SECRET: &str = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";

fn pair(z85: &str) -> CurveKeypair {
    CurveKeypair::from_secret(CurveSecretKey::parse(z85.as_bytes()).expect("test key"))
}

fn server_public() -> CurvePublicKey {
    pair(SERVER_SECRET).public
}

fn session(kind: SocketType, m: CurveMechanism, now: Instant) -> Session {
    Session::new(SessionConfig::new(kind), Box::new(m), now)
}

fn client(kind: SocketType) -> Session {
    let m = CurveMechanism::client(pair(CLIENT_SECRET), server_public());
    session(kind, m, Instant::now())
}

fn server(kind: SocketType, authenticate: bool) -> Session {
    let now = Instant::now();
    session(
        kind,
        CurveMechanism::server(pair(SERVER_SECRET), authenticate, now),
        now,
    )
}

fn connected(client_kind: SocketType, server_kind: SocketType) -> (Session, Session) {
    let (mut c, mut s) = (client(client_kind), server(server_kind, false));
    let [cs, ss] = pump(&mut c, &mut s);
    assert!(cs.error.is_none() && ss.error.is_none(), "{cs:?} {ss:?}");
    assert!(cs.ready().is_some() && ss.ready().is_some());
    (c, s)
}

/// The wire bytes of one message from `s`.
fn send(s: &mut Session, parts: &[&[u8]]) -> Vec<u8> {
    let mut w = WriteBuf::new();
    for (i, part) in parts.iter().enumerate() {
        s.encode_frame(i + 1 < parts.len(), &Bytes::copy_from_slice(part), &mut w)
            .expect("ready");
    }
    let mut v = Vec::new();
    while !w.is_empty() {
        let n = w.contiguous().len();
        v.extend_from_slice(w.contiguous());
        w.advance(n);
    }
    v
}

#[test]
fn handshake_completes_and_each_side_sees_the_other() {
    let (mut c, mut s) = (
        client(SocketType::Dealer),
        server(SocketType::Router, false),
    );
    let [cs, ss] = pump(&mut c, &mut s);
    assert!(cs.error.is_none() && ss.error.is_none(), "{cs:?} {ss:?}");
    assert_eq!(
        cs.ready().and_then(|p| p.socket_type),
        Some(SocketType::Router)
    );
    let peer = ss.ready().expect("server ready");
    assert_eq!(peer.socket_type, Some(SocketType::Dealer));
    assert_eq!(peer.metadata.get("Identity").map(|v| v.len()), Some(0));
    assert!(c.is_ready() && s.is_ready());
    // No mechanism deadline is left once the handshake is over.
    assert_eq!(s.poll_timeout(), None);
}

#[test]
fn handshake_wire_images() {
    let mut c = client(SocketType::Dealer);
    let mut s = server(SocketType::Router, false);
    // Greetings: CURVE, as-server only on the server.
    let [cg, sg] = greet(&mut c, &mut s);
    let g = Greeting::decode(&cg).unwrap().unwrap();
    assert_eq!((g.mechanism, g.as_server), (MechanismName::CURVE, false));
    let g = Greeting::decode(&sg).unwrap().unwrap();
    assert_eq!((g.mechanism, g.as_server), (MechanismName::CURVE, true));

    let hello = transmit(&mut c);
    assert_eq!(&hello[..2], &[0x04, 0xC8]);
    assert_eq!(hello.len(), 202);
    assert_eq!(&hello[2..10], b"\x05HELLO\x01\x00");
    assert!(hello[10..82].iter().all(|&b| b == 0));
    assert_eq!(&hello[114..122], &1u64.to_be_bytes()); // first short nonce
    assert_eq!(feed(&mut s, &hello, usize::MAX).1, None);

    let welcome = transmit(&mut s);
    assert_eq!(&welcome[..2], &[0x04, 0xA8]);
    assert_eq!(welcome.len(), 170);
    assert_eq!(&welcome[2..10], b"\x07WELCOME");
    assert_eq!(feed(&mut c, &welcome, usize::MAX).1, None);

    let initiate = transmit(&mut c);
    assert_eq!(initiate[0], 0x06); // always a long command
    let frames = split_frames(&initiate);
    assert_eq!(frames.len(), 1);
    let body = &frames[0].1;
    let meta_len = c.local_metadata().encoded_len();
    assert_eq!(body.len(), 257 + meta_len);
    assert_eq!(&body[..9], b"\x08INITIATE");
    assert_eq!(&body[105..113], &2u64.to_be_bytes());
    let (evs, err) = feed(&mut s, &initiate, usize::MAX);
    assert!(
        err.is_none() && matches!(evs[..], [Event::Ready(_)]),
        "{evs:?} {err:?}"
    );

    let ready = transmit(&mut s);
    assert_eq!(ready[0], 0x04);
    let frames = split_frames(&ready);
    let body = &frames[0].1;
    assert_eq!(body.len(), 30 + s.local_metadata().encoded_len());
    assert_eq!(&body[..6], b"\x05READY");
    assert_eq!(&body[6..14], &1u64.to_be_bytes());
    let (evs, err) = feed(&mut c, &ready, usize::MAX);
    assert!(
        err.is_none() && matches!(evs[..], [Event::Ready(_)]),
        "{evs:?} {err:?}"
    );

    // Data: outer flags 0x00 or 0x02 only; client nonces from 3, server's from 2.
    let m1 = send(&mut c, &[b"a", b"b"]);
    let frames = split_frames(&m1);
    assert_eq!(frames.len(), 2);
    for (i, (flags, body)) in frames.iter().enumerate() {
        assert_eq!(*flags, 0x00);
        assert_eq!(body.len(), 33 + 1);
        assert_eq!(&body[..8], b"\x07MESSAGE");
        assert_eq!(&body[8..16], &(3 + i as u64).to_be_bytes());
    }
    let big = send(&mut s, &[&[7u8; 300]]);
    let frames = split_frames(&big);
    assert_eq!(frames[0].0, 0x02);
    assert_eq!(&frames[0].1[8..16], &2u64.to_be_bytes());
}

#[test]
fn data_both_ways_multipart_and_large() {
    let (mut c, mut s) = connected(SocketType::Dealer, SocketType::Router);
    let huge = vec![0xA5u8; 1 << 20];
    let parts: [&[u8]; 4] = [b"", b"hello", &[1u8; 255], &[2u8; 256]];
    let bytes = send(&mut c, &parts);
    let (evs, err) = feed(&mut s, &bytes, usize::MAX);
    assert!(err.is_none());
    let got: Vec<_> = evs
        .iter()
        .map(|e| match e {
            Event::Frame { more, body } => (*more, body.to_vec()),
            other => panic!("{other:?}"),
        })
        .collect();
    let want: Vec<_> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| (i + 1 < parts.len(), p.to_vec()))
        .collect();
    assert_eq!(got, want);

    for step in [usize::MAX, 4096, 7] {
        let bytes = send(&mut s, &[b"from", &huge]);
        let (evs, err) = feed(&mut c, &bytes, step);
        assert!(err.is_none());
        assert!(matches!(&evs[0], Event::Frame { more: true, body } if &body[..] == b"from"));
        assert!(matches!(&evs[1], Event::Frame { more: false, body } if body[..] == huge[..]));
    }
}

#[test]
fn commands_travel_inside_messages() {
    let (mut sub, mut publ) = connected(SocketType::Sub, SocketType::Pub);
    let mut w = WriteBuf::new();
    sub.encode_subscription(true, &Bytes::from_static(b"topic"), &mut w)
        .unwrap();
    sub.encode_subscription(false, &Bytes::from_static(b"topic"), &mut w)
        .unwrap();
    let mut bytes = Vec::new();
    while !w.is_empty() {
        let n = w.contiguous().len();
        bytes.extend_from_slice(w.contiguous());
        w.advance(n);
    }
    // On the wire: two MESSAGE frames, outer flags 0, no SUBSCRIBE in clear.
    let frames = split_frames(&bytes);
    assert!(
        frames
            .iter()
            .all(|(f, b)| *f == 0 && b.starts_with(b"\x07MESSAGE"))
    );
    assert!(!bytes.windows(9).any(|w| w == b"SUBSCRIBE"));
    let (evs, err) = feed(&mut publ, &bytes, usize::MAX);
    assert!(err.is_none());
    assert_eq!(
        evs,
        [
            Event::Subscribe(Bytes::from_static(b"topic")),
            Event::Cancel(Bytes::from_static(b"topic"))
        ]
    );
}

#[test]
fn heartbeats_are_encrypted_and_answered() {
    let t0 = Instant::now();
    let mut cfg = SessionConfig::new(SocketType::Dealer);
    cfg.heartbeat_ivl = Some(Duration::from_millis(100));
    let mut c = Session::new(
        cfg,
        Box::new(CurveMechanism::client(pair(CLIENT_SECRET), server_public())),
        t0,
    );
    let mut s = session(
        SocketType::Router,
        CurveMechanism::server(pair(SERVER_SECRET), false, t0),
        t0,
    );
    let [cs, ss] = pump(&mut c, &mut s);
    assert!(cs.ready().is_some() && ss.ready().is_some());
    let at = c.poll_timeout().expect("heartbeat armed");
    c.handle_timeout(at).unwrap();
    let t1 = c.poll_timeout().expect("next");
    c.handle_timeout(t1.max(at + Duration::from_millis(100)))
        .unwrap();
    let ping = transmit(&mut c);
    assert!(!ping.is_empty());
    assert!(
        split_frames(&ping)
            .iter()
            .all(|(f, b)| *f == 0 && b.starts_with(b"\x07MESSAGE"))
    );
    let (evs, err) = feed(&mut s, &ping, usize::MAX);
    assert!(err.is_none());
    assert!(
        evs.iter().any(|e| matches!(e, Event::Ping { .. })),
        "{evs:?}"
    );
    let pong = transmit(&mut s);
    let (evs, err) = feed(&mut c, &pong, usize::MAX);
    assert!(err.is_none());
    assert!(evs.iter().any(|e| matches!(e, Event::Pong)), "{evs:?}");
}

#[test]
fn byte_by_byte_handshake_and_traffic() {
    let (mut c, mut s) = (client(SocketType::Push), server(SocketType::Pull, false));
    let [cs, ss] = pump_with(&mut c, &mut s, 1);
    assert!(cs.error.is_none() && ss.error.is_none(), "{cs:?} {ss:?}");
    assert!(cs.ready().is_some() && ss.ready().is_some());
    let bytes = send(&mut c, &[b"one", &[9u8; 1000]]);
    let (evs, err) = feed(&mut s, &bytes, 1);
    assert!(err.is_none());
    assert_eq!(evs.len(), 2);
}

#[test]
fn a_hand_built_client_interoperates() {
    // An independent RFC 26 client (crypto_box directly) against our server,
    // metadata in INITIATE, data both ways.
    let mut s = server(SocketType::Router, false);
    let mut wire = WireClient::new(
        *pair(CLIENT_SECRET).secret.as_bytes(),
        *server_public().as_bytes(),
    );
    let mut g = bytes::BytesMut::new();
    Greeting::new(MechanismName::CURVE, false).encode(&mut g);
    let mut sg = transmit(&mut s);
    let mut meta = Metadata::new();
    meta.push("Socket-Type", "DEALER").unwrap();
    meta.push("Identity", "me").unwrap();
    let mut meta_bytes = bytes::BytesMut::new();
    meta.encode(&mut meta_bytes);

    // Our whole greeting, then HELLO: the server's greeting is complete
    // before its WELCOME.
    assert_eq!(feed(&mut s, &g, usize::MAX).1, None);
    sg.extend(transmit(&mut s));
    let sg = Greeting::decode(&sg).unwrap().unwrap();
    assert_eq!(sg, Greeting::new(MechanismName::CURVE, true));
    assert_eq!(
        feed(&mut s, &frame(0x04, &wire.hello(1)), usize::MAX).1,
        None
    );
    let out = split_frames(&transmit(&mut s));
    wire.welcome(&out[0].1);
    let (evs, err) = feed(
        &mut s,
        &frame(0x04, &wire.initiate(&meta_bytes)),
        usize::MAX,
    );
    assert!(err.is_none(), "{err:?}");
    let Event::Ready(info) = &evs[0] else {
        panic!("{evs:?}")
    };
    assert_eq!(&info.identity[..], b"me");
    let out = split_frames(&transmit(&mut s));
    let server_meta = Metadata::decode(Bytes::from(wire.ready(&out[0].1))).unwrap();
    assert_eq!(&server_meta.get("Socket-Type").unwrap()[..], b"ROUTER");

    // Data: flags byte bit 0 MORE, bit 1 COMMAND; gaps in the nonces are fine.
    let mut input = frame(0x00, &wire.message(3, 0x01, b"part1"));
    input.extend(frame(0x00, &wire.message(10, 0x00, b"part2")));
    let (evs, err) = feed(&mut s, &input, usize::MAX);
    assert!(err.is_none(), "{err:?}");
    assert_eq!(
        evs,
        [
            Event::Frame {
                more: true,
                body: Bytes::from_static(b"part1")
            },
            Event::Frame {
                more: false,
                body: Bytes::from_static(b"part2")
            }
        ]
    );
    let bytes = send(&mut s, &[b"x", b"y"]);
    let frames = split_frames(&bytes);
    assert_eq!(wire.open_message(&frames[0].1), (2, 0x01, b"x".to_vec()));
    assert_eq!(wire.open_message(&frames[1].1), (3, 0x00, b"y".to_vec()));
}

fn auth_request(evs: &[Event]) -> Option<zmtp_codec::AuthRequest> {
    evs.iter().find_map(|e| match e {
        Event::AuthRequest(r) => Some((**r).clone()),
        _ => None,
    })
}

#[test]
fn the_authenticator_sees_the_client_key_and_its_answer_reaches_the_peer() {
    let (mut c, mut s) = (client(SocketType::Dealer), server(SocketType::Router, true));
    let [cs, ss] = pump(&mut c, &mut s);
    assert!(cs.error.is_none() && ss.error.is_none());
    assert!(ss.ready().is_none());
    let req = auth_request(&ss.events).expect("the server asks");
    assert_eq!(req.mechanism, MechanismName::CURVE);
    assert_eq!(
        req.credentials,
        [Bytes::copy_from_slice(
            pair(CLIENT_SECRET).public.as_bytes()
        )]
    );
    let mut reply = AuthReply::new(STATUS_OK);
    reply.user_id = Bytes::from_static(b"alice");
    reply.metadata.push("X-Role", "admin").unwrap();
    reply.metadata.push("Socket-Type", "bogus").unwrap();
    s.handle_auth_reply(reply).unwrap();
    let [cs, ss] = pump(&mut c, &mut s);
    assert!(cs.error.is_none() && ss.error.is_none(), "{cs:?} {ss:?}");
    assert!(cs.ready().is_some());
    let peer = ss.ready().expect("server ready");
    // ZAP properties first and winning, as libzmq's property map.
    assert_eq!(&peer.metadata.get("User-Id").unwrap()[..], b"alice");
    assert_eq!(&peer.metadata.get("X-Role").unwrap()[..], b"admin");
    assert_eq!(
        &peer.metadata.get_exact("Socket-Type").unwrap()[..],
        b"bogus"
    );
    // ...but the socket type check uses what the peer sent.
    assert_eq!(peer.socket_type, Some(SocketType::Dealer));
    // Encrypted traffic works after the wait.
    let bytes = send(&mut c, &[b"after zap"]);
    let (evs, err) = feed(&mut s, &bytes, usize::MAX);
    assert!(err.is_none() && evs.len() == 1);
}

#[test]
fn an_empty_user_id_is_still_a_property() {
    let (mut c, mut s) = (client(SocketType::Dealer), server(SocketType::Router, true));
    pump(&mut c, &mut s);
    s.handle_auth_reply(AuthReply::new(STATUS_OK)).unwrap();
    let [_, ss] = pump(&mut c, &mut s);
    let peer = ss.ready().expect("ready");
    assert_eq!(peer.metadata.get("User-Id").map(|v| v.len()), Some(0));
}

#[test]
fn refusals_400_and_500_tell_the_client_300_does_not() {
    for status in [400u16, 500, 300] {
        let (mut c, mut s) = (client(SocketType::Dealer), server(SocketType::Router, true));
        pump(&mut c, &mut s);
        let err = s.handle_auth_reply(AuthReply::new(status)).unwrap_err();
        assert_eq!(err, ProtocolError::AuthFailed { status });
        assert!(err.stops_reconnect());
        let told = transmit(&mut s);
        let (evs, cerr) = feed(&mut c, &told, usize::MAX);
        assert!(evs.is_empty());
        if status == 300 {
            assert!(told.is_empty());
            assert_eq!(cerr, None);
        } else {
            // A well-formed ERROR in clear: 04 0A 05 "ERROR" 03 "400".
            let mut want = vec![0x04, 0x0A, 0x05];
            want.extend_from_slice(b"ERROR\x03");
            want.extend_from_slice(status.to_string().as_bytes());
            assert_eq!(told, want);
            assert_eq!(cerr, Some(ProtocolError::AuthFailed { status }));
        }
        assert!(s.poll_event().is_err());
    }
}

/// The client's INITIATE bytes after greeting, HELLO and WELCOME with a
/// server created at `t0`, and that server.
fn up_to_initiate(t0: Instant) -> (Session, Vec<u8>) {
    let mut cfg = SessionConfig::new(SocketType::Router);
    cfg.handshake_ivl = None;
    let mut s = Session::new(
        cfg,
        Box::new(CurveMechanism::server(pair(SERVER_SECRET), false, t0)),
        t0,
    );
    assert_eq!(s.poll_timeout(), Some(t0 + COOKIE_LIFETIME));
    let mut c = client(SocketType::Dealer);
    greet(&mut c, &mut s);
    let hello = transmit(&mut c);
    assert_eq!(feed(&mut s, &hello, usize::MAX).1, None);
    let welcome = transmit(&mut s);
    assert_eq!(feed(&mut c, &welcome, usize::MAX).1, None);
    (s, transmit(&mut c))
}

#[test]
fn the_cookie_key_expires_60_seconds_after_creation() {
    assert_eq!(COOKIE_LIFETIME, Duration::from_secs(60));
    let t0 = Instant::now();

    let (mut s, initiate) = up_to_initiate(t0);
    s.handle_timeout(t0 + Duration::from_secs(59)).unwrap();
    assert_eq!(s.poll_timeout(), Some(t0 + COOKIE_LIFETIME));
    let (evs, err) = feed(&mut s, &initiate, usize::MAX);
    assert!(
        err.is_none() && matches!(evs[..], [Event::Ready(_)]),
        "{err:?}"
    );

    let (mut s, initiate) = up_to_initiate(t0);
    s.handle_timeout(t0 + Duration::from_secs(61)).unwrap();
    // Expired: no deadline left, and the cookie no longer opens.
    assert_eq!(s.poll_timeout(), None);
    let (_, err) = feed(&mut s, &initiate, usize::MAX);
    assert_eq!(err.map(|e| e.code()), Some(codes::ZMTP_CRYPTOGRAPHIC));
}

#[test]
fn debug_output_never_shows_secrets() {
    let ours = pair(SERVER_SECRET);
    let m = CurveMechanism::server(ours.clone(), true, Instant::now());
    let shown = format!("{m:?}");
    assert!(!shown.contains(SERVER_SECRET), "{shown}");
    assert!(shown.contains(&ours.public.to_z85()), "{shown}");
    let c = CurveMechanism::client(pair(CLIENT_SECRET), ours.public);
    let shown = format!("{c:?}");
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    assert!(c.wraps_traffic() && !c.as_server() && m.as_server());
    assert_eq!(c.name(), MechanismName::CURVE);
}

#[test]
fn curve_and_plain_or_null_do_not_mix() {
    let mut c = client(SocketType::Dealer);
    let mut s = Session::new(
        SessionConfig::new(SocketType::Router),
        Box::new(zmtp_codec::NullMechanism::new()),
        Instant::now(),
    );
    let [cs, ss] = pump(&mut c, &mut s);
    assert!(matches!(
        cs.error,
        Some(ProtocolError::MechanismMismatch { .. })
    ));
    assert!(matches!(
        ss.error,
        Some(ProtocolError::MechanismMismatch { .. })
    ));
    let _ = events(&mut c);
}
