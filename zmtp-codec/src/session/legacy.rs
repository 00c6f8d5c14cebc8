//! ZMTP 1.0 and 2.0 peers, accepted where libzmq 4.3 accepts them (a NULL socket
//! without a ZAP domain): no mechanism, no commands, no heartbeats; each side's first
//! frame is its identity; subscriptions travel as data frames (`0x01`/`0x00` + topic).
//! ZMTP 2.0 frames are ZMTP 3's without the COMMAND bit; ZMTP 1.0 frames have their
//! own header ([`crate::frame::v1`]).
//!
//! A ZMTP 1.0 peer without a signature never forwards its subscriptions, so a PUB or
//! XPUB gets a phantom "subscribe to everything" from it, as libzmq injects one.

use bytes::{BufMut, Bytes};

use super::{Legacy, Phase, Session};
use crate::event::{Event, PeerInfo};
use crate::frame::v1::{V1Decoder, encode_v1_header, push_v1_frame};
use crate::frame::{RawFrame, WriteBuf, encode_frame};
use crate::metadata::Metadata;
use crate::timer::Timer;
use crate::version::PeerVersion;
use crate::{ProtocolError, SocketType};

/// The longest identity a ZMTP 1.0 / 2.0 peer may announce (RFC 15).
const MAX_IDENTITY: usize = 255;

impl Session {
    /// Refuses the peer if this socket speaks only ZMTP 3, else queues our identity
    /// frame and waits for the peer's.
    pub(super) fn start_legacy(&mut self, version: PeerVersion) -> Result<(), ProtocolError> {
        if self.mechanism.refuses_legacy_peers() {
            return Err(ProtocolError::UnsupportedVersion {
                major: version.major_minor().0,
            });
        }
        let id = Self::wire_identity_for(self.socket_type, &self.identity);
        let v1 = match version {
            PeerVersion::Unversioned => {
                // Our signature was the header of our identity frame: its body follows.
                self.out.extend_from_slice(&id);
                true
            }
            PeerVersion::Zmtp10 { .. } => {
                encode_v1_header(&mut self.out, false, id.len());
                self.out.extend_from_slice(&id);
                true
            }
            _ => {
                encode_frame(&mut self.out, 0, &id);
                false
            }
        };
        self.legacy = Some(Legacy {
            v1: v1.then(|| V1Decoder::new(self.decoder.max_size)),
            subscribe_all: version == PeerVersion::Unversioned
                && matches!(self.socket_type, SocketType::Pub | SocketType::XPub),
        });
        self.subscriptions_as_data = true;
        self.phase = Phase::Identity;
        Ok(())
    }

    /// The peer's identity frame ends the handshake.
    pub(super) fn poll_identity(&mut self) -> Result<Option<Event>, ProtocolError> {
        let Some(frame) = self.decode_legacy()? else {
            return Ok(None);
        };
        if frame.body.len() > MAX_IDENTITY {
            return Err(ProtocolError::MalformedFrame(
                "identity over 255 bytes (not a ZMTP peer?)",
            ));
        }
        if frame.more {
            return Err(ProtocolError::MalformedFrame(
                "identity with the MORE flag (not a ZMTP peer?)",
            ));
        }
        let version = self.version.unwrap_or(PeerVersion::Unversioned);
        let (major, minor) = version.major_minor();
        let socket_type = match version {
            PeerVersion::Zmtp10 { socket_type } | PeerVersion::Zmtp20 { socket_type } => {
                SocketType::from_number(socket_type)
            }
            _ => None,
        };
        let info = PeerInfo {
            socket_type,
            identity: frame.body,
            major,
            minor,
            metadata: Metadata::new(),
        };
        self.peer = Some(info.clone());
        self.timers.stop(Timer::Handshake);
        self.phase = Phase::LegacyReady;
        Ok(Some(Event::Ready(info)))
    }

    /// The data phase with a ZMTP 1.0 / 2.0 peer (out of the ZMTP 3 fast path).
    #[inline(never)]
    pub(super) fn poll_legacy(&mut self) -> Result<Option<Event>, ProtocolError> {
        if let Some(l) = self.legacy.as_mut()
            && l.subscribe_all
        {
            l.subscribe_all = false;
            return Ok(Some(Event::Subscribe(Bytes::new())));
        }
        let Some(frame) = self.decode_legacy()? else {
            return Ok(None);
        };
        Ok(Some(Event::Frame {
            more: frame.more,
            body: frame.body,
        }))
    }

    /// The next frame in the peer's framing; a command is refused (neither protocol
    /// has them).
    fn decode_legacy(&mut self) -> Result<Option<RawFrame>, ProtocolError> {
        let frame = match self.legacy.as_mut().and_then(|l| l.v1.as_mut()) {
            Some(v1) => v1.decode(&mut self.recv)?,
            None => self.decoder.decode(&mut self.recv)?,
        };
        match frame {
            Some(f) if f.command => Err(ProtocolError::MalformedFrame(
                "a command frame from a ZMTP 2.0 peer (the protocol has none)",
            )),
            other => Ok(other),
        }
    }

    /// Bytes needed before the next legacy frame decodes.
    pub(super) fn legacy_needed(&self) -> usize {
        match self.legacy.as_ref().and_then(|l| l.v1.as_ref()) {
            Some(v1) => v1.needed(&self.recv),
            None => self.decoder.needed(&self.recv),
        }
    }

    /// Encodes a data frame for a ZMTP 1.0 / 2.0 peer; `NotReady` before its
    /// handshake completed.
    #[inline(never)]
    pub(super) fn encode_legacy(
        &mut self,
        more: bool,
        body: &Bytes,
        out: &mut WriteBuf,
    ) -> Result<(), ProtocolError> {
        if self.phase != Phase::LegacyReady {
            return Err(ProtocolError::NotReady);
        }
        match self.legacy.as_ref().and_then(|l| l.v1.as_ref()) {
            Some(_) => push_v1_frame(out, more, body),
            None => out.push_frame(more, false, body),
        }
        Ok(())
    }

    /// A subscription for a ZMTP 1.0 / 2.0 peer: a data frame `0x01`/`0x00` + topic.
    pub(super) fn encode_legacy_subscription(
        &mut self,
        subscribe: bool,
        topic: &Bytes,
        out: &mut WriteBuf,
    ) -> Result<(), ProtocolError> {
        let mut body = bytes::BytesMut::with_capacity(1 + topic.len());
        body.put_u8(u8::from(subscribe));
        body.put_slice(topic);
        self.encode_legacy(false, &body.freeze(), out)
    }
}
