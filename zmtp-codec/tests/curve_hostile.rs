//! CURVE against hostile peers: every forged, truncated, tampered or
//! replayed command fails cleanly with libzmq's protocol error code, whole
//! or fed byte by byte; random bytes never panic either side.

mod common;

use std::time::Instant;

use bytes::{Bytes, BytesMut};
use common::curve_wire::WireClient;
use common::pair::{feed, frame, greet, pump, split_frames, transmit};
use proptest::prelude::*;
use zmtp_codec::error::codes;
use zmtp_codec::frame::WriteBuf;
use zmtp_codec::{
    CurveKeypair, CurveMechanism, CurvePublicKey, CurveSecretKey, Event, GREETING_LEN, Greeting,
    MechanismName, Metadata, Protocol, ProtocolError, Session, SessionConfig, SocketType,
};

const CLIENT_SECRET: &str = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs";
const SERVER_SECRET: &str = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";

/// Whole input, then the same input one byte at a time.
const STEPS: [usize; 2] = [usize::MAX, 1];

fn pair(z85: &str) -> CurveKeypair {
    CurveKeypair::from_secret(CurveSecretKey::parse(z85.as_bytes()).expect("test key"))
}

fn server_session() -> Session {
    let now = Instant::now();
    Session::new(
        SessionConfig::new(SocketType::Router),
        Box::new(CurveMechanism::server(pair(SERVER_SECRET), false, now)),
        now,
    )
}

fn client_session(server_key: CurvePublicKey) -> Session {
    Session::new(
        SessionConfig::new(SocketType::Dealer),
        Box::new(CurveMechanism::client(pair(CLIENT_SECRET), server_key)),
        Instant::now(),
    )
}

/// A CURVE greeting as we (and libzmq) send it: the signature's padding is the
/// length of an empty ZMTP 1.0 identity frame.
fn greeting(as_server: bool) -> Vec<u8> {
    let mut g = BytesMut::new();
    Greeting::new(MechanismName::CURVE, as_server).encode(&mut g);
    g[..10].copy_from_slice(&zmtp_codec::version::signature(0));
    g.to_vec()
}

fn wire_client() -> WireClient {
    WireClient::new(
        *pair(CLIENT_SECRET).secret.as_bytes(),
        *pair(SERVER_SECRET).public.as_bytes(),
    )
}

fn dealer_metadata() -> Vec<u8> {
    let mut m = Metadata::new();
    m.push("Socket-Type", "DEALER").unwrap();
    let mut b = BytesMut::new();
    m.encode(&mut b);
    b.to_vec()
}

/// The code of the error that `input` (fed in pieces of `step`) ends `s` with.
fn code_after(s: &mut Session, input: &[u8], step: usize) -> Option<u32> {
    feed(s, input, step).1.map(|e| e.code())
}

/// A server that has answered the wire client's HELLO (WELCOME opened).
fn server_after_hello(wire: &mut WireClient) -> Session {
    let mut s = server_session();
    let mut input = greeting(false);
    input.extend(frame(0x04, &wire.hello(1)));
    assert_eq!(feed(&mut s, &input, usize::MAX).1, None);
    // our whole greeting (staged, all queued by now), then WELCOME
    let out = transmit(&mut s);
    assert_eq!(out[..GREETING_LEN], greeting(true));
    let out = split_frames(&out[GREETING_LEN..]);
    wire.welcome(&out[0].1);
    s
}

/// A server in the data phase with the wire client.
fn server_ready(wire: &mut WireClient) -> Session {
    let mut s = server_after_hello(wire);
    let (evs, err) = feed(
        &mut s,
        &frame(0x04, &wire.initiate(&dealer_metadata())),
        usize::MAX,
    );
    assert!(
        err.is_none() && matches!(evs[..], [Event::Ready(_)]),
        "{err:?}"
    );
    let _ = transmit(&mut s);
    s
}

