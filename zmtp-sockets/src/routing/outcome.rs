//! What routing answers: why a send or a receive is refused, and what to do with a
//! message taken from the incoming queue.

use crate::message::Message;

/// Why a send could not be completed; the message is handed back.
#[derive(Debug)]
pub enum SendError {
    /// Every eligible pipe is full (or there is no peer yet): wait and retry.
    WouldBlock(Message),
    /// The socket's state machine forbids sending now (REQ awaiting a reply, REP with no request).
    State(Message),
    /// This socket type cannot send.
    NotSupported(Message),
    /// No peer has that routing id (ROUTER with ROUTER_MANDATORY, STREAM).
    HostUnreachable(Message),
}

/// Why a receive (or an option) is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoutingError {
    /// The state machine forbids receiving now.
    State,
    /// This socket type cannot receive, or the option does not apply to it.
    NotSupported,
}

/// What to do with a message taken from the incoming queue.
#[derive(Debug)]
pub enum RecvAction {
    /// Hand it to the application.
    Deliver(Message),
    /// Discard it silently.
    Drop,
    /// Discard it and drop the connection it came from (protocol violation).
    DropAndKill(&'static str),
}
