//! The sans-I/O ZMTP connection state machine: greeting, security handshake
//! and data phase, driven through the [`Protocol`] trait.
//!
//! The data path (decoding a data frame, encoding one) lives here and is
//! inlined; the handshake, authentication wait, timers and failure handling
//! are out of line in the private `handshake` module, heartbeats in
//! `heartbeat`.

mod config;
mod handshake;
mod heartbeat;
mod legacy;
mod negotiate;

pub use config::{DEFAULT_HANDSHAKE_IVL, MAX_HEARTBEAT_TTL, SessionConfig};

use std::time::Instant;

use bytes::{Buf, BufMut, Bytes, BytesMut};

use crate::auth::AuthReply;
use crate::command::{Command, names, parse_ping, split_command};
use crate::event::{Event, PeerInfo};
use crate::frame::{COMMAND, FrameDecoder, LONG, WriteBuf, encode_frame, flags_for};
use crate::greeting::{GREETING_LEN, Greeting, SIGNATURE_LEN};
use crate::heartbeat::Heartbeat;
use crate::mechanism::{Mechanism, MechanismStatus};
use crate::metadata::{IDENTITY, Metadata, SOCKET_TYPE};
use crate::protocol::Protocol;
use crate::timer::{Timer, Timers};
use crate::version::{self, PeerVersion};
use crate::{ProtocolError, SocketType};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Waiting for the peer's greeting (and for ours to be handed out).
    Greeting,
    /// A ZMTP 1.0 / 2.0 peer: waiting for its identity frame.
    Identity,
    /// Security handshake: frames go to the mechanism.
    Handshake,
    /// The mechanism waits for the authenticator; input stays buffered.
    AwaitingAuth,
    /// Data phase.
    Ready,
    /// Data phase with a ZMTP 1.0 / 2.0 peer.
    LegacyReady,
    /// A fatal error happened; nothing more is decoded.
    Failed,
}

/// State of a connection to a ZMTP 1.0 / 2.0 peer (driven by the private `legacy`
/// module).
#[derive(Debug)]
struct Legacy {
    /// ZMTP 1.0 framing (`None`: ZMTP 2.0, the session's own decoder).
    v1: Option<crate::frame::v1::V1Decoder>,
    /// The phantom subscription is still to be reported.
    subscribe_all: bool,
}

