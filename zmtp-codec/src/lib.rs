//! Sans-I/O ZMTP 3.x codec (stub; being written).
#![forbid(unsafe_code)]

/// The twelve ZeroMQ socket types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SocketType {
    /// PAIR
    Pair,
    /// PUB
    Pub,
    /// SUB
    Sub,
    /// REQ
    Req,
    /// REP
    Rep,
    /// DEALER
    Dealer,
    /// ROUTER
    Router,
    /// PULL
    Pull,
    /// PUSH
    Push,
    /// XPUB
    XPub,
    /// XSUB
    XSub,
    /// STREAM
    Stream,
}
