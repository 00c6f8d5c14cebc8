//! [`SockOpt`]: every option name of the Racket binding's table, with its access
//! (readable, writable), value type and whether zmtp honours it.

use std::fmt;
use std::str::FromStr;

use crate::{Error, Result};

/// Whether an option can be read, set, or both (libzmq's rules, as in Racket's table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    Rw,
    R,
    W,
}

/// The value type an option takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    Bool,
    Bytes,
}

impl Kind {
    pub(crate) fn expected(self) -> &'static str {
        match self {
            Kind::Int => "integer",
            Kind::Bool => "0 or 1",
            Kind::Bytes => "bytes",
        }
    }
}

macro_rules! sockopts {
    ($($(#[$doc:meta])* $v:ident = $name:literal, $access:ident, $kind:ident, $ok:literal;)*) => {
        /// A socket option, named as in libzmq (`ZMQ_SNDHWM` is [`SockOpt::SndHwm`],
        /// `"sndhwm"` by name). One variant per name in the Racket binding's option table.
        ///
        /// Each variant's documentation says whether zmtp honours it. An option zmtp
        /// does not implement fails with [`Error::OptionNotSupported`]; reading a
        /// write-only option fails with [`Error::OptionNotReadable`], setting a read-only
        /// one with [`Error::OptionNotWritable`].
        ///
        /// ```
        /// use zmtp_api::SockOpt;
        /// assert_eq!("last_endpoint".parse::<SockOpt>()?, SockOpt::LastEndpoint);
        /// assert_eq!(SockOpt::SndHwm.as_str(), "sndhwm");
        /// # Ok::<(), zmtp_api::Error>(())
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum SockOpt {
            $($(#[$doc])* $v,)*
        }

        impl SockOpt {
            /// Every option name zmtp recognises, in declaration order.
            pub const ALL: &'static [SockOpt] = &[$(SockOpt::$v,)*];

            /// The lower-case libzmq name (`"last_endpoint"`).
            ///
            /// ```
            /// assert_eq!(zmtp_api::SockOpt::RcvTimeo.as_str(), "rcvtimeo");
            /// ```
            pub fn as_str(self) -> &'static str {
                match self {
                    $(SockOpt::$v => $name,)*
                }
            }

            pub(crate) fn spec(self) -> (Access, Kind, bool) {
                match self {
                    $(SockOpt::$v => (Access::$access, Kind::$kind, $ok),)*
                }
            }
        }
    };
}

sockopts! {
    /// Not supported: I/O thread affinity (zmtp's I/O runs on tokio).
    Affinity = "affinity", Rw, Int, false;
    /// Not supported yet: the listen backlog (needs engine support).
    Backlog = "backlog", Rw, Int, false;
    /// Not supported yet: `SO_BINDTODEVICE` (needs engine support).
    BindToDevice = "bindtodevice", Rw, Bytes, false;
    /// Supported: keep only the newest message in each queue (DEALER, PULL, PUSH, PUB,
    /// SUB); readable too (Racket could not set it).
    Conflate = "conflate", Rw, Bool, true;
    /// Supported (write-only): the routing id the next `connect` gives its peer
    /// (ROUTER, STREAM).
    ConnectRoutingId = "connect_routing_id", W, Bytes, true;
    /// Not supported yet: a connect timeout (needs engine support).
    ConnectTimeout = "connect_timeout", Rw, Int, false;
    /// Not supported: CURVE (zmtp implements the NULL mechanism only).
    CurvePublicKey = "curve_publickey", Rw, Bytes, false;
    /// Not supported: CURVE (zmtp implements the NULL mechanism only).
    CurveSecretKey = "curve_secretkey", Rw, Bytes, false;
    /// Not supported: CURVE (zmtp implements the NULL mechanism only).
    CurveServer = "curve_server", Rw, Bool, false;
    /// Not supported: CURVE (zmtp implements the NULL mechanism only).
    CurveServerKey = "curve_serverkey", Rw, Bytes, false;
    /// Not supported: there is no file descriptor to poll; use [`Socket::messages`](crate::Socket::messages) or
    /// [`crate::blocking::select`].
    Events = "events", R, Int, false;
    /// Not supported: there is no file descriptor to poll; use [`Socket::messages`](crate::Socket::messages) or
    /// [`crate::blocking::select`].
    Fd = "fd", R, Int, false;
    /// Not supported: GSSAPI.
    GssapiPlaintext = "gssapi_plaintext", Rw, Bool, false;
    /// Not supported: GSSAPI.
    GssapiPrincipal = "gssapi_principal", Rw, Bytes, false;
    /// Not supported: GSSAPI.
    GssapiPrincipalNametype = "gssapi_principal_nametype", Rw, Int, false;
    /// Not supported: GSSAPI.
    GssapiServer = "gssapi_server", Rw, Bool, false;
    /// Not supported: GSSAPI.
    GssapiServicePrincipal = "gssapi_service_principal", Rw, Bytes, false;
    /// Not supported: GSSAPI.
    GssapiServicePrincipalNametype = "gssapi_service_principal_nametype", Rw, Int, false;
    /// Supported: how long a connection may take to finish its handshake, in ms
    /// (0 = no limit).
    HandshakeIvl = "handshake_ivl", Rw, Int, true;
    /// Not supported yet: ZMTP heartbeats (needs engine support).
    HeartbeatIvl = "heartbeat_ivl", W, Int, false;
    /// Not supported yet: ZMTP heartbeats (needs engine support).
    HeartbeatTimeout = "heartbeat_timeout", W, Int, false;
    /// Not supported yet: ZMTP heartbeats (needs engine support).
    HeartbeatTtl = "heartbeat_ttl", W, Int, false;
    /// Supported: the socket's routing id, 1 to 255 bytes (libzmq's `ZMQ_ROUTING_ID`;
    /// `"routing_id"` parses to this too).
    Identity = "identity", Rw, Bytes, true;
    /// Supported: queue messages only to completed connections.
    Immediate = "immediate", Rw, Bool, true;
    /// Supported: deliver what matches no subscription (PUB, XPUB, SUB, XSUB).
    InvertMatching = "invert_matching", Rw, Bool, true;
    /// Not supported yet: the engine cannot restrict or widen address families
    /// (`*` binds IPv4; bracketed IPv6 literals always work).
    Ipv6 = "ipv6", Rw, Bool, false;
    /// Supported (read-only): the last endpoint bound or connected, wildcard port
    /// resolved; empty when there is none.
    LastEndpoint = "last_endpoint", R, Bytes, true;
    /// Supported: how long a closed socket keeps trying to send queued messages, in ms
    /// (-1 = until sent, 0 = drop them). The default is 100 ms, as in Racket.
    Linger = "linger", Rw, Int, true;
    /// Supported: the largest frame accepted from a peer, in bytes (-1 = unlimited). As
    /// in libzmq it applies to handshake commands too, so keep it above ~100 bytes.
    MaxMsgSize = "maxmsgsize", Rw, Int, true;
    /// Supported (read-only): the security mechanism, always 0 (NULL).
    Mechanism = "mechanism", R, Int, true;
    /// Not supported: multicast (PGM) transports.
    MulticastHops = "multicast_hops", Rw, Int, false;
    /// Not supported: multicast (PGM) transports.
    MulticastMaxtpdu = "multicast_maxtpdu", Rw, Int, false;
    /// Not supported: PLAIN (zmtp implements the NULL mechanism only).
    PlainPassword = "plain_password", Rw, Bytes, false;
    /// Not supported: PLAIN (zmtp implements the NULL mechanism only).
    PlainServer = "plain_server", Rw, Bool, false;
    /// Not supported: PLAIN (zmtp implements the NULL mechanism only).
    PlainUsername = "plain_username", Rw, Bytes, false;
    /// Supported (write-only): send an empty message on every new connection (ROUTER,
    /// DEALER, REQ); Racket could not set it.
    ProbeRouter = "probe_router", W, Bool, true;
    /// Not supported: multicast (PGM) transports.
    Rate = "rate", Rw, Int, false;
    /// Not supported yet: `SO_RCVBUF` (needs engine support).
    RcvBuf = "rcvbuf", Rw, Int, false;
    /// Supported: the receive high-water mark, messages per incoming pipe (0 = none).
    RcvHwm = "rcvhwm", Rw, Int, true;
    /// Supported (read-only): always 0, since zmtp receives whole messages.
    RcvMore = "rcvmore", R, Int, true;
    /// Supported: how long a receive waits, in ms (-1 = forever), then fails with
    /// [`Error::Timeout`]. Implemented by the facade.
    RcvTimeo = "rcvtimeo", Rw, Int, true;
    /// Supported: the first reconnect delay, in ms (-1 = never reconnect).
    ReconnectIvl = "reconnect_ivl", Rw, Int, true;
    /// Supported: the largest reconnect delay for exponential backoff, in ms (0 = none).
    ReconnectIvlMax = "reconnect_ivl_max", Rw, Int, true;
    /// Not supported: multicast (PGM) transports.
    RecoveryIvl = "recovery_ivl", Rw, Int, false;
    /// Supported (write-only): REQ tags requests and accepts only the matching reply.
    ReqCorrelate = "req_correlate", W, Bool, true;
    /// Supported (write-only): REQ may send a new request before the reply.
    ReqRelaxed = "req_relaxed", W, Bool, true;
    /// Supported (write-only): ROUTER hands a taken routing id over to the new peer.
    RouterHandover = "router_handover", W, Bool, true;
    /// Supported (write-only): ROUTER fails with [`Error::HostUnreachable`] for an
    /// unknown routing id instead of dropping the message.
    RouterMandatory = "router_mandatory", W, Bool, true;
    /// Not supported: deprecated in libzmq; use a [`SocketType::Stream`](crate::SocketType::Stream) socket.
    RouterRaw = "router_raw", W, Bool, false;
    /// Not supported yet: `SO_SNDBUF` (needs engine support).
    SndBuf = "sndbuf", Rw, Int, false;
    /// Supported: the send high-water mark, messages per outgoing pipe (0 = none).
    SndHwm = "sndhwm", Rw, Int, true;
    /// Supported: how long a send waits for room, in ms (-1 = forever), then fails with
    /// [`Error::Timeout`]. Implemented by the facade.
    SndTimeo = "sndtimeo", Rw, Int, true;
    /// Not supported: SOCKS proxies.
    SocksProxy = "socks_proxy", Rw, Bytes, false;
    /// Supported (write-only): STREAM delivers `[id, ""]` on connect and disconnect.
    StreamNotify = "stream_notify", W, Bool, true;
    /// Supported (write-only): add a subscription (SUB, XSUB); same as
    /// [`Socket::subscribe`](crate::Socket::subscribe).
    Subscribe = "subscribe", W, Bytes, true;
    /// Not supported: deprecated in libzmq.
    TcpAcceptFilter = "tcp_accept_filter", W, Bytes, false;
    /// Not supported yet: TCP keepalive (needs engine support).
    TcpKeepalive = "tcp_keepalive", Rw, Int, false;
    /// Not supported yet: TCP keepalive (needs engine support).
    TcpKeepaliveCnt = "tcp_keepalive_cnt", Rw, Int, false;
    /// Not supported yet: TCP keepalive (needs engine support).
    TcpKeepaliveIdle = "tcp_keepalive_idle", Rw, Int, false;
    /// Not supported yet: TCP keepalive (needs engine support).
    TcpKeepaliveIntvl = "tcp_keepalive_intvl", Rw, Int, false;
    /// Not supported yet: `TCP_USER_TIMEOUT` (needs engine support).
    TcpMaxrt = "tcp_maxrt", Rw, Int, false;
    /// Supported (read-only): 1, since every zmtp socket may be shared between threads
    /// and tasks (libzmq says 0 for these types).
    ThreadSafe = "thread_safe", R, Int, true;
    /// Not supported yet: IP type-of-service (needs engine support).
    Tos = "tos", Rw, Int, false;
    /// Supported (read-only): the libzmq socket type number (`ZMQ_PAIR` = 0 ...
    /// `ZMQ_STREAM` = 11).
    Type = "type", R, Int, true;
    /// Supported (write-only): remove a subscription (SUB, XSUB); same as
    /// [`Socket::unsubscribe`](crate::Socket::unsubscribe).
    Unsubscribe = "unsubscribe", W, Bytes, true;
    /// Not supported: zmtp creates its own sockets.
    UseFd = "use_fd", Rw, Int, false;
    /// Not supported: the VMCI transport.
    VmciBufferMaxSize = "vmci_buffer_max_size", Rw, Int, false;
    /// Not supported: the VMCI transport.
    VmciBufferMinSize = "vmci_buffer_min_size", Rw, Int, false;
    /// Not supported: the VMCI transport.
    VmciBufferSize = "vmci_buffer_size", Rw, Int, false;
    /// Not supported: the VMCI transport.
    VmciConnectTimeout = "vmci_connect_timeout", Rw, Int, false;
    /// Supported (write-only): the application decides subscriptions (XPUB).
    XpubManual = "xpub_manual", W, Bool, true;
    /// Supported (write-only): fail with [`Error::WouldBlock`] instead of dropping at a
    /// full subscriber (PUB, XPUB).
    XpubNodrop = "xpub_nodrop", W, Bool, true;
    /// Supported (write-only, as in libzmq; Racket listed it as readable too): report
    /// every subscription, not only the first per topic (XPUB).
    XpubVerbose = "xpub_verbose", W, Bool, true;
    /// Supported (write-only): report every subscription and unsubscription (XPUB).
    XpubVerboser = "xpub_verboser", W, Bool, true;
    /// Supported (write-only): a message sent to every new subscriber (XPUB; empty =
    /// none).
    XpubWelcomeMsg = "xpub_welcome_msg", W, Bytes, true;
    /// Not supported: ZAP authentication (zmtp implements the NULL mechanism only).
    ZapDomain = "zap_domain", Rw, Bytes, false;
}

impl SockOpt {
    /// True when zmtp honours this option (it is in one of the
    /// [`Socket::list_options`](crate::Socket::list_options) lists).
    ///
    /// ```
    /// use zmtp_api::SockOpt;
    /// assert!(SockOpt::Linger.is_supported());
    /// assert!(!SockOpt::CurveServer.is_supported());
    /// ```
    pub fn is_supported(self) -> bool {
        self.spec().2
    }

    /// True when libzmq lets you read this option (supported or not).
    ///
    /// ```
    /// use zmtp_api::SockOpt;
    /// assert!(SockOpt::Type.is_readable());
    /// assert!(!SockOpt::Subscribe.is_readable());
    /// ```
    pub fn is_readable(self) -> bool {
        matches!(self.spec().0, Access::Rw | Access::R)
    }

    /// True when libzmq lets you set this option (supported or not).
    ///
    /// ```
    /// use zmtp_api::SockOpt;
    /// assert!(SockOpt::Subscribe.is_writable());
    /// assert!(!SockOpt::Type.is_writable());
    /// ```
    pub fn is_writable(self) -> bool {
        matches!(self.spec().0, Access::Rw | Access::W)
    }

    /// True when the option takes bytes; false when it takes an integer.
    ///
    /// ```
    /// use zmtp_api::SockOpt;
    /// assert!(SockOpt::Identity.takes_bytes());
    /// assert!(!SockOpt::Linger.takes_bytes());
    /// ```
    pub fn takes_bytes(self) -> bool {
        self.spec().1 == Kind::Bytes
    }
}

impl fmt::Display for SockOpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SockOpt {
    type Err = Error;

    /// Parses a lower-case libzmq option name; `"routing_id"` (libzmq's newer name for
    /// `identity`) is accepted too. Anything else is [`Error::UnknownOption`].
    fn from_str(s: &str) -> Result<SockOpt> {
        if s == "routing_id" {
            return Ok(SockOpt::Identity);
        }
        SockOpt::ALL
            .iter()
            .copied()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| Error::UnknownOption(s.to_owned()))
    }
}
