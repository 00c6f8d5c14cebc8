//! Out-of-line session states: greeting, security handshake, the wait for
//! the authenticator, timers and the failed state.

use std::time::Instant;

use bytes::Bytes;

use super::negotiate::Negotiated;
use super::{Phase, Session};
use crate::auth::AuthReply;
use crate::command::Command;
use crate::event::{Event, PeerInfo};
use crate::mechanism::MechanismStatus;
use crate::metadata::{IDENTITY, Metadata, SOCKET_TYPE, USER_ID};
use crate::timer::Timer;
use crate::{ProtocolError, SocketType};

impl Session {
    /// Every phase but the ZMTP 3 data phase: returns at the latest with
    /// [`Event::Ready`], after which `poll_event` takes the data path (the ZMTP
    /// 1.0 / 2.0 data phase stays here, off the fast path).
    #[inline(never)]
    pub(super) fn poll_handshake(&mut self) -> Result<Option<Event>, ProtocolError> {
        match self.phase {
            Phase::Failed => self.failure.clone().map_or(Ok(None), Err),
            Phase::LegacyReady => self.poll_legacy().map_err(|e| self.fail(e)),
            _ => self.step_handshake().map_err(|e| self.fail(e)),
        }
    }

    fn step_handshake(&mut self) -> Result<Option<Event>, ProtocolError> {
        if let Some(status) = self.resumed.take()
            && let Some(ev) = self.on_status(status)?
        {
            return Ok(Some(ev));
        }
        loop {
            let status = match self.phase {
                Phase::Greeting => match self.negotiate()? {
                    None => return Ok(None),
                    Some(Negotiated::Mechanism(status)) => status,
                    Some(Negotiated::Legacy) => continue,
                },
                Phase::Identity => return self.poll_identity(),
                Phase::Handshake => {
                    let Some(frame) = self.decoder.decode(&mut self.recv)? else {
                        return Ok(None);
                    };
                    self.mechanism.on_frame(frame, &self.local, &mut self.out)?
                }
                // Waiting for the authenticator: input stays buffered.
                Phase::AwaitingAuth | Phase::Ready | Phase::LegacyReady | Phase::Failed => {
                    return Ok(None);
                }
            };
            if let Some(ev) = self.on_status(status)? {
                return Ok(Some(ev));
            }
        }
    }

    /// Acts on what the mechanism reported; `Some` when the driver must hear
    /// about it.
    fn on_status(&mut self, status: MechanismStatus) -> Result<Option<Event>, ProtocolError> {
        match status {
            MechanismStatus::Handshaking => Ok(None),
            MechanismStatus::Ready { peer } => self.finish(peer).map(Some),
            MechanismStatus::AwaitingAuth(mut request) => {
                request.identity = self.identity.clone();
                self.phase = Phase::AwaitingAuth;
                Ok(Some(Event::AuthRequest(Box::new(request))))
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
        let metadata = match self.zap_properties.take() {
            Some(zap) => merge_properties(zap, peer),
            None => peer,
        };
        let info = PeerInfo {
            socket_type,
            identity,
            major,
            minor,
            metadata,
        };
        self.peer = Some(info.clone());
        self.wraps = self.mechanism.wraps_traffic();
        self.timers.stop(Timer::Handshake);
        self.phase = Phase::Ready;
        self.start_heartbeats();
        Ok(Event::Ready(info))
    }

    /// Feeds an authentication reply to the waiting mechanism; ignored when
    /// nothing waits for one.
    #[inline(never)]
    pub(super) fn on_auth_reply(&mut self, reply: AuthReply) -> Result<(), ProtocolError> {
        if self.phase != Phase::AwaitingAuth {
            return Ok(());
        }
        let zap = reply.is_success().then(|| zap_properties(&reply));
        match self
            .mechanism
            .on_auth_reply(reply, &self.local, &mut self.out)
        {
            Ok(status) => {
                self.zap_properties = zap;
                self.phase = Phase::Handshake;
                self.resumed = Some(status);
                Ok(())
            }
            Err(e) => Err(self.fail(e)),
        }
    }

    /// Runs the timers due at `now` (each re-arms itself later than `now`
    /// or not at all, so this ends).
    #[inline(never)]
    pub(super) fn on_timeout(&mut self, now: Instant) -> Result<(), ProtocolError> {
        self.hb.observe(now);
        if matches!(
            self.phase,
            Phase::Greeting | Phase::Handshake | Phase::AwaitingAuth
        ) {
            // The mechanism checks its own deadlines (CURVE's cookie key).
            self.mechanism.handle_timeout(now);
        }
        while let Some(timer) = self.timers.take_expired(now) {
            let res = match timer {
                Timer::Handshake if !matches!(self.phase, Phase::Ready | Phase::LegacyReady) => {
                    Err(ProtocolError::HandshakeTimeout)
                }
                Timer::Handshake => Ok(()),
                other => self.on_heartbeat_timer(other, now),
            };
            if let Err(e) = res {
                return Err(self.fail(e));
            }
        }
        Ok(())
    }

    /// Enters the failed state (once): queues the ERROR command the peer is
    /// told, if any, stops every timer and remembers the error, which is
    /// handed back.
    #[cold]
    #[inline(never)]
    pub(super) fn fail(&mut self, error: ProtocolError) -> ProtocolError {
        if self.phase != Phase::Failed {
            // Only a ZMTP 3 peer has an ERROR command.
            if let Some(reason) = error.peer_reason()
                && self.peer_greeting.is_some()
            {
                let cmd = Command::Error(Bytes::copy_from_slice(reason));
                // Best effort: the connection is closing either way.
                let _ = self.queue_command(&cmd);
            }
            self.phase = Phase::Failed;
            // Everything left goes out in one last transmit (the driver writes once
            // more before it closes).
            self.split_at = None;
            self.timers.stop_all();
            self.resumed = None;
            self.failure = Some(error.clone());
        }
        error
    }
}

/// The properties an accepted authentication reply adds, as libzmq's
/// `set_user_id` and ZAP metadata: `User-Id` (even when empty, as libzmq
/// stores it) first, then the reply's metadata.
fn zap_properties(reply: &AuthReply) -> Metadata {
    let mut zap = Metadata::new();
    // A valid name and a user id far below 2^31 bytes: cannot fail.
    let _ = zap.push(USER_ID, reply.user_id.clone());
    for (name, value) in reply.metadata.iter() {
        if zap.get_exact_bytes(name).is_none() {
            let _ = zap.push(name.clone(), value.clone());
        }
    }
    zap
}

/// The connection's properties: the ZAP properties first, then the peer's
/// handshake properties whose names (compared exactly) are not among them
/// (libzmq inserts both into one map, the ZAP ones first, and an insert
/// never replaces).
fn merge_properties(zap: Metadata, peer: Metadata) -> Metadata {
    let mut all = zap;
    for (name, value) in peer.iter() {
        if all.get_exact_bytes(name).is_none() {
            let _ = all.push(name.clone(), value.clone());
        }
    }
    all
}
