//! The tcp socket options by name: each reads back what was set (as in libzmq), rejects
//! values out of range, and reaches the sockets zmtp makes (the transport's own tests
//! read every setting back from the descriptor; here IPV6 is shown by its effect).

use std::time::Duration;

use zmtp_api::{Error, OptionValue, SockOpt, Socket, SocketType};

const DEADLINE: Duration = Duration::from_secs(10);

#[tokio::test]
async fn each_reads_back_what_was_set() {
    let s = Socket::new(SocketType::Dealer).unwrap();
    let ints: &[(SockOpt, i64, i64)] = &[
        (SockOpt::Backlog, 100, 7),
        (SockOpt::ConnectTimeout, 0, 250),
        (SockOpt::Ipv6, 0, 1),
        (SockOpt::RcvBuf, -1, 65536),
        (SockOpt::SndBuf, -1, 0),
        (SockOpt::TcpKeepalive, -1, 1),
        (SockOpt::TcpKeepaliveCnt, -1, 5),
        (SockOpt::TcpKeepaliveIdle, -1, 60),
        (SockOpt::TcpKeepaliveIntvl, -1, 10),
        (SockOpt::TcpMaxrt, 0, 3000),
        (SockOpt::Tos, 0, 0x28),
    ];
    for &(opt, default, value) in ints {
        assert_eq!(
            s.get_option(opt).unwrap(),
            OptionValue::Int(default),
            "{opt} default"
        );
        s.set_option_value(opt, value).unwrap();
        assert_eq!(s.get_option(opt).unwrap(), OptionValue::Int(value), "{opt}");
    }
    s.set_option_value(SockOpt::BindToDevice, "lo").unwrap();
    assert_eq!(
        s.get_option(SockOpt::BindToDevice).unwrap(),
        OptionValue::Bytes("lo".into())
    );
}

#[tokio::test]
async fn out_of_range_values_are_refused() {
    let s = Socket::new(SocketType::Dealer).unwrap();
    for (opt, bad) in [
        (SockOpt::TcpKeepalive, 2),
        (SockOpt::TcpKeepaliveCnt, -2),
        (SockOpt::SndBuf, -5),
        (SockOpt::Backlog, -1),
        (SockOpt::Tos, -1),
        (SockOpt::TcpMaxrt, -1),
    ] {
        let r = s.set_option_value(opt, bad);
        assert!(
            matches!(r, Err(Error::InvalidOptionValue(_))),
            "{opt} = {bad}: {r:?}"
        );
    }
}

async fn ipv6_reachable(ipv6: bool) -> bool {
    let server = Socket::new(SocketType::Pull).unwrap();
    server
        .set_option_value(SockOpt::Ipv6, i64::from(ipv6))
        .unwrap();
    let bound = server.bind_one("tcp://*:*").unwrap();
    let port = bound.rsplit(':').next().unwrap().to_owned();
    let client = Socket::new(SocketType::Push).unwrap();
    client.set_option_value(SockOpt::Linger, 0).unwrap();
    client.set_option_value(SockOpt::Ipv6, 1).unwrap();
    client
        .connect(format!("tcp://[::1]:{port}").as_str())
        .unwrap();
    client.send("over v6").await.unwrap();
    // Without dual stack the connection is refused and the message waits forever;
    // give it the deadline only in the case that must succeed.
    let wait = if ipv6 {
        DEADLINE
    } else {
        Duration::from_millis(500)
    };
    tokio::time::timeout(wait, server.recv()).await.is_ok()
}

#[tokio::test]
async fn ipv6_makes_a_wildcard_bind_reachable_over_ipv6() {
    assert!(ipv6_reachable(true).await);
    assert!(!ipv6_reachable(false).await);
}

#[tokio::test]
async fn connect_from_a_source_address() {
    let server = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = server.local_addr().unwrap().port();
    let client = Socket::new(SocketType::Push).unwrap();
    client.set_option_value(SockOpt::Linger, 0).unwrap();
    client
        .connect(format!("tcp://127.0.0.9;127.0.0.1:{port}").as_str())
        .unwrap();
    let (_conn, from) = tokio::time::timeout(DEADLINE, server.accept())
        .await
        .expect("a connection before the deadline")
        .unwrap();
    assert_eq!(from.ip().to_string(), "127.0.0.9");
    assert_eq!(
        client.last_endpoint().unwrap().unwrap(),
        format!("tcp://127.0.0.9:*;127.0.0.1:{port}")
    );
}
