//! CURVE between our own sockets: keys by option (binary and Z85), encrypted traffic
//! both ways, ZAP by client key, a wrong server key, missing keys at bind and connect.

use std::time::Duration;

use futures::StreamExt;
use zmtp_api::monitor::{EventMask, EventType, MonitorEvents};
use zmtp_api::{
    Context, CurveKeypair, Error, SockOpt, Socket, SocketOption, SocketType, curve_keypair,
};

const DEADLINE: Duration = Duration::from_secs(10);

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

fn server(ctx: &Context, kind: SocketType, keys: &CurveKeypair, ep: &str) -> (Socket, String) {
    let s = socket(ctx, kind);
    s.set_option(SocketOption::CurveServer(true)).unwrap();
    // By name, as Z85 text with the trailing NUL libzmq accepts.
    let mut z85 = keys.secret.to_z85().into_bytes();
    z85.push(0);
    s.set_option_named("curve_secretkey", z85).unwrap();
    s.bind(ep).unwrap();
    let ep = s.last_endpoint().unwrap().unwrap();
    (s, ep)
}

fn client(ctx: &Context, kind: SocketType, server: &CurveKeypair) -> Socket {
    let s = socket(ctx, kind);
    let ours = curve_keypair().unwrap();
    s.set_option(SocketOption::CurveServerKey(server.public))
        .unwrap();
    s.set_option(SocketOption::CurvePublicKey(ours.public))
        .unwrap();
    s.set_option(SocketOption::CurveSecretKey(ours.secret))
        .unwrap();
    s
}

