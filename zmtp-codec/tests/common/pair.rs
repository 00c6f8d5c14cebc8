//! Two sessions talking to each other, and frames on the wire.

use zmtp_codec::frame::WriteBuf;
use zmtp_codec::{Event, PeerInfo, Protocol, ProtocolError, Session};

/// Everything `p` wants to send, as bytes.
pub fn transmit(p: &mut impl Protocol) -> Vec<u8> {
    let mut w = WriteBuf::new();
    while p.has_transmit() {
        p.poll_transmit(&mut w);
    }
    let mut v = Vec::new();
    while !w.is_empty() {
        let n = w.contiguous().len();
        v.extend_from_slice(w.contiguous());
        w.advance(n);
    }
    v
}

/// Polls `p` until it needs input; the events and the error that stopped it.
pub fn events(p: &mut impl Protocol) -> (Vec<Event>, Option<ProtocolError>) {
    let mut evs = Vec::new();
    loop {
        match p.poll_event() {
            Ok(Some(ev)) => evs.push(ev),
            Ok(None) => return (evs, None),
            Err(e) => return (evs, Some(e)),
        }
    }
}

/// Feeds `bytes` (in pieces of `step`) and collects events.
pub fn feed(
    p: &mut impl Protocol,
    bytes: &[u8],
    step: usize,
) -> (Vec<Event>, Option<ProtocolError>) {
    let mut all = Vec::new();
    for piece in bytes.chunks(step.max(1)) {
        p.handle_input(piece);
        let (evs, err) = events(p);
        all.extend(evs);
        if err.is_some() {
            return (all, err);
        }
    }
    let (evs, err) = events(p);
    all.extend(evs);
    (all, err)
}

/// One side's collected events and first error.
#[derive(Debug, Default)]
pub struct Seen {
    /// Events in order.
    pub events: Vec<Event>,
    /// The error that ended the side, if any.
    pub error: Option<ProtocolError>,
}

impl Seen {
    /// The peer information of the Ready event.
    pub fn ready(&self) -> Option<&PeerInfo> {
        self.events.iter().find_map(|e| match e {
            Event::Ready(info) => Some(info),
            _ => None,
        })
    }

    /// The data frames (more, body).
    pub fn frames(&self) -> Vec<(bool, Vec<u8>)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::Frame { more, body } => Some((*more, body.to_vec())),
                _ => None,
            })
            .collect()
    }
}

/// Moves bytes both ways (in pieces of `step`) until neither side has
/// anything to say; what each side saw.
pub fn pump_with(a: &mut Session, b: &mut Session, step: usize) -> [Seen; 2] {
    let mut seen = [Seen::default(), Seen::default()];
    for _ in 0..64 {
        let to_b = transmit(a);
        let to_a = transmit(b);
        for (bytes, dst, i) in [(to_b, &mut *b, 1), (to_a, &mut *a, 0)] {
            if seen[i].error.is_some() {
                continue;
            }
            let (evs, err) = feed(dst, &bytes, step);
            seen[i].events.extend(evs);
            seen[i].error = err;
        }
        if !a.has_transmit() && !b.has_transmit() {
            break;
        }
    }
    seen
}

/// Exchanges greetings in the stages both sides send them (signatures, major
/// versions, the rest) and nothing else; each side's whole greeting. Panics
/// if either side fails or a greeting is not complete after three rounds.
/// What the sides queue once the greetings are in (HELLO, READY) stays queued.
pub fn greet(a: &mut Session, b: &mut Session) -> [Vec<u8>; 2] {
    let mut sent = [Vec::new(), Vec::new()];
    for _ in 0..3 {
        let to_b = transmit(a);
        let to_a = transmit(b);
        sent[0].extend_from_slice(&to_b);
        sent[1].extend_from_slice(&to_a);
        for (bytes, dst) in [(to_b, &mut *b), (to_a, &mut *a)] {
            let (evs, err) = feed(dst, &bytes, usize::MAX);
            assert!(err.is_none() && evs.is_empty(), "{evs:?} {err:?}");
        }
    }
    for g in &sent {
        assert_eq!(g.len(), zmtp_codec::GREETING_LEN, "{g:?}");
    }
    sent
}

/// [`pump_with`] in whole chunks.
pub fn pump(a: &mut Session, b: &mut Session) -> [Seen; 2] {
    pump_with(a, b, usize::MAX)
}

/// Splits wire bytes into whole frames (flags, body); a trailing partial
/// frame is dropped.
pub fn split_frames(mut bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut frames = Vec::new();
    while bytes.len() >= 2 {
        let flags = bytes[0];
        let (len, at) = if flags & 0x02 != 0 {
            if bytes.len() < 9 {
                break;
            }
            let mut size = [0u8; 8];
            size.copy_from_slice(&bytes[1..9]);
            (u64::from_be_bytes(size) as usize, 9)
        } else {
            (usize::from(bytes[1]), 2)
        };
        if bytes.len() < at + len {
            break;
        }
        frames.push((flags, bytes[at..at + len].to_vec()));
        bytes = &bytes[at + len..];
    }
    frames
}

/// A whole frame: `flags` (MORE/COMMAND; LONG is set as needed) and body.
pub fn frame(flags: u8, body: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(9 + body.len());
    if body.len() <= 255 {
        v.extend_from_slice(&[flags & !0x02, body.len() as u8]);
    } else {
        v.push(flags | 0x02);
        v.extend_from_slice(&(body.len() as u64).to_be_bytes());
    }
    v.extend_from_slice(body);
    v
}
