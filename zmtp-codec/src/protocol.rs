//! The [`Protocol`] trait: the sans-I/O surface an I/O driver is generic
//! over, in the style of quinn-proto (bytes in, events and bytes out,
//! deadlines polled, time passed in by the caller).
//!
//! A driver loop: read socket bytes into [`recv_buf`](Protocol::recv_buf)
//! (sized with [`needed`](Protocol::needed)); call
//! [`poll_event`](Protocol::poll_event) while it has room for what comes
//! out; move [`poll_transmit`](Protocol::poll_transmit) output, then its own
//! [`encode_frame`](Protocol::encode_frame)d messages, to the socket; sleep
//! until [`poll_timeout`](Protocol::poll_timeout) and call
//! [`handle_timeout`](Protocol::handle_timeout). On any error, flush
//! `poll_transmit` best effort (it may hold an ERROR command for the peer)
//! and close.

use std::time::Instant;

use bytes::{Bytes, BytesMut};

use crate::ProtocolError;
use crate::auth::AuthReply;
use crate::event::{Event, PeerInfo};
use crate::frame::WriteBuf;

/// One connection's protocol state machine: ZMTP ([`Session`](crate::Session))
/// or raw bytes ([`RawSession`](crate::RawSession), STREAM sockets).
///
/// Every error is fatal for the connection: afterwards the state machine
/// decodes nothing more, and [`poll_event`](Self::poll_event) keeps
/// returning the error (or `Ok(None)`).
pub trait Protocol {
    /// The receive buffer: the driver reads socket bytes straight into it
    /// (appending; what is decoded is consumed from the front).
    fn recv_buf(&mut self) -> &mut BytesMut;

    /// Appends received bytes (a copying alternative to
    /// [`recv_buf`](Self::recv_buf)).
    fn handle_input(&mut self, data: &[u8]) {
        self.recv_buf().extend_from_slice(data);
    }

    /// Total bytes the receive buffer must hold before the next unit
    /// (greeting or frame) can be decoded; never more than the buffered
    /// length plus [`NEEDED_HINT_STEP`](crate::frame::NEEDED_HINT_STEP), so
    /// a peer's declared size alone cannot make the driver allocate.
    fn needed(&self) -> usize;

    /// Decodes the next event from the buffered input. `Ok(None)`: more
    /// input is needed (or nothing can happen until an external answer,
    /// see [`Event::AuthRequest`]). Decoding is lazy: stop calling it to
    /// apply backpressure, the input stays buffered.
    fn poll_event(&mut self) -> Result<Option<Event>, ProtocolError>;

    /// Large-body fast path, data phase only: when the receive buffer starts
    /// with the header of a data frame whose body is at least `min` bytes,
    /// consumes that header and returns `(more, body length)`. The driver
    /// then takes exactly that many body bytes itself, first from
    /// [`recv_buf`](Self::recv_buf), the rest straight from the socket
    /// (e.g. into a recycled buffer), and treats them as an
    /// [`Event::Frame`]. `Ok(None)` otherwise: use
    /// [`poll_event`](Self::poll_event).
    fn take_large_body(&mut self, min: usize) -> Result<Option<(bool, usize)>, ProtocolError>;

    /// Moves pending protocol output (greeting, handshake commands, PING,
    /// PONG, ERROR) into `out`. A PING is queued by
    /// [`handle_timeout`](Self::handle_timeout): call this after it too.
    fn poll_transmit(&mut self, out: &mut WriteBuf);

    /// Whether protocol output is pending.
    fn has_transmit(&self) -> bool;

    /// Data phase: encodes one frame of an outgoing message into `out`.
    fn encode_frame(
        &mut self,
        more: bool,
        body: &Bytes,
        out: &mut WriteBuf,
    ) -> Result<(), ProtocolError>;

    /// Data phase: encodes a subscription (`subscribe`) or its cancellation
    /// in the form the peer understands.
    fn encode_subscription(
        &mut self,
        subscribe: bool,
        topic: &Bytes,
        out: &mut WriteBuf,
    ) -> Result<(), ProtocolError>;

    /// The earliest deadline at which [`handle_timeout`](Self::handle_timeout)
    /// must be called (`None`: no timer armed). It may already be past: the
    /// protocol then asks for the current time (e.g. to start a heartbeat
    /// timer at the end of the handshake).
    fn poll_timeout(&self) -> Option<Instant>;

    /// Runs the timers due at `now` (may queue output: a PING). An error
    /// (e.g. [`ProtocolError::HandshakeTimeout`] or
    /// [`ProtocolError::HeartbeatTimeout`]) ends the connection.
    fn handle_timeout(&mut self, now: Instant) -> Result<(), ProtocolError>;

    /// Feeds the authenticator's answer to the request of an
    /// [`Event::AuthRequest`]; decoding resumes with the next
    /// [`poll_event`](Self::poll_event). A reply nobody waits for (e.g. one
    /// arriving after the connection failed) is ignored. An error (the
    /// mechanism refused the peer) ends the connection. The default ignores
    /// every reply.
    fn handle_auth_reply(&mut self, reply: AuthReply) -> Result<(), ProtocolError> {
        let _ = reply;
        Ok(())
    }

    /// Whether the data phase has been reached.
    fn is_ready(&self) -> bool;

    /// What the peer told us in the handshake, once it completed.
    fn peer_info(&self) -> Option<&PeerInfo>;
}
