//! Hostile PLAIN and CURVE handshakes written by hand over raw TCP (one byte per write)
//! to our servers: each fails that connection with libzmq's
//! HANDSHAKE_FAILED_PROTOCOL code (or NO_DETAIL for a truncated frame then EOF) on our
//! monitor, is closed by us, delivers nothing, and a healthy pyzmq client on the same
//! socket keeps working after every case.

use interop_tests::pyzmq::{PeerConfig, PyPeer};
use interop_tests::raw_peer::{FLAG_COMMAND, RawPeer, frame_bytes, greeting_bytes};
use interop_tests::security::{
    EventLog, PASSWORD, USER, bind, keypair, msg, ours, recv_ours, set_curve_server,
    set_plain_server,
};
use interop_tests::support::DEADLINE;
use zmtp_api::monitor::EventType;
use zmtp_api::{Authenticator, Context, SocketType};
use zmtp_codec::error::codes;

/// A hostile byte sequence and what our monitor must report for it.
struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    /// `Some(code)`: HANDSHAKE_FAILED_PROTOCOL with that code; `None`:
    /// HANDSHAKE_FAILED_NO_DETAIL (the peer went away mid-frame).
    code: Option<u32>,
    /// Close our end after writing (EOF for the server).
    eof: bool,
}

fn command(body: &[u8]) -> Vec<u8> {
    frame_bytes(FLAG_COMMAND, body)
}

fn with_greeting(mechanism: &str, rest: &[u8]) -> Vec<u8> {
    let mut out = greeting_bytes(3, 0, mechanism).to_vec();
    out.extend_from_slice(rest);
    out
}

/// A CURVE HELLO body of `len` bytes: name, version `major.minor`, then filler.
fn curve_hello(len: usize, major: u8, minor: u8) -> Vec<u8> {
    let mut body = b"\x05HELLO".to_vec();
    body.extend_from_slice(&[major, minor]);
    body.extend((body.len()..len).map(|i| (i * 7) as u8));
    body.truncate(len);
    body
}

/// Runs every case against our server `server`, bound at `ep`, with `healthy` a
/// pyzmq client already connected: after each case, its next message still arrives.
fn run(cases: Vec<Case>, server: &zmtp_api::blocking::Socket, ep: &str, healthy: &PyPeer) {
    let log = EventLog::start(server);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    healthy.send(&[b"before"]);
    assert_eq!(recv_ours(server, "healthy before"), msg(&["before"]));
    for (i, case) in cases.iter().enumerate() {
        let name = case.name;
        let (protocol_before, no_detail_before) = (
            log.count(EventType::HandshakeFailedProtocol),
            log.count(EventType::HandshakeFailedNoDetail),
        );
        let closed = rt.block_on(async {
            let mut raw = RawPeer::connect(ep).await.expect("raw connect");
            // Our server may close before the last bytes: a write error is fine.
            let _ = raw.send_bytes_slowly(&case.bytes).await;
            if case.eof {
                let _ = raw.shutdown().await;
            }
            raw.expect_closed(DEADLINE).await
        });
        assert!(closed, "{name}: our server left the connection open");
        match case.code {
            Some(code) => {
                let failures = log.wait_n(
                    EventType::HandshakeFailedProtocol,
                    protocol_before + 1,
                    DEADLINE,
                );
                assert_eq!(
                    failures.get(protocol_before).map(|e| e.value),
                    Some(code),
                    "{name}: {:?}",
                    log.summary()
                );
            }
            None => {
                let failures = log.wait_n(
                    EventType::HandshakeFailedNoDetail,
                    no_detail_before + 1,
                    DEADLINE,
                );
                assert!(
                    failures.len() > no_detail_before,
                    "{name}: {:?}",
                    log.summary()
                );
            }
        }
        assert!(
            server.try_recv_message().expect("try_recv").is_none(),
            "{name}: delivered"
        );
        let text = format!("after {i}");
        healthy.send(&[text.as_bytes()]);
        assert_eq!(recv_ours(server, name), msg(&[&text]), "{name}");
    }
    // Only the healthy client ever completes a handshake (its own event may have come
    // before the log started).
    assert!(
        log.count(EventType::HandshakeSucceeded) <= 1,
        "a hostile handshake succeeded: {:?}",
        log.summary()
    );
}

