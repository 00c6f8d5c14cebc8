//! The Racket `zeromq` API (package `zeromq-r-lib`) mapped to this crate, name by name.
//!
//! This module has no items; it is the mapping table. Every row names the Rust item and a
//! test that exercises it (`file::test` in `zmtp-api/tests/`, or "doc" for the item's
//! rustdoc example). Blocking code uses [`blocking::Socket`](crate::blocking::Socket),
//! which has the same method names without `async`.
//!
//! Where the Rust name differs from the Racket one, the reason is given: Rust has no
//! variadic arguments and no `?`/`*` in names, and `send_multipart`/`recv_multipart` are
//! the names Rust and Python ZeroMQ users already know.
//!
//! # Procedures
//!
//! | Racket | Rust | Notes | Test |
//! |---|---|---|---|
//! | `zmq-available?` | [`available`](crate::available) | always `true`: no libzmq needed | doc |
//! | `zmq-version` | [`version`](crate::version), [`zmtp_version`](crate::zmtp_version) | the libzmq API level followed, `(4, 3, 5)`; the wire protocol, `(3, 1)` | doc |
//! | `zmq-socket` | [`Socket::builder`](crate::Socket::builder) … [`build`](crate::SocketBuilder::build), [`Socket::new`](crate::Socket::new) | keywords become builder methods, applied in Racket's order: linger (default 100 ms, [`DEFAULT_LINGER`](crate::DEFAULT_LINGER)), options, identity, subscribe, bind, connect | `builder::settings_apply_in_racket_order`, `builder::default_linger_is_100ms` |
//! | `zmq-socket` `#:identity` | [`SocketBuilder::identity`](crate::SocketBuilder::identity) | | `builder::identity_and_subscriptions_are_in_place_before_connecting` |
//! | `zmq-socket` `#:bind` | [`SocketBuilder::bind`](crate::SocketBuilder::bind) | one or many endpoints | `builder::settings_apply_in_racket_order` |
//! | `zmq-socket` `#:connect` | [`SocketBuilder::connect`](crate::SocketBuilder::connect) | one or many endpoints | `builder::identity_and_subscriptions_are_in_place_before_connecting` |
//! | `zmq-socket` `#:subscribe` | [`SocketBuilder::subscribe`](crate::SocketBuilder::subscribe) | once per topic | `builder::identity_and_subscriptions_are_in_place_before_connecting` |
//! | `zmq-socket?` | — | the type system answers it; [`Socket::socket_type`](crate::Socket::socket_type) gives the type | doc |
//! | `zmq-close` | [`Socket::close`](crate::Socket::close), dropping the last handle, [`Socket::close_and_flush`](crate::Socket::close_and_flush) | idempotent; pending messages get the linger time; afterwards every other operation fails with `Closed` (exemptions listed on `close`) | doc, `concurrency`, `closed_socket::*` |
//! | `zmq-closed?` | [`Socket::is_closed`](crate::Socket::is_closed) | | doc |
//! | `zmq-closed-evt` | [`Socket::closed`](crate::Socket::closed) → [`Closed`](crate::Closed); blocking: [`wait_closed`](crate::blocking::Socket::wait_closed) | a `Clone` future; many waiters, none consumes the signal | doc, `proxy::stops_within_200ms_when_either_socket_closes` |
//! | `zmq-list-endpoints` | [`Socket::endpoints`](crate::Socket::endpoints) with [`EndpointMode`](crate::EndpointMode) | newest first, wildcard ports resolved | `builder::one_or_many_endpoints`, `builder::wildcard_ports_are_listed_resolved_and_unbound_by_that_name` |
//! | `zmq-get-option` | [`Socket::get_option`](crate::Socket::get_option), [`Socket::get_option_named`](crate::Socket::get_option_named) | by [`SockOpt`](crate::SockOpt) or by the lower-case libzmq name; see the option table below | `options::*` |
//! | `zmq-set-option` | [`Socket::set_option_value`](crate::Socket::set_option_value), [`Socket::set_option_named`](crate::Socket::set_option_named), typed: [`Socket::set_option`](crate::Socket::set_option) | integers or bytes ([`OptionValue`](crate::OptionValue)) | `options::*` |
//! | `zmq-list-options` | [`Socket::list_options`](crate::Socket::list_options) with [`OptionMode`](crate::OptionMode) | sorted; only the options zmtp honours | `options::lists_match_behaviour_and_nothing_is_silently_ignored` |
//! | `zmq-connect` | [`Socket::connect`](crate::Socket::connect) | one or many endpoints ([`IntoEndpoints`](crate::IntoEndpoints)); policy-checked; returns at once | `builder::one_or_many_endpoints`, `policy::*` |
//! | `zmq-bind` | [`Socket::bind`](crate::Socket::bind), [`Socket::bind_one`](crate::Socket::bind_one) | one or many; policy-checked; returns once listening. Synchronous, not `async`: the engine binds at once, so the same call serves async and blocking code | `builder::one_or_many_endpoints`, `policy::*` |
//! | `zmq-disconnect` | [`Socket::disconnect`](crate::Socket::disconnect) | one or many; [`Error::NoSuchEndpoint`](crate::Error::NoSuchEndpoint) | `builder::one_or_many_endpoints` |
//! | `zmq-unbind` | [`Socket::unbind`](crate::Socket::unbind) | one or many; give the resolved form of a wildcard bind; an inproc name is free for another bind when it returns | `builder::wildcard_ports_are_listed_resolved_and_unbound_by_that_name`, `inproc_rebind::*` |
//! | `zmq-subscribe` | [`Socket::subscribe`](crate::Socket::subscribe) | once per topic; prefix match, `""` matches all; [`Error::NotSupported`](crate::Error::NotSupported) on other types | `options::subscribe_and_unsubscribe_by_name`, `builder::settings_apply_in_racket_order` |
//! | `zmq-unsubscribe` | [`Socket::unsubscribe`](crate::Socket::unsubscribe) | once per topic | `options::subscribe_and_unsubscribe_by_name` |
//! | `zmq-message` | [`Message`](crate::Message): `From<&str>`, `From<Bytes>`, `From<[&str; N]>`, `From<Vec<Bytes>>`, [`Message::from_frames`](crate::Message::from_frames) | `#:routing-id` / `#:group` belong to the draft types, not implemented yet | doc |
//! | `zmq-message` (match pattern) | `match msg.frames() { [a, b] => … }` | slice patterns over [`Message::frames`](crate::Message::frames) | doc |
//! | `zmq-message?` | — | the type system answers it | — |
//! | `zmq-message/single-frame?` | [`Message::is_single_frame`](crate::Message::is_single_frame) | | doc |
//! | `zmq-message-frames` | [`Message::frames`](crate::Message::frames), [`Message::into_frames`](crate::Message::into_frames) | | doc |
//! | `zmq-message-frame` | [`MessageExt::frame`](crate::MessageExt::frame), [`MessageExt::into_frame`](crate::MessageExt::into_frame) | [`Error::MultiFrame`](crate::Error::MultiFrame) unless exactly one frame | doc |
//! | `zmq-send-message` | [`Socket::send`](crate::Socket::send) given a [`Message`](crate::Message) | whole message or nothing, also when the future is dropped | `concurrency` |
//! | `zmq-recv-message` | [`Socket::recv_message`](crate::Socket::recv_message) | cancel-safe | `concurrency` |
//! | `zmq-send` | [`Socket::send`](crate::Socket::send) | one frame, or several as an array/`Vec` (no variadics in Rust) | doc |
//! | `zmq-send*` | [`Socket::send_multipart`](crate::Socket::send_multipart) | frames from any iterator | doc |
//! | `zmq-recv` | [`Socket::recv`](crate::Socket::recv) | a multi-frame message is consumed and returned inside [`Error::MultiFrame`](crate::Error::MultiFrame) | doc |
//! | `zmq-recv-string` | [`Socket::recv_string`](crate::Socket::recv_string) | UTF-8 checked ([`Error::Utf8`](crate::Error::Utf8)) | doc |
//! | `zmq-recv*` | [`Socket::recv_multipart`](crate::Socket::recv_multipart) | | doc |
//! | `zmq-proxy` | [`proxy`](crate::proxy)`(a, b)`[`.capture(f)`](crate::Proxy::capture)[`.until(fut)`](crate::Proxy::until)`.await` → [`ProxyEnd`](crate::ProxyEnd); blocking: [`blocking::proxy`](crate::blocking::proxy) | symmetric; capture gets the receiving socket; ends when either socket closes (`Closed`) or `until` completes (`Other(value)`) | `proxy::*`, `blocking::select_skips_nothing_and_proxy_runs_from_plain_threads` |
//! | `zmq-unsafe-connect` | [`Socket::connect_unchecked`](crate::Socket::connect_unchecked) | no policy check, no rewriting | `policy::denial_is_typed_and_unchecked_calls_bypass` |
//! | `zmq-unsafe-bind` | [`Socket::bind_unchecked`](crate::Socket::bind_unchecked) | no policy check, no rewriting | `policy::denial_is_typed_and_unchecked_calls_bypass` |
//! | `zmq-unsafe-get-ctx` | [`Context::current`](crate::Context::current), [`Socket::context`](crate::Socket::context); isolated: [`Context::new`](crate::Context::new) | the context lives while a handle or socket holds it | doc, `builder::blocking_builder_in_its_own_context` |
//! | a socket as an event, `(sync s)` | [`Socket::messages`](crate::Socket::messages) (a `Stream` for `tokio::select!`), [`Socket::try_recv_message`](crate::Socket::try_recv_message); blocking: [`blocking::select`](crate::blocking::select), [`blocking::Socket::messages`](crate::blocking::Socket::messages), [`recv_timeout`](crate::blocking::Socket::recv_timeout) | only the winner takes a message; a closed socket is never ready | `concurrency`, doc, `closed_socket::select_*` |
//! | `current-security-guard` | [`policy::EndpointPolicy`](crate::policy::EndpointPolicy), per [`Context::set_policy`](crate::Context::set_policy), per [`SocketBuilder::policy`](crate::SocketBuilder::policy) / [`Socket::set_policy`](crate::Socket::set_policy), per task [`policy::scope`](crate::policy::scope), per thread [`policy::scope_blocking`](crate::policy::scope_blocking) | all policies in effect must allow; wildcard binds and IPv6 literals are checked too | `policy::*` |
//! | `zmq-draft-available?` | [`DRAFT_AVAILABLE`](crate::DRAFT_AVAILABLE) | `false`: draft types are not implemented yet | doc |
//! | `zmq-draft-socket`, `zmq-send-evt`, `zmq-join`, `zmq-leave`, `zmq-message-routing-id`, `zmq-message-group` | — | draft socket types (CLIENT, SERVER, RADIO, DISH, ...) are not implemented yet | — |
//! | logger `zmq` | `tracing` events (target `zmtp_sockets` and friends) | | — |
//! | socket printer | `impl Debug for Socket` | type, bound and connected endpoints | — |
//!
//! # Errors
//!
//! | Racket error | Rust |
//! |---|---|
//! | "socket is closed" | [`Error::Closed`](crate::Error::Closed) |
//! | "unknown option" | [`Error::UnknownOption`](crate::Error::UnknownOption) |
//! | "socket option is not readable" | [`Error::OptionNotReadable`](crate::Error::OptionNotReadable) |
//! | "socket option is not writable" | [`Error::OptionNotWritable`](crate::Error::OptionNotWritable) |
//! | "bad value for option" | [`Error::BadOptionValue`](crate::Error::BadOptionValue) |
//! | "error setting socket option" (`EINVAL`) | [`Error::InvalidOptionValue`](crate::Error::InvalidOptionValue), [`Error::OptionNotSupported`](crate::Error::OptionNotSupported) |
//! | "invalid endpoint or unsupported endpoint format" | [`Error::InvalidEndpoint`](crate::Error::InvalidEndpoint) |
//! | security guard refusal | [`Error::PolicyDenied`](crate::Error::PolicyDenied) |
//! | "error binding socket" (`EADDRINUSE`) | [`Error::AddrInUse`](crate::Error::AddrInUse) |
//! | "error unbinding/disconnecting socket" | [`Error::NoSuchEndpoint`](crate::Error::NoSuchEndpoint) |
//! | "received multi-frame message" | [`Error::MultiFrame`](crate::Error::MultiFrame) |
//! | "subscribe error" | [`Error::NotSupported`](crate::Error::NotSupported) |
//! | "error sending message" / "error receiving frame" (`EFSM`) | [`Error::InvalidState`](crate::Error::InvalidState) |
//! | `EHOSTUNREACH` (ROUTER_MANDATORY) | [`Error::HostUnreachable`](crate::Error::HostUnreachable) |
//! | `EAGAIN` (timeouts, non-blocking) | [`Error::Timeout`](crate::Error::Timeout), [`Error::WouldBlock`](crate::Error::WouldBlock) |
//! | string conversion | [`Error::Utf8`](crate::Error::Utf8) |
//! | protocol violations | [`Error::Protocol`](crate::Error::Protocol) (reserved; authentication failures get a variant with the security mechanisms) |
//! | other errno | [`Error::Io`](crate::Error::Io) |
//! | "socket is permanently locked for writes" | none: sends are atomic and cancel-safe |
//!
//! # Options
//!
//! Every name in Racket's option table, with the Racket lists it is in, and what zmtp
//! does: `get`, `set` or `get/set` for honoured options (listed by
//! [`Socket::list_options`](crate::Socket::list_options)); "not yet" for options that need
//! engine support; "not supported" for features zmtp does not implement. Refused options
//! fail with [`Error::OptionNotSupported`](crate::Error::OptionNotSupported) (or, for the
//! wrong direction, [`Error::OptionNotReadable`](crate::Error::OptionNotReadable) /
//! [`Error::OptionNotWritable`](crate::Error::OptionNotWritable)). The effect of each
//! honoured option is shown by a test in `tests/options.rs`.
//!
//! | Name | Racket | Rust | zmtp | Notes |
//! |---|---|---|---|---|
//! | `affinity` | get | [`SockOpt::Affinity`](crate::SockOpt::Affinity) | not supported | I/O thread affinity (zmtp's I/O runs on tokio). |
//! | `backlog` | get/set | [`SockOpt::Backlog`](crate::SockOpt::Backlog) | get/set | the listen backlog of later tcp binds (default 100). |
//! | `bindtodevice` | get/set | [`SockOpt::BindToDevice`](crate::SockOpt::BindToDevice) | get/set | `SO_BINDTODEVICE` of later tcp sockets. |
//! | `conflate` | neither | [`SockOpt::Conflate`](crate::SockOpt::Conflate) | get/set | keep only the newest message in each queue (DEALER, PULL, PUSH, PUB, SUB); readable too (Racket could not set it). |
//! | `connect_routing_id` | set | [`SockOpt::ConnectRoutingId`](crate::SockOpt::ConnectRoutingId) | set | the routing id the next `connect` gives its peer (ROUTER, STREAM). |
//! | `connect_timeout` | get/set | [`SockOpt::ConnectTimeout`](crate::SockOpt::ConnectTimeout) | get/set | how long one tcp connect attempt may take (ms). |
//! | `curve_publickey` | get/set | [`SockOpt::CurvePublicKey`](crate::SockOpt::CurvePublicKey) | get/set | our CURVE public key (32 bytes or Z85; reads back as 32 bytes). |
//! | `curve_secretkey` | get/set | [`SockOpt::CurveSecretKey`](crate::SockOpt::CurveSecretKey) | get/set | our CURVE secret key (32 bytes or Z85; never shown by `Debug`). |
//! | `curve_server` | get/set | [`SockOpt::CurveServer`](crate::SockOpt::CurveServer) | get/set | 1 makes the socket a CURVE server. |
//! | `curve_serverkey` | get/set | [`SockOpt::CurveServerKey`](crate::SockOpt::CurveServerKey) | get/set | the server's CURVE public key (makes the socket a CURVE client). |
//! | `events` | neither | [`SockOpt::Events`](crate::SockOpt::Events) | not supported | there is no file descriptor to poll; use [`Socket::messages`](crate::Socket::messages) or [`blocking::select`](crate::blocking::select). |
//! | `fd` | neither | [`SockOpt::Fd`](crate::SockOpt::Fd) | not supported | there is no file descriptor to poll; use [`Socket::messages`](crate::Socket::messages) or [`blocking::select`](crate::blocking::select). |
//! | `gssapi_plaintext` | get/set | [`SockOpt::GssapiPlaintext`](crate::SockOpt::GssapiPlaintext) | not supported | GSSAPI. |
//! | `gssapi_principal` | get/set | [`SockOpt::GssapiPrincipal`](crate::SockOpt::GssapiPrincipal) | not supported | GSSAPI. |
//! | `gssapi_principal_nametype` | get/set | [`SockOpt::GssapiPrincipalNametype`](crate::SockOpt::GssapiPrincipalNametype) | not supported | GSSAPI. |
//! | `gssapi_server` | get/set | [`SockOpt::GssapiServer`](crate::SockOpt::GssapiServer) | not supported | GSSAPI. |
//! | `gssapi_service_principal` | get/set | [`SockOpt::GssapiServicePrincipal`](crate::SockOpt::GssapiServicePrincipal) | not supported | GSSAPI. |
//! | `gssapi_service_principal_nametype` | get/set | [`SockOpt::GssapiServicePrincipalNametype`](crate::SockOpt::GssapiServicePrincipalNametype) | not supported | GSSAPI. |
//! | `handshake_ivl` | get/set | [`SockOpt::HandshakeIvl`](crate::SockOpt::HandshakeIvl) | get/set | how long a connection may take to finish its handshake, in ms (0 = no limit). |
//! | `heartbeat_ivl` | set | [`SockOpt::HeartbeatIvl`](crate::SockOpt::HeartbeatIvl) | get/set | send a ZMTP PING this often on each connection, in ms (0 = none); readable too, as in libzmq (Racket could only set it). |
//! | `heartbeat_timeout` | set | [`SockOpt::HeartbeatTimeout`](crate::SockOpt::HeartbeatTimeout) | get/set | drop a connection whose peer sends nothing within this after one of our PINGs, in ms (0 = never; -1, the default, = the heartbeat interval); readable too, as in libzmq. |
//! | `heartbeat_ttl` | set | [`SockOpt::HeartbeatTtl`](crate::SockOpt::HeartbeatTtl) | get/set | the time-to-live our PINGs announce, in ms (0 = none); it travels in deciseconds, rounded down and capped at 6553.5 s; readable too, as in libzmq. |
//! | `identity` | get/set | [`SockOpt::Identity`](crate::SockOpt::Identity) | get/set | the socket's routing id, 1 to 255 bytes (libzmq's `ZMQ_ROUTING_ID`; `"routing_id"` parses to this too). |
//! | `immediate` | get/set | [`SockOpt::Immediate`](crate::SockOpt::Immediate) | get/set | queue messages only to completed connections. |
//! | `invert_matching` | get/set | [`SockOpt::InvertMatching`](crate::SockOpt::InvertMatching) | get/set | deliver what matches no subscription (PUB, XPUB, SUB, XSUB). |
//! | `ipv6` | get/set | [`SockOpt::Ipv6`](crate::SockOpt::Ipv6) | get/set | IPv6 addresses allowed, wildcard binds dual stack (off: IPv4 only, as libzmq). |
//! | `last_endpoint` | get | [`SockOpt::LastEndpoint`](crate::SockOpt::LastEndpoint) | get | the last endpoint bound or connected, wildcard port resolved; empty when there is none. |
//! | `linger` | get/set | [`SockOpt::Linger`](crate::SockOpt::Linger) | get/set | how long a closed socket keeps trying to send queued messages, in ms (-1 = until sent, 0 = drop them). The default is 100 ms, as in Racket. |
//! | `maxmsgsize` | get/set | [`SockOpt::MaxMsgSize`](crate::SockOpt::MaxMsgSize) | get/set | the largest frame accepted from a peer, in bytes (-1 = unlimited). As in libzmq it applies to handshake commands too, so keep it above ~100 bytes. |
//! | `mechanism` | get | [`SockOpt::Mechanism`](crate::SockOpt::Mechanism) | get | the security mechanism the options chose: 0 NULL, 1 PLAIN, 2 CURVE. |
//! | `multicast_hops` | get/set | [`SockOpt::MulticastHops`](crate::SockOpt::MulticastHops) | not supported | multicast (PGM) transports. |
//! | `multicast_maxtpdu` | get/set | [`SockOpt::MulticastMaxtpdu`](crate::SockOpt::MulticastMaxtpdu) | not supported | multicast (PGM) transports. |
//! | `plain_password` | get/set | [`SockOpt::PlainPassword`](crate::SockOpt::PlainPassword) | get/set | the PLAIN password (makes the socket a PLAIN client; never shown by `Debug`). |
//! | `plain_server` | get/set | [`SockOpt::PlainServer`](crate::SockOpt::PlainServer) | get/set | 1 makes the socket a PLAIN server that asks the ZAP handler about each client. |
//! | `plain_username` | get/set | [`SockOpt::PlainUsername`](crate::SockOpt::PlainUsername) | get/set | the PLAIN user name (makes the socket a PLAIN client). |
//! | `probe_router` | neither | [`SockOpt::ProbeRouter`](crate::SockOpt::ProbeRouter) | set | send an empty message on every new connection (ROUTER, DEALER, REQ); Racket could not set it. |
//! | `rate` | get/set | [`SockOpt::Rate`](crate::SockOpt::Rate) | not supported | multicast (PGM) transports. |
//! | `rcvbuf` | get/set | [`SockOpt::RcvBuf`](crate::SockOpt::RcvBuf) | get/set | `SO_RCVBUF` of later tcp sockets (-1 = system default). |
//! | `rcvhwm` | get/set | [`SockOpt::RcvHwm`](crate::SockOpt::RcvHwm) | get/set | the receive high-water mark, messages per incoming pipe (0 = none). |
//! | `rcvmore` | get | [`SockOpt::RcvMore`](crate::SockOpt::RcvMore) | get | always 0, since zmtp receives whole messages. |
//! | `rcvtimeo` | get/set | [`SockOpt::RcvTimeo`](crate::SockOpt::RcvTimeo) | get/set | how long a receive waits, in ms (-1 = forever), then fails with [`Error::Timeout`](crate::Error::Timeout). Implemented by the facade. |
//! | `reconnect_ivl` | get/set | [`SockOpt::ReconnectIvl`](crate::SockOpt::ReconnectIvl) | get/set | the first reconnect delay, in ms (-1 = never reconnect). |
//! | `reconnect_ivl_max` | get/set | [`SockOpt::ReconnectIvlMax`](crate::SockOpt::ReconnectIvlMax) | get/set | the largest reconnect delay for exponential backoff, in ms (0 = none). |
//! | `recovery_ivl` | get/set | [`SockOpt::RecoveryIvl`](crate::SockOpt::RecoveryIvl) | not supported | multicast (PGM) transports. |
//! | `req_correlate` | set | [`SockOpt::ReqCorrelate`](crate::SockOpt::ReqCorrelate) | set | REQ tags requests and accepts only the matching reply. |
//! | `req_relaxed` | set | [`SockOpt::ReqRelaxed`](crate::SockOpt::ReqRelaxed) | set | REQ may send a new request before the reply. |
//! | `router_handover` | set | [`SockOpt::RouterHandover`](crate::SockOpt::RouterHandover) | set | ROUTER hands a taken routing id over to the new peer. |
//! | `router_mandatory` | set | [`SockOpt::RouterMandatory`](crate::SockOpt::RouterMandatory) | set | ROUTER fails with [`Error::HostUnreachable`](crate::Error::HostUnreachable) for an unknown routing id instead of dropping the message. |
//! | `router_raw` | neither | [`SockOpt::RouterRaw`](crate::SockOpt::RouterRaw) | not supported | deprecated in libzmq; use a [`SocketType::Stream`](crate::SocketType::Stream) socket. |
//! | `sndbuf` | get/set | [`SockOpt::SndBuf`](crate::SockOpt::SndBuf) | get/set | `SO_SNDBUF` of later tcp sockets (-1 = system default). |
//! | `sndhwm` | get/set | [`SockOpt::SndHwm`](crate::SockOpt::SndHwm) | get/set | the send high-water mark, messages per outgoing pipe (0 = none). |
//! | `sndtimeo` | get/set | [`SockOpt::SndTimeo`](crate::SockOpt::SndTimeo) | get/set | how long a send waits for room, in ms (-1 = forever), then fails with [`Error::Timeout`](crate::Error::Timeout). Implemented by the facade. |
//! | `socks_proxy` | get/set | [`SockOpt::SocksProxy`](crate::SockOpt::SocksProxy) | not supported | SOCKS proxies. |
//! | `stream_notify` | set | [`SockOpt::StreamNotify`](crate::SockOpt::StreamNotify) | set | STREAM delivers `[id, ""]` on connect and disconnect. |
//! | `subscribe` | neither | [`SockOpt::Subscribe`](crate::SockOpt::Subscribe) | set | add a subscription (SUB, XSUB); same as [`Socket::subscribe`](crate::Socket::subscribe). |
//! | `tcp_accept_filter` | neither | [`SockOpt::TcpAcceptFilter`](crate::SockOpt::TcpAcceptFilter) | not supported | deprecated in libzmq. |
//! | `tcp_keepalive` | get/set | [`SockOpt::TcpKeepalive`](crate::SockOpt::TcpKeepalive) | get/set | `SO_KEEPALIVE` of later tcp connections (-1/0/1). |
//! | `tcp_keepalive_cnt` | get/set | [`SockOpt::TcpKeepaliveCnt`](crate::SockOpt::TcpKeepaliveCnt) | get/set | `TCP_KEEPCNT`. |
//! | `tcp_keepalive_idle` | get/set | [`SockOpt::TcpKeepaliveIdle`](crate::SockOpt::TcpKeepaliveIdle) | get/set | `TCP_KEEPIDLE` (s). |
//! | `tcp_keepalive_intvl` | get/set | [`SockOpt::TcpKeepaliveIntvl`](crate::SockOpt::TcpKeepaliveIntvl) | get/set | `TCP_KEEPINTVL` (s). |
//! | `tcp_maxrt` | get/set | [`SockOpt::TcpMaxrt`](crate::SockOpt::TcpMaxrt) | get/set | `TCP_USER_TIMEOUT` (ms). |
//! | `thread_safe` | get | [`SockOpt::ThreadSafe`](crate::SockOpt::ThreadSafe) | get | 1, since every zmtp socket may be shared between threads and tasks (libzmq says 0 for these types). |
//! | `tos` | get/set | [`SockOpt::Tos`](crate::SockOpt::Tos) | get/set | `IP_TOS` of later tcp sockets. |
//! | `type` | get | [`SockOpt::Type`](crate::SockOpt::Type) | get | the libzmq socket type number (`ZMQ_PAIR` = 0 ... `ZMQ_STREAM` = 11). |
//! | `unsubscribe` | neither | [`SockOpt::Unsubscribe`](crate::SockOpt::Unsubscribe) | set | remove a subscription (SUB, XSUB); same as [`Socket::unsubscribe`](crate::Socket::unsubscribe). |
//! | `use_fd` | neither | [`SockOpt::UseFd`](crate::SockOpt::UseFd) | not supported | zmtp creates its own sockets. |
//! | `vmci_buffer_max_size` | get/set | [`SockOpt::VmciBufferMaxSize`](crate::SockOpt::VmciBufferMaxSize) | not supported | the VMCI transport. |
//! | `vmci_buffer_min_size` | get/set | [`SockOpt::VmciBufferMinSize`](crate::SockOpt::VmciBufferMinSize) | not supported | the VMCI transport. |
//! | `vmci_buffer_size` | get/set | [`SockOpt::VmciBufferSize`](crate::SockOpt::VmciBufferSize) | not supported | the VMCI transport. |
//! | `vmci_connect_timeout` | get/set | [`SockOpt::VmciConnectTimeout`](crate::SockOpt::VmciConnectTimeout) | not supported | the VMCI transport. |
//! | `xpub_manual` | set | [`SockOpt::XpubManual`](crate::SockOpt::XpubManual) | set | the application decides subscriptions (XPUB). |
//! | `xpub_nodrop` | set | [`SockOpt::XpubNodrop`](crate::SockOpt::XpubNodrop) | set | fail with [`Error::WouldBlock`](crate::Error::WouldBlock) instead of dropping at a full subscriber (PUB, XPUB). |
//! | `xpub_verbose` | get/set | [`SockOpt::XpubVerbose`](crate::SockOpt::XpubVerbose) | set | report every subscription, not only the first per topic (XPUB). |
//! | `xpub_verboser` | set | [`SockOpt::XpubVerboser`](crate::SockOpt::XpubVerboser) | set | report every subscription and unsubscription (XPUB). |
//! | `xpub_welcome_msg` | set | [`SockOpt::XpubWelcomeMsg`](crate::SockOpt::XpubWelcomeMsg) | set | a message sent to every new subscriber (XPUB; empty = none). |
//! | `zap_domain` | get/set | [`SockOpt::ZapDomain`](crate::SockOpt::ZapDomain) | get/set | the ZAP domain of authentication requests; with NULL, a domain makes the socket ask the ZAP handler. |

