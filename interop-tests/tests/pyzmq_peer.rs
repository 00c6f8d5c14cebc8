//! Our sockets against pyzmq (libzmq 4.3.5 with CURVE) in a child process, NULL
//! mechanism: the harness of `interop_tests::pyzmq` checked end to end: messages both
//! ways over tcp and ipc with their properties, routing ids, the peer's monitor, and
//! ZAP on a pyzmq NULL server (a hand-written handler and pyzmq's authenticator).

use std::time::Duration;

use interop_tests::pyzmq::{
    LIBZMQ_VERSION, PYZMQ_VERSION, PeerConfig, PyPeer, ZapAuthenticator, ZapHandler, frames_data,
};
use interop_tests::support::{DEADLINE, IpcPath};
use zmtp_api::blocking::Socket;
use zmtp_api::{SocketOption, SocketType};

/// How long a test waits to be sure something does NOT arrive.
const QUIET: Duration = Duration::from_millis(500);

fn ours(kind: SocketType) -> Socket {
    let s = Socket::new(kind).expect("Socket::new");
    s.set_option(SocketOption::Linger(0)).expect("linger");
    s
}

fn bind_ours(s: &Socket, endpoint: &str) -> String {
    s.bind(endpoint)
        .unwrap_or_else(|e| panic!("bind {endpoint}: {e}"));
    s.last_endpoint()
        .expect("last_endpoint")
        .expect("bound endpoint")
}

fn recv_ours(s: &Socket) -> Vec<Vec<u8>> {
    s.recv_timeout(DEADLINE)
        .expect("our socket received nothing in time")
        .frames()
        .iter()
        .map(|f| f.to_vec())
        .collect()
}

fn recv_py(peer: &PyPeer) -> Vec<interop_tests::pyzmq::PyFrame> {
    peer.recv(DEADLINE)
        .expect("the pyzmq peer received nothing in time")
}

fn msg(parts: &[&str]) -> Vec<Vec<u8>> {
    parts.iter().map(|p| p.as_bytes().to_vec()).collect()
}

#[derive(Clone, Copy, Debug)]
enum Transport {
    Tcp,
    Ipc,
}

/// A bind endpoint for `transport` (the ipc guard removes the file at the end).
fn bind_addr(transport: Transport, tag: &str) -> (String, Option<IpcPath>) {
    match transport {
        Transport::Tcp => ("tcp://127.0.0.1:*".to_string(), None),
        Transport::Ipc => {
            let p = IpcPath::new(tag);
            (p.endpoint(), Some(p))
        }
    }
}

#[test]
fn hello_reports_pyzmq_with_curve() {
    let peer = PyPeer::spawn(PeerConfig::new(SocketType::Pull));
    let hello = peer.hello();
    assert_eq!(hello.pyzmq, PYZMQ_VERSION);
    assert_eq!(hello.libzmq, LIBZMQ_VERSION);
    assert!(hello.curve, "pyzmq's libzmq has no CURVE: {hello:?}");
    assert_eq!(hello.pid, peer.pid());
    assert!(hello.endpoints.is_empty());
}

/// pyzmq binds (wildcard resolved in the hello), pyzmq PUSH sends, our PULL connects.
fn py_push_to_our_pull(transport: Transport) {
    let (ep, _guard) = bind_addr(transport, "py-push");
    let peer = PyPeer::spawn(PeerConfig::new(SocketType::Push).bind(&ep));
    assert!(!peer.endpoint().contains('*'), "{}", peer.endpoint());
    let pull = ours(SocketType::Pull);
    pull.connect(peer.endpoint()).expect("connect");
    let messages = [
        msg(&["one"]),
        msg(&["two", "", "parts"]),
        vec![vec![0u8; 70_000]],
    ];
    for m in &messages {
        let frames: Vec<&[u8]> = m.iter().map(Vec::as_slice).collect();
        peer.send(&frames);
    }
    for m in &messages {
        assert_eq!(&recv_ours(&pull), m);
    }
    pull.close();
    peer.close();
}

