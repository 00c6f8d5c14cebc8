//! ZMTP 3.1 heartbeats of `Session`, driven with explicit `Instant`s: PINGs
//! with our TTL after each interval and never before the data phase, the
//! timeout after our PING, reset by any traffic, the peer's TTL honoured,
//! the TTL in deciseconds, ZMTP 3.0 peers treated as libzmq 4.3 does.

use std::time::{Duration, Instant};

use bytes::BytesMut;
use zmtp_codec::command::Command;
use zmtp_codec::frame::{WriteBuf, encode_frame};
use zmtp_codec::session::MAX_HEARTBEAT_TTL;
use zmtp_codec::{
    Event, GREETING_LEN, Metadata, NullMechanism, Protocol, ProtocolError, SIGNATURE_LEN, Session,
    SessionConfig, SocketType,
};

const MS: Duration = Duration::from_millis(1);

fn greeting(minor: u8) -> Vec<u8> {
    let mut g = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, minor];
    g.extend_from_slice(b"NULL");
    g.resize(64, 0);
    g
}

fn command(c: Command) -> Vec<u8> {
    let mut out = BytesMut::new();
    c.encode(&mut out);
    out.to_vec()
}

fn ready_frame() -> Vec<u8> {
    let mut m = Metadata::new();
    m.push("Socket-Type", "DEALER").unwrap();
    command(Command::Ready(m))
}

fn ping(ttl_deciseconds: u16) -> Vec<u8> {
    command(Command::Ping {
        ttl_deciseconds,
        context: Default::default(),
    })
}

fn data(body: &[u8]) -> Vec<u8> {
    let mut out = BytesMut::new();
    encode_frame(&mut out, 0, body);
    out.to_vec()
}

fn transmit(p: &mut impl Protocol) -> Vec<u8> {
    let mut w = WriteBuf::new();
    while p.has_transmit() {
        p.poll_transmit(&mut w);
    }
    let mut v = Vec::new();
    while !w.is_empty() {
        let c = w.contiguous().to_vec();
        w.advance(c.len());
        v.extend(c);
    }
    v
}

fn events(p: &mut impl Protocol) -> Result<Vec<Event>, ProtocolError> {
    let mut v = Vec::new();
    while let Some(e) = p.poll_event()? {
        v.push(e);
    }
    Ok(v)
}

fn config(ivl: Option<u64>, ttl: u64, timeout: Option<u64>) -> SessionConfig {
    let mut cfg = SessionConfig::new(SocketType::Dealer);
    cfg.handshake_ivl = None;
    cfg.heartbeat_ivl = ivl.map(Duration::from_millis);
    cfg.heartbeat_ttl = Duration::from_millis(ttl);
    cfg.heartbeat_timeout = timeout.map(Duration::from_millis);
    cfg
}

/// A session created at `t0` that completed the handshake with a ZMTP
/// 3.`minor` peer and learnt the time at `t1` (when the driver would call
/// `handle_timeout` for the stamp the handshake left); output dropped.
fn ready_at(cfg: SessionConfig, minor: u8, t0: Instant, t1: Instant) -> Session {
    let mut s = Session::new(cfg, Box::new(NullMechanism::new()), t0);
    let mut bytes = greeting(minor);
    bytes.extend(ready_frame());
    s.handle_input(&bytes);
    assert!(matches!(events(&mut s).unwrap()[..], [Event::Ready(_)]));
    if let Some(at) = s.poll_timeout() {
        assert!(at <= t1, "the stamp is due at once");
        s.handle_timeout(t1).unwrap();
    }
    transmit(&mut s);
    s
}

