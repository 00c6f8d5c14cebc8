//! Security failures against pyzmq (libzmq 4.3.5) peers: wrong CURVE server key, wrong
//! PLAIN password, a CURVE key ZAP refuses, NULL against CURVE, PLAIN servers on both
//! ends, missing CURVE keys. Each closes that connection with the monitor event libzmq
//! emits in the same case, delivers nothing from the unauthenticated peer while a
//! healthy peer on the same socket keeps working, and causes no reconnect loop (events
//! counted over a bounded window).

use interop_tests::pyzmq::{PeerConfig, PyPeer, ZapAuthenticator};
use interop_tests::security::{
    EventLog, PASSWORD, USER, WINDOW, bind, keypair, msg, ours, poll_until, recv_ours,
    send_maybe_refused, set_curve_client, set_curve_server, set_plain_server,
};
use interop_tests::support::DEADLINE;
use zmtp_api::monitor::EventType;
use zmtp_api::{Authenticator, Context, CurveKeypair, Error, SocketOption, SocketType};
use zmtp_codec::error::codes;

/// Most connection attempts a peer may make in [`WINDOW`] without it being a tight
/// loop (libzmq and we retry after 100 ms plus jitter).
const MAX_ATTEMPTS: usize = 20;

/// How long our NULL client may take to learn a CURVE server's mechanism (see
/// [`our_null_client_detects_the_mismatch_and_stops`]).
const MISMATCH_DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

fn curve_client_config(
    kind: SocketType,
    client: &CurveKeypair,
    server: &CurveKeypair,
) -> PeerConfig {
    PeerConfig::new(kind).curve_client(
        &client.public.to_z85(),
        &client.secret.to_z85(),
        &server.public.to_z85(),
    )
}

/// Polls until `peer` reports an event named `name`; returns its value.
fn py_event(peer: &PyPeer, name: &str, what: &str) -> i64 {
    peer.wait_event(name, DEADLINE)
        .unwrap_or_else(|| panic!("{what}: no {name} from pyzmq: {:?}", peer.events()))
        .value
}

/// Our CURVE server: a pyzmq client with the wrong server key fails with
/// CRYPTOGRAPHIC on our monitor (libzmq's server code), a healthy one gets through.
/// libzmq's client only sees the close and retries at its reconnect interval.
#[test]
fn wrong_curve_server_key_at_our_server() {
    let ctx = Context::new();
    let keys = keypair();
    let pull = ours(&ctx, SocketType::Pull);
    let log = EventLog::start(&pull);
    set_curve_server(&pull, &keys);
    let ep = bind(&pull, "tcp://127.0.0.1:*");
    let bad = PyPeer::spawn(
        curve_client_config(SocketType::Push, &keypair(), &keypair())
            .connect(&ep)
            .monitor(),
    );
    send_maybe_refused(&bad, &[b"must not arrive"]);
    let failed = log.expect(EventType::HandshakeFailedProtocol, DEADLINE);
    assert_eq!(failed.value, codes::ZMTP_CRYPTOGRAPHIC);
    py_event(&bad, "HANDSHAKE_FAILED_NO_DETAIL", "bad key");
    let healthy =
        PyPeer::spawn(curve_client_config(SocketType::Push, &keypair(), &keys).connect(&ep));
    healthy.send(&[b"healthy"]);
    assert_eq!(recv_ours(&pull, "healthy"), msg(&["healthy"]));
    let before = log.count(EventType::HandshakeFailedProtocol);
    std::thread::sleep(WINDOW);
    let n = log.count(EventType::HandshakeFailedProtocol) - before;
    assert!(n <= MAX_ATTEMPTS, "{n} attempts in {WINDOW:?}");
    assert!(pull.try_recv_message().expect("try_recv").is_none());
    pull.close();
}

