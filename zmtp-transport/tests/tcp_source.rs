//! `tcp://source;host:port`: a connect from a chosen local address (libzmq's form).

use std::net::{IpAddr, Ipv4Addr};

use zmtp_transport::{Endpoint, Host, Listener, Port, Stream, TcpSource, TransportError, connect};

fn ep(s: &str) -> Endpoint {
    s.parse().expect("endpoint")
}

fn v4(d: u8) -> Host {
    Host::Ip(IpAddr::V4(Ipv4Addr::new(127, 0, 0, d)))
}

#[test]
fn parses_and_prints_back() {
    let e = ep("tcp://127.0.0.2:7000;127.0.0.1:5555");
    assert_eq!(
        e,
        Endpoint::Tcp {
            host: v4(1),
            port: Port::Num(5555),
            source: Some(TcpSource {
                host: v4(2),
                port: Port::Num(7000),
            }),
        }
    );
    assert_eq!(e.to_string(), "tcp://127.0.0.2:7000;127.0.0.1:5555");
    assert_eq!(ep(&e.to_string()), e);
    // Without a source port, any port; bracketed IPv6 with and without a port.
    let Endpoint::Tcp {
        source: Some(src), ..
    } = ep("tcp://127.0.0.2;127.0.0.1:5555")
    else {
        panic!("source");
    };
    assert_eq!(src.port, Port::Any);
    for s in ["tcp://[::1];[::1]:5555", "tcp://[::1]:6000;[::1]:5555"] {
        let e = ep(s);
        assert_eq!(ep(&e.to_string()), e, "{s}");
    }
}

#[tokio::test]
async fn bind_refuses_a_source() {
    let r = Listener::bind(&ep("tcp://127.0.0.2;127.0.0.1:*"));
    assert!(matches!(r, Err(TransportError::Invalid { .. })), "{r:?}");
}

fn peer(s: &Stream) -> std::net::SocketAddr {
    match s {
        Stream::Tcp(t) => t.peer_addr().expect("peer address"),
        Stream::Ipc(_) => panic!("tcp expected"),
    }
}

#[tokio::test]
async fn the_connection_comes_from_the_source_address() {
    let mut listener = Listener::bind(&ep("tcp://127.0.0.1:*")).expect("bind");
    let Endpoint::Tcp {
        port: Port::Num(port),
        ..
    } = listener.local_endpoint()
    else {
        panic!("bound tcp endpoint");
    };
    // Any source port from 127.0.0.7.
    let target = ep(&format!("tcp://127.0.0.7;127.0.0.1:{port}"));
    let (dialed, accepted) = tokio::join!(connect(&target), listener.accept());
    let _dialed = dialed.expect("connect");
    let (accepted, address) = accepted.expect("accept");
    assert_eq!(address, "127.0.0.7");
    // A fixed source port, from a port we know is free: bind then release one.
    let probe = std::net::TcpListener::bind("127.0.0.8:0").expect("probe");
    let free = probe.local_addr().expect("addr").port();
    drop(probe);
    let target = ep(&format!("tcp://127.0.0.8:{free};127.0.0.1:{port}"));
    let (dialed, accepted2) = tokio::join!(connect(&target), listener.accept());
    let _dialed = dialed.expect("connect");
    let (accepted2, _) = accepted2.expect("accept");
    assert_eq!(peer(&accepted2).port(), free);
    drop(accepted);
}

#[test]
fn ipv6_zone_ids_parse_and_print_back() {
    let e = ep("tcp://[fe80::1%eth0]:5555");
    let Endpoint::Tcp { host, .. } = &e else {
        panic!("tcp");
    };
    assert_eq!(
        *host,
        Host::Ip6Zone("fe80::1".parse().expect("v6"), "eth0".to_owned())
    );
    assert_eq!(e.to_string(), "tcp://[fe80::1%eth0]:5555");
    assert_eq!(ep(&e.to_string()), e);
}

#[tokio::test]
async fn a_zone_id_names_the_interface_to_use() {
    let v6 = zmtp_transport::TcpOptions {
        ipv6: true,
        ..Default::default()
    };
    let mut listener = Listener::bind_with(&ep("tcp://[::1]:*"), &v6).expect("bind");
    let Endpoint::Tcp {
        port: Port::Num(port),
        ..
    } = listener.local_endpoint()
    else {
        panic!("bound tcp endpoint");
    };
    // By interface name and by number (`lo` is interface 1).
    for zone in ["lo", "1"] {
        let target = ep(&format!("tcp://[::1%{zone}]:{port}"));
        let (dialed, accepted) = tokio::join!(
            zmtp_transport::connect_with(&target, &v6),
            listener.accept()
        );
        dialed.unwrap_or_else(|e| panic!("{zone}: {e}"));
        accepted.expect("accept");
    }
    // An interface that does not exist: ENODEV, as libzmq reports it.
    let target = ep(&format!("tcp://[::1%nosuchif0]:{port}"));
    let r = zmtp_transport::connect_with(&target, &v6).await;
    assert!(
        matches!(&r, Err(TransportError::Io(e)) if e.raw_os_error() == Some(19)),
        "{r:?}"
    );
}