#[test]
fn hello_for_another_server_key_fails_the_box() {
    let other = CurveKeypair::generate().public;
    let mut c = client_session(other);
    let mut s = server_session();
    let [_, ss] = pump(&mut c, &mut s);
    assert_eq!(ss.error.map(|e| e.code()), Some(codes::ZMTP_CRYPTOGRAPHIC));
}

#[test]
fn malformed_hellos() {
    let wire = wire_client();
    let good = wire.hello(1);
    let mut bad_version = good.clone();
    bad_version[6] = 2;
    let mut minor = good.clone();
    minor[7] = 1;
    let mut tampered = good.clone();
    tampered[150] ^= 1;
    let mut oversized = good.clone();
    oversized.push(0);
    let cases: Vec<(Vec<u8>, u8, u32)> = vec![
        (
            good[..199].to_vec(),
            0x04,
            codes::ZMTP_MALFORMED_COMMAND_HELLO,
        ),
        (oversized, 0x04, codes::ZMTP_MALFORMED_COMMAND_HELLO),
        (bad_version, 0x04, codes::ZMTP_MALFORMED_COMMAND_HELLO),
        (minor, 0x04, codes::ZMTP_MALFORMED_COMMAND_HELLO),
        (tampered, 0x04, codes::ZMTP_CRYPTOGRAPHIC),
        (b"\x05HELLX".to_vec(), 0x04, codes::ZMTP_UNEXPECTED_COMMAND),
        (
            b"\x08INITIATExxxxxx".to_vec(),
            0x04,
            codes::ZMTP_UNEXPECTED_COMMAND,
        ),
        (good.clone(), 0x00, codes::ZMTP_UNEXPECTED_COMMAND), // a data frame
        (
            b"\x05HELL".to_vec(),
            0x04,
            codes::ZMTP_MALFORMED_COMMAND_UNSPECIFIED,
        ),
        (Vec::new(), 0x04, codes::ZMTP_MALFORMED_COMMAND_UNSPECIFIED),
    ];
    for (body, flags, code) in cases {
        for step in STEPS {
            let mut s = server_session();
            let mut input = greeting(false);
            input.extend(frame(flags, &body));
            assert_eq!(code_after(&mut s, &input, step), Some(code), "{body:?}");
            // The failure sticks, and nothing is sent after the greeting.
            assert!(s.poll_event().is_err());
            assert_eq!(transmit(&mut s), greeting(true));
        }
    }
}

#[test]
fn malformed_initiates() {
    let md = dealer_metadata();
    type Forge = fn(&WireClient, &[u8]) -> Vec<u8>;
    let cases: Vec<(&str, Forge, u32)> = vec![
        (
            "short",
            |w, md| w.initiate(md)[..256].to_vec(),
            codes::ZMTP_MALFORMED_COMMAND_INITIATE,
        ),
        (
            "garbage",
            |_, _| {
                let mut v = b"\x08INITIATE".to_vec();
                v.extend((0..300u32).map(|i| (i * 7 + 3) as u8));
                v
            },
            codes::ZMTP_CRYPTOGRAPHIC,
        ),
        (
            "cookie tampered",
            |w, md| {
                let mut v = w.initiate(md);
                v[40] ^= 0x10;
                v
            },
            codes::ZMTP_CRYPTOGRAPHIC,
        ),
        (
            "cookie nonce tampered",
            |w, md| {
                let mut v = w.initiate(md);
                v[9] ^= 0x10;
                v
            },
            codes::ZMTP_CRYPTOGRAPHIC,
        ),
        (
            "box tampered",
            |w, md| {
                let mut v = w.initiate(md);
                let last = v.len() - 1;
                v[last] ^= 1;
                v
            },
            codes::ZMTP_CRYPTOGRAPHIC,
        ),
        (
            "short nonce changed",
            |w, md| {
                let mut v = w.initiate(md);
                v[112] ^= 1;
                v
            },
            codes::ZMTP_CRYPTOGRAPHIC,
        ),
        (
            "vouch for another server key",
            |w, md| {
                let other = CurveKeypair::generate().public;
                w.initiate_with(2, w.transient_public(), *other.as_bytes(), md)
            },
            codes::ZMTP_KEY_EXCHANGE,
        ),
        (
            "vouch for another transient key",
            |w, md| {
                let other = CurveKeypair::generate().public;
                w.initiate_with(2, *other.as_bytes(), *w.server.as_bytes(), md)
            },
            codes::ZMTP_KEY_EXCHANGE,
        ),
        (
            "bad metadata",
            |w, _| w.initiate(b"\x0bSocket-Type\x00\x00"),
            codes::ZMTP_INVALID_METADATA,
        ),
    ];
    for (what, forge, code) in cases {
        for step in STEPS {
            let mut wire = wire_client();
            let mut s = server_after_hello(&mut wire);
            let body = forge(&wire, &md);
            let flags = 0x04;
            assert_eq!(
                code_after(&mut s, &frame(flags, &body), step),
                Some(code),
                "{what}"
            );
        }
    }
}

