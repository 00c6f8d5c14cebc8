//! The blocking monitor: [`Socket::monitor_events`] as an iterator with timeouts.

use std::time::Duration;

use futures::StreamExt;
use tokio::runtime::Handle;

use crate::error::{Error, Result};
use crate::monitor::{EventMask, MonitorEvent};

use super::run::block_on;
use super::socket::Socket;

/// A socket's monitor events, waited for by blocking; iteration ends after
/// `MONITOR_STOPPED`, or when no event came within the timeout set with
/// [`MonitorEvents::set_timeout`] (use [`MonitorEvents::recv_timeout`] to tell the two
/// apart).
#[derive(Debug)]
pub struct MonitorEvents {
    events: crate::monitor::MonitorEvents,
    handle: Handle,
    timeout: Option<Duration>,
}

impl MonitorEvents {
    /// The next event within `timeout`: `Ok(None)` once the monitor has ended,
    /// [`Error::Timeout`] when nothing came in time.
    ///
    /// ```
    /// use std::time::Duration;
    /// use zmtp_api::monitor::{EventMask, EventType};
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// let mut events = s.monitor_events(EventMask::ALL);
    /// let t = Duration::from_secs(5);
    /// s.bind("tcp://127.0.0.1:*")?;
    /// assert_eq!(events.recv_timeout(t)?.unwrap().event, EventType::Listening);
    /// assert!(matches!(events.recv_timeout(Duration::from_millis(1)), Err(zmtp_api::Error::Timeout)));
    /// s.close();
    /// assert_eq!(events.recv_timeout(t)?.unwrap().event, EventType::Closed);
    /// assert_eq!(events.recv_timeout(t)?.unwrap().event, EventType::MonitorStopped);
    /// assert!(events.recv_timeout(t)?.is_none());
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn recv_timeout(&mut self, timeout: Duration) -> Result<Option<MonitorEvent>> {
        let next = self.events.next();
        // The timer is made inside, where the socket's runtime is entered.
        let wait = async move { tokio::time::timeout(timeout, next).await };
        block_on(&self.handle, wait)?.map_err(|_| Error::Timeout)
    }

    /// The next event, waiting as long as it takes: `Ok(None)` once the monitor ended.
    ///
    /// ```
    /// use zmtp_api::monitor::{EventMask, EventType};
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// let mut events = s.monitor_events(EventMask::ALL);
    /// s.stop_monitor();
    /// assert_eq!(events.recv()?.unwrap().event, EventType::MonitorStopped);
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn recv(&mut self) -> Result<Option<MonitorEvent>> {
        block_on(&self.handle, self.events.next())
    }

    /// How long iteration waits for each event (`None`: no limit, the default).
    ///
    /// ```
    /// use std::time::Duration;
    /// use zmtp_api::monitor::EventMask;
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// let mut events = s.monitor_events(EventMask::ALL);
    /// events.set_timeout(Some(Duration::from_millis(10)));
    /// assert!(events.next().is_none());
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.timeout = timeout;
    }
}

impl Iterator for MonitorEvents {
    type Item = MonitorEvent;

    /// The next event; `None` after `MONITOR_STOPPED`, on timeout, or where blocking is
    /// refused (a current-thread tokio runtime).
    fn next(&mut self) -> Option<MonitorEvent> {
        match self.timeout {
            Some(t) => self.recv_timeout(t).ok().flatten(),
            None => self.recv().ok().flatten(),
        }
    }
}

impl Socket {
    /// Starts the socket's monitor (replacing any previous one): the events in `mask`,
    /// as a blocking iterator. See [`crate::Socket::monitor_events`].
    ///
    /// ```
    /// use zmtp_api::monitor::{EventMask, EventType};
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// let mut events = s.monitor_events(EventType::Listening.into());
    /// s.bind("tcp://127.0.0.1:*")?;
    /// assert_eq!(events.next().unwrap().event, EventType::Listening);
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn monitor_events(&self, mask: EventMask) -> MonitorEvents {
        MonitorEvents {
            events: self.inner.monitor_events(mask),
            handle: self.inner.runtime(),
            timeout: None,
        }
    }

    /// Stops the socket's monitor (it ends with `MONITOR_STOPPED`); false when there was
    /// none.
    ///
    /// ```
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// assert!(!s.stop_monitor());
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn stop_monitor(&self) -> bool {
        self.inner.stop_monitor()
    }

    /// libzmq's `zmq_socket_monitor`: see [`crate::Socket::monitor`].
    ///
    /// ```
    /// use zmtp_api::monitor::{EventMask, EventType, MonitorEvent};
    /// let s = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pull)?;
    /// s.monitor("inproc://doc-blocking-monitor", EventMask::ALL)?;
    /// let reader = zmtp_api::blocking::Socket::new(zmtp_api::SocketType::Pair)?;
    /// reader.connect("inproc://doc-blocking-monitor")?;
    /// s.bind("tcp://127.0.0.1:*")?;
    /// let ev = MonitorEvent::from_frames(&reader.recv_multipart()?).unwrap();
    /// assert_eq!(ev.event, EventType::Listening);
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    pub fn monitor(&self, endpoint: impl crate::AsEndpoint, mask: EventMask) -> Result<()> {
        self.inner.monitor(endpoint, mask)
    }
}