/// Our PUSH binds, pyzmq PULL connects and sees our properties.
fn our_push_to_py_pull(transport: Transport) {
    let (ep, _guard) = bind_addr(transport, "our-push");
    let push = ours(SocketType::Push);
    let ep = bind_ours(&push, &ep);
    let peer = PyPeer::spawn(PeerConfig::new(SocketType::Pull).connect(&ep));
    let messages = [msg(&["hello"]), msg(&["a", "b", "c"])];
    for m in &messages {
        push.send_multipart(m.clone()).expect("send");
    }
    for m in &messages {
        let got = recv_py(&peer);
        assert_eq!(&frames_data(&got), m);
        assert_eq!(got[0].socket_type(), Some("PUSH"), "{got:?}");
        match transport {
            Transport::Tcp => assert_eq!(got[0].peer_address(), Some("127.0.0.1"), "{got:?}"),
            Transport::Ipc => {}
        }
        assert_eq!(
            got[0].user_id(),
            None,
            "NULL without ZAP has no User-Id: {got:?}"
        );
    }
    push.close();
}

#[test]
fn py_push_to_our_pull_tcp() {
    py_push_to_our_pull(Transport::Tcp);
}

#[test]
fn py_push_to_our_pull_ipc() {
    py_push_to_our_pull(Transport::Ipc);
}

#[test]
fn our_push_to_py_pull_tcp() {
    our_push_to_py_pull(Transport::Tcp);
}

#[test]
fn our_push_to_py_pull_ipc() {
    our_push_to_py_pull(Transport::Ipc);
}

/// pyzmq DEALER with a routing id; our ROUTER sees it and routes the reply back.
#[test]
fn py_dealer_our_router_round_trip() {
    let router = ours(SocketType::Router);
    let ep = bind_ours(&router, "tcp://127.0.0.1:*");
    let peer = PyPeer::spawn(
        PeerConfig::new(SocketType::Dealer)
            .routing_id(b"py-dealer")
            .connect(&ep),
    );
    peer.send(&[b"ping", b"42"]);
    let got = recv_ours(&router);
    assert_eq!(got, msg(&["py-dealer", "ping", "42"]));
    router
        .send_multipart(msg(&["py-dealer", "pong", "43"]))
        .expect("router send");
    let reply = recv_py(&peer);
    assert_eq!(frames_data(&reply), msg(&["pong", "43"]));
    assert_eq!(reply[0].socket_type(), Some("ROUTER"));
    router.close();
}

/// Our DEALER with a routing id against a pyzmq ROUTER (the id as pyzmq's envelope).
#[test]
fn our_dealer_py_router_round_trip() {
    let peer = PyPeer::spawn(PeerConfig::new(SocketType::Router).bind("tcp://127.0.0.1:*"));
    let dealer = ours(SocketType::Dealer);
    dealer
        .set_option(SocketOption::RoutingId("our-dealer".into()))
        .expect("routing id");
    dealer.connect(peer.endpoint()).expect("connect");
    dealer.send_multipart(msg(&["hi"])).expect("send");
    let got = recv_py(&peer);
    assert_eq!(frames_data(&got), msg(&["our-dealer", "hi"]));
    peer.send(&[b"our-dealer", b"back"]);
    assert_eq!(recv_ours(&dealer), msg(&["back"]));
    dealer.close();
}

/// The peer's monitor as the accepting side: LISTENING, ACCEPTED, HANDSHAKE_SUCCEEDED.
#[test]
fn py_monitor_reports_accept_and_handshake() {
    let peer = PyPeer::spawn(
        PeerConfig::new(SocketType::Pull)
            .bind("tcp://127.0.0.1:*")
            .monitor(),
    );
    let push = ours(SocketType::Push);
    push.connect(peer.endpoint()).expect("connect");
    let ok = peer
        .wait_event("HANDSHAKE_SUCCEEDED", DEADLINE)
        .expect("no HANDSHAKE_SUCCEEDED from pyzmq's monitor");
    assert_eq!(ok.endpoint, peer.endpoint());
    let names: Vec<String> = peer.events().into_iter().map(|e| e.event).collect();
    for expected in ["LISTENING", "ACCEPTED"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing: {names:?}"
        );
    }
    push.close();
}