#[test]
fn vouch_made_with_another_long_term_key_fails() {
    // The INITIATE box claims our C, but the vouch is made with another secret.
    let mut wire = wire_client();
    let mut s = server_after_hello(&mut wire);
    wire.secret = crypto_box::SecretKey::from_bytes(*CurveKeypair::generate().secret.as_bytes());
    let claimed = *pair(CLIENT_SECRET).public.as_bytes();
    let forged = wire.initiate_claiming(claimed, &dealer_metadata());
    assert_eq!(
        code_after(&mut s, &frame(0x04, &forged), usize::MAX),
        Some(codes::ZMTP_CRYPTOGRAPHIC)
    );
}

#[test]
fn hostile_messages() {
    type Forge = fn(&WireClient) -> (Vec<Vec<u8>>, u8);
    let cases: Vec<(&str, Forge, Option<u32>)> = vec![
        (
            "replayed nonce",
            |w| (vec![w.message(3, 0, b"a"), w.message(3, 0, b"a")], 0),
            Some(codes::ZMTP_INVALID_SEQUENCE),
        ),
        (
            "out of order",
            |w| (vec![w.message(5, 0, b"a"), w.message(4, 0, b"b")], 0),
            Some(codes::ZMTP_INVALID_SEQUENCE),
        ),
        (
            "INITIATE's nonce again",
            |w| (vec![w.message(2, 0, b"a")], 0),
            Some(codes::ZMTP_INVALID_SEQUENCE),
        ),
        (
            "short",
            |w| (vec![w.message(3, 0, b"")[..32].to_vec()], 0),
            Some(codes::ZMTP_MALFORMED_COMMAND_MESSAGE),
        ),
        (
            "tampered box",
            |w| {
                let mut m = w.message(3, 0, b"secret");
                m[20] ^= 4;
                (vec![m], 0)
            },
            Some(codes::ZMTP_CRYPTOGRAPHIC),
        ),
        (
            "tampered nonce",
            |w| {
                let mut m = w.message(3, 0, b"secret");
                m[15] ^= 4;
                (vec![m], 0)
            },
            Some(codes::ZMTP_CRYPTOGRAPHIC),
        ),
        (
            "clear-text command",
            |_| (vec![b"\x04PING\x00\x00".to_vec()], 0x04),
            Some(codes::ZMTP_UNEXPECTED_COMMAND),
        ),
        (
            "clear-text data",
            |_| (vec![b"hello".to_vec()], 0),
            Some(codes::ZMTP_MALFORMED_COMMAND_UNSPECIFIED),
        ),
        (
            "outer COMMAND bit",
            |w| (vec![w.message(3, 0, b"a")], 0x04),
            None,
        ),
        (
            "outer MORE bit",
            |w| (vec![w.message(3, 0, b"a")], 0x01),
            None,
        ),
    ];
    for (what, forge, code) in cases {
        for step in STEPS {
            let mut wire = wire_client();
            let mut s = server_ready(&mut wire);
            let (bodies, flags) = forge(&wire);
            let input: Vec<u8> = bodies.iter().flat_map(|b| frame(flags, b)).collect();
            let (evs, err) = feed(&mut s, &input, step);
            assert_eq!(err.as_ref().map(|e| e.code()), code, "{what}: {err:?}");
            if code.is_none() {
                // The outer bits are ignored: one complete data frame.
                assert_eq!(
                    evs,
                    [Event::Frame {
                        more: false,
                        body: Bytes::from_static(b"a")
                    }],
                    "{what}"
                );
            }
        }
    }
}