/// Our CURVE client with the wrong server key: the pyzmq server reports CRYPTOGRAPHIC,
/// we see the close (NO_DETAIL) and retry at our reconnect interval; the same socket's
/// connection to a second, right server works.
#[test]
fn wrong_curve_server_key_at_our_client() {
    let right = keypair();
    let wrong = keypair();
    let bad = PyPeer::spawn(
        PeerConfig::new(SocketType::Pull)
            .curve_server(&wrong.secret.to_z85())
            .bind("tcp://127.0.0.1:*")
            .monitor(),
    );
    let good = PyPeer::spawn(
        PeerConfig::new(SocketType::Pull)
            .curve_server(&right.secret.to_z85())
            .bind("tcp://127.0.0.1:*"),
    );
    let ctx = Context::new();
    let push = ours(&ctx, SocketType::Push);
    // Messages only to peers whose handshake completed.
    push.set_option(SocketOption::Immediate(true))
        .expect("immediate");
    let log = EventLog::start(&push);
    set_curve_client(&push, &keypair(), &right);
    push.connect(bad.endpoint()).expect("connect");
    push.connect(good.endpoint()).expect("connect");
    let code = py_event(&bad, "HANDSHAKE_FAILED_PROTOCOL", "wrong key");
    assert_eq!(code, i64::from(codes::ZMTP_CRYPTOGRAPHIC));
    log.expect(EventType::HandshakeFailedNoDetail, DEADLINE);
    push.send("healthy").expect("send");
    assert_eq!(
        good.recv(DEADLINE).map(|m| m[0].data.clone()),
        Some(b"healthy".to_vec())
    );
    let before = log.count(EventType::Connected);
    std::thread::sleep(WINDOW);
    let n = log.count(EventType::Connected) - before;
    assert!(n <= MAX_ATTEMPTS, "{n} reconnects in {WINDOW:?}");
    assert_eq!(bad.recv(std::time::Duration::from_millis(100)), None);
    push.close();
}

/// A wrong PLAIN password and a CURVE key ZAP does not know, at our server with our
/// Authenticator: HANDSHAKE_FAILED_AUTH 400 on our side (and on libzmq's CURVE client),
/// nothing delivered, the refused client does not come back, a healthy client works.
#[test]
fn refused_by_our_authenticator_next_to_a_healthy_client() {
    for curve in [false, true] {
        let ctx = Context::new();
        let auth = Authenticator::start(&ctx).expect("authenticator");
        auth.add_plain_user(USER, PASSWORD);
        let keys = keypair();
        let known = keypair();
        auth.allow_curve_key(known.public);
        let pull = ours(&ctx, SocketType::Pull);
        let log = EventLog::start(&pull);
        let (bad, good) = if curve {
            set_curve_server(&pull, &keys);
            (
                curve_client_config(SocketType::Push, &keypair(), &keys),
                curve_client_config(SocketType::Push, &known, &keys),
            )
        } else {
            set_plain_server(&pull);
            (
                PeerConfig::new(SocketType::Push).plain_client(USER, "wrong"),
                PeerConfig::new(SocketType::Push).plain_client(USER, PASSWORD),
            )
        };
        let ep = bind(&pull, "tcp://127.0.0.1:*");
        let bad = PyPeer::spawn(bad.connect(&ep).monitor());
        send_maybe_refused(&bad, &[b"must not arrive"]);
        let healthy = PyPeer::spawn(good.connect(&ep));
        healthy.send(&[b"healthy"]);
        assert_eq!(recv_ours(&pull, "healthy"), msg(&["healthy"]));
        assert_eq!(
            log.expect(EventType::HandshakeFailedAuth, DEADLINE).value,
            400
        );
        if curve {
            assert_eq!(py_event(&bad, "HANDSHAKE_FAILED_AUTH", "curve"), 400);
        } else {
            // See security_zap.rs: libzmq's PLAIN client reports our ERROR as a
            // protocol error (a known defect); it stops either way.
            assert!(poll_until(DEADLINE, || bad
                .events()
                .iter()
                .any(|e| e.event.starts_with("HANDSHAKE_FAILED"))));
        }
        std::thread::sleep(WINDOW);
        assert_eq!(log.count(EventType::Accepted), 2, "{:?}", log.summary());
        assert_eq!(log.count(EventType::HandshakeFailedAuth), 1);
        assert!(pull.try_recv_message().expect("try_recv").is_none());
        pull.close();
    }
}

