//! The option table: one row per option name of the Racket binding's table (libzmq's
//! names), in alphabetical order. It generates [`SockOpt`], [`SocketOption`], [`Options`]
//! and the conversions between them (see [`super::macros`] for the row syntax).
//!
//! To honour an option: turn its `unsupported` row into a stored one (a block naming its
//! typed variant, field, default, socket types and [`Effect`] class) and make the engine
//! read the field.

use std::time::Duration;

use bytes::Bytes;

use super::error::OptionError;
use super::kinds::{self, Kind};
use super::macros::option_table;
use super::meta::{self, Access, Effect, Support};
use super::secret::Secret;
use super::value::{OptionValue, ValueKind};
use zmtp_codec::{CurvePublicKey, CurveSecretKey};

option_table! {
    /// Not supported: I/O thread affinity (zmtp's I/O runs on tokio).
    Affinity = "affinity", Rw, Int, unsupported;
    /// Supported: the listen backlog of tcp binds made afterwards (libzmq's default 100).
    Backlog = "backlog", Rw, NonNegative,
        { Backlog(i64) => backlog: i64 = 100, any, NewConnections };
    /// Supported: `SO_BINDTODEVICE` for tcp sockets made afterwards, an interface name
    /// such as `lo` (empty = none; binding to a device needs privileges).
    BindToDevice = "bindtodevice", Rw, Blob,
        { BindToDevice(Bytes) => bind_to_device: Bytes = Bytes::new(), any, NewConnections };
    /// Supported: keep only the newest message in each queue (DEALER, PULL, PUSH, PUB,
    /// SUB); readable too (Racket could not set it).
    Conflate = "conflate", Rw, Bool,
        { Conflate(bool) => conflate: bool = false, [Dealer, Pull, Push, Pub, Sub], NewConnections };
    /// Supported (write-only): the routing id the next `connect` gives its peer
    /// (ROUTER, STREAM), 1 to 255 bytes; consumed by that connect.
    ConnectRoutingId = "connect_routing_id", W, NextRoutingId,
        { ConnectRoutingId(Bytes) => connect_routing_id: Option<Bytes> = None, any, NewConnections };
    /// Supported: how long one tcp connect attempt may take, in ms (0 = the system's
    /// limit); a timed-out attempt is retried like a refused one.
    ConnectTimeout = "connect_timeout", Rw, MsOrNoLimit,
        { ConnectTimeout(i64) => connect_timeout: Option<Duration> = None, any, NewConnections };
    /// Supported: our CURVE public key (32 bytes, or 40 Z85 characters with or without a
    /// trailing NUL); selects CURVE and keeps the side. A CURVE client needs it. Reads
    /// back as the 32 bytes.
    CurvePublicKey = "curve_publickey", Rw, PublicKey,
        { CurvePublicKey(CurvePublicKey) => curve_publickey: Option<CurvePublicKey> = None, any, NewConnections };
    /// Supported: our CURVE secret key (as CURVE_PUBLICKEY); selects CURVE and keeps the
    /// side. Both sides need it. Zeroized when replaced or dropped, never shown by
    /// `Debug`.
    CurveSecretKey = "curve_secretkey", Rw, SecretKey,
        { CurveSecretKey(CurveSecretKey) => curve_secretkey: Option<CurveSecretKey> = None, any, NewConnections };
    /// Supported: 1 makes the socket a CURVE server (it asks the ZAP handler about each
    /// client when one is bound), 0 returns it to NULL; reads 1 only while CURVE is
    /// chosen as server.
    CurveServer = "curve_server", Rw, Bool,
        { CurveServer(bool) => curve_server: bool = false, any, NewConnections };
    /// Supported: the server's CURVE public key (as CURVE_PUBLICKEY); makes the socket a
    /// CURVE client.
    CurveServerKey = "curve_serverkey", Rw, PublicKey,
        { CurveServerKey(CurvePublicKey) => curve_serverkey: Option<CurvePublicKey> = None, any, NewConnections };
    /// Not supported: there is no file descriptor to poll; use the socket's message
    /// stream or the blocking API's `select`.
    Events = "events", R, Int, unsupported;
    /// Not supported: there is no file descriptor to poll; use the socket's message
    /// stream or the blocking API's `select`.
    Fd = "fd", R, Int, unsupported;
    /// Not supported: GSSAPI.
    GssapiPlaintext = "gssapi_plaintext", Rw, Bool, unsupported;
    /// Not supported: GSSAPI.
    GssapiPrincipal = "gssapi_principal", Rw, Blob, unsupported;
    /// Not supported: GSSAPI.
    GssapiPrincipalNametype = "gssapi_principal_nametype", Rw, Int, unsupported;
    /// Not supported: GSSAPI.
    GssapiServer = "gssapi_server", Rw, Bool, unsupported;
    /// Not supported: GSSAPI.
    GssapiServicePrincipal = "gssapi_service_principal", Rw, Blob, unsupported;
    /// Not supported: GSSAPI.
    GssapiServicePrincipalNametype = "gssapi_service_principal_nametype", Rw, Int, unsupported;
    /// Supported: how long a connection may take to finish its handshake, in ms
    /// (0 = no limit).
    HandshakeIvl = "handshake_ivl", Rw, MsOrNoLimit,
        { HandshakeIvl(i64) => handshake_ivl: Option<Duration> = Some(Duration::from_secs(30)), any, NewConnections };
    /// Supported: send a ZMTP PING this often on each connection, in ms (0 = none);
    /// readable too, as in libzmq (Racket could only set it).
    HeartbeatIvl = "heartbeat_ivl", Rw, Ms,
        { HeartbeatIvl(i64) => heartbeat_ivl: Duration = Duration::ZERO, any, NewConnections };
    /// Supported: drop a connection whose peer sends nothing within this after one of
    /// our PINGs, in ms (0 = never); unset (read back as -1) it is the heartbeat
    /// interval; negative values are refused, as in libzmq.
    HeartbeatTimeout = "heartbeat_timeout", Rw, MsOrDefault,
        { HeartbeatTimeout(i64) => heartbeat_timeout: Option<Duration> = None, any, NewConnections };
    /// Supported: the time-to-live our PINGs announce, in ms (0 = none); kept, sent and
    /// read back in whole deciseconds (rounded down), at most 6553599 ms, as in libzmq.
    HeartbeatTtl = "heartbeat_ttl", Rw, DecisecondsMs,
        { HeartbeatTtl(i64) => heartbeat_ttl: Duration = Duration::ZERO, any, NewConnections };
    /// Supported: the socket's routing id, 1 to 255 bytes, sent as the Identity property
    /// (libzmq's `ZMQ_ROUTING_ID`; `"routing_id"` parses to this too).
    Identity = "identity", Rw, RoutingId,
        { RoutingId(Bytes) => routing_id: Bytes = Bytes::new(), any, NewConnections };
    /// Supported: queue messages only to completed connections.
    Immediate = "immediate", Rw, Bool,
        { Immediate(bool) => immediate: bool = false, any, NewConnections };
    /// Supported: deliver what matches no subscription (PUB, XPUB, SUB, XSUB).
    InvertMatching = "invert_matching", Rw, Bool,
        { InvertMatching(bool) => invert_matching: bool = false, [Pub, XPub, Sub, XSub], NextCall, InvertMatching };
    /// Supported, as in libzmq: with it IPv6 addresses may be used and a wildcard tcp
    /// bind (`tcp://*:port`) listens dual stack; without it (the default) a bind to an
    /// IPv6 address fails, connects use only a name's IPv4 addresses and an IPv6 literal
    /// never connects.
    Ipv6 = "ipv6", Rw, Bool,
        { Ipv6(bool) => ipv6: bool = false, any, NewConnections };
    /// Supported (read-only): the last endpoint bound or connected, wildcard port
    /// resolved; empty when there is none.
    LastEndpoint = "last_endpoint", R, Blob, computed;
    /// Supported: how long a closed socket keeps trying to send queued messages, in ms
    /// (-1 = until sent, 0 = drop them). The default is 100 ms, as in Racket.
    Linger = "linger", Rw, MsOrForever,
        { Linger(i64) => linger: Option<Duration> = Some(Duration::from_millis(100)), any, AtClose };
    /// Supported: the largest frame accepted from a peer, in bytes (-1 = unlimited). As
    /// in libzmq it applies to handshake commands too, so keep it above ~100 bytes.
    MaxMsgSize = "maxmsgsize", Rw, SizeOrUnlimited,
        { MaxMsgSize(i64) => max_msg_size: Option<u64> = None, any, NewConnections };
    /// Supported (read-only): the security mechanism the options chose: 0 NULL, 1
    /// PLAIN, 2 CURVE.
    Mechanism = "mechanism", R, Int, computed;
    /// Not supported: multicast (PGM) transports.
    MulticastHops = "multicast_hops", Rw, Int, unsupported;
    /// Not supported: multicast (PGM) transports.
    MulticastMaxtpdu = "multicast_maxtpdu", Rw, Int, unsupported;
    /// Supported: the PLAIN password (at most 255 bytes); a value makes the socket a
    /// PLAIN client, an empty one returns it to NULL. Never shown by `Debug`.
    PlainPassword = "plain_password", Rw, Password,
        { PlainPassword(Secret) => plain_password: Secret = Secret::default(), any, NewConnections };
    /// Supported: 1 makes the socket a PLAIN server (it asks the ZAP handler about each
    /// client), 0 returns it to NULL; reads 1 only while PLAIN is chosen as server.
    PlainServer = "plain_server", Rw, Bool,
        { PlainServer(bool) => plain_server: bool = false, any, NewConnections };
    /// Supported: the PLAIN user name (at most 255 bytes); a value makes the socket a
    /// PLAIN client, an empty one returns it to NULL.
    PlainUsername = "plain_username", Rw, ShortBlob,
        { PlainUsername(Bytes) => plain_username: Bytes = Bytes::new(), any, NewConnections };
    /// Supported (write-only): send an empty message on every new connection (ROUTER,
    /// DEALER, REQ); Racket could not set it.
    ProbeRouter = "probe_router", W, Bool,
        { ProbeRouter(bool) => probe_router: bool = false, [Router, Dealer, Req], NextCall, ProbeRouter };
    /// Not supported: multicast (PGM) transports.
    Rate = "rate", Rw, Int, unsupported;
    /// Supported: `SO_RCVBUF` of tcp sockets made afterwards, in bytes (-1 = the
    /// system's default).
    RcvBuf = "rcvbuf", Rw, IntOrDefault,
        { RcvBuf(i64) => rcvbuf: i64 = -1, any, NewConnections };
    /// Supported: the receive high-water mark, messages per incoming pipe (0 = none).
    RcvHwm = "rcvhwm", Rw, Count,
        { RcvHwm(usize) => rcvhwm: usize = 1000, any, NewConnections };
    /// Supported (read-only): always 0, since zmtp receives whole messages.
    RcvMore = "rcvmore", R, Int, computed;
    /// Supported: how long a receive waits, in ms (-1 = forever), then fails with a
    /// timeout error. Applied by the API's receive calls.
    RcvTimeo = "rcvtimeo", Rw, MsOrForever,
        { RcvTimeo(i64) => rcvtimeo: Option<Duration> = None, any, NextCall };
    /// Supported: the first reconnect delay, in ms (-1 = never reconnect; 0 too).
    ReconnectIvl = "reconnect_ivl", Rw, MsOrOff,
        { ReconnectIvl(i64) => reconnect_ivl: Option<Duration> = Some(Duration::from_millis(100)), any, NewConnections };
    /// Supported: the largest reconnect delay for exponential backoff, in ms (0 = none).
    ReconnectIvlMax = "reconnect_ivl_max", Rw, Ms,
        { ReconnectIvlMax(i64) => reconnect_ivl_max: Duration = Duration::ZERO, any, NewConnections };
    /// Not supported: multicast (PGM) transports.
    RecoveryIvl = "recovery_ivl", Rw, Int, unsupported;
    /// Supported (write-only): REQ tags requests and accepts only the matching reply.
    ReqCorrelate = "req_correlate", W, Bool,
        { ReqCorrelate(bool) => req_correlate: bool = false, [Req], NextCall, ReqCorrelate };
    /// Supported (write-only): REQ may send a new request before the reply.
    ReqRelaxed = "req_relaxed", W, Bool,
        { ReqRelaxed(bool) => req_relaxed: bool = false, [Req], NextCall, ReqRelaxed };
    /// Supported (write-only): ROUTER hands a taken routing id over to the new peer.
    RouterHandover = "router_handover", W, Bool,
        { RouterHandover(bool) => router_handover: bool = false, [Router], NextCall, RouterHandover };
    /// Supported (write-only): ROUTER fails with a host-unreachable error for an
    /// unknown routing id instead of dropping the message.
    RouterMandatory = "router_mandatory", W, Bool,
        { RouterMandatory(bool) => router_mandatory: bool = false, [Router], NextCall, RouterMandatory };
    /// Not supported: deprecated in libzmq; use a STREAM socket.
    RouterRaw = "router_raw", W, Bool, unsupported;
    /// Supported: `SO_SNDBUF` of tcp sockets made afterwards, in bytes (-1 = the
    /// system's default).
    SndBuf = "sndbuf", Rw, IntOrDefault,
        { SndBuf(i64) => sndbuf: i64 = -1, any, NewConnections };
    /// Supported: the send high-water mark, messages per outgoing pipe (0 = none).
    SndHwm = "sndhwm", Rw, Count,
        { SndHwm(usize) => sndhwm: usize = 1000, any, NewConnections };
    /// Supported: how long a send waits for room, in ms (-1 = forever), then fails with
    /// a timeout error. Applied by the API's send calls.
    SndTimeo = "sndtimeo", Rw, MsOrForever,
        { SndTimeo(i64) => sndtimeo: Option<Duration> = None, any, NextCall };
    /// Not supported: SOCKS proxies.
    SocksProxy = "socks_proxy", Rw, Blob, unsupported;
    /// Supported (write-only): STREAM delivers `[id, ""]` on connect and disconnect.
    StreamNotify = "stream_notify", W, Bool,
        { StreamNotify(bool) => stream_notify: bool = true, [Stream], NextCall, StreamNotify };
    /// Supported (write-only): add a subscription (SUB, XSUB); same as the socket's
    /// `subscribe`.
    Subscribe = "subscribe", W, Blob, action;
    /// Not supported: deprecated in libzmq.
    TcpAcceptFilter = "tcp_accept_filter", W, Blob, unsupported;
    /// Supported: `SO_KEEPALIVE` on tcp connections made afterwards (-1 = the system's
    /// default, 0 = off, 1 = on).
    TcpKeepalive = "tcp_keepalive", Rw, Tristate,
        { TcpKeepalive(i64) => tcp_keepalive: i64 = -1, any, NewConnections };
    /// Supported: `TCP_KEEPCNT` with keepalive on (-1 = the system's default).
    TcpKeepaliveCnt = "tcp_keepalive_cnt", Rw, IntOrDefault,
        { TcpKeepaliveCnt(i64) => tcp_keepalive_cnt: i64 = -1, any, NewConnections };
    /// Supported: `TCP_KEEPIDLE` in seconds with keepalive on (-1 = the system's default).
    TcpKeepaliveIdle = "tcp_keepalive_idle", Rw, IntOrDefault,
        { TcpKeepaliveIdle(i64) => tcp_keepalive_idle: i64 = -1, any, NewConnections };
    /// Supported: `TCP_KEEPINTVL` in seconds with keepalive on (-1 = the system's
    /// default).
    TcpKeepaliveIntvl = "tcp_keepalive_intvl", Rw, IntOrDefault,
        { TcpKeepaliveIntvl(i64) => tcp_keepalive_intvl: i64 = -1, any, NewConnections };
    /// Supported: `TCP_USER_TIMEOUT` in ms on tcp connections made afterwards (0 = the
    /// system's default).
    TcpMaxrt = "tcp_maxrt", Rw, MsOrNoLimit,
        { TcpMaxrt(i64) => tcp_maxrt: Option<Duration> = None, any, NewConnections };
    /// Supported (read-only): 1, since every zmtp socket may be shared between threads
    /// and tasks (libzmq says 0 for these types).
    ThreadSafe = "thread_safe", R, Int, computed;
    /// Supported: `IP_TOS` of tcp sockets made afterwards (0 = leave it).
    Tos = "tos", Rw, NonNegative,
        { Tos(i64) => tos: i64 = 0, any, NewConnections };
    /// Supported (read-only): the libzmq socket type number (`ZMQ_PAIR` = 0 ...
    /// `ZMQ_STREAM` = 11).
    Type = "type", R, Int, computed;
    /// Supported (write-only): remove a subscription (SUB, XSUB); same as the socket's
    /// `unsubscribe`.
    Unsubscribe = "unsubscribe", W, Blob, action;
    /// Not supported: zmtp creates its own sockets.
    UseFd = "use_fd", Rw, Int, unsupported;
    /// Not supported: the VMCI transport.
    VmciBufferMaxSize = "vmci_buffer_max_size", Rw, Int, unsupported;
    /// Not supported: the VMCI transport.
    VmciBufferMinSize = "vmci_buffer_min_size", Rw, Int, unsupported;
    /// Not supported: the VMCI transport.
    VmciBufferSize = "vmci_buffer_size", Rw, Int, unsupported;
    /// Not supported: the VMCI transport.
    VmciConnectTimeout = "vmci_connect_timeout", Rw, Int, unsupported;
    /// Supported (write-only): the application decides subscriptions (XPUB).
    XpubManual = "xpub_manual", W, Bool,
        { XpubManual(bool) => xpub_manual: bool = false, [Pub, XPub], NextCall, XpubManual };
    /// Supported (write-only): fail with would-block instead of dropping at a full
    /// subscriber (PUB, XPUB).
    XpubNodrop = "xpub_nodrop", W, Bool,
        { XpubNodrop(bool) => xpub_nodrop: bool = false, [Pub, XPub], NextCall, XpubNodrop };
    /// Supported (write-only, as in libzmq; Racket listed it as readable too): report
    /// every subscription, not only the first per topic (XPUB).
    XpubVerbose = "xpub_verbose", W, Bool,
        { XpubVerbose(bool) => xpub_verbose: bool = false, [Pub, XPub], NextCall, XpubVerbose };
    /// Supported (write-only): report every subscription and unsubscription (XPUB).
    XpubVerboser = "xpub_verboser", W, Bool,
        { XpubVerboser(bool) => xpub_verboser: bool = false, [Pub, XPub], NextCall, XpubVerboser };
    /// Supported (write-only): a message sent to every new subscriber (XPUB; empty =
    /// none).
    XpubWelcomeMsg = "xpub_welcome_msg", W, BlobOrNone,
        { XpubWelcomeMsg(Bytes) => xpub_welcome_msg: Option<Bytes> = None, [Pub, XPub], NextCall, XpubWelcomeMsg };
    /// Supported: the ZAP domain (at most 255 bytes) sent in each authentication
    /// request; with NULL, a non-empty domain makes the socket ask the ZAP handler.
    ZapDomain = "zap_domain", Rw, ShortBlob,
        { ZapDomain(Bytes) => zap_domain: Bytes = Bytes::new(), any, NewConnections };
}
