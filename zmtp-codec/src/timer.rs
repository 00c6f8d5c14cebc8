//! The deadlines a session runs, stored as plain [`Instant`]s: the caller
//! passes the time in, nothing here reads a clock.

use std::time::{Duration, Instant};

/// One named deadline of a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Timer {
    /// The handshake must complete before this (ZMQ_HANDSHAKE_IVL).
    Handshake,
    /// Set to a time already past when something decoded without a clock
    /// must start a timer (the data phase began, a PING with a TTL came):
    /// the next `handle_timeout` learns the time and starts it.
    Stamp,
    /// Send the next PING (ZMQ_HEARTBEAT_IVL).
    Ping,
    /// The peer must have sent something since our PING (ZMQ_HEARTBEAT_TIMEOUT).
    Timeout,
    /// The peer must have sent something within the TTL of its PING.
    PeerTtl,
}

impl Timer {
    /// Number of slots.
    const COUNT: usize = 5;
    /// Every timer, in slot order (the order expired timers are handled in).
    const ALL: [Timer; Timer::COUNT] = [
        Timer::Handshake,
        Timer::Stamp,
        Timer::Ping,
        Timer::Timeout,
        Timer::PeerTtl,
    ];

    fn slot(self) -> usize {
        self as usize
    }
}

/// A fixed set of optional deadlines, one per [`Timer`].
#[derive(Clone, Debug, Default)]
pub(crate) struct Timers {
    slots: [Option<Instant>; Timer::COUNT],
}

impl Timers {
    /// Arms `timer` to fire `after` from `now`; a deadline beyond what
    /// [`Instant`] can represent leaves it stopped (it would never fire).
    pub(crate) fn start(&mut self, timer: Timer, now: Instant, after: Duration) {
        self.slots[timer.slot()] = now.checked_add(after);
    }

    /// Arms `timer` to fire at `at`.
    pub(crate) fn set(&mut self, timer: Timer, at: Instant) {
        self.slots[timer.slot()] = Some(at);
    }

    /// Whether `timer` is armed.
    pub(crate) fn is_armed(&self, timer: Timer) -> bool {
        self.slots[timer.slot()].is_some()
    }

    /// Disarms `timer`.
    pub(crate) fn stop(&mut self, timer: Timer) {
        self.slots[timer.slot()] = None;
    }

    /// Disarms every timer.
    pub(crate) fn stop_all(&mut self) {
        self.slots = Default::default();
    }

    /// The earliest armed deadline.
    pub(crate) fn next(&self) -> Option<Instant> {
        self.slots.iter().flatten().min().copied()
    }

    /// The first armed timer whose deadline is at or before `now`, disarmed
    /// as it is returned.
    pub(crate) fn take_expired(&mut self, now: Instant) -> Option<Timer> {
        let t = Timer::ALL
            .into_iter()
            .find(|t| self.slots[t.slot()].is_some_and(|at| at <= now))?;
        self.stop(t);
        Some(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_fire_stop() {
        let t0 = Instant::now();
        let mut t = Timers::default();
        assert_eq!(t.next(), None);
        assert_eq!(t.take_expired(t0), None);
        t.start(Timer::Handshake, t0, Duration::from_secs(1));
        assert_eq!(t.next(), Some(t0 + Duration::from_secs(1)));
        assert_eq!(t.take_expired(t0 + Duration::from_millis(999)), None);
        assert_eq!(
            t.take_expired(t0 + Duration::from_secs(1)),
            Some(Timer::Handshake)
        );
        assert_eq!(t.next(), None);
        t.start(Timer::Handshake, t0, Duration::from_secs(1));
        t.stop_all();
        assert_eq!(t.next(), None);
        // unrepresentable deadline: never fires
        t.start(Timer::Handshake, t0, Duration::MAX);
        assert_eq!(t.next(), None);
    }

    #[test]
    fn expired_in_slot_order() {
        let t0 = Instant::now();
        let mut t = Timers::default();
        t.start(Timer::PeerTtl, t0, Duration::from_millis(1));
        t.set(Timer::Stamp, t0);
        t.start(Timer::Ping, t0, Duration::from_secs(1));
        assert!(t.is_armed(Timer::Ping));
        assert_eq!(t.next(), Some(t0));
        let later = t0 + Duration::from_millis(5);
        assert_eq!(t.take_expired(later), Some(Timer::Stamp));
        assert_eq!(t.take_expired(later), Some(Timer::PeerTtl));
        assert_eq!(t.take_expired(later), None);
        assert!(!t.is_armed(Timer::PeerTtl));
    }
}
