//! The typed monitor: [`Socket::monitor_events`] and its [`MonitorEvents`] stream.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use futures::stream::BoxStream;
use tokio::sync::mpsc::Receiver;
use tokio_util::sync::CancellationToken;
use zmtp_sockets::SocketEvent;
use zmtp_sockets::events::{EventMask, EventType};

use super::event::MonitorEvent;
use crate::socket::Socket;

/// Unread events a monitor holds before it drops new ones.
pub const DEFAULT_MONITOR_CAPACITY: usize = 1024;

/// A socket's monitor events; ends after `MONITOR_STOPPED` (when the monitor is
/// replaced or stopped, or the socket closed and its connections ended).
pub struct MonitorEvents {
    inner: BoxStream<'static, MonitorEvent>,
}

impl std::fmt::Debug for MonitorEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MonitorEvents").finish_non_exhaustive()
    }
}

impl Stream for MonitorEvents {
    type Item = MonitorEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<MonitorEvent>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// Where a monitor is in its life.
enum Phase {
    Live,
    /// The socket closed and its connections ended: what is queued, then the end.
    Draining,
    Done,
}

struct State {
    rx: Receiver<SocketEvent>,
    closed: CancellationToken,
    core: zmtp_sockets::Socket,
    stopped_wanted: bool,
    phase: Phase,
}

impl State {
    /// The last event (when the mask wants it), then nothing.
    fn finish(mut self) -> Option<(MonitorEvent, State)> {
        self.phase = Phase::Done;
        self.stopped_wanted.then(|| (MonitorEvent::stopped(), self))
    }

    async fn next(mut self) -> Option<(MonitorEvent, State)> {
        loop {
            match self.phase {
                Phase::Live => {
                    let got = {
                        let mut closed = std::pin::pin!(self.closed.cancelled());
                        let rx = &mut self.rx;
                        std::future::poll_fn(|cx| match rx.poll_recv(cx) {
                            Poll::Ready(ev) => Poll::Ready(Some(ev)),
                            Poll::Pending => closed.as_mut().poll(cx).map(|()| None),
                        })
                        .await
                    };
                    match got {
                        Some(Some(ev)) => return Some((ev.into(), self)),
                        Some(None) => return self.finish(),
                        None => {
                            // libzmq stops the monitor when the socket is destroyed,
                            // after its connections ended.
                            self.core.close_and_flush().await;
                            self.phase = Phase::Draining;
                        }
                    }
                }
                Phase::Draining => {
                    return match self.rx.try_recv() {
                        Ok(ev) => Some((ev.into(), self)),
                        Err(_) => self.finish(),
                    };
                }
                Phase::Done => return None,
            }
        }
    }
}

impl MonitorEvents {
    pub(super) fn start(socket: &Socket, mask: EventMask, capacity: usize) -> MonitorEvents {
        let core = socket.core().clone();
        let state = State {
            rx: core.monitor(capacity, mask),
            closed: core.closed_token(),
            core,
            stopped_wanted: mask.contains(EventType::MonitorStopped),
            phase: Phase::Live,
        };
        MonitorEvents {
            inner: Box::pin(futures::stream::unfold(state, State::next)),
        }
    }
}

impl Socket {
    /// Starts the socket's monitor, replacing any previous one (which then ends with
    /// `MONITOR_STOPPED`): the events in `mask`, as a stream that ends with
    /// `MONITOR_STOPPED` (when the mask has it). Holds up to
    /// [`DEFAULT_MONITOR_CAPACITY`] unread events; more are dropped and counted.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use futures::StreamExt;
    /// use zmtp_api::monitor::{EventMask, EventType};
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pull)?;
    /// let mut events = s.monitor_events(EventMask::ALL);
    /// let ep = s.bind_one("tcp://127.0.0.1:*")?;
    /// let ev = events.next().await.unwrap();
    /// assert_eq!((ev.event, ev.endpoint), (EventType::Listening, ep));
    /// s.stop_monitor();
    /// assert_eq!(events.next().await.unwrap().event, EventType::MonitorStopped);
    /// assert!(events.next().await.is_none());
    /// # Ok(()) }
    /// ```
    pub fn monitor_events(&self, mask: EventMask) -> MonitorEvents {
        MonitorEvents::start(self, mask, DEFAULT_MONITOR_CAPACITY)
    }

    /// [`Socket::monitor_events`] holding up to `capacity` unread events (at least 1).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::monitor::EventMask;
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pull)?;
    /// let _events = s.monitor_events_with_capacity(EventMask::ALL, 1);
    /// s.bind("tcp://127.0.0.1:*")?;
    /// s.bind("tcp://127.0.0.1:*")?;
    /// assert_eq!(s.monitor_events_dropped(), 1);
    /// # Ok(()) }
    /// ```
    pub fn monitor_events_with_capacity(&self, mask: EventMask, capacity: usize) -> MonitorEvents {
        MonitorEvents::start(self, mask, capacity)
    }

    /// Stops the socket's monitor (it ends with `MONITOR_STOPPED`); false when there was
    /// none.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pull)?;
    /// assert!(!s.stop_monitor());
    /// let _events = s.monitor_events(zmtp_api::monitor::EventMask::ALL);
    /// assert!(s.stop_monitor());
    /// # Ok(()) }
    /// ```
    pub fn stop_monitor(&self) -> bool {
        self.core().stop_monitor()
    }

    /// Events monitors of this socket lost because their queue was full.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pull)?;
    /// assert_eq!(s.monitor_events_dropped(), 0);
    /// # Ok(()) }
    /// ```
    pub fn monitor_events_dropped(&self) -> u64 {
        self.core().events_dropped()
    }
}