/// The peer's monitor as the connecting side: CONNECTED, HANDSHAKE_SUCCEEDED.
#[test]
fn py_monitor_reports_connect_and_handshake() {
    let pull = ours(SocketType::Pull);
    let ep = bind_ours(&pull, "tcp://127.0.0.1:*");
    let peer = PyPeer::spawn(PeerConfig::new(SocketType::Push).connect(&ep).monitor());
    let connected = peer
        .wait_event("CONNECTED", DEADLINE)
        .expect("no CONNECTED from pyzmq's monitor");
    assert_eq!(connected.endpoint, ep);
    peer.wait_event("HANDSHAKE_SUCCEEDED", DEADLINE)
        .expect("no HANDSHAKE_SUCCEEDED from pyzmq's monitor");
    pull.close();
}

/// A pyzmq NULL server with a ZAP domain and a hand-written handler answering 200:
/// the handler sees RFC 27's request, traffic flows and carries the User-Id it gave.
#[test]
fn zap_handler_200_lets_null_client_in() {
    let peer = PyPeer::spawn(
        PeerConfig::new(SocketType::Pull)
            .routing_id(b"server-id")
            .zap_domain("global")
            .zap_handler(ZapHandler::status(200).user_id("alice"))
            .bind("tcp://127.0.0.1:*")
            .monitor(),
    );
    let push = ours(SocketType::Push);
    push.connect(peer.endpoint()).expect("connect");
    push.send_multipart(msg(&["through"])).expect("send");
    let got = recv_py(&peer);
    assert_eq!(frames_data(&got), msg(&["through"]));
    assert_eq!(got[0].user_id(), Some("alice"), "{got:?}");

    let seen = peer.zap_requests();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let req = &seen[0];
    assert_eq!(req.version, "1.0");
    assert!(!req.request_id.is_empty());
    assert_eq!(req.domain, "global");
    assert_eq!(req.address, "127.0.0.1");
    assert_eq!(req.identity, b"server-id");
    assert_eq!(req.mechanism, "NULL");
    assert!(req.credentials.is_empty(), "{req:?}");
    assert_eq!(req.frames.len(), 6);
    assert_eq!(req.reply.status_code, "200");
    assert!(peer.wait_event("HANDSHAKE_SUCCEEDED", DEADLINE).is_some());
    push.close();
}

/// The same server answering 400: no message passes and pyzmq's monitor reports
/// HANDSHAKE_FAILED_AUTH with the status code.
#[test]
fn zap_handler_400_refuses_null_client() {
    let peer = PyPeer::spawn(
        PeerConfig::new(SocketType::Pull)
            .zap_domain("global")
            .zap_handler(ZapHandler::status(400))
            .bind("tcp://127.0.0.1:*")
            .monitor(),
    );
    let push = ours(SocketType::Push);
    // The refusal can end the connection (and, being final, its pipe) before the send:
    // a send with no pipe left waits, so it gets a timeout and its outcome is ignored.
    push.set_option(SocketOption::SndTimeo(200))
        .expect("sndtimeo");
    push.connect(peer.endpoint()).expect("connect");
    let _ = push.send_multipart(msg(&["refused"]));
    let failed = peer
        .wait_event("HANDSHAKE_FAILED_AUTH", DEADLINE)
        .expect("no HANDSHAKE_FAILED_AUTH from pyzmq's monitor");
    assert_eq!(failed.value, 400, "{failed:?}");
    let seen = peer.wait_zap_requests(1, DEADLINE);
    assert!(!seen.is_empty());
    assert!(
        seen.iter()
            .all(|r| r.mechanism == "NULL" && r.reply.status_code == "400")
    );
    assert_eq!(
        peer.recv(QUIET),
        None,
        "a refused client's message got through"
    );
    let names: Vec<String> = peer.events().into_iter().map(|e| e.event).collect();
    assert!(
        !names.iter().any(|n| n == "HANDSHAKE_SUCCEEDED"),
        "{names:?}"
    );
    push.close();
}

