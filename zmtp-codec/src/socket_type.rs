//! The twelve stable ZeroMQ socket types, their wire names and valid pairings.

use std::fmt;
use std::str::FromStr;

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

/// Error returned by [`SocketType::from_str`] for an unknown name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown socket type {0:?}")]
pub struct UnknownSocketType(pub String);

impl SocketType {
    /// All twelve socket types.
    pub const ALL: [SocketType; 12] = [
        SocketType::Pair,
        SocketType::Pub,
        SocketType::Sub,
        SocketType::Req,
        SocketType::Rep,
        SocketType::Dealer,
        SocketType::Router,
        SocketType::Pull,
        SocketType::Push,
        SocketType::XPub,
        SocketType::XSub,
        SocketType::Stream,
    ];

    /// The upper-case name sent in the `Socket-Type` property (`"PAIR"`, `"PUB"`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            SocketType::Pair => "PAIR",
            SocketType::Pub => "PUB",
            SocketType::Sub => "SUB",
            SocketType::Req => "REQ",
            SocketType::Rep => "REP",
            SocketType::Dealer => "DEALER",
            SocketType::Router => "ROUTER",
            SocketType::Pull => "PULL",
            SocketType::Push => "PUSH",
            SocketType::XPub => "XPUB",
            SocketType::XSub => "XSUB",
            SocketType::Stream => "STREAM",
        }
    }

    /// Lower-case name (`"pair"`, `"xpub"`, ...), as used by `Display`/`FromStr`.
    pub const fn lower_name(self) -> &'static str {
        match self {
            SocketType::Pair => "pair",
            SocketType::Pub => "pub",
            SocketType::Sub => "sub",
            SocketType::Req => "req",
            SocketType::Rep => "rep",
            SocketType::Dealer => "dealer",
            SocketType::Router => "router",
            SocketType::Pull => "pull",
            SocketType::Push => "push",
            SocketType::XPub => "xpub",
            SocketType::XSub => "xsub",
            SocketType::Stream => "stream",
        }
    }

    /// Parses a `Socket-Type` property value, byte-exact and case-sensitive
    /// (as libzmq): `b"DEALER"` matches, `b"dealer"` does not.
    pub fn from_wire(name: &[u8]) -> Option<SocketType> {
        SocketType::ALL
            .into_iter()
            .find(|t| t.as_str().as_bytes() == name)
    }

    /// Whether a socket of this type may hold a ZMTP connection with `peer`
    /// (the pairing table of ZMTP / libzmq).
    pub const fn can_talk_to(self, peer: SocketType) -> bool {
        use SocketType::*;
        matches!(
            (self, peer),
            (Pair, Pair)
                | (Pub | XPub, Sub | XSub)
                | (Sub | XSub, Pub | XPub)
                | (Req, Rep | Router)
                | (Rep, Req | Dealer)
                | (Dealer, Rep | Dealer | Router)
                | (Router, Req | Dealer | Router)
                | (Push, Pull)
                | (Pull, Push)
        )
    }

    /// libzmq's `ZMQ_TYPE` number (`ZMQ_PAIR` = 0 ... `ZMQ_STREAM` = 11), also the
    /// socket-type byte of a ZMTP 2.0 greeting.
    pub const fn number(self) -> u8 {
        match self {
            SocketType::Pair => 0,
            SocketType::Pub => 1,
            SocketType::Sub => 2,
            SocketType::Req => 3,
            SocketType::Rep => 4,
            SocketType::Dealer => 5,
            SocketType::Router => 6,
            SocketType::Pull => 7,
            SocketType::Push => 8,
            SocketType::XPub => 9,
            SocketType::XSub => 10,
            SocketType::Stream => 11,
        }
    }

    /// The type with libzmq's `ZMQ_TYPE` number `n` (`None` for an unknown number).
    pub const fn from_number(n: u8) -> Option<SocketType> {
        if (n as usize) < SocketType::ALL.len() {
            Some(SocketType::ALL[n as usize])
        } else {
            None
        }
    }

    /// Whether this type sends the `Identity` property in its handshake
    /// (REQ, DEALER, ROUTER, as libzmq).
    pub const fn sends_identity(self) -> bool {
        matches!(
            self,
            SocketType::Req | SocketType::Dealer | SocketType::Router
        )
    }
}

impl fmt::Display for SocketType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.lower_name())
    }
}

impl FromStr for SocketType {
    type Err = UnknownSocketType;

    /// Parses the lower-case name (`"pair"`, `"xpub"`, ...).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SocketType::ALL
            .into_iter()
            .find(|t| t.lower_name() == s)
            .ok_or_else(|| UnknownSocketType(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in SocketType::ALL {
            assert_eq!(SocketType::from_wire(t.as_str().as_bytes()), Some(t));
            assert_eq!(t.to_string().parse::<SocketType>(), Ok(t));
            assert_eq!(t.as_str().to_ascii_lowercase(), t.to_string());
        }
        assert_eq!(SocketType::from_wire(b"dealer"), None);
        assert_eq!(SocketType::from_wire(b"DEALER\0"), None);
        assert!("DEALER".parse::<SocketType>().is_err());
        assert_eq!(SocketType::XPub.as_str(), "XPUB");
    }

    #[test]
    fn pairing_table_is_symmetric_and_matches_libzmq() {
        use SocketType::*;
        for a in SocketType::ALL {
            for b in SocketType::ALL {
                assert_eq!(a.can_talk_to(b), b.can_talk_to(a), "{a} {b}");
            }
            assert!(!Stream.can_talk_to(a));
        }
        assert!(Pair.can_talk_to(Pair));
        assert!(XPub.can_talk_to(Sub) && Pub.can_talk_to(XSub));
        assert!(Req.can_talk_to(Router) && !Req.can_talk_to(Req) && !Req.can_talk_to(Dealer));
        assert!(Rep.can_talk_to(Dealer) && !Rep.can_talk_to(Router));
        assert!(Dealer.can_talk_to(Dealer) && Router.can_talk_to(Router));
        assert!(Push.can_talk_to(Pull) && !Push.can_talk_to(Push));
        assert!(!Pub.can_talk_to(Pub));
        let n = SocketType::ALL
            .iter()
            .flat_map(|a| SocketType::ALL.iter().map(move |b| (a, b)))
            .filter(|(a, b)| a.can_talk_to(**b))
            .count();
        // PAIR 1, PUB-ish 2x2x2=8, REQ/REP/DEALER/ROUTER 2+2+3+3=10, PUSH/PULL 2
        assert_eq!(n, 21);
    }

    #[test]
    fn identity_senders() {
        let senders: Vec<_> = SocketType::ALL
            .into_iter()
            .filter(|t| t.sends_identity())
            .collect();
        assert_eq!(
            senders,
            vec![SocketType::Req, SocketType::Dealer, SocketType::Router]
        );
    }
}
