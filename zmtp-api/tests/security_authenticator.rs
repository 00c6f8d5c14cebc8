//! The built-in ZAP authenticator judging real handshakes: PLAIN users, CURVE keys,
//! address lists, and the one-handler-per-context rule.

use std::time::Duration;

use zmtp_api::{Authenticator, Context, Error, Socket, SocketOption, SocketType, curve_keypair};

const DEADLINE: Duration = Duration::from_secs(10);

fn socket(ctx: &Context, kind: SocketType) -> Socket {
    let s = ctx.socket(kind).unwrap();
    s.set_option(SocketOption::Linger(0)).unwrap();
    s
}

/// Sends from `push` until `pull` receives, or the quiet period passes with nothing.
async fn delivered(push: &Socket, pull: &Socket, quiet: Duration) -> bool {
    push.send("probe").await.unwrap();
    matches!(
        tokio::time::timeout(quiet, pull.recv_string()).await,
        Ok(Ok(s)) if s == "probe"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_users_are_checked() {
    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.add_plain_user("admin", "secret");
    let pull = socket(&ctx, SocketType::Pull);
    pull.set_option(SocketOption::PlainServer(true)).unwrap();
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let ep = pull.last_endpoint().unwrap().unwrap();
    let client = |user: &'static str, pass: &'static str| {
        let s = socket(&ctx, SocketType::Push);
        s.set_option(SocketOption::PlainUsername(user.into()))
            .unwrap();
        s.set_option(SocketOption::PlainPassword(pass.into()))
            .unwrap();
        s.connect(&ep).unwrap();
        s
    };
    let bad = client("admin", "guess");
    assert!(!delivered(&bad, &pull, Duration::from_millis(300)).await);
    let good = client("admin", "secret");
    assert!(delivered(&good, &pull, DEADLINE).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curve_keys_and_addresses_are_checked() {
    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    let server_keys = curve_keypair().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    pull.set_option(SocketOption::CurveServer(true)).unwrap();
    pull.set_option(SocketOption::CurveSecretKey(server_keys.secret.clone()))
        .unwrap();
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let ep = pull.last_endpoint().unwrap().unwrap();
    let client = |keys: &zmtp_api::CurveKeypair| {
        let s = socket(&ctx, SocketType::Push);
        s.set_option(SocketOption::CurveServerKey(server_keys.public))
            .unwrap();
        s.set_option(SocketOption::CurvePublicKey(keys.public))
            .unwrap();
        s.set_option(SocketOption::CurveSecretKey(keys.secret.clone()))
            .unwrap();
        s.connect(&ep).unwrap();
        s
    };
    let known = curve_keypair().unwrap();
    let stranger = client(&curve_keypair().unwrap());
    assert!(!delivered(&stranger, &pull, Duration::from_millis(300)).await);
    auth.allow_curve_key(known.public);
    let friend = client(&known);
    assert!(delivered(&friend, &pull, DEADLINE).await);
    // An allow list without our address refuses even a known key.
    auth.allow(["10.9.9.9"]);
    let late = client(&known);
    drop(friend);
    assert!(!delivered(&late, &pull, Duration::from_millis(300)).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_handler_per_context() {
    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    let app_handler = socket(&ctx, SocketType::Rep);
    assert!(matches!(
        app_handler.bind("inproc://zeromq.zap.01"),
        Err(Error::AddrInUse(_))
    ));
    // Another context has its own handler endpoint.
    let other = Authenticator::start(&Context::new()).unwrap();
    auth.stop();
    // Stopping frees the endpoint (polling: the unbind completes asynchronously).
    let deadline = std::time::Instant::now() + DEADLINE;
    while app_handler.bind("inproc://zeromq.zap.01").is_err() {
        assert!(std::time::Instant::now() < deadline, "endpoint never freed");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    other.stop();
}
