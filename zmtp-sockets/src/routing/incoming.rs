//! Classification of incoming messages before they reach the incoming queue: PUB/XPUB
//! subscriptions sent as ZMTP 3.0 data frames, and what some types discard outright.

use bytes::Bytes;
use zmtp_codec::SocketType;

use crate::message::Message;

/// How an incoming message is treated before it reaches the incoming queue.
#[derive(Debug)]
pub enum Incoming {
    /// A subscription (`true`) or cancel (`false`) sent as a ZMTP 3.0 data frame.
    Subscription(bool, Bytes),
    /// Queue it for the application.
    Keep(Message),
    /// Discard it (e.g. data sent to a PUB).
    Discard,
}

/// Classifies an incoming message for a socket type: PUB/XPUB take `0x01`/`0x00`-prefixed
/// single frames as (un)subscriptions; PUB discards everything else, XPUB keeps it; PUSH
/// discards everything; every other type keeps everything. Depends only on the type, so
/// drivers call it without taking the socket lock.
pub fn classify(kind: SocketType, msg: Message) -> Incoming {
    match kind {
        SocketType::Pub | SocketType::XPub => {
            if msg.len() == 1
                && let Some(first) = msg.first()
            {
                match first.first() {
                    Some(1) => return Incoming::Subscription(true, first.slice(1..)),
                    Some(0) => return Incoming::Subscription(false, first.slice(1..)),
                    _ => {}
                }
            }
            if kind == SocketType::XPub {
                Incoming::Keep(msg)
            } else {
                Incoming::Discard
            }
        }
        SocketType::Push => Incoming::Discard,
        SocketType::Pair
        | SocketType::Sub
        | SocketType::Req
        | SocketType::Rep
        | SocketType::Dealer
        | SocketType::Router
        | SocketType::Pull
        | SocketType::XSub
        | SocketType::Stream => Incoming::Keep(msg),
    }
}
