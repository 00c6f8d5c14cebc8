//! The event sink: lifecycle points report in order, with the endpoint libzmq reports.

use std::time::Duration;

use tokio::sync::mpsc::Receiver;
use zmtp_sockets::{EventKind, Message, Socket, SocketEvent, SocketType};
use zmtp_transport::Endpoint;

const DEADLINE: Duration = Duration::from_secs(10);

async fn next(rx: &mut Receiver<SocketEvent>) -> SocketEvent {
    match tokio::time::timeout(DEADLINE, rx.recv()).await {
        Ok(Some(ev)) => ev,
        other => panic!("no event before the deadline: {other:?}"),
    }
}

fn name(kind: &EventKind) -> &'static str {
    match kind {
        EventKind::Listening => "listening",
        EventKind::BindFailed(_) => "bind_failed",
        EventKind::Accepted => "accepted",
        EventKind::AcceptFailed(_) => "accept_failed",
        EventKind::ConnectDelayed => "connect_delayed",
        EventKind::Connected => "connected",
        EventKind::ConnectRetried(_) => "connect_retried",
        EventKind::Closed => "closed",
        EventKind::HandshakeSucceeded => "handshake_succeeded",
        EventKind::HandshakeFailed(_) => "handshake_failed",
        EventKind::Disconnected(_) => "disconnected",
        _ => "other",
    }
}

#[tokio::test]
async fn tcp_lifecycle_in_order_on_both_sides() {
    let server = Socket::new(SocketType::Pull).expect("socket");
    let client = Socket::new(SocketType::Push).expect("socket");
    let mut sev = server.events(64);
    let mut cev = client.events(64);
    let ep: Endpoint = "tcp://127.0.0.1:*".parse().expect("endpoint");
    let bound = server.bind(&ep).expect("bind");
    client.connect(&bound).expect("connect");
    client
        .send(Message::from(bytes::Bytes::from_static(b"hi")))
        .await
        .expect("send");
    let got = tokio::time::timeout(DEADLINE, server.recv()).await;
    assert!(matches!(got, Ok(Ok(_))));

    let mut seen = Vec::new();
    for _ in 0..3 {
        let ev = next(&mut sev).await;
        assert_eq!(
            ev.endpoint, bound,
            "server events carry the listener endpoint"
        );
        seen.push(name(&ev.kind));
    }
    assert_eq!(seen, ["listening", "accepted", "handshake_succeeded"]);

    let mut seen = Vec::new();
    for _ in 0..3 {
        let ev = next(&mut cev).await;
        assert_eq!(
            ev.endpoint, bound,
            "client events carry the connect endpoint"
        );
        seen.push(name(&ev.kind));
    }
    assert_eq!(
        seen,
        ["connect_delayed", "connected", "handshake_succeeded"]
    );

    // The server goes away: the client sees the disconnect, then a retry.
    server.close();
    server.close_and_flush().await;
    let ev = next(&mut cev).await;
    assert!(matches!(ev.kind, EventKind::Disconnected(_)), "{ev:?}");
    let ev = next(&mut cev).await;
    assert!(matches!(ev.kind, EventKind::ConnectRetried(_)), "{ev:?}");
    // The closed listener reported CLOSED.
    let ev = next(&mut sev).await;
    assert!(matches!(ev.kind, EventKind::Closed), "{ev:?}");
    client.close();
}

#[tokio::test]
async fn bind_failure_and_unbind_are_reported() {
    let a = Socket::new(SocketType::Pull).expect("socket");
    let b = Socket::new(SocketType::Pull).expect("socket");
    let mut bev = b.events(8);
    let ep: Endpoint = "tcp://127.0.0.1:*".parse().expect("endpoint");
    let bound = a.bind(&ep).expect("bind");
    assert!(b.bind(&bound).is_err());
    let ev = next(&mut bev).await;
    assert!(
        matches!(
            ev.kind,
            EventKind::BindFailed(std::io::ErrorKind::AddrInUse)
        ),
        "{ev:?}"
    );
    let mut aev = a.events(8);
    a.unbind(&bound).expect("unbind");
    let ev = next(&mut aev).await;
    assert!(matches!(ev.kind, EventKind::Closed), "{ev:?}");
    assert_eq!(ev.endpoint, bound);
    a.close();
    b.close();
}

