//! Classification of `accept()` errors and the back-off used on resource exhaustion.

use std::io;
use std::time::Duration;

use tokio::time::Instant;

/// First pause after a resource error.
const FIRST_DELAY: Duration = Duration::from_millis(10);
/// Longest pause between accept attempts while resources stay exhausted.
const MAX_DELAY: Duration = Duration::from_secs(1);

/// What to do after a failed `accept()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AcceptFailure {
    /// Out of file descriptors / memory / buffers: pause before retrying,
    /// otherwise the still-readable listener would make us spin.
    Resource,
    /// The pending connection itself failed (aborted, reset, network error on
    /// it): it has been consumed, retry at once.
    Connection,
    /// Anything else: report to the caller.
    Fatal,
}

/// Classifies an `accept()` error (see accept(2), "Error handling").
pub(super) fn classify(e: &io::Error) -> AcceptFailure {
    match e.raw_os_error() {
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM) => {
            return AcceptFailure::Resource;
        }
        Some(
            libc::ECONNABORTED
            | libc::ECONNRESET
            | libc::EINTR
            | libc::EAGAIN
            | libc::EPROTO
            | libc::EPERM
            | libc::ETIMEDOUT
            | libc::ENETDOWN
            | libc::ENETUNREACH
            | libc::EHOSTDOWN
            | libc::EHOSTUNREACH
            | libc::ENOPROTOOPT
            | libc::EOPNOTSUPP,
        ) => return AcceptFailure::Connection,
        #[cfg(any(target_os = "linux", target_os = "android"))]
        Some(libc::ENONET) => return AcceptFailure::Connection,
        _ => {}
    }
    match e.kind() {
        io::ErrorKind::OutOfMemory => AcceptFailure::Resource,
        io::ErrorKind::ConnectionAborted
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::Interrupted
        | io::ErrorKind::WouldBlock => AcceptFailure::Connection,
        _ => AcceptFailure::Fatal,
    }
}

/// Pause state between accept attempts; survives a cancelled `accept()`.
#[derive(Debug, Default)]
pub(super) struct AcceptPause {
    /// Pause chosen after the last resource error (zero: none yet).
    delay: Duration,
    /// Do not call `accept()` before this instant.
    until: Option<Instant>,
}

impl AcceptPause {
    /// Waits out the current pause, if any.
    pub(super) async fn wait(&mut self) {
        if let Some(until) = self.until {
            tokio::time::sleep_until(until).await;
            self.until = None;
        }
    }

    /// Records a resource error; returns the pause chosen (10 ms doubling up to 1 s).
    pub(super) fn on_resource_error(&mut self) -> Duration {
        self.delay = if self.delay.is_zero() {
            FIRST_DELAY
        } else {
            (self.delay * 2).min(MAX_DELAY)
        };
        self.until = Some(Instant::now() + self.delay);
        self.delay
    }

    /// Records a successful accept.
    pub(super) fn reset(&mut self) {
        self.delay = Duration::ZERO;
        self.until = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        let os = io::Error::from_raw_os_error;
        assert_eq!(classify(&os(libc::EMFILE)), AcceptFailure::Resource);
        assert_eq!(classify(&os(libc::ENFILE)), AcceptFailure::Resource);
        assert_eq!(classify(&os(libc::ENOBUFS)), AcceptFailure::Resource);
        assert_eq!(classify(&os(libc::ENOMEM)), AcceptFailure::Resource);
        assert_eq!(classify(&os(libc::ECONNABORTED)), AcceptFailure::Connection);
        assert_eq!(classify(&os(libc::EPROTO)), AcceptFailure::Connection);
        assert_eq!(classify(&os(libc::EBADF)), AcceptFailure::Fatal);
        assert_eq!(classify(&os(libc::EINVAL)), AcceptFailure::Fatal);
    }

    #[test]
    fn pause_doubles_to_one_second_and_resets() {
        let mut p = AcceptPause::default();
        let delays: Vec<_> = (0..9).map(|_| p.on_resource_error().as_millis()).collect();
        assert_eq!(delays, [10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
        p.reset();
        assert_eq!(p.on_resource_error(), FIRST_DELAY);
    }
}