#[test]
fn ping_after_each_interval_with_our_ttl_none_before_ready() {
    let t0 = Instant::now();
    let mut s = Session::new(
        config(Some(1000), 2550, Some(500)),
        Box::new(NullMechanism::new()),
        t0,
    );
    // nothing armed and nothing sent before the handshake, however late
    assert_eq!(s.poll_timeout(), None);
    s.handle_timeout(t0 + 10 * 1000 * MS).unwrap();
    assert_eq!(transmit(&mut s).len(), SIGNATURE_LEN, "the signature only");
    s.handle_input(&greeting(1));
    assert_eq!(events(&mut s), Ok(vec![]));
    s.handle_timeout(t0 + 20 * 1000 * MS).unwrap();
    let out = transmit(&mut s);
    // the rest of the greeting and our READY, no PING
    assert_eq!(
        &out[GREETING_LEN - SIGNATURE_LEN..][..8],
        b"\x04\x29\x05READY"
    );
    assert!(!out.windows(4).any(|w| w == b"PING"));
    s.handle_input(&ready_frame());
    assert!(matches!(events(&mut s).unwrap()[..], [Event::Ready(_)]));
    // the stamp asks for the time at once; the first PING is one interval later
    assert!(s.poll_timeout().unwrap() <= t0 + 20 * 1000 * MS);
    let t1 = t0 + 20_005 * MS;
    s.handle_timeout(t1).unwrap();
    assert!(!transmit(&mut s).windows(4).any(|w| w == b"PING"));
    assert_eq!(s.poll_timeout(), Some(t1 + 1000 * MS));
    s.handle_timeout(t1 + 999 * MS).unwrap();
    assert!(!s.has_transmit());
    s.handle_timeout(t1 + 1000 * MS).unwrap();
    // \x04 \x07 \x04 PING, TTL 25 deciseconds, empty context
    assert_eq!(transmit(&mut s), b"\x04\x07\x04PING\x00\x19");
    s.handle_input(&command(Command::Pong {
        context: Default::default(),
    }));
    assert_eq!(events(&mut s), Ok(vec![Event::Pong]));
    s.handle_timeout(t1 + 1500 * MS).unwrap();
    assert_eq!(s.poll_timeout(), Some(t1 + 2000 * MS));
    s.handle_timeout(t1 + 2000 * MS).unwrap();
    assert_eq!(transmit(&mut s), b"\x04\x07\x04PING\x00\x19");
}

#[test]
fn silent_peer_times_out_without_being_told() {
    let t0 = Instant::now();
    let mut s = ready_at(config(Some(1000), 0, Some(500)), 1, t0, t0);
    s.handle_timeout(t0 + 1000 * MS).unwrap();
    assert_eq!(transmit(&mut s), b"\x04\x07\x04PING\x00\x00");
    s.handle_timeout(t0 + 1499 * MS).unwrap();
    let err = s.handle_timeout(t0 + 1500 * MS).unwrap_err();
    assert_eq!(err, ProtocolError::HeartbeatTimeout);
    assert!(!err.stops_reconnect(), "the dialer redials");
    assert_eq!(err.code(), 0x1000_0000);
    assert_eq!(err.peer_reason(), None);
    assert!(!s.has_transmit(), "no ERROR command");
    assert_eq!(s.poll_timeout(), None);
    assert_eq!(s.poll_event(), Err(ProtocolError::HeartbeatTimeout));
}

#[test]
fn any_traffic_cancels_the_timeout_until_the_next_ping() {
    let t0 = Instant::now();
    // timeout shorter than the interval: only the time after a PING counts
    let mut s = ready_at(config(Some(1000), 0, Some(300)), 1, t0, t0);
    s.handle_timeout(t0 + 1000 * MS).unwrap();
    s.handle_input(&data(b"x"));
    assert_eq!(events(&mut s).unwrap().len(), 1);
    s.handle_timeout(t0 + 1300 * MS).unwrap();
    // silence between PINGs is fine
    s.handle_timeout(t0 + 1999 * MS).unwrap();
    s.handle_timeout(t0 + 2000 * MS).unwrap();
    assert_eq!(s.poll_timeout(), Some(t0 + 2300 * MS));
    // a command (here a PING of the peer's, TTL 0) is traffic too
    s.handle_input(&ping(0));
    assert_eq!(events(&mut s), Ok(vec![Event::Ping { ttl_deciseconds: 0 }]));
    s.handle_timeout(t0 + 2300 * MS).unwrap();
    s.handle_timeout(t0 + 3000 * MS).unwrap();
    assert_eq!(
        s.handle_timeout(t0 + 3300 * MS),
        Err(ProtocolError::HeartbeatTimeout)
    );
}

#[test]
fn timeout_longer_than_the_interval_counts_from_the_first_unanswered_ping() {
    let t0 = Instant::now();
    let mut s = ready_at(config(Some(100), 0, Some(250)), 1, t0, t0);
    s.handle_timeout(t0 + 100 * MS).unwrap();
    s.handle_input(&data(b"x"));
    events(&mut s).unwrap();
    // traffic after the PING at 100: the PING at 200 starts a new timeout
    for t in [200, 300, 400] {
        s.handle_timeout(t0 + t * MS).unwrap();
    }
    assert_eq!(
        s.handle_timeout(t0 + 450 * MS),
        Err(ProtocolError::HeartbeatTimeout)
    );
}

