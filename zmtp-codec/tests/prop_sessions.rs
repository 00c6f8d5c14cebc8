//! Property: two Sessions wired back to back (bytes moved in arbitrary
//! pieces) complete the handshake and exchange messages and commands.

mod common;

use std::time::Instant;

use bytes::Bytes;
use proptest::prelude::*;
use zmtp_codec::frame::WriteBuf;
use zmtp_codec::{Command, Event, NullMechanism, Protocol, Session, SessionConfig, SocketType};

struct Peer {
    s: Session,
    wb: WriteBuf,
    events: Vec<Event>,
}

impl Peer {
    fn new(t: SocketType, identity: &[u8], zero_copy: usize, copy_threshold: usize) -> Peer {
        let mut cfg = SessionConfig::new(t);
        cfg.identity = Bytes::copy_from_slice(identity);
        cfg.copy_threshold = copy_threshold;
        Peer {
            s: Session::new(cfg, Box::new(NullMechanism::new()), Instant::now()),
            wb: WriteBuf::with_zero_copy_threshold(zero_copy),
            events: Vec::new(),
        }
    }
}

/// Moves one piece of `from`'s output to `to`; false when nothing is pending.
fn transfer(from: &mut Peer, to: &mut Peer, n: usize) -> bool {
    from.s.poll_transmit(&mut from.wb);
    if from.wb.is_empty() {
        return false;
    }
    common::partial_write_buf(&mut from.wb, to.s.recv_buf(), n);
    while let Some(e) = to.s.poll_event().expect("no protocol error") {
        to.events.push(e);
    }
    true
}

fn pump(a: &mut Peer, b: &mut Peer, cuts: &[usize], k: &mut usize) {
    loop {
        *k += 1;
        let n1 = cuts[*k % cuts.len()];
        let n2 = cuts[(*k * 7 + 3) % cuts.len()];
        let moved = transfer(a, b, n1) | transfer(b, a, n2);
        if !moved {
            break;
        }
    }
}

#[derive(Clone, Debug)]
enum Out {
    Msg(Vec<Vec<u8>>),
    Ping(u16, Vec<u8>),
    Sub(bool, Vec<u8>),
}

fn outgoing() -> impl Strategy<Value = Out> {
    prop_oneof![
        4 => prop::collection::vec(common::body(), 1..4).prop_map(Out::Msg),
        1 => (any::<u16>(), prop::collection::vec(any::<u8>(), 0..24))
            .prop_map(|(t, c)| Out::Ping(t, c)),
        1 => (any::<bool>(), prop::collection::vec(any::<u8>(), 0..300))
            .prop_map(|(on, t)| Out::Sub(on, t)),
    ]
}

fn pairs() -> Vec<(SocketType, SocketType)> {
    let mut v = Vec::new();
    for a in SocketType::ALL {
        for b in SocketType::ALL {
            if a.can_talk_to(b) {
                v.push((a, b));
            }
        }
    }
    v
}

/// Sends `outs` from `p` and returns the events the receiver must see and
/// how many PONGs the sender must get back.
fn send(p: &mut Peer, outs: &[Out]) -> (Vec<Event>, usize) {
    let mut expected = Vec::new();
    let mut pongs = 0;
    for o in outs {
        match o {
            Out::Msg(frames) => {
                for (i, f) in frames.iter().enumerate() {
                    let more = i + 1 < frames.len();
                    let body = Bytes::copy_from_slice(f);
                    p.s.encode_frame(more, &body, &mut p.wb).unwrap();
                    expected.push(Event::Frame { more, body });
                }
            }
            Out::Ping(ttl, ctx) => {
                let cmd = Command::Ping {
                    ttl_deciseconds: *ttl,
                    context: Bytes::copy_from_slice(ctx),
                };
                // NULL does not wrap traffic: the command goes out as it is.
                cmd.encode(p.wb.buf_mut());
                expected.push(Event::Ping {
                    ttl_deciseconds: *ttl,
                });
                pongs += 1;
            }
            Out::Sub(on, topic) => {
                let t = Bytes::copy_from_slice(topic);
                p.s.encode_subscription(*on, &t, &mut p.wb).unwrap();
                expected.push(if *on {
                    Event::Subscribe(t)
                } else {
                    Event::Cancel(t)
                });
            }
        }
    }
    (expected, pongs)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn sessions_handshake_and_exchange(
        pair in prop::sample::select(pairs()),
        id_a in prop::collection::vec(any::<u8>(), 0..10),
        id_b in prop::collection::vec(any::<u8>(), 0..10),
        a_out in prop::collection::vec(outgoing(), 0..12),
        b_out in prop::collection::vec(outgoing(), 0..12),
        cuts in prop::collection::vec(1usize..400, 1..20),
        zero_copy in prop::sample::select(vec![1usize, 64, 300, 16384]),
        copy_threshold in 0usize..600,
    ) {
        let (ta, tb) = pair;
        let mut a = Peer::new(ta, &id_a, zero_copy, copy_threshold);
        let mut b = Peer::new(tb, &id_b, zero_copy, copy_threshold);
        let mut k = 0;
        pump(&mut a, &mut b, &cuts, &mut k);
        prop_assert!(a.s.is_ready() && b.s.is_ready());
        for (p, other_t, other_id) in [(&mut a, tb, &id_b), (&mut b, ta, &id_a)] {
            let evs = std::mem::take(&mut p.events);
            prop_assert_eq!(evs.len(), 1);
            let Event::Ready(info) = &evs[0] else { panic!("{evs:?}") };
            prop_assert_eq!(info.socket_type, Some(other_t));
            let want: &[u8] = if other_t.sends_identity() { other_id } else { b"" };
            prop_assert_eq!(&info.identity[..], want);
            prop_assert_eq!((info.major, info.minor), (3, 1));
            prop_assert_eq!(p.s.peer_info(), Some(info));
        }
        let (to_b, pongs_a) = send(&mut a, &a_out);
        let (to_a, pongs_b) = send(&mut b, &b_out);
        pump(&mut a, &mut b, &cuts, &mut k);
        let split = |evs: Vec<Event>| -> (Vec<Event>, usize) {
            let pongs = evs.iter().filter(|e| **e == Event::Pong).count();
            (evs.into_iter().filter(|e| *e != Event::Pong).collect(), pongs)
        };
        let (got_a, pa) = split(std::mem::take(&mut a.events));
        let (got_b, pb) = split(std::mem::take(&mut b.events));
        prop_assert_eq!(got_b, to_b);
        prop_assert_eq!(got_a, to_a);
        prop_assert_eq!(pa, pongs_a);
        prop_assert_eq!(pb, pongs_b);
        prop_assert!(a.s.recv_buf().is_empty() && b.s.recv_buf().is_empty());
    }
}
