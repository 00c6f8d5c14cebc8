//! tcp socket settings: each is read back from the file descriptor of a real connection,
//! or shown by its effect (backlog, connect timeout, dual stack).

use std::time::Duration;

use socket2::SockRef;
use zmtp_transport::{Endpoint, Listener, Stream, TcpOptions, TransportError, connect_with};

fn ep(s: &str) -> Endpoint {
    s.parse().expect("endpoint")
}

fn tcp(stream: &Stream) -> SockRef<'_> {
    match stream {
        Stream::Tcp(s) => SockRef::from(s),
        Stream::Ipc(_) => panic!("expected a tcp stream"),
    }
}

fn opts() -> TcpOptions {
    TcpOptions {
        keepalive: Some(true),
        keepalive_count: Some(7),
        keepalive_idle: Some(Duration::from_secs(61)),
        keepalive_interval: Some(Duration::from_secs(13)),
        max_retransmit: Some(Duration::from_millis(4500)),
        send_buffer: Some(64 * 1024),
        recv_buffer: Some(96 * 1024),
        tos: Some(0x28),
        bind_to_device: Some(b"lo".to_vec()),
        ..TcpOptions::default()
    }
}

fn check(s: SockRef<'_>, side: &str) {
    assert!(s.keepalive().expect("SO_KEEPALIVE"), "{side}: keepalive");
    assert_eq!(s.tcp_keepalive_retries().expect("TCP_KEEPCNT"), 7, "{side}");
    assert_eq!(
        s.tcp_keepalive_time().expect("TCP_KEEPIDLE"),
        Duration::from_secs(61),
        "{side}"
    );
    assert_eq!(
        s.tcp_keepalive_interval().expect("TCP_KEEPINTVL"),
        Duration::from_secs(13),
        "{side}"
    );
    assert_eq!(
        s.tcp_user_timeout().expect("TCP_USER_TIMEOUT"),
        Some(Duration::from_millis(4500)),
        "{side}"
    );
    // Linux doubles the requested buffer sizes for its own bookkeeping.
    assert!(
        s.send_buffer_size().expect("SO_SNDBUF") >= 64 * 1024,
        "{side}"
    );
    assert!(
        s.recv_buffer_size().expect("SO_RCVBUF") >= 96 * 1024,
        "{side}"
    );
    assert_eq!(s.tos_v4().expect("IP_TOS"), 0x28, "{side}");
    assert_eq!(
        s.device().expect("SO_BINDTODEVICE").as_deref(),
        Some(&b"lo"[..]),
        "{side}"
    );
}

#[tokio::test]
async fn settings_reach_both_ends_of_a_connection() {
    let o = opts();
    let mut listener = Listener::bind_with(&ep("tcp://127.0.0.1:*"), &o).expect("bind");
    let target = listener.local_endpoint();
    let (dialed, accepted) = tokio::join!(connect_with(&target, &o), listener.accept());
    let dialed = dialed.expect("connect");
    let (accepted, _) = accepted.expect("accept");
    check(tcp(&dialed), "connect side");
    check(tcp(&accepted), "accept side");
}

#[tokio::test]
async fn defaults_leave_keepalive_off() {
    let mut listener = Listener::bind(&ep("tcp://127.0.0.1:*")).expect("bind");
    let target = listener.local_endpoint();
    let none = TcpOptions::default();
    let (dialed, accepted) = tokio::join!(connect_with(&target, &none), listener.accept());
    let dialed = dialed.expect("connect");
    let (accepted, _) = accepted.expect("accept");
    assert!(!tcp(&dialed).keepalive().expect("read"));
    assert!(!tcp(&accepted).keepalive().expect("read"));
}

#[tokio::test]
async fn a_full_backlog_makes_connects_time_out() {
    // A listener that never accepts, with the smallest backlog: once its queue is full,
    // further connection attempts get no answer and CONNECT_TIMEOUT ends them.
    let small = TcpOptions {
        backlog: Some(0),
        ..TcpOptions::default()
    };
    let listener = Listener::bind_with(&ep("tcp://127.0.0.1:*"), &small).expect("bind");
    let target = listener.local_endpoint();
    let limited = TcpOptions {
        connect_timeout: Some(Duration::from_millis(200)),
        ..TcpOptions::default()
    };
    let mut kept = Vec::new();
    let mut timed_out = false;
    for _ in 0..16 {
        match connect_with(&target, &limited).await {
            Ok(s) => kept.push(s),
            Err(TransportError::Io(e)) if e.kind() == std::io::ErrorKind::TimedOut => {
                timed_out = true;
                break;
            }
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    assert!(
        timed_out,
        "{} connections queued without a timeout",
        kept.len()
    );
    assert!(
        kept.len() <= 4,
        "backlog 0 queued {} connections",
        kept.len()
    );
    drop(listener);
}

#[tokio::test]
async fn ipv6_makes_a_wildcard_bind_dual_stack() {
    let dual = TcpOptions {
        ipv6: true,
        ..TcpOptions::default()
    };
    let listener = Listener::bind_with(&ep("tcp://*:*"), &dual).expect("bind");
    let Endpoint::Tcp { port, .. } = listener.local_endpoint() else {
        panic!("tcp endpoint");
    };
    let port = match port {
        zmtp_transport::Port::Num(p) => p,
        zmtp_transport::Port::Any => panic!("port resolved"),
    };
    for target in [
        format!("tcp://127.0.0.1:{port}"),
        format!("tcp://[::1]:{port}"),
    ] {
        connect_with(&ep(&target), &dual)
            .await
            .unwrap_or_else(|e| panic!("{target}: {e}"));
    }
    // Without IPV6, as in libzmq: an IPv6 literal is not used, a bind to one fails with
    // ENODEV, and the wildcard is IPv4 only.
    let none = TcpOptions::default();
    let r = connect_with(&ep(&format!("tcp://[::1]:{port}")), &none).await;
    assert!(matches!(r, Err(TransportError::Resolve(_))), "{r:?}");
    let r = Listener::bind(&ep("tcp://[::1]:*"));
    assert!(
        matches!(&r, Err(TransportError::Io(e)) if e.raw_os_error() == Some(libc::ENODEV)),
        "{r:?}"
    );
    let v4 = Listener::bind(&ep("tcp://*:*")).expect("bind");
    let Endpoint::Tcp { port, .. } = v4.local_endpoint() else {
        panic!("tcp endpoint");
    };
    let zmtp_transport::Port::Num(port) = port else {
        panic!("port resolved");
    };
    let r = connect_with(&ep(&format!("tcp://[::1]:{port}")), &dual).await;
    assert!(r.is_err(), "{r:?}");
}
