//! The facade's monitor: the typed stream, libzmq's PAIR form, replacement, stop, masks,
//! the bounded queue, close, and the blocking iterator.

use std::time::Duration;

use futures::StreamExt;
use tokio::io::AsyncWriteExt;
use zmtp_api::monitor::{EventKind, EventMask, EventType, MonitorEvent, MonitorEvents};
use zmtp_api::{Socket, SocketOption, SocketType};

const DEADLINE: Duration = Duration::from_secs(10);

async fn next(events: &mut MonitorEvents) -> MonitorEvent {
    match tokio::time::timeout(DEADLINE, events.next()).await {
        Ok(Some(ev)) => ev,
        other => panic!("no event before the deadline: {other:?}"),
    }
}

/// Events up to and including the first of type `until`.
async fn until(events: &mut MonitorEvents, until: EventType) -> Vec<EventType> {
    let mut seen = Vec::new();
    loop {
        let ev = next(events).await;
        seen.push(ev.event);
        if ev.event == until {
            return seen;
        }
    }
}

fn socket(kind: SocketType) -> Socket {
    let s = Socket::new(kind).expect("socket");
    s.set_option(SocketOption::Linger(0)).expect("linger");
    s
}

#[tokio::test]
async fn a_second_monitor_replaces_the_first() {
    let s = socket(SocketType::Pull);
    let mut first = s.monitor_events(EventMask::ALL);
    let mut second = s.monitor_events(EventMask::ALL);
    assert_eq!(next(&mut first).await.event, EventType::MonitorStopped);
    assert!(first.next().await.is_none());
    s.bind("tcp://127.0.0.1:*").expect("bind");
    assert_eq!(next(&mut second).await.event, EventType::Listening);
    assert!(s.stop_monitor());
    assert_eq!(next(&mut second).await.event, EventType::MonitorStopped);
    assert!(second.next().await.is_none());
}

#[tokio::test]
async fn the_mask_selects_events_and_may_leave_out_monitor_stopped() {
    let s = socket(SocketType::Pull);
    let mut events = s.monitor_events(EventType::Closed.into());
    let ep = s.bind_one("tcp://127.0.0.1:*").expect("bind");
    s.unbind(ep.as_str()).expect("unbind");
    let ev = next(&mut events).await;
    assert_eq!((ev.event, ev.endpoint), (EventType::Closed, ep));
    s.stop_monitor();
    assert!(
        events.next().await.is_none(),
        "MONITOR_STOPPED was not asked for"
    );
}

#[tokio::test]
async fn a_slow_reader_loses_events_and_never_blocks_the_socket() {
    let s = socket(SocketType::Pull);
    let mut events = s.monitor_events_with_capacity(EventMask::ALL, 2);
    for _ in 0..10 {
        s.bind("tcp://127.0.0.1:*").expect("bind");
    }
    assert_eq!(s.monitor_events_dropped(), 8);
    assert_eq!(next(&mut events).await.event, EventType::Listening);
    assert_eq!(next(&mut events).await.event, EventType::Listening);
    s.stop_monitor();
    assert_eq!(next(&mut events).await.event, EventType::MonitorStopped);
}

#[tokio::test]
async fn close_reports_closed_then_monitor_stopped_and_no_disconnect() {
    let server = socket(SocketType::Pull);
    let client = socket(SocketType::Push);
    let mut sev = server.monitor_events(EventMask::ALL);
    let mut cev = client.monitor_events(EventMask::ALL);
    let ep = server.bind_one("tcp://127.0.0.1:*").expect("bind");
    client.connect(ep.as_str()).expect("connect");
    let seen = until(&mut sev, EventType::HandshakeSucceeded).await;
    assert_eq!(
        seen,
        [
            EventType::Listening,
            EventType::Accepted,
            EventType::HandshakeSucceeded
        ]
    );
    let seen = until(&mut cev, EventType::HandshakeSucceeded).await;
    assert_eq!(
        seen,
        [
            EventType::ConnectDelayed,
            EventType::Connected,
            EventType::HandshakeSucceeded
        ]
    );
    // Our own close reports no DISCONNECTED (libzmq neither): the listener's CLOSED,
    // then the monitor's end.
    server.close();
    let ev = next(&mut sev).await;
    assert_eq!((ev.event, ev.endpoint), (EventType::Closed, ep.clone()));
    assert_eq!(next(&mut sev).await.event, EventType::MonitorStopped);
    assert!(sev.next().await.is_none());
    // The peer's side saw the connection go, and retries.
    let seen = until(&mut cev, EventType::ConnectRetried).await;
    assert_eq!(seen, [EventType::Disconnected, EventType::ConnectRetried]);
    client.close();
    let rest = until(&mut cev, EventType::MonitorStopped).await;
    assert!(!rest.contains(&EventType::Disconnected), "{rest:?}");
}

/// A 64-byte ZMTP 3.0 greeting asking for the PLAIN mechanism.
fn plain_greeting() -> Vec<u8> {
    let mut g = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, 0];
    let mut mechanism = b"PLAIN".to_vec();
    mechanism.resize(20, 0);
    g.extend_from_slice(&mechanism);
    g.resize(64, 0);
    g
}

