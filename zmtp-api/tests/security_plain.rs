//! PLAIN between our own sockets, with a ZAP handler the test writes (a REP bound at
//! `inproc://zeromq.zap.01`, as a libzmq application would bind it).

use std::time::Duration;

use futures::StreamExt;
use zmtp_api::monitor::{EventMask, EventType, MonitorEvents};
use zmtp_api::{Context, SockOpt, Socket, SocketOption, SocketType};

const DEADLINE: Duration = Duration::from_secs(10);

/// Binds a handler that accepts `admin`/`secret` (user id "admin-id") and refuses
/// everyone else with 400; returns the requests it saw.
fn zap_handler(ctx: &Context) -> tokio::sync::mpsc::UnboundedReceiver<Vec<Vec<u8>>> {
    let rep = ctx.socket(SocketType::Rep).unwrap();
    rep.bind("inproc://zeromq.zap.01").unwrap();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok(req) = rep.recv_multipart().await {
            let frames: Vec<Vec<u8>> = req.iter().map(|f| f.to_vec()).collect();
            let ok = frames.len() == 8 && frames[6] == b"admin" && frames[7] == b"secret";
            let _ = tx.send(frames.clone());
            let status: &[u8] = if ok { b"200" } else { b"400" };
            let user: &[u8] = if ok { b"admin-id" } else { b"" };
            let reply: Vec<Vec<u8>> = vec![
                b"1.0".to_vec(),
                frames[1].clone(),
                status.to_vec(),
                Vec::new(),
                user.to_vec(),
                Vec::new(),
            ];
            if rep.send_multipart(reply).await.is_err() {
                break;
            }
        }
    });
    rx
}

fn socket(ctx: &Context, kind: SocketType) -> Socket {
    let s = ctx.socket(kind).unwrap();
    s.set_option(SocketOption::Linger(0)).unwrap();
    s
}

async fn wait_for(events: &mut MonitorEvents, wanted: EventType) -> u32 {
    loop {
        match tokio::time::timeout(DEADLINE, events.next()).await {
            Ok(Some(ev)) if ev.event == wanted => return ev.value,
            Ok(Some(_)) => {}
            other => panic!("no {wanted:?} before the deadline: {other:?}"),
        }
    }
}

fn server(ctx: &Context) -> (Socket, String) {
    let pull = socket(ctx, SocketType::Pull);
    pull.set_option(SocketOption::PlainServer(true)).unwrap();
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let ep = pull.last_endpoint().unwrap().unwrap();
    (pull, ep)
}