/// NULL against CURVE, both ways: MECHANISM_MISMATCH where libzmq reports it, the
/// connecting side stops after it (a protocol error), nothing delivered.
#[test]
fn null_against_curve() {
    // Our CURVE server, a pyzmq NULL client, a healthy CURVE client.
    let ctx = Context::new();
    let keys = keypair();
    let pull = ours(&ctx, SocketType::Pull);
    let log = EventLog::start(&pull);
    set_curve_server(&pull, &keys);
    let ep = bind(&pull, "tcp://127.0.0.1:*");
    let null = PyPeer::spawn(PeerConfig::new(SocketType::Push).connect(&ep).monitor());
    send_maybe_refused(&null, &[b"must not arrive"]);
    // libzmq's client has our whole greeting before we have its mechanism (it sends
    // its greeting in pieces) and closes: the mismatch is reported there, and we often
    // see only the close (NO_DETAIL); a mismatch we do report is MECHANISM_MISMATCH.
    let code = py_event(&null, "HANDSHAKE_FAILED_PROTOCOL", "NULL client");
    assert_eq!(code, i64::from(codes::ZMTP_MECHANISM_MISMATCH));
    assert!(
        poll_until(DEADLINE, || {
            log.count(EventType::HandshakeFailedProtocol)
                + log.count(EventType::HandshakeFailedNoDetail)
                > 0
        }),
        "{:?}",
        log.summary()
    );
    for e in log.events() {
        if e.event == EventType::HandshakeFailedProtocol {
            assert_eq!(e.value, codes::ZMTP_MECHANISM_MISMATCH);
        }
    }
    let healthy =
        PyPeer::spawn(curve_client_config(SocketType::Push, &keypair(), &keys).connect(&ep));
    healthy.send(&[b"healthy"]);
    assert_eq!(recv_ours(&pull, "healthy"), msg(&["healthy"]));
    let before = log.count(EventType::Accepted);
    std::thread::sleep(WINDOW);
    assert_eq!(
        log.count(EventType::Accepted),
        before,
        "{:?}",
        log.summary()
    );
    assert!(pull.try_recv_message().expect("try_recv").is_none());
    pull.close();

    // Our NULL client, a pyzmq CURVE server: see the next two tests.
}

/// Our NULL client against a pyzmq CURVE server: libzmq closes as soon as it has read
/// our greeting and reports MECHANISM_MISMATCH; we see the close (as a libzmq client
/// often does too) and retry at our reconnect interval, not in a tight loop; nothing
/// is delivered.
#[test]
fn our_null_client_against_a_curve_server() {
    let keys = keypair();
    let server = PyPeer::spawn(
        PeerConfig::new(SocketType::Pull)
            .curve_server(&keys.secret.to_z85())
            .bind("tcp://127.0.0.1:*")
            .monitor(),
    );
    let ctx = Context::new();
    let push = ours(&ctx, SocketType::Push);
    let log = EventLog::start(&push);
    push.connect(server.endpoint()).expect("connect");
    let _ = push.send("must not arrive"); // may time out: the refusal can come first
    let code = py_event(&server, "HANDSHAKE_FAILED_PROTOCOL", "CURVE server");
    assert_eq!(code, i64::from(codes::ZMTP_MECHANISM_MISMATCH));
    assert!(
        poll_until(DEADLINE, || {
            log.count(EventType::HandshakeFailedProtocol)
                + log.count(EventType::HandshakeFailedNoDetail)
                > 0
        }),
        "{:?}",
        log.summary()
    );
    for e in log.events() {
        if e.event == EventType::HandshakeFailedProtocol {
            assert_eq!(e.value, codes::ZMTP_MECHANISM_MISMATCH);
        }
    }
    let before = log.count(EventType::Connected);
    std::thread::sleep(WINDOW);
    let n = log.count(EventType::Connected) - before;
    assert!(n <= MAX_ATTEMPTS, "{n} reconnects in {WINDOW:?}");
    assert_eq!(log.count(EventType::HandshakeSucceeded), 0);
    assert_eq!(server.recv(std::time::Duration::from_millis(100)), None);
    push.close();
}

