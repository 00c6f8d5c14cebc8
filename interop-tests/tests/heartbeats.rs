//! ZMTP 3.1 heartbeats against a hand-encoded raw peer and a real libzmq 4.3:
//! our PINGs (with our TTL) arrive and libzmq honours that TTL, a silent peer
//! is dropped after HEARTBEAT_TIMEOUT and the connecting side redials, a
//! peer's PING TTL is honoured, libzmq's own heartbeats keep a quiet
//! connection with ours alive, and the three options read back as libzmq's.
//!
//! Intervals are 100-300 ms; lower bounds only where the behaviour needs
//! them (nothing is dropped before its timeout), upper bounds generous.

mod common;

use std::time::{Duration, Instant};

use common::*;
use zmtp_api::OptionValue;

/// Thread-name prefixes of this file's tests.
const TEST_PREFIXES: &[&str] = &["heartbeat_"];

/// Reads frames until a command arrives; returns its name and data.
async fn next_command(p: &mut RawPeer) -> (String, Vec<u8>) {
    loop {
        let f = p.read_frame().await.expect("read a frame");
        if f.is_command() {
            let c = f.as_command().expect("a command");
            return (c.name, c.data);
        }
    }
}

/// On a libzmq monitor PAIR: whether an event of kind `ev` arrives within `within`.
async fn monitor_sees(mon: &mut Zmq, ev: zmq::SocketEvent, within: Duration) -> bool {
    let want = ev.to_raw();
    mon.run(move |s| {
        let deadline = Instant::now() + within;
        s.set_rcvtimeo(20).unwrap();
        while Instant::now() < deadline {
            if let Ok(frames) = s.recv_multipart(0)
                && frames.first().is_some_and(|f| f.len() >= 2)
                && u16::from_le_bytes([frames[0][0], frames[0][1]]) == want
            {
                return true;
            }
        }
        false
    })
    .await
}

/// Ours (connecting, HEARTBEAT_IVL 100 ms, TIMEOUT 200 ms, TTL 1 s) PINGs a raw
/// peer that completed the handshake and then never answers; it is dropped,
/// not before the first PING plus the timeout, and ours dials again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeat_timeout_drops_a_silent_peer_and_the_dialer_redials() {
    record_background_panics(TEST_PREFIXES);
    let listener = RawListener::bind("tcp://127.0.0.1:*").await.unwrap();
    let dealer = ours(SocketType::Dealer);
    dealer.set_option(SocketOption::HeartbeatIvl(100)).unwrap();
    dealer
        .set_option(SocketOption::HeartbeatTimeout(200))
        .unwrap();
    dealer.set_option(SocketOption::HeartbeatTtl(1000)).unwrap();
    dealer.connect(listener.endpoint()).unwrap();

    let mut p1 = listener.accept().await.unwrap();
    let started = Instant::now();
    let hs = p1.handshake(1, "DEALER", None).await.unwrap();
    assert_eq!(hs.socket_type().as_deref(), Some("DEALER"));
    // A PING with our TTL in deciseconds and an empty context.
    let (name, data) = next_command(&mut p1).await;
    assert_eq!((name.as_str(), data.as_slice()), ("PING", &[0u8, 10][..]));
    assert!(p1.expect_closed(T).await, "the silent peer was kept");
    let after = started.elapsed();
    assert!(
        after >= Duration::from_millis(290),
        "dropped after {after:?}, before the first PING plus the timeout"
    );

    // The dialer redials; the new connection works.
    let mut p2 = listener.accept().await.unwrap();
    p2.handshake(1, "DEALER", None).await.unwrap();
    p2.send_message(&[b"after redial"]).await.unwrap();
    assert_msg_eq(&recv_ours(&dealer).await, &msg(&[b"after redial"]));
    assert_no_background_panics();
    dealer.close();
}