/// A client session that has sent HELLO, and the server session that answered.
fn client_after_hello() -> (Session, Session) {
    let mut c = client_session(pair(SERVER_SECRET).public);
    let mut s = server_session();
    greet(&mut c, &mut s);
    assert_eq!(feed(&mut s, &transmit(&mut c), usize::MAX).1, None);
    (c, s)
}

#[test]
fn hostile_welcomes_readies_and_errors() {
    type Forge = fn(Vec<u8>) -> Vec<u8>;
    let cases: Vec<(&str, Forge, u32)> = vec![
        (
            "short WELCOME",
            |w| w[..167].to_vec(),
            codes::ZMTP_CRYPTOGRAPHIC,
        ),
        (
            "long WELCOME",
            |mut w| {
                w.push(0);
                w
            },
            codes::ZMTP_CRYPTOGRAPHIC,
        ),
        (
            "tampered WELCOME",
            |mut w| {
                w[100] ^= 1;
                w
            },
            codes::ZMTP_CRYPTOGRAPHIC,
        ),
        (
            "READY instead of WELCOME",
            |_| b"\x05READY".to_vec(),
            codes::ZMTP_UNEXPECTED_COMMAND,
        ),
        (
            "HELLO to a client",
            |_| b"\x05HELLO".to_vec(),
            codes::ZMTP_UNEXPECTED_COMMAND,
        ),
        (
            "truncated ERROR",
            |_| b"\x05ERROR\x03ab".to_vec(),
            codes::ZMTP_MALFORMED_COMMAND_ERROR,
        ),
    ];
    for (what, forge, code) in cases {
        for step in STEPS {
            let (mut c, mut s) = client_after_hello();
            let welcome = split_frames(&transmit(&mut s)).remove(0).1;
            let body = forge(welcome);
            assert_eq!(
                code_after(&mut c, &frame(0x04, &body), step),
                Some(code),
                "{what}"
            );
        }
    }
}

#[test]
fn hostile_readies() {
    type Forge = fn(Vec<u8>) -> Vec<u8>;
    let cases: Vec<(&str, Forge, u32)> = vec![
        (
            "short READY",
            |r| r[..29].to_vec(),
            codes::ZMTP_MALFORMED_COMMAND_READY,
        ),
        (
            "tampered READY",
            |mut r| {
                let last = r.len() - 1;
                r[last] ^= 1;
                r
            },
            codes::ZMTP_CRYPTOGRAPHIC,
        ),
        (
            "second WELCOME",
            |_| {
                let mut v = b"\x07WELCOME".to_vec();
                v.resize(168, 0);
                v
            },
            codes::ZMTP_UNEXPECTED_COMMAND,
        ),
    ];
    for (what, forge, code) in cases {
        for step in STEPS {
            let (mut c, mut s) = client_after_hello();
            feed(&mut c, &transmit(&mut s), usize::MAX);
            feed(&mut s, &transmit(&mut c), usize::MAX);
            let ready = split_frames(&transmit(&mut s)).remove(0).1;
            assert_eq!(
                code_after(&mut c, &frame(0x04, &forge(ready)), step),
                Some(code),
                "{what}"
            );
        }
    }
}

