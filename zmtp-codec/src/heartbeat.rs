//! One connection's heartbeat settings and counters (ZMQ_HEARTBEAT_IVL, _TTL,
//! _TIMEOUT and the peer's PING TTL): what the session's heartbeat timers
//! (`session::heartbeat`) compare when they fire.

use std::time::{Duration, Instant};

use crate::session::SessionConfig;

/// One connection's heartbeat settings and state.
#[derive(Debug)]
pub(crate) struct Heartbeat {
    /// How often we PING (`None`: never).
    pub(crate) ivl: Option<Duration>,
    /// The TTL our PINGs carry.
    pub(crate) ttl_deciseconds: u16,
    /// How long after our PING the peer may stay silent (`None`: forever).
    pub(crate) timeout: Option<Duration>,
    /// The TTL of the peer's last PING (`None`: it announced none).
    pub(crate) peer_ttl: Option<Duration>,
    /// Frames and commands decoded in the data phase (wrapping): bumped on
    /// the data path, read only when a heartbeat timer fires.
    pub(crate) received: u64,
    /// `received` when [`Timer::Timeout`](crate::timer::Timer::Timeout) was armed.
    pub(crate) timeout_mark: u64,
    /// `received` when [`Timer::PeerTtl`](crate::timer::Timer::PeerTtl) was armed.
    pub(crate) ttl_mark: u64,
    /// The latest time we were given (creation, `handle_timeout`): never
    /// after the real time.
    pub(crate) clock: Instant,
}

impl Heartbeat {
    /// The settings of `cfg`, for a session created at `now`.
    pub(crate) fn new(cfg: &SessionConfig, now: Instant) -> Heartbeat {
        Heartbeat {
            ivl: cfg.heartbeat_ivl.filter(|d| !d.is_zero()),
            ttl_deciseconds: cfg.ttl_deciseconds(),
            timeout: cfg.heartbeat_timeout.filter(|d| !d.is_zero()),
            peer_ttl: None,
            received: 0,
            timeout_mark: 0,
            ttl_mark: 0,
            clock: now,
        }
    }

    /// Notes the time a `handle_timeout` was given.
    pub(crate) fn observe(&mut self, now: Instant) {
        if now > self.clock {
            self.clock = now;
        }
    }
}
