//! [`SocketOption`]: options as typed values (the name-based forms are in [`crate::SockOpt`]).

use bytes::Bytes;

/// An option with its value, typed. Every variant is also reachable by name through
/// [`SockOpt`](crate::SockOpt) and [`Socket::set_option_value`](crate::Socket::set_option_value).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SocketOption {
    /// ZMQ_SNDHWM: messages per outgoing pipe (0 = unlimited).
    SndHwm(usize),
    /// ZMQ_RCVHWM: messages per incoming pipe (0 = unlimited).
    RcvHwm(usize),
    /// ZMQ_LINGER in milliseconds (-1 = forever).
    Linger(i64),
    /// ZMQ_RECONNECT_IVL in milliseconds (-1 = never reconnect).
    ReconnectIvl(i64),
    /// ZMQ_RECONNECT_IVL_MAX in milliseconds (0 = no exponential backoff).
    ReconnectIvlMax(i64),
    /// ZMQ_HANDSHAKE_IVL in milliseconds (0 = no limit).
    HandshakeIvl(i64),
    /// ZMQ_MAXMSGSIZE in bytes per frame (-1 = unlimited).
    MaxMsgSize(i64),
    /// ZMQ_ROUTING_ID (1..=255 bytes).
    RoutingId(Bytes),
    /// ZMQ_CONNECT_ROUTING_ID: local routing id of the next connect (ROUTER, STREAM).
    ConnectRoutingId(Bytes),
    /// ZMQ_IMMEDIATE: queue only to completed connections.
    Immediate(bool),
    /// ZMQ_CONFLATE: keep only the last message (DEALER, PULL, PUSH, PUB, SUB).
    Conflate(bool),
    /// ZMQ_ROUTER_MANDATORY: unknown routing id fails with [`Error::HostUnreachable`](crate::Error::HostUnreachable).
    RouterMandatory(bool),
    /// ZMQ_ROUTER_HANDOVER: a new peer with a taken id replaces the old one.
    RouterHandover(bool),
    /// ZMQ_PROBE_ROUTER: send an empty message on every new connection.
    ProbeRouter(bool),
    /// ZMQ_REQ_CORRELATE: tag requests with an id and match replies.
    ReqCorrelate(bool),
    /// ZMQ_REQ_RELAXED: allow a new request before the reply.
    ReqRelaxed(bool),
    /// ZMQ_XPUB_VERBOSE: report every subscription.
    XpubVerbose(bool),
    /// ZMQ_XPUB_VERBOSER: report every subscription and unsubscription.
    XpubVerboser(bool),
    /// ZMQ_XPUB_MANUAL: the application decides subscriptions.
    XpubManual(bool),
    /// ZMQ_XPUB_NODROP: block instead of dropping at a subscriber's HWM.
    XpubNodrop(bool),
    /// ZMQ_XPUB_WELCOME_MSG: sent to every new subscriber (empty = none).
    XpubWelcomeMsg(Bytes),
    /// ZMQ_INVERT_MATCHING: deliver what does not match (PUB, XPUB, SUB).
    InvertMatching(bool),
    /// ZMQ_STREAM_NOTIFY: [id, ""] on connect and disconnect (STREAM).
    StreamNotify(bool),
    /// ZMQ_RCVTIMEO in milliseconds (-1 = wait forever): receives fail with
    /// [`Error::Timeout`](crate::Error::Timeout) after it.
    RcvTimeo(i64),
    /// ZMQ_SNDTIMEO in milliseconds (-1 = wait forever): sends fail with
    /// [`Error::Timeout`](crate::Error::Timeout) after it.
    SndTimeo(i64),
}
