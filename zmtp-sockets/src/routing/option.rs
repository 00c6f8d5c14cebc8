//! The socket options that change routing; each socket type applies the ones it knows
//! (`Pattern::set_option`) and refuses the rest.

use bytes::Bytes;

/// A socket option that changes routing (libzmq names; all default off except
/// `StreamNotify`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoutingOption {
    /// ROUTER: unknown id → `HostUnreachable`, full peer → `WouldBlock` (instead of dropping).
    RouterMandatory(bool),
    /// ROUTER: a new connection with a taken id displaces the old one.
    RouterHandover(bool),
    /// ROUTER, DEALER, REQ: send an empty message on every new connection.
    ProbeRouter(bool),
    /// REQ: tag requests with an id and accept only the matching reply.
    ReqCorrelate(bool),
    /// REQ: allow a new request before the reply arrives.
    ReqRelaxed(bool),
    /// PUB/XPUB: report every subscribe, not only the first per topic.
    XpubVerbose(bool),
    /// PUB/XPUB: report every subscribe and every unsubscribe.
    XpubVerboser(bool),
    /// PUB/XPUB: the application sets subscriptions itself.
    XpubManual(bool),
    /// PUB/XPUB: `WouldBlock` instead of dropping at a full subscriber.
    XpubNodrop(bool),
    /// PUB/XPUB: message sent to every new peer (`None` or empty: none).
    XpubWelcomeMsg(Option<Bytes>),
    /// PUB/XPUB/SUB/XSUB: match the messages that match no subscription.
    InvertMatching(bool),
    /// STREAM: deliver `[id, ""]` on connect and disconnect (default on).
    StreamNotify(bool),
}
