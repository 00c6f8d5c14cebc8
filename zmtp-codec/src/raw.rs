//! [`RawSession`]: the [`Protocol`] of STREAM sockets, which speak no ZMTP
//! at all (raw TCP bytes in both directions).

use std::time::Instant;

use bytes::{Bytes, BytesMut};

use crate::ProtocolError;
use crate::event::{Event, PeerInfo};
use crate::frame::WriteBuf;
use crate::metadata::Metadata;
use crate::protocol::Protocol;

/// Raw bytes, no framing: ready at once, whatever is buffered when
/// [`poll_event`](Protocol::poll_event) is called comes out as one
/// single-frame message, outgoing frames are written as they are (no
/// header), subscriptions are ignored. No timers, no errors.
#[derive(Debug)]
pub struct RawSession {
    recv: BytesMut,
    peer: PeerInfo,
    /// `Event::Ready` not yet handed out.
    announce: bool,
}

impl Default for RawSession {
    fn default() -> Self {
        RawSession::new()
    }
}

impl RawSession {
    /// A raw connection. Its first event is [`Event::Ready`] with a
    /// [`PeerInfo`] that has no socket type, an empty identity and version
    /// 3.1.
    pub fn new() -> RawSession {
        RawSession {
            recv: BytesMut::new(),
            peer: PeerInfo {
                socket_type: None,
                identity: Bytes::new(),
                major: 3,
                minor: 1,
                metadata: Metadata::new(),
            },
            announce: true,
        }
    }
}

impl Protocol for RawSession {
    #[inline]
    fn recv_buf(&mut self) -> &mut BytesMut {
        &mut self.recv
    }

    /// Any one more byte makes a message.
    fn needed(&self) -> usize {
        self.recv.len().saturating_add(1)
    }

    #[inline]
    fn poll_event(&mut self) -> Result<Option<Event>, ProtocolError> {
        if self.announce {
            self.announce = false;
            return Ok(Some(Event::Ready(self.peer.clone())));
        }
        if self.recv.is_empty() {
            return Ok(None);
        }
        Ok(Some(Event::Frame {
            more: false,
            body: self.recv.split().freeze(),
        }))
    }

    /// Never: raw input has no frame headers.
    fn take_large_body(&mut self, _min: usize) -> Result<Option<(bool, usize)>, ProtocolError> {
        Ok(None)
    }

    fn poll_transmit(&mut self, _out: &mut WriteBuf) {}

    fn has_transmit(&self) -> bool {
        false
    }

    /// Queues `body` as it is, without copying it.
    #[inline]
    fn encode_frame(
        &mut self,
        _more: bool,
        body: &Bytes,
        out: &mut WriteBuf,
    ) -> Result<(), ProtocolError> {
        out.push_chunk(body.clone());
        Ok(())
    }

    /// Ignored: a raw peer has no subscriptions.
    fn encode_subscription(
        &mut self,
        _subscribe: bool,
        _topic: &Bytes,
        _out: &mut WriteBuf,
    ) -> Result<(), ProtocolError> {
        Ok(())
    }

    fn poll_timeout(&self) -> Option<Instant> {
        None
    }

    fn handle_timeout(&mut self, _now: Instant) -> Result<(), ProtocolError> {
        Ok(())
    }

    fn is_ready(&self) -> bool {
        true
    }

    fn peer_info(&self) -> Option<&PeerInfo> {
        Some(&self.peer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(w: &mut WriteBuf) -> Vec<u8> {
        let mut v = Vec::new();
        while !w.is_empty() {
            let c = w.contiguous().to_vec();
            w.advance(c.len());
            v.extend(c);
        }
        v
    }

    #[test]
    fn ready_at_once_then_chunks_as_messages() {
        let mut s = RawSession::new();
        assert!(s.is_ready());
        assert_eq!(s.peer_info().map(|p| p.socket_type), Some(None));
        let Ok(Some(Event::Ready(info))) = s.poll_event() else {
            panic!("no Ready")
        };
        assert_eq!((info.major, info.minor), (3, 1));
        assert!(info.identity.is_empty() && info.metadata.is_empty());
        assert_eq!(s.poll_event(), Ok(None));
        assert_eq!(s.needed(), 1);
        s.handle_input(b"ab");
        s.recv_buf().extend_from_slice(b"c");
        assert_eq!(s.needed(), 4);
        assert_eq!(s.take_large_body(0), Ok(None));
        assert_eq!(
            s.poll_event(),
            Ok(Some(Event::Frame {
                more: false,
                body: Bytes::from_static(b"abc")
            }))
        );
        assert_eq!(s.poll_event(), Ok(None));
        assert!(s.recv_buf().is_empty());
    }

    #[test]
    fn output_is_raw_and_zero_copy() {
        let mut s = RawSession::new();
        let mut w = WriteBuf::new();
        s.poll_transmit(&mut w);
        assert!(!s.has_transmit() && w.is_empty());
        let body = Bytes::from(vec![7u8; 10]);
        s.encode_frame(true, &body, &mut w).unwrap();
        assert_eq!(w.contiguous().as_ptr(), body.as_ptr());
        s.encode_subscription(true, &Bytes::from_static(b"A"), &mut w)
            .unwrap();
        s.encode_frame(false, &Bytes::from_static(b"xy"), &mut w)
            .unwrap();
        let mut expected = vec![7u8; 10];
        expected.extend_from_slice(b"xy");
        assert_eq!(drain(&mut w), expected);
        let now = Instant::now();
        assert_eq!(s.poll_timeout(), None);
        assert_eq!(s.handle_timeout(now), Ok(()));
        assert_eq!(
            s.handle_auth_reply(crate::AuthReply::new(crate::auth::STATUS_OK)),
            Ok(())
        );
    }
}
