//! [`Backoff`]: reconnect delays as libzmq computes them.

use std::time::Duration;

use rand::Rng;

/// Reconnect delay generator (connect side), after libzmq 4.3.
///
/// * `max` zero or not above `ivl` (`ZMQ_RECONNECT_IVL_MAX = 0`): every delay is
///   `ivl + random(0..ivl)` (uniform jitter, libzmq 4.3.4 and 4.3.5).
/// * `max > ivl`: delays double from `ivl` up to `max`, without jitter (4.3.5).
///
/// A zero `ivl` always yields zero.
///
/// Beyond libzmq: after [`handshake_failed`](Self::handshake_failed) (a peer that
/// accepted the connection and dropped it before the handshake completed, e.g. one
/// that speaks no ZMTP we know), each delay is doubled once more per consecutive
/// failure, up to [`HANDSHAKE_FAILURE_CAP`] (or `max` if larger), so an incompatible
/// peer is not redialled at the base interval forever. [`reset`](Self::reset) (a
/// completed handshake) ends it.
#[derive(Clone, Debug)]
pub struct Backoff {
    ivl: Duration,
    max: Duration,
    current: Duration,
    /// Consecutive connections that failed in the handshake.
    failed_handshakes: u32,
}

/// The longest delay the handshake-failure escalation reaches on its own.
pub const HANDSHAKE_FAILURE_CAP: Duration = Duration::from_secs(10);

impl Backoff {
    /// A backoff with base interval `ivl` (`ZMQ_RECONNECT_IVL`) and maximum
    /// `max` (`ZMQ_RECONNECT_IVL_MAX`, zero = jittered constant interval).
    pub fn new(ivl: Duration, max: Duration) -> Self {
        Backoff {
            ivl,
            max,
            current: ivl,
            failed_handshakes: 0,
        }
    }

    /// The delay to wait before the next reconnect attempt.
    pub fn next_delay(&mut self) -> Duration {
        let delay = self.base_delay();
        if self.failed_handshakes == 0 || delay.is_zero() {
            return delay;
        }
        let cap = HANDSHAKE_FAILURE_CAP.max(self.max);
        let factor = 1u32 << self.failed_handshakes.min(16);
        delay.saturating_mul(factor).min(cap.max(delay))
    }

    fn base_delay(&mut self) -> Duration {
        if self.ivl.is_zero() {
            return Duration::ZERO;
        }
        if self.max <= self.ivl {
            return self.ivl.saturating_add(jitter(self.ivl));
        }
        let delay = self.current;
        self.current = self.current.saturating_mul(2).min(self.max);
        delay
    }

    /// A connection ended before its handshake completed: later delays grow until
    /// [`reset`](Self::reset).
    pub fn handshake_failed(&mut self) {
        self.failed_handshakes = self.failed_handshakes.saturating_add(1);
    }

    /// Starts over from `ivl` (call after a completed handshake).
    pub fn reset(&mut self) {
        self.current = self.ivl;
        self.failed_handshakes = 0;
    }
}

/// A uniformly random duration in `0..upto` (`upto` must be non-zero).
fn jitter(upto: Duration) -> Duration {
    let nanos = u64::try_from(upto.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(rand::rng().random_range(0..nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn jitter_mode_stays_in_ivl_to_twice_ivl() {
        let ivl = 100 * MS;
        let mut b = Backoff::new(ivl, Duration::ZERO);
        let mut distinct = std::collections::HashSet::new();
        for _ in 0..1000 {
            let d = b.next_delay();
            assert!(d >= ivl && d < 2 * ivl, "{d:?}");
            distinct.insert(d);
        }
        assert!(distinct.len() > 10, "jitter should vary");
    }

    #[test]
    fn max_not_above_ivl_means_jitter() {
        let ivl = 50 * MS;
        let mut b = Backoff::new(ivl, 20 * MS);
        for _ in 0..100 {
            let d = b.next_delay();
            assert!(d >= ivl && d < 2 * ivl, "{d:?}");
        }
        let mut b = Backoff::new(ivl, ivl);
        for _ in 0..100 {
            let d = b.next_delay();
            assert!(d >= ivl && d < 2 * ivl, "{d:?}");
        }
    }

    #[test]
    fn exponential_doubles_up_to_max_then_resets() {
        let mut b = Backoff::new(100 * MS, 1000 * MS);
        let got: Vec<_> = (0..7).map(|_| b.next_delay()).collect();
        let want: Vec<_> = [100, 200, 400, 800, 1000, 1000, 1000]
            .iter()
            .map(|&n| n * MS)
            .collect();
        assert_eq!(got, want);
        b.reset();
        assert_eq!(b.next_delay(), 100 * MS);
        assert_eq!(b.next_delay(), 200 * MS);
    }

    #[test]
    fn failed_handshakes_escalate_until_reset() {
        let mut b = Backoff::new(100 * MS, Duration::ZERO);
        b.handshake_failed();
        let d = b.next_delay();
        assert!(d >= 200 * MS && d < 400 * MS, "{d:?}");
        for _ in 0..3 {
            b.handshake_failed();
        }
        let d = b.next_delay();
        assert!(d >= 1600 * MS && d < 3200 * MS, "{d:?}");
        for _ in 0..40 {
            b.handshake_failed();
        }
        assert_eq!(b.next_delay(), HANDSHAKE_FAILURE_CAP);
        b.reset();
        let d = b.next_delay();
        assert!(d >= 100 * MS && d < 200 * MS, "{d:?}");

        // with libzmq's exponential mode, on top of its doubling, capped at max
        let mut b = Backoff::new(100 * MS, Duration::from_secs(60));
        b.handshake_failed();
        assert_eq!(b.next_delay(), 200 * MS);
        b.handshake_failed();
        assert_eq!(b.next_delay(), 800 * MS);
    }

    #[test]
    fn zero_interval_is_zero() {
        let mut b = Backoff::new(Duration::ZERO, Duration::ZERO);
        assert_eq!(b.next_delay(), Duration::ZERO);
        let mut b = Backoff::new(Duration::ZERO, 100 * MS);
        assert_eq!(b.next_delay(), Duration::ZERO);
    }

    #[test]
    fn huge_values_do_not_overflow() {
        let mut b = Backoff::new(Duration::from_secs(u64::MAX / 4), Duration::MAX);
        for _ in 0..10 {
            let _ = b.next_delay();
        }
        let mut b = Backoff::new(Duration::MAX, Duration::ZERO);
        let _ = b.next_delay();
    }
}