/// Changing the handler's answer at run time: refused first, let in after a reconnect.
#[test]
fn zap_handler_reply_can_change() {
    let peer = PyPeer::spawn(
        PeerConfig::new(SocketType::Pull)
            .zap_domain("d")
            .zap_handler(ZapHandler::status(400))
            .bind("tcp://127.0.0.1:*")
            .monitor(),
    );
    let first = ours(SocketType::Push);
    first.connect(peer.endpoint()).expect("connect");
    assert!(peer.wait_event("HANDSHAKE_FAILED_AUTH", DEADLINE).is_some());
    first.close();
    peer.set_zap_reply(&ZapHandler::status(200).user_id("bob"));
    let second = ours(SocketType::Push);
    second.connect(peer.endpoint()).expect("connect");
    second.send_multipart(msg(&["now"])).expect("send");
    let got = recv_py(&peer);
    assert_eq!(frames_data(&got), msg(&["now"]));
    assert_eq!(got[0].user_id(), Some("bob"));
    second.close();
}

/// pyzmq's ThreadAuthenticator on a NULL server: a deny list with our address refuses
/// us; an allow list with it lets us in. The requests it answered are recorded too.
#[test]
fn authenticator_deny_and_allow_null() {
    let denying = PyPeer::spawn(
        PeerConfig::new(SocketType::Pull)
            .zap_domain("global")
            .authenticator(ZapAuthenticator::new().deny("127.0.0.1"))
            .bind("tcp://127.0.0.1:*")
            .monitor(),
    );
    let allowing = PyPeer::spawn(
        PeerConfig::new(SocketType::Pull)
            .zap_domain("global")
            .authenticator(ZapAuthenticator::new().allow("127.0.0.1"))
            .bind("tcp://127.0.0.1:*"),
    );
    // One client each: a PUSH would also queue messages for the refused peer.
    let refused = ours(SocketType::Push);
    refused
        .set_option(SocketOption::SndTimeo(200))
        .expect("sndtimeo");
    refused.connect(denying.endpoint()).expect("connect");
    // May time out: the refusal can end the connection and its pipe first.
    let _ = refused.send_multipart(msg(&["refused"]));
    let admitted = ours(SocketType::Push);
    admitted.connect(allowing.endpoint()).expect("connect");
    admitted.send_multipart(msg(&["admitted"])).expect("send");

    let failed = denying
        .wait_event("HANDSHAKE_FAILED_AUTH", DEADLINE)
        .expect("the authenticator let a denied address in");
    assert_eq!(failed.value, 400);
    let got = recv_py(&allowing);
    assert_eq!(frames_data(&got), msg(&["admitted"]));
    assert_eq!(
        got[0].user_id(),
        Some("anonymous"),
        "pyzmq's user id for NULL"
    );
    assert_eq!(denying.recv(QUIET), None);
    let denied = denying.zap_requests();
    assert!(!denied.is_empty());
    assert!(
        denied.iter().all(|r| r.reply.status_code == "400"),
        "{denied:?}"
    );
    let seen = allowing.zap_requests();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].reply.status_code, "200");
    assert_eq!(seen[0].address, "127.0.0.1");
    refused.close();
    admitted.close();
}

/// A setup error comes back as an error, not a hang; the process is gone after drop.
#[test]
fn bad_endpoint_is_reported_and_process_reaped() {
    let err = PyPeer::try_spawn(PeerConfig::new(SocketType::Pull).bind("tcp://127.0.0.1:notaport"))
        .expect_err("a bad endpoint must fail");
    assert!(!err.error.is_empty(), "{err:?}");

    let peer = PyPeer::spawn(PeerConfig::new(SocketType::Pull));
    let err = peer.bind("nonsense://x").expect_err("bad bind");
    assert!(!err.error.is_empty());
    let pid = peer.pid();
    drop(peer);
    // Reaped: not even a zombie is left under that pid (a reused pid is not a peer).
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let cmdline = String::from_utf8_lossy(&cmdline);
    assert!(
        !cmdline.contains("peer.py"),
        "pid {pid} still there: {cmdline}"
    );
    assert!(
        std::fs::metadata(format!("/proc/{pid}")).is_err() || !cmdline.is_empty(),
        "zombie {pid}"
    );
}