#[cfg(test)]
mod tests {
    use crate::{OptionMode, SockOpt, Socket};

    const TABLE: &str = include_str!("racket.rs");

    #[test]
    fn every_racket_procedure_has_a_row() {
        let names = [
            "zmq-available?",
            "zmq-version",
            "zmq-socket",
            "zmq-socket?",
            "zmq-close",
            "zmq-closed?",
            "zmq-closed-evt",
            "zmq-list-endpoints",
            "zmq-get-option",
            "zmq-set-option",
            "zmq-list-options",
            "zmq-connect",
            "zmq-bind",
            "zmq-disconnect",
            "zmq-unbind",
            "zmq-subscribe",
            "zmq-unsubscribe",
            "zmq-message",
            "zmq-message?",
            "zmq-message/single-frame?",
            "zmq-message-frames",
            "zmq-message-frame",
            "zmq-send-message",
            "zmq-recv-message",
            "zmq-send",
            "zmq-send*",
            "zmq-recv",
            "zmq-recv-string",
            "zmq-recv*",
            "zmq-proxy",
            "zmq-unsafe-connect",
            "zmq-unsafe-bind",
            "zmq-unsafe-get-ctx",
            "zmq-draft-available?",
            "zmq-draft-socket",
            "zmq-send-evt",
            "zmq-join",
            "zmq-leave",
            "zmq-message-routing-id",
            "zmq-message-group",
            "current-security-guard",
        ];
        for n in names {
            assert!(TABLE.contains(&format!("`{n}`")), "{n} has no row");
        }
    }

    #[test]
    fn every_option_has_a_row_with_its_status() {
        for &opt in SockOpt::ALL {
            let prefix = format!("//! | `{}` |", opt.as_str());
            let row = TABLE
                .lines()
                .find(|l| l.starts_with(&prefix))
                .unwrap_or_else(|| panic!("{opt} has no row"));
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let status = cells[4];
            let listed_get = Socket::list_options(OptionMode::Get).contains(&opt);
            let listed_set = Socket::list_options(OptionMode::Set).contains(&opt);
            let expected = match (listed_get, listed_set) {
                (true, true) => "get/set",
                (true, false) => "get",
                (false, true) => "set",
                (false, false) => {
                    assert!(
                        status == "not yet" || status == "not supported",
                        "{opt}: {status}"
                    );
                    continue;
                }
            };
            assert_eq!(status, expected, "{opt}");
        }
    }
}
