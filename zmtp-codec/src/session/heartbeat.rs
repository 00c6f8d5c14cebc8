//! ZMTP 3.1 heartbeats in the data phase, as libzmq 4.3 runs them: a PING
//! with our TTL every ZMQ_HEARTBEAT_IVL, the peer dropped when it sends
//! nothing within ZMQ_HEARTBEAT_TIMEOUT of one of our PINGs or within the TTL
//! of one of its own. libzmq does the same toward ZMTP 3.0 peers (it checks
//! no version), and so do we.
//!
//! No clock on the data path: decoding only counts what arrives
//! ([`Heartbeat::received`](crate::heartbeat::Heartbeat::received)); a timer
//! records the count when it is armed and, when it fires, "something arrived
//! meanwhile" is a changed count. Events
//! decoded without a clock that must start a timer (the data phase began, a
//! PING with a TTL came) arm [`Timer::Stamp`] at a time already past, so the
//! next `handle_timeout` learns the time and starts them.
//!
//! The settings and counters live in [`crate::heartbeat`]; this module runs
//! the timers.
//!
//! Detection bounds, after the peer's last frame or command (plus the
//! driver's timer latency):
//! - timeout `T` (libzmq's rule: armed by a PING we send, cancelled by any
//!   traffic): dropped between `T` and `T + IVL` later;
//! - the peer's TTL `L` (re-armed from the deadline when something arrived
//!   before it): dropped between `L` and `2 L` later. (libzmq cancels its TTL
//!   timer on any traffic and re-arms it only with the next PING; a peer that
//!   keeps pinging, as libzmq does, is dropped neither way.)

use std::time::{Duration, Instant};

use bytes::Bytes;

use super::{Phase, Session};
use crate::ProtocolError;
use crate::command::Command;
use crate::timer::Timer;

impl Session {
    /// The data phase began: the first PING goes out one interval from now.
    pub(super) fn start_heartbeats(&mut self) {
        if self.hb.ivl.is_some() {
            self.timers.set(Timer::Stamp, self.hb.clock);
        }
    }

    /// The peer sent a PING announcing `ttl_deciseconds` (0: none, which
    /// also ends the watch a previous TTL started).
    pub(super) fn on_peer_ping(&mut self, ttl_deciseconds: u16) {
        if ttl_deciseconds == 0 {
            self.hb.peer_ttl = None;
            self.timers.stop(Timer::PeerTtl);
            return;
        }
        self.hb.peer_ttl = Some(Duration::from_millis(u64::from(ttl_deciseconds) * 100));
        if !self.timers.is_armed(Timer::PeerTtl) {
            self.timers.set(Timer::Stamp, self.hb.clock);
        }
    }

    /// Runs one expired heartbeat timer at `now`.
    pub(super) fn on_heartbeat_timer(
        &mut self,
        timer: Timer,
        now: Instant,
    ) -> Result<(), ProtocolError> {
        if self.phase != Phase::Ready {
            return Ok(());
        }
        match timer {
            Timer::Stamp => {
                if let Some(ivl) = self.hb.ivl
                    && !self.timers.is_armed(Timer::Ping)
                {
                    self.timers.start(Timer::Ping, now, ivl);
                }
                if let Some(ttl) = self.hb.peer_ttl
                    && !self.timers.is_armed(Timer::PeerTtl)
                {
                    self.timers.start(Timer::PeerTtl, now, ttl);
                    self.hb.ttl_mark = self.hb.received;
                }
            }
            Timer::Ping => self.send_ping(now)?,
            Timer::Timeout => {
                // Anything since our PING cancelled the timeout (libzmq); the
                // next PING arms it again.
                if self.hb.received == self.hb.timeout_mark {
                    return Err(ProtocolError::HeartbeatTimeout);
                }
            }
            Timer::PeerTtl => {
                if self.hb.received == self.hb.ttl_mark {
                    return Err(ProtocolError::HeartbeatTimeout);
                }
                if let Some(ttl) = self.hb.peer_ttl {
                    self.timers.start(Timer::PeerTtl, now, ttl);
                    self.hb.ttl_mark = self.hb.received;
                }
            }
            Timer::Handshake => {}
        }
        Ok(())
    }

    /// Queues a PING with our TTL and an empty context, arms the next one
    /// and, unless one is still running, the peer's timeout.
    fn send_ping(&mut self, now: Instant) -> Result<(), ProtocolError> {
        let Some(ivl) = self.hb.ivl else {
            return Ok(());
        };
        self.queue_command(&Command::Ping {
            ttl_deciseconds: self.hb.ttl_deciseconds,
            context: Bytes::new(),
        })?;
        self.timers.start(Timer::Ping, now, ivl);
        if let Some(timeout) = self.hb.timeout {
            // A running timeout that traffic already cancelled counts as stopped.
            let running =
                self.timers.is_armed(Timer::Timeout) && self.hb.received == self.hb.timeout_mark;
            if !running {
                self.timers.start(Timer::Timeout, now, timeout);
                self.hb.timeout_mark = self.hb.received;
            }
        }
        Ok(())
    }
}