async fn round_trips(ep: &str) {
    let ctx = Context::new();
    let keys = curve_keypair().unwrap();
    let (router, ep) = server(&ctx, SocketType::Router, &keys, ep);
    assert_eq!(router.get_option(SockOpt::Mechanism).unwrap(), 2.into());
    assert_eq!(router.get_option(SockOpt::CurveServer).unwrap(), 1.into());
    let dealer = client(&ctx, SocketType::Dealer, &keys);
    assert_eq!(dealer.get_option(SockOpt::CurveServer).unwrap(), 0.into());
    assert_eq!(
        dealer.get_option(SockOpt::CurveServerKey).unwrap(),
        keys.public.as_bytes().to_vec().into()
    );
    dealer.connect(&ep).unwrap();
    let big = vec![7u8; 300_000];
    for i in 0..20 {
        dealer
            .send_multipart([format!("m{i}").into_bytes(), big.clone()])
            .await
            .unwrap();
        let got = tokio::time::timeout(DEADLINE, router.recv_multipart())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(got[1], format!("m{i}").as_bytes());
        assert_eq!(got[2], big);
        router
            .send_multipart([got[0].clone(), "reply".into()])
            .await
            .unwrap();
        let reply = tokio::time::timeout(DEADLINE, dealer.recv_string()).await;
        assert_eq!(reply.unwrap().unwrap(), "reply");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curve_round_trips_over_tcp() {
    round_trips("tcp://127.0.0.1:*").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curve_round_trips_over_ipc() {
    let path = std::env::temp_dir().join(format!("zmtp-curve-{}.sock", std::process::id()));
    round_trips(&format!("ipc://{}", path.display())).await;
    let _ = std::fs::remove_file(path);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curve_pubsub_subscriptions_travel_encrypted() {
    let ctx = Context::new();
    let keys = curve_keypair().unwrap();
    let (publisher, ep) = server(&ctx, SocketType::Pub, &keys, "tcp://127.0.0.1:*");
    let sub = client(&ctx, SocketType::Sub, &keys);
    sub.subscribe("a").unwrap();
    sub.connect(&ep).unwrap();
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        publisher.send("b-skipped").await.unwrap();
        publisher.send("a-wanted").await.unwrap();
        if let Ok(got) = tokio::time::timeout(Duration::from_millis(50), sub.recv_string()).await {
            assert_eq!(got.unwrap(), "a-wanted");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no subscription");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_server_key_fails_the_handshake_and_the_server_keeps_serving() {
    let ctx = Context::new();
    let keys = curve_keypair().unwrap();
    let (pull, ep) = server(&ctx, SocketType::Pull, &keys, "tcp://127.0.0.1:*");
    let mut events = pull.monitor_events(EventMask::ALL);
    let impostor = curve_keypair().unwrap();
    let bad = client(&ctx, SocketType::Push, &impostor);
    bad.connect(&ep).unwrap();
    bad.send("must not arrive").await.unwrap();
    // The server cannot open the HELLO box: libzmq's CRYPTOGRAPHIC code.
    assert_eq!(
        wait_for(&mut events, EventType::HandshakeFailedProtocol).await,
        0x1100_0001
    );
    let good = client(&ctx, SocketType::Push, &keys);
    good.connect(&ep).unwrap();
    good.send("welcome").await.unwrap();
    let got = tokio::time::timeout(DEADLINE, pull.recv_string()).await;
    assert_eq!(got.unwrap().unwrap(), "welcome");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zap_sees_the_client_key_and_can_refuse_it() {
    let ctx = Context::new();
    let keys = curve_keypair().unwrap();
    let allowed = curve_keypair().unwrap();
    let zap = socket(&ctx, SocketType::Rep);
    zap.bind("inproc://zeromq.zap.01").unwrap();
    let allowed_key = allowed.public;
    tokio::spawn(async move {
        while let Ok(req) = zap.recv_multipart().await {
            assert_eq!(req[5], "CURVE");
            let ok = req[6] == allowed_key.as_bytes()[..];
            let status = if ok { "200" } else { "400" };
            let reply = ["1.0", "1", status, "", "user", ""];
            if zap.send_multipart(reply).await.is_err() {
                break;
            }
        }
    });
    let (pull, ep) = server(&ctx, SocketType::Pull, &keys, "tcp://127.0.0.1:*");
    let mut events = pull.monitor_events(EventMask::ALL);
    let refused = client(&ctx, SocketType::Push, &keys);
    let mut refused_events = refused.monitor_events(EventMask::ALL);
    refused.connect(&ep).unwrap();
    refused.send("must not arrive").await.unwrap();
    assert_eq!(
        wait_for(&mut events, EventType::HandshakeFailedAuth).await,
        400
    );
    assert_eq!(
        wait_for(&mut refused_events, EventType::HandshakeFailedAuth).await,
        400
    );
    let ok = socket(&ctx, SocketType::Push);
    ok.set_option(SocketOption::CurveServerKey(keys.public))
        .unwrap();
    ok.set_option(SocketOption::CurvePublicKey(allowed.public))
        .unwrap();
    ok.set_option(SocketOption::CurveSecretKey(allowed.secret))
        .unwrap();
    ok.connect(&ep).unwrap();
    ok.send("allowed").await.unwrap();
    let got = tokio::time::timeout(DEADLINE, pull.recv_string()).await;
    assert_eq!(got.unwrap().unwrap(), "allowed");
}

#[tokio::test]
async fn missing_keys_fail_at_bind_and_connect() {
    let ctx = Context::new();
    let s = socket(&ctx, SocketType::Pull);
    s.set_option(SocketOption::CurveServer(true)).unwrap();
    assert!(matches!(
        s.bind("tcp://127.0.0.1:*"),
        Err(Error::MissingKey("curve_secretkey"))
    ));
    // inproc connections use no mechanism.
    s.bind("inproc://curve-missing-keys").unwrap();
    let c = socket(&ctx, SocketType::Push);
    let keys = curve_keypair().unwrap();
    c.set_option(SocketOption::CurveSecretKey(keys.secret.clone()))
        .unwrap();
    c.set_option(SocketOption::CurveServerKey(keys.public))
        .unwrap();
    assert!(matches!(
        c.connect("tcp://127.0.0.1:5"),
        Err(Error::MissingKey("curve_publickey"))
    ));
    for bad in [&b"short"[..], &[0u8; 33][..], &[b'~'; 40][..]] {
        assert!(c.set_option_named("curve_publickey", bad.to_vec()).is_err());
    }
    assert_eq!(
        c.get_option(SockOpt::CurveSecretKey).unwrap(),
        keys.secret.as_bytes().to_vec().into()
    );
}
