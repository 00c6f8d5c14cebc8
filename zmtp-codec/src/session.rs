//! The sans-I/O connection state machine: greeting, security handshake and
//! data phase, driven by the I/O layer through byte buffers.

use bytes::{Buf, Bytes, BytesMut};

use crate::command::{Command, names, parse_ping, split_command};
use crate::frame::{COMMAND, DEFAULT_COPY_THRESHOLD, FrameDecoder, WriteBuf, flags_for};
use crate::greeting::{GREETING_LEN, Greeting};
use crate::mechanism::{Mechanism, MechanismStatus};
use crate::metadata::{IDENTITY, Metadata, SOCKET_TYPE};
use crate::{ProtocolError, SocketType};

/// Per-connection settings.
#[derive(Clone, Debug)]
pub struct SessionConfig {
    /// Our socket type (sent as `Socket-Type`, checked against the peer's).
    pub socket_type: SocketType,
    /// Our routing identity (sent as `Identity` by REQ, DEALER and ROUTER).
    pub identity: Bytes,
    /// MAXMSGSIZE: largest accepted frame body, handshake commands included
    /// (`None` = unlimited).
    pub max_msg_size: Option<u64>,
    /// Received bodies shorter than this are copied out of the read buffer.
    pub copy_threshold: usize,
}

impl SessionConfig {
    /// Defaults for `socket_type`: empty identity, no size limit, copy
    /// threshold [`DEFAULT_COPY_THRESHOLD`].
    pub fn new(socket_type: SocketType) -> SessionConfig {
        SessionConfig {
            socket_type,
            identity: Bytes::new(),
            max_msg_size: None,
            copy_threshold: DEFAULT_COPY_THRESHOLD,
        }
    }
}

/// What the peer told us during the handshake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerInfo {
    /// The peer's `Socket-Type` (`None` when it sent none, which libzmq accepts).
    pub socket_type: Option<SocketType>,
    /// The peer's `Identity` property (empty when absent).
    pub identity: Bytes,
    /// Major version from the peer's greeting.
    pub major: u8,
    /// Minor version from the peer's greeting.
    pub minor: u8,
    /// All properties the peer sent.
    pub metadata: Metadata,
}

/// Something the peer did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Handshake finished. The peer's `Socket-Type` (if present; a missing
    /// one is accepted, as libzmq does) was checked with
    /// [`SocketType::can_talk_to`].
    Ready(PeerInfo),
    /// One data frame (messages are assembled by the caller from `more`).
    Frame {
        /// More frames of this message follow.
        more: bool,
        /// Frame body.
        body: Bytes,
    },
    /// A SUBSCRIBE command (ZMTP 3.1) with its topic.
    Subscribe(Bytes),
    /// A CANCEL command (ZMTP 3.1) with its topic.
    Cancel(Bytes),
    /// A PING arrived; the PONG (context echoed, at most 16 bytes) has
    /// already been queued for output.
    Ping {
        /// The peer's TTL in tenths of a second (0 = none).
        ttl_deciseconds: u16,
    },
    /// A PONG arrived.
    Pong,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Greeting,
    Handshake,
    Ready,
}

/// One ZMTP connection's protocol state (no I/O, no clocks).
///
/// The driver feeds received bytes to [`poll_event`](Self::poll_event),
/// writes what [`take_output`](Self::take_output) hands it, and encodes
/// outgoing messages with [`encode_frame`](Self::encode_frame).
pub struct Session {
    socket_type: SocketType,
    local: Metadata,
    decoder: FrameDecoder,
    mechanism: Box<dyn Mechanism>,
    out: BytesMut,
    scratch: BytesMut,
    phase: Phase,
    wraps: bool,
    peer_greeting: Option<Greeting>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("socket_type", &self.socket_type)
            .field("mechanism", &self.mechanism.name())
            .field("phase", &self.phase)
            .field("pending_output", &self.out.len())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Starts a connection; our whole 64-byte greeting is queued for output
    /// at once (we never wait for the peer's greeting).
    pub fn new(cfg: SessionConfig, mechanism: Box<dyn Mechanism>) -> Session {
        let mut local = Metadata::new();
        // Neither can fail: fixed valid names, values far below 2^31 bytes
        // (an identity that large is dropped rather than panicking).
        let _ = local.push(SOCKET_TYPE, cfg.socket_type.as_str());
        if cfg.socket_type.sends_identity() {
            let _ = local.push(IDENTITY, cfg.identity);
        }
        let mut out = BytesMut::with_capacity(256);
        Greeting::new(mechanism.name(), mechanism.as_server()).encode(&mut out);
        Session {
            socket_type: cfg.socket_type,
            local,
            decoder: FrameDecoder::new(cfg.max_msg_size).with_copy_threshold(cfg.copy_threshold),
            mechanism,
            out,
            scratch: BytesMut::new(),
            phase: Phase::Greeting,
            wraps: false,
            peer_greeting: None,
        }
    }

