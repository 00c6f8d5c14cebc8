//! PLAIN (RFC 24) between two sessions: the handshake, ZAP's answer, refusals, and what
//! the mechanism never shows.

use std::time::Instant;

use bytes::Bytes;
use zmtp_codec::auth::{AuthReply, STATUS_OK};
use zmtp_codec::{
    Event, Mechanism, NullMechanism, PlainMechanism, Protocol, ProtocolError, Session,
    SessionConfig, SocketType, WriteBuf,
};

fn session(kind: SocketType, m: Box<dyn Mechanism>) -> Session {
    Session::new(SessionConfig::new(kind), m, Instant::now())
}

fn client(user: &'static str, pass: &'static str) -> Session {
    let m = PlainMechanism::client(
        Bytes::from_static(user.as_bytes()),
        Bytes::from_static(pass.as_bytes()),
    )
    .expect("short credentials");
    session(SocketType::Dealer, Box::new(m))
}

fn server(authenticate: bool) -> Session {
    session(
        SocketType::Router,
        Box::new(PlainMechanism::server(authenticate)),
    )
}

/// Moves bytes both ways until neither side has anything to say; returns each side's
/// events and first error.
fn pump(a: &mut Session, b: &mut Session) -> [(Vec<Event>, Option<ProtocolError>); 2] {
    let mut out = [(Vec::new(), None), (Vec::new(), None)];
    for _ in 0..64 {
        let mut moved = false;
        for (from, to) in [(0, 1), (1, 0)] {
            let (src, dst) = if from == 0 {
                (&mut *a, &mut *b)
            } else {
                (&mut *b, &mut *a)
            };
            let mut w = WriteBuf::new();
            src.poll_transmit(&mut w);
            if !w.is_empty() {
                moved = true;
                while !w.is_empty() {
                    let n = w.contiguous().len();
                    dst.handle_input(&w.contiguous()[..n]);
                    w.advance(n);
                }
            }
            let _ = to;
        }
        for (i, s) in [&mut *a, &mut *b].into_iter().enumerate() {
            if out[i].1.is_some() {
                continue;
            }
            loop {
                match s.poll_event() {
                    Ok(Some(ev)) => out[i].0.push(ev),
                    Ok(None) => break,
                    Err(e) => {
                        out[i].1 = Some(e);
                        break;
                    }
                }
            }
        }
        if !moved && !a.has_transmit() && !b.has_transmit() {
            break;
        }
    }
    out
}

fn ready(events: &[Event]) -> Option<&zmtp_codec::PeerInfo> {
    events.iter().find_map(|e| match e {
        Event::Ready(info) => Some(info),
        _ => None,
    })
}

#[test]
fn without_an_authenticator_every_client_is_welcome() {
    let (mut c, mut s) = (client("admin", "secret"), server(false));
    let [(ce, cerr), (se, serr)] = pump(&mut c, &mut s);
    assert!(cerr.is_none() && serr.is_none(), "{cerr:?} {serr:?}");
    assert_eq!(
        ready(&ce).and_then(|p| p.socket_type),
        Some(SocketType::Router)
    );
    assert_eq!(
        ready(&se).and_then(|p| p.socket_type),
        Some(SocketType::Dealer)
    );
}

#[test]
fn the_authenticator_sees_the_credentials_and_decides() {
    for ok in [true, false] {
        let (mut c, mut s) = (client("admin", "secret"), server(true));
        let [(_, cerr), (se, serr)] = pump(&mut c, &mut s);
        assert!(cerr.is_none() && serr.is_none());
        let req = se
            .iter()
            .find_map(|e| match e {
                Event::AuthRequest(r) => Some(r.clone()),
                _ => None,
            })
            .expect("the server asks");
        assert_eq!(req.mechanism.to_string(), "PLAIN");
        assert_eq!(
            req.credentials,
            [Bytes::from_static(b"admin"), Bytes::from_static(b"secret")]
        );
        let code = if ok { STATUS_OK } else { 400 };
        let answer = s.handle_auth_reply(AuthReply::new(code));
        let [(ce, cerr), (se, serr)] = pump(&mut c, &mut s);
        if ok {
            assert!(answer.is_ok());
            assert!(
                ready(&ce).is_some() && ready(&se).is_some(),
                "{cerr:?} {serr:?}"
            );
        } else {
            assert!(answer.is_err() || serr.is_some());
            // The client is told the status code, as libzmq tells it.
            assert_eq!(cerr, Some(ProtocolError::AuthFailed { status: 400 }));
            assert!(ready(&ce).is_none());
        }
    }
}

#[test]
fn plain_and_null_do_not_mix() {
    let mut c = client("u", "p");
    let mut s = session(SocketType::Router, Box::new(NullMechanism::new()));
    let [(_, cerr), (_, serr)] = pump(&mut c, &mut s);
    assert!(
        matches!(cerr, Some(ProtocolError::MechanismMismatch { .. })),
        "{cerr:?}"
    );
    assert!(
        matches!(serr, Some(ProtocolError::MechanismMismatch { .. })),
        "{serr:?}"
    );
}

#[test]
fn oversized_credentials_are_refused_and_the_password_is_never_shown() {
    assert!(PlainMechanism::client(Bytes::from(vec![b'u'; 256]), Bytes::new()).is_err());
    let m = PlainMechanism::client(Bytes::from_static(b"user"), Bytes::from_static(b"hunter2"))
        .expect("short");
    let shown = format!("{m:?}");
    assert!(
        shown.contains("user") && !shown.contains("hunter2"),
        "{shown}"
    );
}
