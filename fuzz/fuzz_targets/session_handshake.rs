//! Arbitrary peer bytes into a Session: raw, after a valid greeting, or
//! after a valid greeting and READY, with timers (handshake, heartbeats)
//! fired along the way. Must never panic.
#![no_main]

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use libfuzzer_sys::fuzz_target;
use zmtp_codec::frame::WriteBuf;
use zmtp_codec::{
    Command, Event, Greeting, MechanismName, Metadata, NullMechanism, Protocol, Session,
    SessionConfig, SocketType,
};

fuzz_target!(|data: &[u8]| {
    let Some((&cfg, rest)) = data.split_first() else {
        return;
    };
    let ours = SocketType::ALL[usize::from(cfg & 0x0F) % SocketType::ALL.len()];
    let mut config = SessionConfig::new(ours);
    config.identity = Bytes::from_static(b"fuzz");
    if cfg & 0x80 != 0 {
        config.max_msg_size = Some(64);
    }
    config.handshake_ivl = Some(Duration::from_secs(1));
    // Heartbeats: PINGs queued between pieces, the timeout and the peer's
    // TTL (from fuzzed PINGs) running against the simulated clock.
    config.heartbeat_ivl = Some(Duration::from_millis(2));
    config.heartbeat_ttl = Duration::from_millis(300);
    config.heartbeat_timeout = Some(Duration::from_millis(50));
    let start = Instant::now();
    let mut s = Session::new(config, Box::new(NullMechanism::new()), start);
    let mut wb = WriteBuf::with_zero_copy_threshold(32);

    let mut prefix = BytesMut::new();
    match (cfg >> 4) & 3 {
        0 => {}
        1 => Greeting::new(MechanismName::NULL, false).encode(&mut prefix),
        _ => {
            Greeting::new(MechanismName::NULL, false).encode(&mut prefix);
            let peer = SocketType::ALL
                .into_iter()
                .find(|t| ours.can_talk_to(*t))
                .unwrap_or(SocketType::Pair);
            let mut m = Metadata::new();
            let _ = m.push("Socket-Type", peer.as_str());
            Command::Ready(m).encode(&mut prefix);
        }
    }
    let step = if cfg & 0x40 != 0 { 1 } else { 4096 };
    // Simulated clock: each piece advances it by 1 ms, so the handshake
    // deadline fires within long byte-by-byte inputs.
    let mut now = start;
    let mut feed = |bytes: &[u8], s: &mut Session, wb: &mut WriteBuf| -> bool {
        for piece in bytes.chunks(step) {
            s.handle_input(piece);
            let _ = s.needed();
            now += Duration::from_millis(1);
            if s.poll_timeout().is_some_and(|t| t <= now) && s.handle_timeout(now).is_err() {
                return false;
            }
            loop {
                match s.poll_event() {
                    Ok(Some(Event::Frame { more, body })) => {
                        s.encode_frame(more, &body, wb).expect("ready");
                    }
                    Ok(Some(Event::Subscribe(t))) => {
                        s.encode_subscription(false, &t, wb).expect("ready");
                    }
                    Ok(Some(_)) => {}
                    Ok(None) => break,
                    Err(_) => {
                        s.poll_transmit(wb);
                        assert!(s.poll_event().is_err(), "failed state not kept");
                        return false;
                    }
                }
            }
            s.poll_transmit(wb);
            let n = wb.len();
            wb.advance(n);
        }
        true
    };
    if feed(&prefix, &mut s, &mut wb) {
        feed(rest, &mut s, &mut wb);
    }
});
