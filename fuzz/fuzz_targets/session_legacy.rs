//! Arbitrary peer bytes into a Session after the start of a ZMTP 1.0 / 2.0 greeting
//! (revision 0 or 1 with a fuzzed socket-type byte, or an unversioned identity frame),
//! with NULL or a secured mechanism, fed whole or byte by byte, with timers fired.
//! Must never panic; a failure must stick; everything decoded is echoed back through
//! the legacy encoder.
#![no_main]

use std::time::{Duration, Instant};

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use zmtp_codec::frame::WriteBuf;
use zmtp_codec::{
    Event, Mechanism, NullMechanism, PlainMechanism, Protocol, Session, SessionConfig, SocketType,
};

fuzz_target!(|data: &[u8]| {
    let Some((&cfg, rest)) = data.split_first() else {
        return;
    };
    let ours = SocketType::ALL[usize::from(cfg & 0x0F) % SocketType::ALL.len()];
    let mut config = SessionConfig::new(ours);
    config.identity = Bytes::from_static(b"fuzz");
    config.handshake_ivl = Some(Duration::from_secs(1));
    config.heartbeat_ivl = Some(Duration::from_millis(2));
    if cfg & 0x80 != 0 {
        config.max_msg_size = Some(64);
    }
    let mechanism: Box<dyn Mechanism> = if cfg & 0x40 != 0 {
        Box::new(PlainMechanism::server(false))
    } else {
        Box::new(NullMechanism::new())
    };
    let start = Instant::now();
    let mut s = Session::new(config, mechanism, start);
    let mut wb = WriteBuf::with_zero_copy_threshold(32);
    let prefix: Vec<u8> = match (cfg >> 4) & 3 {
        0 => vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 1],
        1 => vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 0],
        2 => vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 3, 0x00],
        _ => Vec::new(),
    };
    let step = if rest.first().is_some_and(|b| b & 1 != 0) { 1 } else { 4096 };
    let mut now = start;
    let mut failed = false;
    for piece in prefix.chunks(step).chain(rest.chunks(step)) {
        s.handle_input(piece);
        let _ = s.needed();
        now += Duration::from_millis(1);
        if s.poll_timeout().is_some_and(|t| t <= now) && s.handle_timeout(now).is_err() {
            failed = true;
        }
        loop {
            match s.poll_event() {
                Ok(Some(Event::Frame { more, body })) => {
                    s.encode_frame(more, &body, &mut wb).expect("ready");
                }
                Ok(Some(Event::Subscribe(t))) => {
                    s.encode_subscription(true, &t, &mut wb).expect("ready");
                }
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(_) => {
                    failed = true;
                    break;
                }
            }
        }
        if failed {
            assert!(s.poll_event().is_err(), "failed state not kept");
            s.poll_transmit(&mut wb);
            return;
        }
        s.poll_transmit(&mut wb);
        let n = wb.len();
        wb.advance(n);
    }
});