/// A peer whose socket waits for a peer: send reports EAGAIN after its timeout.
#[test]
fn send_without_peer_times_out_with_eagain() {
    let peer = PyPeer::spawn(PeerConfig::new(SocketType::Push));
    let err = peer
        .try_send(&[b"nobody"], Duration::from_millis(100))
        .expect_err("no peer to send to");
    assert_eq!(err.errno.as_deref(), Some("EAGAIN"), "{err:?}");
}

// ---------------------------------------------------------------------------
// The security options of the harness, pyzmq against pyzmq (our sockets cannot select
// PLAIN or CURVE yet): what the security tests will build on works as configured.
// ---------------------------------------------------------------------------

/// PLAIN with pyzmq's authenticator: the right password gets in with its user id, a
/// wrong one is refused with 400.
#[test]
fn harness_plain_between_pyzmq_peers() {
    let server = PyPeer::spawn(
        PeerConfig::new(SocketType::Pull)
            .plain_server()
            .authenticator(ZapAuthenticator::new().plain_user("admin", "secret"))
            .bind("tcp://127.0.0.1:*")
            .monitor(),
    );
    let wrong = PyPeer::spawn(
        PeerConfig::new(SocketType::Push)
            .plain_client("admin", "guess")
            .connect(server.endpoint()),
    );
    let failed = server
        .wait_event("HANDSHAKE_FAILED_AUTH", DEADLINE)
        .expect("a wrong PLAIN password got in");
    assert_eq!(failed.value, 400);
    drop(wrong);

    let right = PyPeer::spawn(
        PeerConfig::new(SocketType::Push)
            .plain_client("admin", "secret")
            .connect(server.endpoint()),
    );
    right.send(&[b"plain"]);
    let got = recv_py(&server);
    assert_eq!(frames_data(&got), msg(&["plain"]));
    assert_eq!(got[0].user_id(), Some("admin"));
    let seen = server.zap_requests();
    assert!(seen.iter().all(|r| r.mechanism == "PLAIN"), "{seen:?}");
    let ok: Vec<_> = seen
        .iter()
        .filter(|r| r.reply.status_code == "200")
        .collect();
    assert_eq!(ok.len(), 1, "{seen:?}");
    assert_eq!(ok[0].credentials, msg(&["admin", "secret"]));
}

/// CURVE with pyzmq's authenticator and keys from pyzmq: an allowed client key gets in
/// (its Z85 as the user id), another is refused.
#[test]
fn harness_curve_between_pyzmq_peers() {
    let keys = PyPeer::spawn(PeerConfig::new(SocketType::Pair));
    let (server_public, server_secret) = keys.curve_keypair();
    let (client_public, client_secret) = keys.curve_keypair();
    let (other_public, other_secret) = keys.curve_keypair();
    assert_eq!(server_public.len(), 40);
    assert_ne!(server_public, client_public);

    let server = PyPeer::spawn(
        PeerConfig::new(SocketType::Pull)
            .curve_server(&server_secret)
            .authenticator(ZapAuthenticator::new().curve_key(&client_public))
            .bind("tcp://127.0.0.1:*")
            .monitor(),
    );
    let stranger = PyPeer::spawn(
        PeerConfig::new(SocketType::Push)
            .curve_client(&other_public, &other_secret, &server_public)
            .connect(server.endpoint()),
    );
    let failed = server
        .wait_event("HANDSHAKE_FAILED_AUTH", DEADLINE)
        .expect("an unknown CURVE key got in");
    assert_eq!(failed.value, 400);
    drop(stranger);

    let client = PyPeer::spawn(
        PeerConfig::new(SocketType::Push)
            .curve_client(&client_public, &client_secret, &server_public)
            .connect(server.endpoint()),
    );
    client.send(&[b"curve"]);
    let got = recv_py(&server);
    assert_eq!(frames_data(&got), msg(&["curve"]));
    assert_eq!(got[0].user_id(), Some(client_public.as_str()));
    let ok: Vec<_> = server
        .zap_requests()
        .into_iter()
        .filter(|r| r.reply.status_code == "200")
        .collect();
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].mechanism, "CURVE");
    assert_eq!(ok[0].credentials.len(), 1, "the client's 32-byte key");
    assert_eq!(ok[0].credentials[0].len(), 32);
}