#[tokio::test]
async fn a_mechanism_mismatch_is_handshake_failed_protocol_with_libzmqs_code() {
    let s = socket(SocketType::Pull);
    let mut events = s.monitor_events(EventMask::ALL);
    let ep = s.bind_one("tcp://127.0.0.1:*").expect("bind");
    let addr = ep.trim_start_matches("tcp://").to_string();
    let mut raw = tokio::net::TcpStream::connect(addr).await.expect("connect");
    raw.write_all(&plain_greeting()).await.expect("write");
    let seen = until(&mut events, EventType::Accepted).await;
    assert_eq!(seen, [EventType::Listening, EventType::Accepted]);
    let failed = next(&mut events).await;
    assert_eq!(failed.event, EventType::HandshakeFailedProtocol);
    assert_eq!(
        failed.value, 0x1100_0002,
        "ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH"
    );
    assert_eq!(failed.endpoint, ep);
    let ev = next(&mut events).await;
    assert_eq!(ev.event, EventType::Disconnected);
    assert!(matches!(ev.kind, Some(EventKind::Disconnected(_))));
}

#[tokio::test]
async fn monitor_publishes_libzmq_frames_and_a_replacement_stops_it() {
    let s = socket(SocketType::Push);
    s.monitor("inproc://facade-monitor-a", EventMask::ALL)
        .expect("monitor");
    let reader = socket(SocketType::Pair);
    reader
        .connect("inproc://facade-monitor-a")
        .expect("connect");
    s.connect("tcp://127.0.0.1:1").expect("connect");
    let recv = || async {
        let frames = tokio::time::timeout(DEADLINE, reader.recv_multipart())
            .await
            .expect("in time")
            .expect("recv");
        assert_eq!(frames.len(), 2);
        frames
    };
    // Nothing listens on port 1: delayed, closed, retried (value: the interval in ms).
    let frames = recv().await;
    assert_eq!(&frames[0][..2], &0x0002u16.to_le_bytes());
    assert_eq!(&frames[1][..], b"tcp://127.0.0.1:1");
    assert_eq!(&recv().await[0][..2], &0x0080u16.to_le_bytes());
    let retried = MonitorEvent::from_frames(&recv().await).expect("monitor frames");
    assert_eq!(retried.event, EventType::ConnectRetried);
    assert!((100..=200).contains(&retried.value), "{}", retried.value);
    // A second monitor replaces this one, which ends with MONITOR_STOPPED.
    s.monitor("inproc://facade-monitor-b", EventMask::ALL)
        .expect("monitor");
    loop {
        let ev = MonitorEvent::from_frames(&recv().await).expect("monitor frames");
        if ev.event == EventType::MonitorStopped {
            assert!(ev.endpoint.is_empty());
            break;
        }
    }
    assert!(s.monitor("tcp://127.0.0.1:*", EventMask::ALL).is_err());
}

#[test]
fn blocking_iterator_with_timeouts() {
    let s = zmtp_api::blocking::Socket::new(SocketType::Pull).expect("socket");
    let mut events = s.monitor_events(EventMask::ALL);
    assert!(matches!(
        events.recv_timeout(Duration::from_millis(20)),
        Err(zmtp_api::Error::Timeout)
    ));
    s.bind("tcp://127.0.0.1:*").expect("bind");
    events.set_timeout(Some(DEADLINE));
    assert_eq!(events.next().map(|e| e.event), Some(EventType::Listening));
    s.close();
    let rest: Vec<EventType> = events.map(|e| e.event).collect();
    assert_eq!(rest, [EventType::Closed, EventType::MonitorStopped]);
}

#[tokio::test]
async fn monitoring_again_on_the_same_endpoint_replaces_the_first() {
    let s = socket(SocketType::Pull);
    let ep = "inproc://facade-monitor-again";
    s.monitor(ep, EventMask::ALL).expect("monitor");
    let old = socket(SocketType::Pair);
    old.connect(ep).expect("connect");
    // Replaced on the same endpoint: the old reader gets MONITOR_STOPPED.
    s.monitor(ep, EventMask::ALL).expect("monitor again");
    let frames = tokio::time::timeout(DEADLINE, old.recv_multipart())
        .await
        .expect("in time")
        .expect("recv");
    let ev = MonitorEvent::from_frames(&frames).expect("monitor frames");
    assert_eq!(ev.event, EventType::MonitorStopped);
    // The new monitor binds once the old PAIR is gone; a new reader gets its events.
    let reader = socket(SocketType::Pair);
    let deadline = tokio::time::Instant::now() + DEADLINE;
    let ev = loop {
        reader.connect(ep).expect("connect");
        s.bind("tcp://127.0.0.1:*").expect("bind");
        match tokio::time::timeout(Duration::from_millis(50), reader.recv_multipart()).await {
            Ok(frames) => break MonitorEvent::from_frames(&frames.expect("recv")),
            Err(_) => {
                assert!(tokio::time::Instant::now() < deadline, "no event");
                let _ = reader.disconnect(ep);
            }
        }
    };
    assert_eq!(ev.map(|e| e.event), Some(EventType::Listening));
}

#[tokio::test]
async fn a_monitor_nobody_reads_still_stops_and_frees_its_endpoint() {
    let s = socket(SocketType::Pull);
    let ep = "inproc://facade-monitor-unread";
    s.monitor(ep, EventMask::ALL).expect("monitor");
    s.bind("tcp://127.0.0.1:*").expect("bind");
    assert!(s.stop_monitor());
    // The forwarding task gave up its waiting send and closed its PAIR.
    let probe = socket(SocketType::Pair);
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while probe.bind(ep).is_err() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "endpoint never freed"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