    /// Moves any pending protocol output (greeting, handshake commands,
    /// PONG replies) into `out`.
    pub fn take_output(&mut self, out: &mut WriteBuf) {
        if !self.out.is_empty() {
            out.push_bytes(&self.out);
            self.out.clear();
        }
    }

    /// Whether protocol output is pending.
    pub fn has_output(&self) -> bool {
        !self.out.is_empty()
    }

    /// Whether the handshake has completed.
    pub fn is_ready(&self) -> bool {
        self.phase == Phase::Ready
    }

    /// 0 for a ZMTP 3.0 peer (send subscriptions as data frames), 1 for 3.1
    /// (and for any peer whose greeting has not arrived yet).
    pub fn peer_minor(&self) -> u8 {
        match self.peer_greeting {
            Some(g) if g.is_zmtp30() => 0,
            _ => 1,
        }
    }

    /// The peer's greeting, once received.
    pub fn peer_greeting(&self) -> Option<&Greeting> {
        self.peer_greeting.as_ref()
    }

    /// Our socket type.
    pub fn socket_type(&self) -> SocketType {
        self.socket_type
    }

    /// The metadata we send in our handshake.
    pub fn local_metadata(&self) -> &Metadata {
        &self.local
    }

    /// The security mechanism (e.g. to feed it a ZAP reply later).
    pub fn mechanism_mut(&mut self) -> &mut dyn Mechanism {
        &mut *self.mechanism
    }

    /// Total bytes `input` must hold before the next unit (greeting or
    /// frame) can be decoded; see [`FrameDecoder::needed`].
    pub fn needed(&self, input: &BytesMut) -> usize {
        match self.phase {
            Phase::Greeting => GREETING_LEN,
            _ => self.decoder.needed(input),
        }
    }