#[test]
fn hostile_curve_handshakes() {
    let ctx = Context::new();
    let keys = keypair();
    let client = keypair();
    let pull = ours(&ctx, SocketType::Pull);
    set_curve_server(&pull, &keys);
    let ep = bind(&pull, "tcp://127.0.0.1:*");
    let healthy = PyPeer::spawn(
        PeerConfig::new(SocketType::Push)
            .curve_client(
                &client.public.to_z85(),
                &client.secret.to_z85(),
                &keys.public.to_z85(),
            )
            .connect(&ep),
    );
    let hello =
        |len, major, minor| with_greeting("CURVE", &command(&curve_hello(len, major, minor)));
    let mut garbage_name = curve_hello(200, 1, 0);
    garbage_name[1..6].copy_from_slice(b"HOLLA");
    let mut initiate = b"\x08INITIATE".to_vec();
    initiate.resize(300, 0xAB);
    let mut truncated = with_greeting("CURVE", &[FLAG_COMMAND, 200]);
    truncated.extend_from_slice(&curve_hello(200, 1, 0)[..60]);
    let cases = vec![
        Case {
            name: "HELLO of 200 bytes with a garbage box",
            bytes: hello(200, 1, 0),
            code: Some(codes::ZMTP_CRYPTOGRAPHIC),
            eof: false,
        },
        Case {
            name: "HELLO of 199 bytes",
            bytes: hello(199, 1, 0),
            code: Some(codes::ZMTP_MALFORMED_COMMAND_HELLO),
            eof: false,
        },
        Case {
            name: "HELLO of 201 bytes",
            bytes: hello(201, 1, 0),
            code: Some(codes::ZMTP_MALFORMED_COMMAND_HELLO),
            eof: false,
        },
        Case {
            name: "HELLO version 2.0",
            bytes: hello(200, 2, 0),
            code: Some(codes::ZMTP_MALFORMED_COMMAND_HELLO),
            eof: false,
        },
        Case {
            name: "a command that is not HELLO",
            bytes: with_greeting("CURVE", &command(&garbage_name)),
            code: Some(codes::ZMTP_UNEXPECTED_COMMAND),
            eof: false,
        },
        Case {
            name: "garbage INITIATE first",
            bytes: with_greeting("CURVE", &command(&initiate)),
            code: Some(codes::ZMTP_UNEXPECTED_COMMAND),
            eof: false,
        },
        Case {
            name: "a PLAIN greeting",
            bytes: greeting_bytes(3, 0, "PLAIN").to_vec(),
            code: Some(codes::ZMTP_MECHANISM_MISMATCH),
            eof: false,
        },
        Case {
            name: "truncated HELLO then EOF",
            bytes: truncated,
            code: None,
            eof: true,
        },
    ];
    run(cases, &pull, &ep, &healthy);
    pull.close();
}

#[test]
fn hostile_plain_handshakes() {
    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).expect("authenticator");
    auth.add_plain_user(USER, PASSWORD);
    let pull = ours(&ctx, SocketType::Pull);
    set_plain_server(&pull);
    let ep = bind(&pull, "tcp://127.0.0.1:*");
    let healthy = PyPeer::spawn(
        PeerConfig::new(SocketType::Push)
            .plain_client(USER, PASSWORD)
            .connect(&ep),
    );
    let plain = |body: &[u8]| with_greeting("PLAIN", &command(body));
    let mut truncated = with_greeting("PLAIN", &[FLAG_COMMAND, 40]);
    truncated.extend_from_slice(b"\x05HELLO\x05admin");
    let cases = vec![
        Case {
            name: "user name length past the body",
            bytes: plain(b"\x05HELLO\x10admin"),
            code: Some(codes::ZMTP_MALFORMED_COMMAND_HELLO),
            eof: false,
        },
        Case {
            name: "password length past the body",
            bytes: plain(b"\x05HELLO\x05admin\x09secret"),
            code: Some(codes::ZMTP_MALFORMED_COMMAND_HELLO),
            eof: false,
        },
        Case {
            name: "no password length",
            bytes: plain(b"\x05HELLO\x05admin"),
            code: Some(codes::ZMTP_MALFORMED_COMMAND_HELLO),
            eof: false,
        },
        Case {
            name: "trailing bytes after the password",
            bytes: plain(b"\x05HELLO\x05admin\x06secret!"),
            code: Some(codes::ZMTP_MALFORMED_COMMAND_HELLO),
            eof: false,
        },
        Case {
            name: "INITIATE before HELLO",
            bytes: plain(b"\x08INITIATE"),
            code: Some(codes::ZMTP_UNEXPECTED_COMMAND),
            eof: false,
        },
        Case {
            name: "a CURVE greeting",
            bytes: greeting_bytes(3, 0, "CURVE").to_vec(),
            code: Some(codes::ZMTP_MECHANISM_MISMATCH),
            eof: false,
        },
        Case {
            name: "truncated HELLO then EOF",
            bytes: truncated,
            code: None,
            eof: true,
        },
    ];
    run(cases, &pull, &ep, &healthy);
    pull.close();
}
