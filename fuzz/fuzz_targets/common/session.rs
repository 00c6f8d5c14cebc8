//! What the mechanism fuzz targets share: taking a session's output, and feeding it
//! input while answering ZAP and echoing data.

use zmtp_codec::auth::AuthReply;
use zmtp_codec::frame::WriteBuf;
use zmtp_codec::{Event, Protocol, Session};

/// Everything the session has queued for output.
pub fn drain(s: &mut Session) -> Vec<u8> {
    let mut w = WriteBuf::new();
    s.poll_transmit(&mut w);
    let mut v = Vec::new();
    while !w.is_empty() {
        let n = w.contiguous().len();
        v.extend_from_slice(w.contiguous());
        w.advance(n);
    }
    v
}

/// Feeds `bytes` in pieces of `step`, answering ZAP with `status` and
/// echoing data; false once the session failed.
pub fn feed(s: &mut Session, bytes: &[u8], step: usize, status: u16) -> bool {
    for piece in bytes.chunks(step.max(1)) {
        s.handle_input(piece);
        loop {
            match s.poll_event() {
                Ok(Some(Event::AuthRequest(_))) => {
                    if s.handle_auth_reply(AuthReply::new(status)).is_err() {
                        assert!(s.poll_event().is_err(), "failed state not kept");
                        return false;
                    }
                }
                Ok(Some(Event::Frame { more, body })) => {
                    let mut w = WriteBuf::new();
                    s.encode_frame(more, &body, &mut w).expect("ready");
                }
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(_) => {
                    assert!(s.poll_event().is_err(), "failed state not kept");
                    return false;
                }
            }
        }
    }
    true
}