/// A raw peer sends one PING with a TTL of 300 ms and goes silent: ours (no
/// heartbeats of its own) answers with a PONG and drops it after about the
/// TTL; a raw peer that announced no TTL stays connected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeat_peer_ttl_is_honoured() {
    record_background_panics(TEST_PREFIXES);
    let router = ours(SocketType::Router);
    let ep = bind_ours(&router, "tcp://127.0.0.1:*");
    let mut quiet = RawPeer::connect(&ep).await.unwrap();
    quiet.handshake(1, "DEALER", Some(b"quiet")).await.unwrap();
    let mut p = RawPeer::connect(&ep).await.unwrap();
    p.handshake(1, "DEALER", Some(b"pinger")).await.unwrap();

    let sent = Instant::now();
    p.send_command("PING", b"\x00\x03ctx").await.unwrap();
    let (name, data) = next_command(&mut p).await;
    assert_eq!((name.as_str(), data.as_slice()), ("PONG", &b"ctx"[..]));
    assert!(p.expect_closed(T).await, "the peer's TTL was ignored");
    let after = sent.elapsed();
    assert!(
        after >= Duration::from_millis(290),
        "dropped after {after:?}, before the TTL"
    );
    assert!(quiet.stays_open(Duration::from_millis(300)).await);
    quiet.send_message(&[b"still here"]).await.unwrap();
    assert_msg_eq(&recv_ours(&router).await, &msg(&[b"quiet", b"still here"]));
    assert_no_background_panics();
    router.close();
}

/// Our PINGs reach libzmq and it honours their TTL: ours PINGs once a second
/// with a TTL of 200 ms, so after our first PING libzmq hears nothing within
/// the TTL and drops the connection (its monitor reports it); ours redials and
/// messages flow again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeat_libzmq_honours_the_ttl_of_our_pings() {
    record_background_panics(TEST_PREFIXES);
    let ctx = zmq::Context::new();
    // Declared first so that it is dropped after the monitored socket (see
    // `common::types`: a monitor event sent to a closed reader wedges libzmq).
    let mut mon;
    let mut pull = Zmq::new(&ctx, zmq::PULL);
    mon = pull.monitor(
        &ctx,
        (zmq::SocketEvent::HANDSHAKE_SUCCEEDED.to_raw() | zmq::SocketEvent::DISCONNECTED.to_raw())
            as i32,
    );
    let ep = pull.bind("tcp://127.0.0.1:*");
    let push = ours(SocketType::Push);
    push.set_option(SocketOption::HeartbeatIvl(1000)).unwrap();
    push.set_option(SocketOption::HeartbeatTtl(200)).unwrap();
    // No timeout of ours: only libzmq's TTL can end the connection.
    push.set_option(SocketOption::HeartbeatTimeout(0)).unwrap();
    push.connect(&ep).unwrap();
    send_ours(&push, &msg(&[b"one"])).await;
    assert_msg_eq(&pull.recv().await.unwrap(), &msg(&[b"one"]));
    assert!(monitor_sees(&mut mon, zmq::SocketEvent::HANDSHAKE_SUCCEEDED, T).await);
    assert!(
        monitor_sees(&mut mon, zmq::SocketEvent::DISCONNECTED, T).await,
        "libzmq did not drop us after the TTL of our PING"
    );
    assert!(monitor_sees(&mut mon, zmq::SocketEvent::HANDSHAKE_SUCCEEDED, T).await);
    send_ours(&push, &msg(&[b"two"])).await;
    assert_msg_eq(&pull.recv().await.unwrap(), &msg(&[b"two"]));
    assert_no_background_panics();
    push.close();
}

/// libzmq with HEARTBEAT_IVL 100 ms and HEARTBEAT_TIMEOUT 300 ms keeps a quiet
/// connection with ours (no heartbeats of its own) alive well past the
/// timeout: ours answers its PINGs. Messages still flow both ways after.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeat_libzmq_pings_keep_a_quiet_connection_alive() {
    record_background_panics(TEST_PREFIXES);
    let ctx = zmq::Context::new();
    let mut mon;
    let mut theirs = Zmq::new(&ctx, zmq::DEALER);
    theirs.raw().set_heartbeat_ivl(100).unwrap();
    theirs.raw().set_heartbeat_timeout(300).unwrap();
    mon = theirs.monitor(
        &ctx,
        (zmq::SocketEvent::HANDSHAKE_SUCCEEDED.to_raw() | zmq::SocketEvent::DISCONNECTED.to_raw())
            as i32,
    );
    let ep = theirs.bind("tcp://127.0.0.1:*");
    let dealer = ours(SocketType::Dealer);
    dealer.connect(&ep).unwrap();
    send_ours(&dealer, &msg(&[b"hello"])).await;
    assert_msg_eq(&theirs.recv().await.unwrap(), &msg(&[b"hello"]));
    assert!(monitor_sees(&mut mon, zmq::SocketEvent::HANDSHAKE_SUCCEEDED, T).await);
    // Quiet for five timeouts: no disconnect.
    assert!(
        !monitor_sees(
            &mut mon,
            zmq::SocketEvent::DISCONNECTED,
            Duration::from_millis(1500)
        )
        .await,
        "libzmq dropped ours: its PINGs went unanswered"
    );
    theirs.send(msg(&[b"back"])).await.unwrap();
    assert_msg_eq(&recv_ours(&dealer).await, &msg(&[b"back"]));
    send_ours(&dealer, &msg(&[b"again"])).await;
    assert_msg_eq(&theirs.recv().await.unwrap(), &msg(&[b"again"]));
    assert_no_background_panics();
    dealer.close();
}

