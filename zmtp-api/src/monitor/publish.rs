//! libzmq's `zmq_socket_monitor`: events published on an inproc PAIR as libzmq's
//! two-frame messages, for code ported from libzmq.

use futures::StreamExt;
use zmtp_sockets::events::EventMask;

use super::stream::{DEFAULT_MONITOR_CAPACITY, MonitorEvents};
use crate::endpoint::AsEndpoint;
use crate::error::{Error, Result};
use crate::socket::Socket;
use crate::{Endpoint, SocketType, TransportError};

impl Socket {
    /// Publishes the events in `mask` on a PAIR socket bound at `endpoint` (inproc only,
    /// as in libzmq), as libzmq's two frames: 6 bytes (`u16` event code and `u32` value,
    /// little-endian) and the endpoint (see
    /// [`MonitorEvent::from_frames`](crate::monitor::MonitorEvent::from_frames)). Connect
    /// a PAIR to `endpoint` to read them. Replaces the socket's monitor, which ends with
    /// `MONITOR_STOPPED`; [`Socket::stop_monitor`] stops this one. The queue holds
    /// [`DEFAULT_MONITOR_CAPACITY`] events: a slow reader loses events, never the socket
    /// its speed. The previous monitor's PAIR releases its endpoint once it has sent
    /// `MONITOR_STOPPED`, a moment after the replacement: binding the same endpoint at
    /// once can fail with [`Error::AddrInUse`], so give each monitor its own endpoint (a
    /// libzmq reader must reconnect to a new monitor anyway).
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
        let pair = Socket::with_context(SocketType::Pair, self.context_ref())?;
        pair.bind_unchecked(ep)?;
        let mut events = MonitorEvents::start(self, mask, DEFAULT_MONITOR_CAPACITY);
        self.runtime().spawn(async move {
            while let Some(ev) = events.next().await {
                // Waits while the reader is slow: the socket's events queue up behind
                // this (bounded; the excess is dropped), the socket never waits.
                if let Err(e) = pair.send_multipart(ev.to_frames()).await {
                    tracing::debug!(target: "zmtp_api", error = %e, "monitor PAIR closed");
                    break;
                }
            }
            // What was sent reaches a connected reader before the PAIR goes.
            pair.close_and_flush().await;
        });
        Ok(())
    }
}