/// One ZMTP connection's protocol state (no I/O, no clocks): implements
/// [`Protocol`].
///
/// Our greeting goes out in libzmq's stages (RFC 23's version negotiation, the
/// private `negotiate` module): the 10-byte signature at creation, the major version
/// once the peer's signature is in, the rest once the peer's revision is. ZMTP 3.x
/// peers then run the mechanism's handshake; ZMTP 1.0 and 2.0 peers, where libzmq
/// accepts them, exchange identities instead (the private `legacy` module). Fatal
/// errors queue what the peer is told ([`ProtocolError::peer_reason`]) before they
/// are returned.
pub struct Session {
    phase: Phase,
    wraps: bool,
    recv: BytesMut,
    decoder: FrameDecoder,
    mechanism: Box<dyn Mechanism>,
    /// Pending protocol output.
    out: BytesMut,
    /// Scratch space for bodies the mechanism wraps.
    scratch: BytesMut,
    socket_type: SocketType,
    identity: Bytes,
    local: Metadata,
    peer_greeting: Option<Greeting>,
    /// The peer's protocol, once its greeting is in.
    version: Option<PeerVersion>,
    /// A ZMTP 1.0 / 2.0 peer's framing state.
    legacy: Option<Legacy>,
    /// Our encoded greeting and how much of it is queued (10, 11 or 64).
    greeting: BytesMut,
    greeting_sent: usize,
    /// The connecting side (holds the rest of its greeting back, see
    /// [`SessionConfig::connecting`]).
    connecting: bool,
    /// Output up to here (the end of our greeting) goes out alone in the next
    /// transmit, ahead of the handshake's first command or identity frame.
    split_at: Option<usize>,
    /// ZMTP 3.0 peer: subscriptions go out as `0x01`/`0x00`-prefixed data.
    subscriptions_as_data: bool,
    peer: Option<PeerInfo>,
    timers: Timers,
    hb: Heartbeat,
    /// The mechanism's status after an authentication reply, handled by the
    /// next `poll_event`.
    resumed: Option<MechanismStatus>,
    /// What an accepted authentication reply adds to the peer's properties
    /// (`User-Id` and the reply's metadata), as libzmq's ZAP properties.
    zap_properties: Option<Metadata>,
    failure: Option<ProtocolError>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("socket_type", &self.socket_type)
            .field("mechanism", &self.mechanism.name())
            .field("phase", &self.phase)
            .field("buffered_input", &self.recv.len())
            .field("pending_output", &self.out.len())
            .field("failure", &self.failure)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Starts a connection at `now` (the handshake deadline counts from
    /// here); our greeting's signature is queued for output at once.
    pub fn new(cfg: SessionConfig, mechanism: Box<dyn Mechanism>, now: Instant) -> Session {
        let mut local = Metadata::new();
        // Neither can fail: fixed valid names, values far below 2^31 bytes
        // (an identity that large is dropped rather than panicking).
        let _ = local.push(SOCKET_TYPE, cfg.socket_type.as_str());
        if cfg.socket_type.sends_identity() {
            let _ = local.push(IDENTITY, cfg.identity.clone());
        }
        let mut greeting = BytesMut::with_capacity(GREETING_LEN);
        Greeting::new(mechanism.name(), mechanism.as_server()).encode(&mut greeting);
        // The padding is the length of a ZMTP 1.0 identity frame, as libzmq sends it.
        let id_len = Self::wire_identity_for(cfg.socket_type, &cfg.identity).len();
        greeting[..SIGNATURE_LEN].copy_from_slice(&version::signature(id_len));
        let mut out = BytesMut::with_capacity(256);
        out.extend_from_slice(&greeting[..SIGNATURE_LEN]);
        let mut timers = Timers::default();
        if let Some(ivl) = cfg.handshake_ivl {
            timers.start(Timer::Handshake, now, ivl);
        }
        let hb = Heartbeat::new(&cfg, now);
        Session {
            phase: Phase::Greeting,
            wraps: false,
            recv: BytesMut::new(),
            decoder: FrameDecoder::new(cfg.max_msg_size).with_copy_threshold(cfg.copy_threshold),
            mechanism,
            out,
            scratch: BytesMut::new(),
            socket_type: cfg.socket_type,
            identity: cfg.identity,
            local,
            peer_greeting: None,
            version: None,
            legacy: None,
            greeting,
            greeting_sent: SIGNATURE_LEN,
            connecting: cfg.connecting,
            split_at: None,
            subscriptions_as_data: false,
            peer: None,
            timers,
            hb,
            resumed: None,
            zap_properties: None,
            failure: None,
        }
    }

    /// Our socket type.
    pub fn socket_type(&self) -> SocketType {
        self.socket_type
    }

    /// The metadata we send in our handshake.
    pub fn local_metadata(&self) -> &Metadata {
        &self.local
    }

    /// The peer's ZMTP 3 greeting, once received.
    pub fn peer_greeting(&self) -> Option<&Greeting> {
        self.peer_greeting.as_ref()
    }

    /// The peer's protocol version, once its greeting is in.
    pub fn peer_version(&self) -> Option<PeerVersion> {
        self.version
    }

    /// The error that ended this connection, if any.
    pub fn failure(&self) -> Option<&ProtocolError> {
        self.failure.as_ref()
    }

    /// Data phase decoding; errors are turned into the failed state by the
    /// caller.
    #[inline(always)]
    fn poll_data(&mut self) -> Result<Option<Event>, ProtocolError> {
        loop {
            let Some(frame) = self.decoder.decode(&mut self.recv)? else {
                return Ok(None);
            };
            // Any frame or command counts as traffic for the heartbeat timers.
            self.hb.received = self.hb.received.wrapping_add(1);
            let frame = if self.wraps {
                self.mechanism.unwrap(frame)?
            } else {
                frame
            };
            if !frame.command {
                return Ok(Some(Event::Frame {
                    more: frame.more,
                    body: frame.body,
                }));
            }
            if let Some(ev) = self.on_command(&frame.body)? {
                return Ok(Some(ev));
            }
        }
    }

    /// Handles a data-phase command; `None` = ignored.
    #[inline(never)]
    fn on_command(&mut self, body: &Bytes) -> Result<Option<Event>, ProtocolError> {
        // Malformed and unknown commands are ignored, as libzmq does.
        let Ok((name, data)) = split_command(body) else {
            return Ok(None);
        };
        Ok(match name {
            names::SUBSCRIBE => Some(Event::Subscribe(data)),
            names::CANCEL => Some(Event::Cancel(data)),
            names::PING => {
                let (ttl_deciseconds, context) = parse_ping(&data);
                self.queue_command(&Command::pong_for(&context))?;
                self.on_peer_ping(ttl_deciseconds);
                Some(Event::Ping { ttl_deciseconds })
            }
            names::PONG => Some(Event::Pong),
            names::ERROR => {
                let reason = match Command::decode(body.clone()) {
                    Ok(Command::Error(reason)) => reason,
                    _ => data,
                };
                return Err(ProtocolError::PeerError(
                    String::from_utf8_lossy(&reason).into_owned(),
                ));
            }
            _ => None,
        })
    }

    /// Queues a command of our own (PONG, ERROR) into the protocol output.
    fn queue_command(&mut self, cmd: &Command) -> Result<(), ProtocolError> {
        write_command(
            self.wraps,
            &mut *self.mechanism,
            &mut self.scratch,
            cmd,
            &mut self.out,
        )
    }
}

/// Encodes a whole command frame into `out`, through the mechanism when it
/// wraps traffic.
fn write_command(
    wraps: bool,
    mechanism: &mut dyn Mechanism,
    scratch: &mut BytesMut,
    cmd: &Command,
    out: &mut BytesMut,
) -> Result<(), ProtocolError> {
    if wraps {
        scratch.clear();
        cmd.encode_body(scratch);
        mechanism.wrap(COMMAND, scratch, out)
    } else {
        cmd.encode(out);
        Ok(())
    }
}

impl Protocol for Session {
    #[inline]
    fn recv_buf(&mut self) -> &mut BytesMut {
        &mut self.recv
    }