/// The three options read back as libzmq 4.3 reports them: defaults 0, 0 and
/// -1; what was set (TTL values that are whole deciseconds: libzmq rounds the
/// others down when read back, zmtp returns them as set).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeat_options_read_back_as_in_libzmq() {
    let ctx = zmq::Context::new();
    let z = ctx.socket(zmq::DEALER).unwrap();
    let s = ours(SocketType::Dealer);
    let get = |n: &str| s.get_option_named(n).unwrap();
    assert_eq!(get("heartbeat_ivl"), OptionValue::Int(0));
    assert_eq!(get("heartbeat_ttl"), OptionValue::Int(0));
    assert_eq!(get("heartbeat_timeout"), OptionValue::Int(-1));
    assert_eq!(z.get_heartbeat_ivl().unwrap(), 0);
    assert_eq!(z.get_heartbeat_ttl().unwrap(), 0);
    assert_eq!(z.get_heartbeat_timeout().unwrap(), -1);
    for (ivl, ttl, timeout) in [(150, 2500, 0), (1, 100, 7), (0, 6_553_500, 300)] {
        s.set_option_named("heartbeat_ivl", ivl).unwrap();
        s.set_option_named("heartbeat_ttl", ttl).unwrap();
        s.set_option_named("heartbeat_timeout", timeout).unwrap();
        z.set_heartbeat_ivl(ivl).unwrap();
        z.set_heartbeat_ttl(ttl).unwrap();
        z.set_heartbeat_timeout(timeout).unwrap();
        assert_eq!(get("heartbeat_ivl"), OptionValue::Int(ivl.into()));
        assert_eq!(get("heartbeat_ttl"), OptionValue::Int(ttl.into()));
        assert_eq!(get("heartbeat_timeout"), OptionValue::Int(timeout.into()));
        assert_eq!(z.get_heartbeat_ivl().unwrap(), ivl);
        assert_eq!(z.get_heartbeat_ttl().unwrap(), ttl);
        assert_eq!(z.get_heartbeat_timeout().unwrap(), timeout);
    }
    // The TTL is kept in whole deciseconds by both.
    for ttl in [2599, 6_553_599] {
        s.set_option_named("heartbeat_ttl", ttl).unwrap();
        z.set_heartbeat_ttl(ttl).unwrap();
        assert_eq!(
            get("heartbeat_ttl"),
            OptionValue::Int(z.get_heartbeat_ttl().unwrap().into())
        );
    }
    // Edge values: accepted or refused as libzmq does, and read back the same.
    for (name, v) in [
        ("heartbeat_ivl", -1),
        ("heartbeat_ttl", -1),
        ("heartbeat_ttl", -99),
        ("heartbeat_ttl", -100),
        ("heartbeat_ttl", 6_553_600),
        ("heartbeat_timeout", -1),
        ("heartbeat_timeout", -2),
    ] {
        let (theirs, back) = match name {
            "heartbeat_ivl" => (z.set_heartbeat_ivl(v), z.get_heartbeat_ivl()),
            "heartbeat_ttl" => (z.set_heartbeat_ttl(v), z.get_heartbeat_ttl()),
            _ => (z.set_heartbeat_timeout(v), z.get_heartbeat_timeout()),
        };
        let ours = s.set_option_named(name, v);
        assert_eq!(
            ours.is_ok(),
            theirs.is_ok(),
            "{name} = {v}: {ours:?} vs {theirs:?}"
        );
        assert_eq!(
            get(name),
            OptionValue::Int(back.unwrap().into()),
            "{name} after {v}"
        );
    }
    s.close();
}
