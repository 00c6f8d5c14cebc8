//! tcp:// bind, connect, accept (loopback only).

mod common;

use std::net::{IpAddr, Ipv4Addr};

use common::{ep, exchange, within};
use zmtp_transport::{Endpoint, Host, Listener, Port, Stream, TransportError, connect};

fn port_of(e: &Endpoint) -> u16 {
    match e {
        Endpoint::Tcp {
            port: Port::Num(p), ..
        } => *p,
        other => panic!("not a bound tcp endpoint: {other}"),
    }
}

async fn connect_and_accept(
    listener: &mut Listener,
    target: &Endpoint,
) -> (Stream, Stream, String) {
    let (dialed, accepted) = within("connect+accept", async {
        tokio::join!(connect(target), listener.accept())
    })
    .await;
    let dialed = dialed.expect("connect");
    let (accepted, peer) = accepted.expect("accept");
    (dialed, accepted, peer)
}

fn assert_nodelay(s: &Stream) {
    match s {
        Stream::Tcp(t) => assert!(t.nodelay().expect("nodelay"), "TCP_NODELAY not set"),
        Stream::Ipc(_) => panic!("expected a tcp stream"),
    }
}

#[tokio::test]
async fn ephemeral_bind_connect_exchange() {
    let mut listener = Listener::bind(&ep("tcp://127.0.0.1:*")).expect("bind");
    let local = listener.local_endpoint();
    assert!(port_of(&local) != 0);
    assert!(local.to_string().starts_with("tcp://127.0.0.1:"), "{local}");
    assert!(!local.is_wildcard_bind());

    let (mut dialed, mut accepted, peer) = connect_and_accept(&mut listener, &local).await;
    assert_eq!(peer, "127.0.0.1");
    assert_eq!(accepted.peer_address(), "127.0.0.1");
    assert_eq!(dialed.peer_address(), "127.0.0.1");
    assert_nodelay(&dialed);
    assert_nodelay(&accepted);
    exchange(&mut dialed, &mut accepted).await;
    exchange(&mut accepted, &mut dialed).await;
}

#[tokio::test]
async fn wildcard_host_binds_all_ipv4() {
    let mut listener = Listener::bind(&ep("tcp://*:*")).expect("bind");
    let local = listener.local_endpoint();
    let Endpoint::Tcp {
        host,
        port: Port::Num(port),
        ..
    } = &local
    else {
        panic!("{local}");
    };
    assert_eq!(*host, Host::Ip(IpAddr::V4(Ipv4Addr::UNSPECIFIED)));
    assert_eq!(local.to_string(), format!("tcp://0.0.0.0:{port}"));
    let target = ep(&format!("tcp://127.0.0.1:{port}"));
    let (mut a, mut b, _) = connect_and_accept(&mut listener, &target).await;
    exchange(&mut a, &mut b).await;
}

#[tokio::test]
async fn rebind_same_port_right_after_drop() {
    let mut listener = Listener::bind(&ep("tcp://127.0.0.1:*")).expect("bind");
    let local = listener.local_endpoint();
    // A connection closed by the listening side first leaves TIME_WAIT behind.
    let (mut dialed, mut accepted, _) = connect_and_accept(&mut listener, &local).await;
    exchange(&mut dialed, &mut accepted).await;
    drop(accepted);
    drop(listener);
    drop(dialed);

    let mut again = Listener::bind(&local).expect("rebind immediately");
    assert_eq!(again.local_endpoint(), local);
    let (mut a, mut b, _) = connect_and_accept(&mut again, &local).await;
    exchange(&mut a, &mut b).await;
}

#[tokio::test]
async fn second_bind_is_addr_in_use() {
    let listener = Listener::bind(&ep("tcp://127.0.0.1:*")).expect("bind");
    let local = listener.local_endpoint();
    match Listener::bind(&local) {
        Err(TransportError::AddrInUse(s)) => assert_eq!(s, local.to_string()),
        other => panic!("expected AddrInUse, got {other:?}"),
    }
}

#[tokio::test]
async fn localhost_name_bind_and_connect() {
    let mut listener = Listener::bind(&ep("tcp://localhost:*")).expect("bind localhost");
    let local = listener.local_endpoint();
    let Endpoint::Tcp {
        host: Host::Ip(ip),
        port: Port::Num(port),
        ..
    } = local
    else {
        panic!("{local}");
    };
    assert!(ip.is_loopback(), "{ip}");
    let target = ep(&format!("tcp://localhost:{port}"));
    let (mut a, mut b, _) = connect_and_accept(&mut listener, &target).await;
    exchange(&mut a, &mut b).await;
}

#[tokio::test]
async fn ipv6_loopback_if_available() {
    let mut listener = match Listener::bind(&ep("tcp://[::1]:*")) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("skipping: no IPv6 loopback here ({e})");
            return;
        }
    };
    let local = listener.local_endpoint();
    let port = port_of(&local);
    assert_eq!(local.to_string(), format!("tcp://[::1]:{port}"));
    let (mut a, mut b, peer) = connect_and_accept(&mut listener, &local).await;
    assert_eq!(peer, "::1");
    exchange(&mut a, &mut b).await;
}

#[tokio::test]
async fn connect_refused_is_io_error() {
    let listener = Listener::bind(&ep("tcp://127.0.0.1:*")).expect("bind");
    let local = listener.local_endpoint();
    drop(listener);
    match within("connect", connect(&local)).await {
        Err(TransportError::Io(e)) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionRefused),
        other => panic!("expected a refused connection, got {other:?}"),
    }
}

#[tokio::test]
async fn connect_rejects_wildcards_and_inproc() {
    for s in ["tcp://*:5555", "tcp://127.0.0.1:*", "inproc://x"] {
        match connect(&ep(s)).await {
            Err(TransportError::Invalid { .. }) => {}
            other => panic!("{s}: expected Invalid, got {other:?}"),
        }
    }
    match Listener::bind(&ep("inproc://x")) {
        Err(TransportError::Invalid { .. }) => {}
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[tokio::test]
async fn unresolvable_name_is_resolve_error() {
    // `.invalid` never resolves (RFC 6761); a slow resolver only makes this inconclusive.
    let target = ep("tcp://no-such-host.invalid:5555");
    match tokio::time::timeout(common::DEADLINE, connect(&target)).await {
        Ok(Err(TransportError::Resolve(s))) => assert_eq!(s, target.to_string()),
        Ok(other) => panic!("expected Resolve, got {other:?}"),
        Err(_) => eprintln!("resolver too slow; inconclusive"),
    }
}

#[test]
fn bind_outside_runtime_is_an_error() {
    match Listener::bind(&ep("tcp://127.0.0.1:*")) {
        Err(TransportError::NoRuntime) => {}
        other => panic!("expected NoRuntime, got {other:?}"),
    }
}

#[test]
fn bind_under_runtime_enter() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let _guard = rt.enter();
    let listener = Listener::bind(&ep("tcp://127.0.0.1:*")).expect("bind under enter()");
    assert!(port_of(&listener.local_endpoint()) != 0);
}

#[tokio::test]
async fn accept_is_cancel_safe() {
    let mut listener = Listener::bind(&ep("tcp://127.0.0.1:*")).expect("bind");
    let local = listener.local_endpoint();
    // Start and abandon an accept; no connection may be lost.
    let abandoned =
        tokio::time::timeout(std::time::Duration::from_millis(1), listener.accept()).await;
    assert!(abandoned.is_err());
    let (mut a, mut b, _) = connect_and_accept(&mut listener, &local).await;
    exchange(&mut a, &mut b).await;
}