#[test]
fn error_reasons_reach_the_client() {
    for (reason, want) in [
        (&b"400"[..], ProtocolError::AuthFailed { status: 400 }),
        (b"500", ProtocolError::AuthFailed { status: 500 }),
        (b"go away", ProtocolError::PeerError("go away".into())),
    ] {
        let (mut c, _s) = client_after_hello();
        let mut body = b"\x05ERROR".to_vec();
        body.push(reason.len() as u8);
        body.extend_from_slice(reason);
        assert_eq!(feed(&mut c, &frame(0x04, &body), 1).1, Some(want));
    }
}

#[test]
fn server_messages_replayed_to_the_client_fail() {
    let mut c = client_session(pair(SERVER_SECRET).public);
    let mut s = server_session();
    let [cs, ss] = pump(&mut c, &mut s);
    assert!(cs.ready().is_some() && ss.ready().is_some());
    let mut w = WriteBuf::new();
    s.encode_frame(false, &Bytes::from_static(b"1"), &mut w)
        .unwrap();
    s.encode_frame(false, &Bytes::from_static(b"2"), &mut w)
        .unwrap();
    let mut bytes = Vec::new();
    while !w.is_empty() {
        let n = w.contiguous().len();
        bytes.extend_from_slice(w.contiguous());
        w.advance(n);
    }
    let frames = split_frames(&bytes);
    let second = frame(frames[1].0, &frames[1].1);
    let first = frame(frames[0].0, &frames[0].1);
    let (evs, err) = feed(&mut c, &second, usize::MAX);
    assert!(err.is_none() && evs.len() == 1);
    assert_eq!(
        code_after(&mut c, &first, usize::MAX),
        Some(codes::ZMTP_INVALID_SEQUENCE)
    );
}

/// What to put before the random bytes.
#[derive(Clone, Copy, Debug)]
enum Stage {
    ServerGreeting,
    ServerHello,
    ServerReady,
    ClientGreeting,
    ClientWelcome,
    ClientReady,
}

fn stage() -> impl Strategy<Value = Stage> {
    prop_oneof![
        Just(Stage::ServerGreeting),
        Just(Stage::ServerHello),
        Just(Stage::ServerReady),
        Just(Stage::ClientGreeting),
        Just(Stage::ClientWelcome),
        Just(Stage::ClientReady),
    ]
}

/// The session under attack with its valid prefix already fed.
fn attacked(stage: Stage) -> Session {
    match stage {
        Stage::ServerGreeting => {
            let mut s = server_session();
            feed(&mut s, &greeting(false), usize::MAX);
            s
        }
        Stage::ServerHello => server_after_hello(&mut wire_client()),
        Stage::ServerReady => server_ready(&mut wire_client()),
        Stage::ClientGreeting => {
            let mut c = client_session(pair(SERVER_SECRET).public);
            feed(&mut c, &greeting(true), usize::MAX);
            c
        }
        Stage::ClientWelcome => {
            let (mut c, mut s) = client_after_hello();
            feed(&mut c, &transmit(&mut s), usize::MAX);
            c
        }
        Stage::ClientReady => {
            let mut c = client_session(pair(SERVER_SECRET).public);
            let mut s = server_session();
            pump(&mut c, &mut s);
            assert!(c.is_ready());
            c
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn random_bytes_never_panic(
        stage in stage(),
        framed in any::<bool>(),
        command in any::<bool>(),
        junk in prop::collection::vec(any::<u8>(), 0..600),
        step in 1usize..300,
    ) {
        let mut s = attacked(stage);
        // Either raw bytes, or the bytes as one well-framed (command) frame.
        let input = if framed { frame(if command { 0x04 } else { 0 }, &junk) } else { junk };
        let (_, err) = feed(&mut s, &input, step);
        if err.is_some() {
            prop_assert!(s.poll_event().is_err());
        }
        let _ = transmit(&mut s);
        let mut w = WriteBuf::new();
        let _ = s.encode_frame(false, &Bytes::from_static(b"x"), &mut w);
    }
}