#[tokio::test]
async fn a_refused_peer_is_a_failed_handshake() {
    // PUSH cannot talk to PUB: the handshake fails on both sides.
    let server = Socket::new(SocketType::Pub).expect("socket");
    let client = Socket::new(SocketType::Push).expect("socket");
    let mut sev = server.events(16);
    let ep: Endpoint = "tcp://127.0.0.1:*".parse().expect("endpoint");
    let bound = server.bind(&ep).expect("bind");
    client.connect(&bound).expect("connect");
    // libzmq checks the socket type silently: no HANDSHAKE_FAILED_PROTOCOL, only the
    // disconnect, which carries the reason here.
    loop {
        let ev = next(&mut sev).await;
        match ev.kind {
            EventKind::Listening | EventKind::Accepted => continue,
            EventKind::Disconnected(reason) => {
                assert!(reason.is_fatal(), "{reason}");
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    server.close();
    client.close();
}

#[tokio::test]
async fn a_broken_greeting_fails_the_handshake_then_disconnects() {
    use tokio::io::AsyncWriteExt;
    let server = Socket::new(SocketType::Pull).expect("socket");
    let mut sev = server.events(16);
    let ep: Endpoint = "tcp://127.0.0.1:*".parse().expect("endpoint");
    let bound = server.bind(&ep).expect("bind");
    let Endpoint::Tcp { port, .. } = &bound else {
        panic!("not tcp: {bound}");
    };
    let port = port.to_string();
    let mut raw = tokio::net::TcpStream::connect(format!("127.0.0.1:{port}"))
        .await
        .expect("raw connect");
    raw.write_all(&[0x01; 64]).await.expect("write");
    let mut seen = Vec::new();
    while seen.last() != Some(&"disconnected") {
        let ev = next(&mut sev).await;
        if let EventKind::HandshakeFailed(e) = &ev.kind {
            let t = ev.kind.event_type();
            assert_eq!(t.code(), 0x2000, "a protocol failure: {e}");
        }
        seen.push(name(&ev.kind));
    }
    assert_eq!(
        seen,
        ["listening", "accepted", "handshake_failed", "disconnected"]
    );
    server.close();
}

#[tokio::test]
async fn inproc_reports_nothing_as_in_libzmq() {
    let a = Socket::new(SocketType::Pair).expect("socket");
    let b = Socket::new(SocketType::Pair).expect("socket");
    let mut aev = a.events(8);
    let ep: Endpoint = "inproc://events-quiet".parse().expect("endpoint");
    a.bind(&ep).expect("bind");
    b.connect(&ep).expect("connect");
    b.send(Message::from(bytes::Bytes::from_static(b"x")))
        .await
        .expect("send");
    assert!(tokio::time::timeout(DEADLINE, a.recv()).await.is_ok());
    a.unbind(&ep).expect("unbind");
    a.close();
    assert!(aev.try_recv().is_err(), "inproc reported an event");
}

#[tokio::test]
async fn close_reports_closed_for_each_listener_at_once() {
    let s = Socket::new(SocketType::Pull).expect("socket");
    let ep: Endpoint = "tcp://127.0.0.1:*".parse().expect("endpoint");
    let one = s.bind(&ep).expect("bind");
    let two = s.bind(&ep).expect("bind");
    let mut mon = s.monitor(8, zmtp_sockets::events::EventType::Closed.into());
    s.close();
    let mut got = vec![
        mon.try_recv().expect("first").endpoint,
        mon.try_recv().expect("second").endpoint,
    ];
    got.sort_by_key(|e| e.to_string());
    let mut want = vec![one, two];
    want.sort_by_key(|e| e.to_string());
    assert_eq!(got, want);
}