    /// Decodes the next event from `input` (the bytes received so far; what
    /// is parsed is consumed). `Ok(None)` means more bytes are needed. Any
    /// error is fatal for the connection.
    #[inline]
    pub fn poll_event(&mut self, input: &mut BytesMut) -> Result<Option<Event>, ProtocolError> {
        if self.phase != Phase::Ready {
            return self.poll_handshake(input);
        }
        loop {
            let Some(frame) = self.decoder.decode(input)? else {
                return Ok(None);
            };
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

    /// In the data phase, without a mechanism that wraps traffic: when `input` starts
    /// with the header of a data frame whose body is at least `min` bytes, consumes the
    /// header and returns `(more, body length)`. The caller then collects exactly that
    /// many body bytes itself (what `input` holds first) and treats them as an
    /// [`Event::Frame`]; this lets an I/O layer read large bodies straight into buffers
    /// it recycles. `Ok(None)` otherwise (use [`poll_event`](Self::poll_event)).
    #[inline]
    pub fn take_large_body(
        &mut self,
        input: &mut BytesMut,
        min: usize,
    ) -> Result<Option<(bool, usize)>, ProtocolError> {
        // Cheap exit for the common case: bodies over 255 bytes need a long header.
        if min > u8::MAX as usize && input.first().is_none_or(|f| f & crate::frame::LONG == 0) {
            return Ok(None);
        }
        if self.phase != Phase::Ready || self.wraps {
            return Ok(None);
        }
        self.decoder.take_large_header(input, min)
    }

    /// Greeting and security handshake; returns at the latest with
    /// [`Event::Ready`], after which [`poll_event`](Self::poll_event) takes
    /// the data-phase path.
    #[inline(never)]
    fn poll_handshake(&mut self, input: &mut BytesMut) -> Result<Option<Event>, ProtocolError> {
        loop {
            let status = if self.phase == Phase::Greeting {
                let Some(g) = Greeting::decode(input)? else {
                    return Ok(None);
                };
                input.advance(GREETING_LEN);
                let ours = self.mechanism.name();
                if g.mechanism != ours {
                    return Err(ProtocolError::MechanismMismatch {
                        ours: ours.to_string(),
                        theirs: g.mechanism.to_string(),
                    });
                }
                self.peer_greeting = Some(g);
                self.phase = Phase::Handshake;
                self.mechanism.start(&self.local, &mut self.out)?
            } else {
                let Some(frame) = self.decoder.decode(input)? else {
                    return Ok(None);
                };
                self.mechanism.on_frame(frame, &self.local, &mut self.out)?
            };
            match status {
                MechanismStatus::Handshaking => {}
                MechanismStatus::Ready { peer } => return self.finish(peer).map(Some),
            }
        }
    }

    /// Validates the peer's metadata and enters the data phase.
    fn finish(&mut self, peer: Metadata) -> Result<Event, ProtocolError> {
        // libzmq matches these names case-sensitively; so do we, so that the
        // same peers are accepted.
        let socket_type = match peer.get_exact(SOCKET_TYPE) {
            None => None,
            Some(name) => match SocketType::from_wire(name) {
                Some(t) if self.socket_type.can_talk_to(t) => Some(t),
                _ => {
                    return Err(ProtocolError::IncompatibleSocketType {
                        ours: self.socket_type,
                        theirs: String::from_utf8_lossy(name).into_owned(),
                    });
                }
            },
        };
        let identity = peer.get_exact(IDENTITY).cloned().unwrap_or_default();
        let (major, minor) = self.peer_greeting.map_or((3, 1), |g| (g.major, g.minor));
        self.wraps = self.mechanism.wraps_traffic();
        self.phase = Phase::Ready;
        Ok(Event::Ready(PeerInfo {
            socket_type,
            identity,
            major,
            minor,
            metadata: peer,
        }))
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

    /// Queues a command of our own (PONG) into the protocol output.
    fn queue_command(&mut self, cmd: &Command) -> Result<(), ProtocolError> {
        if self.wraps {
            self.scratch.clear();
            cmd.encode_body(&mut self.scratch);
            self.mechanism.wrap(COMMAND, &self.scratch, &mut self.out)
        } else {
            cmd.encode(&mut self.out);
            Ok(())
        }
    }

    /// Data phase: encodes one frame of an outgoing message into `out`
    /// (through the mechanism when it wraps traffic).
    #[inline]
    pub fn encode_frame(
        &mut self,
        more: bool,
        body: &Bytes,
        out: &mut WriteBuf,
    ) -> Result<(), ProtocolError> {
        if self.phase != Phase::Ready {
            return Err(ProtocolError::NotReady);
        }
        if self.wraps {
            self.mechanism
                .wrap(flags_for(more, false), body, out.buf_mut())
        } else {
            out.push_frame(more, false, body);
            Ok(())
        }
    }

    /// Data phase: encodes a command (SUBSCRIBE, CANCEL, PING, ...) into `out`.
    pub fn encode_command(
        &mut self,
        cmd: &Command,
        out: &mut WriteBuf,
    ) -> Result<(), ProtocolError> {
        if self.phase != Phase::Ready {
            return Err(ProtocolError::NotReady);
        }
        if self.wraps {
            self.scratch.clear();
            cmd.encode_body(&mut self.scratch);
            self.mechanism.wrap(COMMAND, &self.scratch, out.buf_mut())
        } else {
            cmd.encode(out.buf_mut());
            Ok(())
        }
    }
}
