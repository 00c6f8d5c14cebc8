//! The builder (Racket's `zmq-socket` keywords, applied in order) and endpoint lists.

use std::time::Duration;

use zmtp_api::{Context, EndpointMode, Error, OptionValue, SockOpt, Socket, SocketType, blocking};

const T: Duration = Duration::from_secs(10);

#[tokio::test]
async fn default_linger_is_100ms() {
    for s in [
        Socket::new(SocketType::Push).unwrap(),
        Socket::builder(SocketType::Push).build().unwrap(),
    ] {
        assert_eq!(
            s.get_option(SockOpt::Linger).unwrap(),
            OptionValue::Int(100)
        );
    }
    assert_eq!(zmtp_api::DEFAULT_LINGER, Duration::from_millis(100));
}

#[tokio::test]
async fn settings_apply_in_racket_order() {
    // Options come after linger, identity after options.
    let s = Socket::builder(SocketType::Dealer)
        .identity("from-identity")
        .option(SockOpt::Identity, "from-option")
        .option(SockOpt::Linger, 5)
        .linger(Duration::from_millis(7))
        .build()
        .unwrap();
    assert_eq!(s.get_option(SockOpt::Linger).unwrap(), OptionValue::Int(5));
    assert_eq!(
        s.get_option(SockOpt::Identity).unwrap(),
        OptionValue::from("from-identity")
    );

    // Subscribe comes before bind: a failing subscribe leaves the endpoint unbound.
    let r = Socket::builder(SocketType::Push)
        .bind("inproc://builder-order")
        .subscribe("x")
        .build();
    assert!(matches!(r, Err(Error::NotSupported(SocketType::Push))));
    Socket::new(SocketType::Pull)
        .unwrap()
        .bind("inproc://builder-order")
        .unwrap();

    // Bind comes before connect: a socket can connect to its own fresh endpoint.
    let pair = Socket::builder(SocketType::Dealer)
        .connect("inproc://builder-self")
        .bind("inproc://builder-self")
        .build()
        .unwrap();
    assert_eq!(
        pair.endpoints(EndpointMode::Bind).unwrap(),
        ["inproc://builder-self"]
    );
    assert_eq!(
        pair.endpoints(EndpointMode::Connect).unwrap(),
        ["inproc://builder-self"]
    );

    // A failing connect closes the half-built socket.
    let r = Socket::builder(SocketType::Push)
        .connect("tcp://*:5")
        .build();
    assert!(matches!(r, Err(Error::InvalidEndpoint(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_and_subscriptions_are_in_place_before_connecting() {
    let router = Socket::builder(SocketType::Router)
        .bind("tcp://127.0.0.1:*")
        .build()
        .unwrap();
    let ep = router.last_endpoint().unwrap().unwrap();
    let dealer = Socket::builder(SocketType::Dealer)
        .identity("d1")
        .connect(&ep)
        .build()
        .unwrap();
    dealer.send("hi").await.unwrap();
    let m = tokio::time::timeout(T, router.recv_multipart())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m, ["d1", "hi"]);

    let publisher = Socket::builder(SocketType::Pub)
        .bind("tcp://127.0.0.1:*")
        .build()
        .unwrap();
    let ep = publisher.last_endpoint().unwrap().unwrap();
    let sub = Socket::builder(SocketType::Sub)
        .subscribe("a")
        .subscribe("b")
        .connect(&ep)
        .build()
        .unwrap();
    let deadline = tokio::time::Instant::now() + T;
    let mut seen = std::collections::BTreeSet::new();
    while seen.len() < 2 {
        assert!(tokio::time::Instant::now() < deadline);
        for m in ["a1", "b1", "c1"] {
            publisher.send(m).await.unwrap();
        }
        while let Ok(Ok(m)) =
            tokio::time::timeout(Duration::from_millis(20), sub.recv_string()).await
        {
            assert_ne!(m, "c1");
            seen.insert(m);
        }
    }
}

#[tokio::test]
async fn blocking_builder_in_its_own_context() {
    let ctx = Context::new();
    let pull = blocking::Socket::builder(SocketType::Pull)
        .context(&ctx)
        .bind("inproc://builder-ctx")
        .build()
        .unwrap();
    // The name is private to `ctx`.
    let other = Socket::new(SocketType::Pull).unwrap();
    other.bind("inproc://builder-ctx").unwrap();
    let pull = pull.into_async();
    let push = Socket::builder(SocketType::Push)
        .context(&ctx)
        .connect("inproc://builder-ctx")
        .build()
        .unwrap();
    push.send("in ctx").await.unwrap();
    assert_eq!(
        tokio::time::timeout(T, pull.recv()).await.unwrap().unwrap(),
        "in ctx"
    );
    assert!(other.try_recv_message().unwrap().is_none());
}

#[tokio::test]
async fn one_or_many_endpoints() {
    let s = Socket::new(SocketType::Pull).unwrap();
    let owned = String::from("inproc://eps-3");
    s.bind("inproc://eps-1").unwrap();
    s.bind(["inproc://eps-2"]).unwrap();
    s.bind(&owned).unwrap();
    s.bind(vec![
        "inproc://eps-4".to_string(),
        "inproc://eps-5".to_string(),
    ])
    .unwrap();
    s.bind(&["inproc://eps-6"][..]).unwrap();
    s.bind(Vec::<String>::new()).unwrap();
    assert_eq!(
        s.endpoints(EndpointMode::Bind).unwrap(),
        [
            "inproc://eps-6",
            "inproc://eps-5",
            "inproc://eps-4",
            "inproc://eps-3",
            "inproc://eps-2",
            "inproc://eps-1"
        ]
    );
    s.unbind(["inproc://eps-1", "inproc://eps-5"]).unwrap();
    assert_eq!(s.endpoints(EndpointMode::Bind).unwrap().len(), 4);
    assert!(
        matches!(s.unbind("inproc://eps-1"), Err(Error::NoSuchEndpoint(e)) if e == "inproc://eps-1")
    );
    // Earlier endpoints of a list stay done when a later one fails.
    let r = s.unbind(["inproc://eps-2", "inproc://nope"]);
    assert!(matches!(r, Err(Error::NoSuchEndpoint(_))));
    assert_eq!(s.endpoints(EndpointMode::Bind).unwrap().len(), 3);

    s.connect(["tcp://127.0.0.1:5999", "inproc://eps-c"])
        .unwrap();
    assert_eq!(
        s.endpoints(EndpointMode::Connect).unwrap(),
        ["inproc://eps-c", "tcp://127.0.0.1:5999"]
    );
    s.disconnect("inproc://eps-c").unwrap();
    assert!(matches!(
        s.disconnect("inproc://eps-c"),
        Err(Error::NoSuchEndpoint(_))
    ));
    assert_eq!(
        s.endpoints(EndpointMode::Connect).unwrap(),
        ["tcp://127.0.0.1:5999"]
    );
}

#[tokio::test]
async fn wildcard_ports_are_listed_resolved_and_unbound_by_that_name() {
    let s = Socket::new(SocketType::Pull).unwrap();
    s.bind(["tcp://127.0.0.1:*", "tcp://127.0.0.1:0"]).unwrap();
    let eps = s.endpoints(EndpointMode::Bind).unwrap();
    assert_eq!(eps.len(), 2);
    for ep in &eps {
        let port: u16 = ep.rsplit(':').next().unwrap().parse().unwrap();
        assert_ne!(port, 0);
    }
    assert!(matches!(
        s.unbind("tcp://127.0.0.1:*"),
        Err(Error::NoSuchEndpoint(_))
    ));
    s.unbind(&eps).unwrap();
    assert!(s.endpoints(EndpointMode::Bind).unwrap().is_empty());
}

#[tokio::test]
async fn relative_ipc_paths_are_made_absolute() {
    let name = format!("zmtp-api-rel-{}.sock", std::process::id());
    let s = Socket::new(SocketType::Pull).unwrap();
    s.bind(format!("ipc://{name}").as_str()).unwrap();
    let cwd = std::env::current_dir().unwrap();
    let expected = format!("ipc://{}", cwd.join(&name).display());
    if expected.len() - "ipc://".len() > 107 {
        return; // too long for a socket path in this checkout; nothing to check
    }
    assert_eq!(s.endpoints(EndpointMode::Bind).unwrap(), [expected]);
    // Unbinding by the relative name works too.
    s.unbind(format!("ipc://{name}").as_str()).unwrap();
    let _ = std::fs::remove_file(cwd.join(&name));
}

#[tokio::test]
async fn invalid_and_busy_endpoints() {
    let s = Socket::new(SocketType::Pull).unwrap();
    for bad in [
        "nonsense",
        "tcp://127.0.0.1",
        "ws://x:1",
        "tcp://[::1:5",
        "inproc://",
    ] {
        assert!(
            matches!(s.bind(bad), Err(Error::InvalidEndpoint(_))),
            "{bad}"
        );
        assert!(
            matches!(s.bind_unchecked(bad), Err(Error::InvalidEndpoint(_))),
            "{bad}"
        );
    }
    let ep = s.bind_one("tcp://127.0.0.1:*").unwrap();
    let t = Socket::new(SocketType::Pull).unwrap();
    assert!(matches!(t.bind(&ep), Err(Error::AddrInUse(_))));
    s.close();
    assert!(matches!(s.bind("inproc://closed"), Err(Error::Closed)));
    assert!(matches!(s.connect("inproc://closed"), Err(Error::Closed)));
}