    fn needed(&self) -> usize {
        match self.phase {
            Phase::Greeting => GREETING_LEN,
            Phase::Identity | Phase::LegacyReady => self.legacy_needed(),
            _ => self.decoder.needed(&self.recv),
        }
    }

    #[inline]
    fn poll_event(&mut self) -> Result<Option<Event>, ProtocolError> {
        if self.phase != Phase::Ready {
            return self.poll_handshake();
        }
        match self.poll_data() {
            Err(e) => Err(self.fail(e)),
            ok => ok,
        }
    }

    #[inline]
    fn take_large_body(&mut self, min: usize) -> Result<Option<(bool, usize)>, ProtocolError> {
        // Cheap exit for the common case: bodies over 255 bytes need a long header.
        if min > u8::MAX as usize && self.recv.first().is_none_or(|f| f & LONG == 0) {
            return Ok(None);
        }
        if self.phase != Phase::Ready || self.wraps {
            return Ok(None);
        }
        match self.decoder.take_large_header(&mut self.recv, min) {
            Err(e) => Err(self.fail(e)),
            Ok(Some(header)) => {
                self.hb.received = self.hb.received.wrapping_add(1);
                Ok(Some(header))
            }
            Ok(None) => Ok(None),
        }
    }

    #[inline]
    fn poll_transmit(&mut self, out: &mut WriteBuf) {
        if let Some(n) = self.split_at.take() {
            out.push_bytes(&self.out[..n]);
            self.out.advance(n);
            return;
        }
        if !self.out.is_empty() {
            out.push_bytes(&self.out);
            self.out.clear();
        }
    }

    #[inline]
    fn has_transmit(&self) -> bool {
        !self.out.is_empty()
    }

    #[inline]
    fn encode_frame(
        &mut self,
        more: bool,
        body: &Bytes,
        out: &mut WriteBuf,
    ) -> Result<(), ProtocolError> {
        if self.phase != Phase::Ready {
            return self.encode_legacy(more, body, out);
        }
        if self.wraps {
            match self
                .mechanism
                .wrap(flags_for(more, false), body, out.buf_mut())
            {
                Err(e) => Err(self.fail(e)),
                ok => ok,
            }
        } else {
            out.push_frame(more, false, body);
            Ok(())
        }
    }

    /// ZMTP 3.0 peers get a data frame `0x01`/`0x00` + topic; 3.1 and later
    /// peers a SUBSCRIBE/CANCEL command.
    fn encode_subscription(
        &mut self,
        subscribe: bool,
        topic: &Bytes,
        out: &mut WriteBuf,
    ) -> Result<(), ProtocolError> {
        if self.phase != Phase::Ready {
            return self
                .encode_legacy_subscription(subscribe, topic, out)
                .map_err(|e| match e {
                    ProtocolError::NotReady => e,
                    e => self.fail(e),
                });
        }
        let res = if self.subscriptions_as_data {
            self.scratch.clear();
            self.scratch.reserve(1 + topic.len());
            self.scratch.put_u8(u8::from(subscribe));
            self.scratch.put_slice(topic);
            if self.wraps {
                self.mechanism.wrap(0, &self.scratch, out.buf_mut())
            } else {
                encode_frame(out.buf_mut(), 0, &self.scratch);
                Ok(())
            }
        } else {
            let cmd = if subscribe {
                Command::Subscribe(topic.clone())
            } else {
                Command::Cancel(topic.clone())
            };
            write_command(
                self.wraps,
                &mut *self.mechanism,
                &mut self.scratch,
                &cmd,
                out.buf_mut(),
            )
        };
        res.map_err(|e| self.fail(e))
    }

    #[inline]
    fn poll_timeout(&self) -> Option<Instant> {
        let ours = self.timers.next();
        if matches!(
            self.phase,
            Phase::Ready | Phase::LegacyReady | Phase::Failed
        ) {
            return ours;
        }
        // During the handshake the mechanism may have a deadline of its own
        // (CURVE's cookie key).
        match (ours, self.mechanism.poll_timeout()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn handle_timeout(&mut self, now: Instant) -> Result<(), ProtocolError> {
        self.on_timeout(now)
    }

    fn handle_auth_reply(&mut self, reply: AuthReply) -> Result<(), ProtocolError> {
        self.on_auth_reply(reply)
    }

    #[inline]
    fn is_ready(&self) -> bool {
        matches!(self.phase, Phase::Ready | Phase::LegacyReady)
    }

    fn peer_info(&self) -> Option<&PeerInfo> {
        self.peer.as_ref()
    }
}