/// The same: a libzmq NULL client reads the server's whole greeting (mechanism
/// `CURVE`) sooner or later, reports MECHANISM_MISMATCH and stops reconnecting; so
/// must ours, on its first attempt. Sent whole at once, or staged as libzmq stages it,
/// our greeting's rest could reach libzmq together with our major version: libzmq then
/// judged our mechanism before flushing its own rest and closed, and we never learnt
/// why (HANDSHAKE_FAILED_NO_DETAIL, EPIPE; 2 of 3 runs under load redialled until the
/// deadline). Our connecting side now holds its rest until the server's greeting is
/// whole, so the mismatch is always ours to see.
#[test]
fn our_null_client_detects_the_mismatch_and_stops() {
    let keys = keypair();
    let server = PyPeer::spawn(
        PeerConfig::new(SocketType::Pull)
            .curve_server(&keys.secret.to_z85())
            .bind("tcp://127.0.0.1:*"),
    );
    let ctx = Context::new();
    let push = ours(&ctx, SocketType::Push);
    let log = EventLog::start(&push);
    push.connect(server.endpoint()).expect("connect");
    assert_eq!(
        log.expect(EventType::HandshakeFailedProtocol, MISMATCH_DEADLINE)
            .value,
        codes::ZMTP_MECHANISM_MISMATCH,
        "{:?}",
        log.summary()
    );
    assert_eq!(
        log.count(EventType::Connected),
        1,
        "the first attempt saw the mismatch: {:?}",
        log.summary()
    );
    let before = log.count(EventType::Connected);
    std::thread::sleep(WINDOW);
    assert_eq!(
        log.count(EventType::Connected),
        before,
        "{:?}",
        log.summary()
    );
    push.close();
}

/// PLAIN servers on both ends both wait for a HELLO: with a short HANDSHAKE_IVL both
/// time out (HANDSHAKE_FAILED_NO_DETAIL, as libzmq), we retry after the timeout, not in
/// a tight loop, and nothing passes.
#[test]
fn plain_servers_on_both_ends_time_out() {
    let server = PyPeer::spawn(
        PeerConfig::new(SocketType::Pull)
            .plain_server()
            .authenticator(ZapAuthenticator::new().plain_user(USER, PASSWORD))
            .options(|o| o.handshake_ivl = Some(300))
            .bind("tcp://127.0.0.1:*")
            .monitor(),
    );
    let ctx = Context::new();
    let push = ours(&ctx, SocketType::Push);
    let log = EventLog::start(&push);
    set_plain_server(&push);
    push.set_option(SocketOption::HandshakeIvl(300))
        .expect("handshake_ivl");
    push.connect(server.endpoint()).expect("connect");
    let _ = push.send("must not arrive"); // may time out: the refusal can come first
    log.expect(EventType::HandshakeFailedNoDetail, DEADLINE);
    py_event(&server, "HANDSHAKE_FAILED_NO_DETAIL", "PLAIN server");
    let before = log.count(EventType::Connected);
    std::thread::sleep(WINDOW);
    let n = log.count(EventType::Connected) - before;
    assert!(n <= MAX_ATTEMPTS, "{n} reconnects in {WINDOW:?}");
    assert_eq!(log.count(EventType::HandshakeSucceeded), 0);
    assert!(server.zap_requests().is_empty());
    assert_eq!(server.recv(std::time::Duration::from_millis(100)), None);
    push.close();
}

/// A CURVE socket missing its keys is refused at bind/connect with a clear error, not
/// at the first handshake.
#[test]
fn missing_curve_keys_fail_at_bind_and_connect() {
    let keys = keypair();
    let server = PyPeer::spawn(
        PeerConfig::new(SocketType::Pull)
            .curve_server(&keys.secret.to_z85())
            .bind("tcp://127.0.0.1:*"),
    );
    let ctx = Context::new();
    let client = ours(&ctx, SocketType::Push);
    client
        .set_option(SocketOption::CurveServerKey(keys.public))
        .expect("serverkey");
    let err = client
        .connect(server.endpoint())
        .expect_err("a CURVE client without its keys connected");
    assert!(matches!(err, Error::MissingKey(_)), "{err:?}");
    assert!(err.to_string().contains("curve_"), "{err}");
    let secret_only = ours(&ctx, SocketType::Push);
    secret_only
        .set_option(SocketOption::CurveServerKey(keys.public))
        .expect("serverkey");
    secret_only
        .set_option(SocketOption::CurvePublicKey(keys.public))
        .expect("publickey");
    assert!(matches!(
        secret_only.connect(server.endpoint()),
        Err(Error::MissingKey("curve_secretkey"))
    ));
    let bound = ours(&ctx, SocketType::Pull);
    bound
        .set_option(SocketOption::CurveServer(true))
        .expect("curve_server");
    assert!(matches!(
        bound.bind("tcp://127.0.0.1:*"),
        Err(Error::MissingKey("curve_secretkey"))
    ));
}