#[test]
fn peer_ttl_is_honoured() {
    let t0 = Instant::now();
    // no heartbeats of our own: a peer's TTL still applies (as in libzmq)
    let mut s = ready_at(config(None, 0, None), 1, t0, t0);
    assert_eq!(s.poll_timeout(), None);
    s.handle_input(&ping(5));
    assert_eq!(events(&mut s), Ok(vec![Event::Ping { ttl_deciseconds: 5 }]));
    assert_eq!(transmit(&mut s), b"\x04\x05\x04PONG");
    assert!(s.poll_timeout().unwrap() <= t0 + 10 * MS);
    let t1 = t0 + 10 * MS;
    s.handle_timeout(t1).unwrap();
    assert_eq!(s.poll_timeout(), Some(t1 + 500 * MS));
    // traffic before the deadline: watched for another TTL from it
    s.handle_input(&data(b"x"));
    events(&mut s).unwrap();
    s.handle_timeout(t1 + 500 * MS).unwrap();
    assert_eq!(s.poll_timeout(), Some(t1 + 1000 * MS));
    s.handle_timeout(t1 + 999 * MS).unwrap();
    let err = s.handle_timeout(t1 + 1000 * MS).unwrap_err();
    assert_eq!(err, ProtocolError::HeartbeatTimeout);
    assert!(!s.has_transmit());
}

#[test]
fn peer_ping_without_ttl_ends_the_watch() {
    let t0 = Instant::now();
    let mut s = ready_at(config(None, 0, None), 1, t0, t0);
    s.handle_input(&ping(5));
    events(&mut s).unwrap();
    s.handle_timeout(t0).unwrap();
    assert!(s.poll_timeout().is_some());
    s.handle_input(&ping(0));
    events(&mut s).unwrap();
    assert_eq!(s.poll_timeout(), None);
    s.handle_timeout(t0 + 10_000 * MS).unwrap();
}

#[test]
fn ttl_travels_in_deciseconds_up_to_6553_5_s() {
    let cfg = |ms| config(Some(1000), ms, None);
    assert_eq!(cfg(0).ttl_deciseconds(), 0);
    assert_eq!(cfg(99).ttl_deciseconds(), 0);
    assert_eq!(cfg(150).ttl_deciseconds(), 1, "rounded down, as libzmq");
    assert_eq!(cfg(6_553_500).ttl_deciseconds(), u16::MAX);
    assert_eq!(cfg(10_000_000).ttl_deciseconds(), u16::MAX, "clamped");
    assert_eq!(MAX_HEARTBEAT_TTL, Duration::from_millis(6_553_500));
    let t0 = Instant::now();
    let mut s = ready_at(cfg(10_000_000), 1, t0, t0);
    s.handle_timeout(t0 + 1000 * MS).unwrap();
    assert_eq!(transmit(&mut s), b"\x04\x07\x04PING\xff\xff");
    // the peer's largest TTL is honoured in full (libzmq's 16-bit ms wraps)
    s.handle_input(&ping(u16::MAX));
    events(&mut s).unwrap();
    let mut t = Session::new(config(None, 0, None), Box::new(NullMechanism::new()), t0);
    let mut bytes = greeting(1);
    bytes.extend(ready_frame());
    bytes.extend(ping(u16::MAX));
    t.handle_input(&bytes);
    assert_eq!(events(&mut t).unwrap().len(), 2);
    t.handle_timeout(t0).unwrap();
    assert_eq!(t.poll_timeout(), Some(t0 + MAX_HEARTBEAT_TTL));
}

#[test]
fn zmtp_3_0_peers_get_pings_as_libzmq_sends_them() {
    let t0 = Instant::now();
    let mut s = ready_at(config(Some(200), 1000, Some(200)), 0, t0, t0);
    s.handle_timeout(t0 + 200 * MS).unwrap();
    assert_eq!(transmit(&mut s), b"\x04\x07\x04PING\x00\x0a");
    assert_eq!(
        s.handle_timeout(t0 + 400 * MS),
        Err(ProtocolError::HeartbeatTimeout)
    );
}

#[test]
fn no_heartbeats_no_deadline_in_the_data_phase() {
    let t0 = Instant::now();
    let mut s = ready_at(config(None, 1000, Some(100)), 1, t0, t0);
    assert_eq!(s.poll_timeout(), None);
    s.handle_input(&data(b"x"));
    events(&mut s).unwrap();
    assert_eq!(s.poll_timeout(), None);
    // a zero interval is off too
    let s = ready_at(config(Some(0), 0, None), 1, t0, t0);
    assert_eq!(s.poll_timeout(), None);
}