fn client(ctx: &Context, user: &str, pass: &str) -> Socket {
    let push = socket(ctx, SocketType::Push);
    let bytes = |s: &str| bytes::Bytes::copy_from_slice(s.as_bytes());
    push.set_option(SocketOption::PlainUsername(bytes(user)))
        .unwrap();
    push.set_option(SocketOption::PlainPassword(bytes(pass).into()))
        .unwrap();
    push
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_credentials_reach_the_zap_handler_and_traffic_flows() {
    let ctx = Context::new();
    let mut requests = zap_handler(&ctx);
    let (pull, ep) = server(&ctx);
    assert_eq!(pull.get_option(SockOpt::Mechanism).unwrap(), 1.into());
    assert_eq!(pull.get_option(SockOpt::PlainServer).unwrap(), 1.into());
    let push = client(&ctx, "admin", "secret");
    assert_eq!(push.get_option(SockOpt::PlainServer).unwrap(), 0.into());
    assert_eq!(
        push.get_option(SockOpt::PlainPassword).unwrap(),
        "secret".into()
    );
    push.connect(&ep).unwrap();
    push.send("hello").await.unwrap();
    let got = tokio::time::timeout(DEADLINE, pull.recv_message()).await;
    let got = got.unwrap().unwrap();
    assert_eq!(got.frames(), ["hello"]);
    // The connection's properties, as zmq_msg_gets reads them.
    assert_eq!(got.property("User-Id").unwrap(), "admin-id");
    assert_eq!(got.property("Socket-Type").unwrap(), "PUSH");
    assert_eq!(got.property("Peer-Address").unwrap(), "127.0.0.1");
    assert!(got.property("X-Nothing").is_none());
    let req = requests.recv().await.unwrap();
    // As a REP handler sees it: version, request id, domain, address, identity (the
    // server's routing id), mechanism, credentials.
    let expected: [&[u8]; 8] = [
        b"1.0",
        b"1",
        b"",
        b"127.0.0.1",
        b"",
        b"PLAIN",
        b"admin",
        b"secret",
    ];
    assert_eq!(req.iter().map(Vec::as_slice).collect::<Vec<_>>(), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_client_is_reported_and_the_server_keeps_serving() {
    let ctx = Context::new();
    let _requests = zap_handler(&ctx);
    let (pull, ep) = server(&ctx);
    let mut events = pull.monitor_events(EventMask::ALL);
    let bad = client(&ctx, "admin", "wrong");
    bad.connect(&ep).unwrap();
    bad.send("must not arrive").await.unwrap();
    assert_eq!(
        wait_for(&mut events, EventType::HandshakeFailedAuth).await,
        400
    );
    let good = client(&ctx, "admin", "secret");
    good.connect(&ep).unwrap();
    good.send("welcome").await.unwrap();
    let got = tokio::time::timeout(DEADLINE, pull.recv_string()).await;
    assert_eq!(got.unwrap().unwrap(), "welcome");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_server_without_zap_handler_refuses_clients() {
    let ctx = Context::new();
    let (pull, ep) = server(&ctx);
    let mut events = pull.monitor_events(EventMask::ALL);
    let push = client(&ctx, "admin", "secret");
    push.connect(&ep).unwrap();
    push.send("must not arrive").await.unwrap();
    // libzmq: HANDSHAKE_FAILED_NO_DETAIL with EFAULT.
    assert_eq!(
        wait_for(&mut events, EventType::HandshakeFailedNoDetail).await,
        14
    );
    assert!(pull.try_recv_message().unwrap().is_none());
}

#[tokio::test]
async fn the_last_security_option_set_wins() {
    let ctx = Context::new();
    let s = socket(&ctx, SocketType::Dealer);
    assert_eq!(s.get_option(SockOpt::Mechanism).unwrap(), 0.into());
    s.set_option(SocketOption::PlainServer(true)).unwrap();
    s.set_option(SocketOption::PlainUsername("u".into()))
        .unwrap();
    assert_eq!(s.get_option(SockOpt::PlainServer).unwrap(), 0.into());
    assert_eq!(s.get_option(SockOpt::Mechanism).unwrap(), 1.into());
    s.set_option_named("plain_username", "").unwrap();
    assert_eq!(s.get_option(SockOpt::Mechanism).unwrap(), 0.into());
    let long = vec![b'x'; 256];
    assert!(
        s.set_option(SocketOption::PlainPassword(long.into()))
            .is_err()
    );
    assert!(
        s.set_option(SocketOption::ZapDomain(vec![b'd'; 256].into()))
            .is_err()
    );
    s.set_option(SocketOption::ZapDomain("global".into()))
        .unwrap();
    assert_eq!(s.get_option(SockOpt::ZapDomain).unwrap(), "global".into());
}

#[tokio::test]
async fn builder_and_options_keep_secrets_out_of_debug_output() {
    let keys = zmtp_api::curve_keypair().unwrap();
    let secret_z85 = keys.secret.to_z85();
    let builder = Socket::builder(SocketType::Dealer)
        .option(SockOpt::PlainPassword, "hunter2")
        .option(SockOpt::CurveSecretKey, secret_z85.as_str());
    let debug = format!("{builder:?}");
    assert!(debug.contains("PlainPassword") && debug.contains("redacted"));
    assert!(!debug.contains("hunter2") && !debug.contains(&secret_z85));
    let opt = SocketOption::CurveSecretKey(keys.secret.clone());
    assert!(!format!("{opt:?}").contains(&secret_z85));
    let s = builder.build().unwrap();
    assert_eq!(s.get_option(SockOpt::Mechanism).unwrap(), 2.into());
}

/// A handler that answers `status` to everything (or never answers with `None`).
fn fixed_handler(ctx: &Context, status: Option<&'static str>) {
    let rep = ctx.socket(SocketType::Rep).unwrap();
    rep.bind("inproc://zeromq.zap.01").unwrap();
    tokio::spawn(async move {
        while let Ok(req) = rep.recv_multipart().await {
            let Some(status) = status else {
                // Keep the socket (and the request) alive without answering.
                continue;
            };
            let reply = [&b"1.0"[..], &req[1], status.as_bytes(), b"", b"", b""];
            let reply: Vec<Vec<u8>> = reply.iter().map(|f| f.to_vec()).collect();
            if rep.send_multipart(reply).await.is_err() {
                break;
            }
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zap_statuses_300_and_500_refuse_and_a_silent_handler_times_out() {
    for (status, event) in [
        (Some("300"), EventType::HandshakeFailedAuth),
        (Some("500"), EventType::HandshakeFailedAuth),
        (None, EventType::HandshakeFailedNoDetail),
    ] {
        let ctx = Context::new();
        fixed_handler(&ctx, status);
        let pull = socket(&ctx, SocketType::Pull);
        pull.set_option(SocketOption::PlainServer(true)).unwrap();
        pull.set_option(SocketOption::HandshakeIvl(200)).unwrap();
        pull.bind("tcp://127.0.0.1:*").unwrap();
        let ep = pull.last_endpoint().unwrap().unwrap();
        let mut events = pull.monitor_events(EventMask::ALL);
        let push = client(&ctx, "admin", "secret");
        push.connect(&ep).unwrap();
        push.send("must not arrive").await.unwrap();
        let value = wait_for(&mut events, event).await;
        if let Some(s) = status {
            assert_eq!(value.to_string(), s);
        }
        assert!(pull.try_recv_message().unwrap().is_none(), "{status:?}");
    }
}
