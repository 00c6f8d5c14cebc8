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
#[derive(Clone, Debug)]
pub struct Backoff {
    ivl: Duration,
    max: Duration,
    current: Duration,
}

impl Backoff {
    /// A backoff with base interval `ivl` (`ZMQ_RECONNECT_IVL`) and maximum
    /// `max` (`ZMQ_RECONNECT_IVL_MAX`, zero = jittered constant interval).
    pub fn new(ivl: Duration, max: Duration) -> Self {
        Backoff {
            ivl,
            max,
            current: ivl,
        }
    }

    /// The delay to wait before the next reconnect attempt.
    pub fn next_delay(&mut self) -> Duration {
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

    /// Starts over from `ivl` (call after a successful connection).
    pub fn reset(&mut self) {
        self.current = self.ivl;
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
