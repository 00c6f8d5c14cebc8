//! The driver's one lock per batch: hand incoming messages and subscriptions to the
//! socket, take outgoing messages and control items from the pipe, then encode them.

use std::task::Context;

use tokio::io::{AsyncRead, AsyncWrite};
use zmtp_codec::Protocol;

use super::Driver;
use crate::error::ConnectionError;
use crate::peer::Ctrl;
use crate::state::Delivery;

/// Stop taking outgoing messages while this many bytes wait to be written.
const WRITE_HIGH: usize = 256 * 1024;
/// Messages taken from the pipe per lock acquisition.
const DRAIN_MAX: usize = 512;

impl<S: AsyncRead + AsyncWrite + Unpin, P: Protocol> Driver<S, P> {
    /// One lock: hand over incoming messages and subscriptions, take outgoing ones.
    #[inline]
    pub(super) fn sync(&mut self, cx: &mut Context<'_>) -> Result<bool, ConnectionError> {
        let Some(id) = self.peer else {
            return Ok(false);
        };
        let mut progress = !self.inbound.subs.is_empty();
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        for (on, topic) in self.inbound.subs.drain(..) {
            if on {
                st.routing.on_subscribe(id, &topic);
            } else {
                st.routing.on_cancel(id, &topic);
            }
        }
        let local = progress && st.routing.has_local();
        let delivery = if self.inbound.batch.is_empty() {
            None
        } else {
            let Some(delivery) = st.deliver(id, &mut self.inbound.batch) else {
                return Err(ConnectionError::SocketClosed);
            };
            Some(delivery)
        };
        let Some(p) = st.peers.get_mut(id) else {
            return Err(ConnectionError::SocketClosed);
        };
        // Nothing to deliver: only the room the application may have freed matters.
        let delivery = delivery.unwrap_or(Delivery {
            delivered: 0,
            inbox_was_empty: false,
            room: p.in_room(),
        });
        if let Some(reason) = p.take_kill() {
            return Err(ConnectionError::Pattern(reason));
        }
        // Room freed by the application lets decoding resume.
        progress |= delivery.room > self.inbound.room || delivery.delivered > 0;
        self.inbound.room = delivery.room;

        let out = &mut self.outbound;
        // Once a write failed, messages stay in the pipe (a dialed pipe keeps them for
        // the next connection).
        let max = if out.write_error.is_none() && out.wbuf.len() < WRITE_HIGH {
            DRAIN_MAX
        } else {
            0
        };
        let taken = p.take(max, &mut out.drained, &mut out.ctrl);
        if let Some(reason) = p.finish_reason() {
            out.finish = Some(reason);
        }
        p.register(cx.waker());
        drop(guard);
        if (delivery.delivered > 0 && delivery.inbox_was_empty) || local {
            self.shared.recv_ready.notify_one();
        }
        if taken.messages > 0 && taken.was_full {
            self.shared.send_ready.notify_waiters();
        }
        progress |= taken.messages > 0 || !self.outbound.ctrl.is_empty();
        self.encode()?;
        let unsent = !self.outbound.wbuf.is_empty();
        if unsent != self.outbound.unsent {
            self.outbound.unsent = unsent;
            if let Some(p) = self.shared.lock().peers.get_mut(id) {
                p.set_unsent(unsent);
            }
        }
        Ok(progress)
    }

    /// Encodes what was taken: control items first (in the form the peer understands),
    /// then whole messages.
    #[inline]
    fn encode(&mut self) -> Result<(), ConnectionError> {
        let out = &mut self.outbound;
        for c in out.ctrl.drain(..) {
            let (on, topic) = match c {
                Ctrl::Subscribe(t) => (true, t),
                Ctrl::Cancel(t) => (false, t),
            };
            self.proto.encode_subscription(on, &topic, &mut out.wbuf)?;
        }
        while let Some(msg) = out.drained.pop_front() {
            let n = msg.len();
            for (i, f) in msg.frames().iter().enumerate() {
                self.proto.encode_frame(i + 1 < n, f, &mut out.wbuf)?;
            }
        }
        Ok(())
    }
}
