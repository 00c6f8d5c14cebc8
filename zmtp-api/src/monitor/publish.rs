//! libzmq's `zmq_socket_monitor`: events published on an inproc PAIR as libzmq's
//! two-frame messages, for code ported from libzmq.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use futures::StreamExt;
use zmtp_sockets::events::{EventMask, EventType};

use super::event::MonitorEvent;
use super::stream::{DEFAULT_MONITOR_CAPACITY, MonitorEvents};
use crate::endpoint::AsEndpoint;
use crate::error::{Error, Result};
use crate::socket::Socket;
use crate::{Endpoint, SocketType, TransportError};

/// How long a new monitor waits for the PAIR of the one it replaced to free the same
/// endpoint.
const REBIND_WAIT: Duration = Duration::from_secs(2);

impl Socket {
    /// Publishes the events in `mask` on a PAIR socket bound at `endpoint` (inproc only,
    /// as in libzmq), as libzmq's two frames: 6 bytes (`u16` event code and `u32` value,
    /// little-endian) and the endpoint (see
    /// [`MonitorEvent::from_frames`](crate::monitor::MonitorEvent::from_frames)). Connect
    /// a PAIR to `endpoint` to read them. Replaces the socket's monitor, which ends with
    /// `MONITOR_STOPPED` (the new one may use the same endpoint: it binds once the old
    /// PAIR is gone); [`Socket::stop_monitor`] stops this one. Up to
    /// [`DEFAULT_MONITOR_CAPACITY`] events wait for the reader (also before it connects);
    /// a slow reader loses events, never the socket its speed.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::monitor::{EventMask, EventType, MonitorEvent};
    /// use zmtp_api::{Socket, SocketType};
    /// let s = Socket::new(SocketType::Pull)?;
    /// s.monitor("inproc://doc-monitor", EventMask::ALL)?;
    /// let reader = Socket::new(SocketType::Pair)?;
    /// reader.connect("inproc://doc-monitor")?;
    /// let ep = s.bind_one("tcp://127.0.0.1:*")?;
    /// let frames = reader.recv_multipart().await?;
    /// let ev = MonitorEvent::from_frames(&frames).unwrap();
    /// assert_eq!((ev.event, ev.endpoint), (EventType::Listening, ep));
    /// # Ok(()) }
    /// ```
    pub fn monitor(&self, endpoint: impl AsEndpoint, mask: EventMask) -> Result<()> {
        let ep = endpoint
            .as_endpoint()
            .parse()
            .map_err(Error::InvalidEndpoint)?;
        if !matches!(ep, Endpoint::Inproc(_)) {
            return Err(Error::InvalidEndpoint(
                // libzmq: EPROTONOSUPPORT.
                TransportError::UnsupportedTransport(ep.to_string()),
            ));
        }
        let replacing = self.core().has_monitor();
        let pair = Socket::with_context(SocketType::Pair, self.context_ref())?;
        let bound = match pair.bind_unchecked(ep.clone()) {
            Ok(()) => true,
            // Probably the PAIR of the monitor being replaced: it goes in a moment.
            Err(Error::AddrInUse(_)) if replacing => false,
            Err(e) => return Err(e),
        };
        let events = MonitorEvents::start(self, mask, DEFAULT_MONITOR_CAPACITY);
        self.runtime().spawn(async move {
            if bound || rebind(&pair, &ep).await {
                forward(events, &pair).await;
            }
            // What was sent reaches a connected reader before the PAIR goes.
            pair.close_and_flush().await;
        });
        Ok(())
    }
}

/// Binds `ep` once the replaced monitor's PAIR has freed it (false after
/// [`REBIND_WAIT`]).
async fn rebind(pair: &Socket, ep: &Endpoint) -> bool {
    let deadline = tokio::time::Instant::now() + REBIND_WAIT;
    let mut delay = Duration::from_millis(1);
    loop {
        match pair.bind_unchecked(ep.clone()) {
            Ok(()) => return true,
            Err(e) if tokio::time::Instant::now() >= deadline => {
                tracing::warn!(target: "zmtp_api", endpoint = %ep, error = %e, "monitor endpoint stayed in use; monitor not started");
                return false;
            }
            Err(_) => {}
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_millis(50));
    }
}

/// Sends each event to the PAIR. While a send waits (no reader yet, or a slow one) the
/// stream is still read, into a queue of [`DEFAULT_MONITOR_CAPACITY`] (the excess is
/// dropped), so a stop or replacement is noticed: the send is then abandoned and
/// `MONITOR_STOPPED` goes out only if the PAIR has room, so the task always ends.
async fn forward(mut events: MonitorEvents, pair: &Socket) {
    let mut queue: VecDeque<MonitorEvent> = VecDeque::new();
    let mut ended = false;
    let mut stopped: Option<MonitorEvent> = None;
    loop {
        let ev = match queue.pop_front() {
            Some(ev) => ev,
            None if ended => break,
            None => match events.next().await {
                Some(ev) if ev.event == EventType::MonitorStopped => {
                    stopped = Some(ev);
                    break;
                }
                Some(ev) => ev,
                None => break,
            },
        };
        if ended {
            if pair.try_send(ev.to_frames().to_vec()).is_err() {
                break;
            }
            continue;
        }
        let mut send = pin!(pair.send_multipart(ev.to_frames()));
        let sent = std::future::poll_fn(|cx| {
            if let Poll::Ready(r) = send.as_mut().poll(cx) {
                return Poll::Ready(Some(r));
            }
            while !ended {
                match events.poll_next_unpin(cx) {
                    Poll::Ready(Some(ev)) if ev.event == EventType::MonitorStopped => {
                        stopped = Some(ev);
                        ended = true;
                    }
                    Poll::Ready(Some(ev)) if queue.len() < DEFAULT_MONITOR_CAPACITY => {
                        queue.push_back(ev)
                    }
                    Poll::Ready(Some(ev)) => {
                        tracing::debug!(target: "zmtp_api", event = ev.event.name(), "monitor reader behind: event dropped")
                    }
                    Poll::Ready(None) => ended = true,
                    Poll::Pending => break,
                }
            }
            if ended { Poll::Ready(None) } else { Poll::Pending }
        })
        .await;
        match sent {
            Some(Ok(())) => {}
            Some(Err(e)) => {
                tracing::debug!(target: "zmtp_api", error = %e, "monitor PAIR closed");
                return;
            }
            // The monitor ended while this send waited: no reader to wait for.
            None => break,
        }
    }
    if let Some(ev) = stopped {
        let _ = pair.try_send(ev.to_frames().to_vec());
    }
}
