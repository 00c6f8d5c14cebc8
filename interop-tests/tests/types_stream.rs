//! STREAM: raw byte connections. Our STREAM serving plain tokio clients (tcp and ipc),
//! our STREAM connecting to plain tokio servers, STREAM_NOTIFY, CONNECT_ROUTING_ID, and
//! our STREAM against libzmq's STREAM.

mod common;

use std::collections::HashMap;
use std::pin::Pin;
use std::time::Duration;

use common::types::*;
use common::*;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use zmtp_api::Error;

trait Raw: AsyncRead + AsyncWrite + Send + Unpin {}
impl<S: AsyncRead + AsyncWrite + Send + Unpin> Raw for S {}
type RawConn = Pin<Box<dyn Raw>>;

/// A plain client connection to a `tcp://` or `ipc://` endpoint.
async fn raw_connect(endpoint: &str) -> RawConn {
    if let Some(addr) = endpoint.strip_prefix("tcp://") {
        Box::pin(tokio::net::TcpStream::connect(addr).await.unwrap())
    } else {
        let path = endpoint.strip_prefix("ipc://").unwrap();
        Box::pin(tokio::net::UnixStream::connect(path).await.unwrap())
    }
}

/// A plain server: accepts connections on a `tcp://` or `ipc://` endpoint.
enum RawListener {
    Tcp(tokio::net::TcpListener),
    Ipc(tokio::net::UnixListener, IpcPath),
}

impl RawListener {
    async fn new(transport: Transport) -> RawListener {
        match transport {
            Transport::Tcp => {
                RawListener::Tcp(tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap())
            }
            Transport::Ipc => {
                let p = IpcPath::new("stream-server");
                RawListener::Ipc(tokio::net::UnixListener::bind(p.path()).unwrap(), p)
            }
        }
    }

    fn endpoint(&self) -> String {
        match self {
            RawListener::Tcp(l) => format!("tcp://{}", l.local_addr().unwrap()),
            RawListener::Ipc(_, p) => p.endpoint(),
        }
    }

    async fn accept_within(&self, within: Duration) -> Option<RawConn> {
        let fut = async {
            match self {
                RawListener::Tcp(l) => Box::pin(l.accept().await.unwrap().0) as RawConn,
                RawListener::Ipc(l, _) => Box::pin(l.accept().await.unwrap().0) as RawConn,
            }
        };
        tokio::time::timeout(within, fut).await.ok()
    }

    async fn accept(&self) -> RawConn {
        self.accept_within(T)
            .await
            .expect("no connection to accept")
    }
}

async fn read_exact(c: &mut RawConn, n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    tokio::time::timeout(T, c.read_exact(&mut buf))
        .await
        .expect("read timed out")
        .expect("read");
    buf
}

/// Reads until EOF (a read returning 0); returns what came before it.
async fn read_to_eof(c: &mut RawConn) -> Vec<u8> {
    let mut buf = Vec::new();
    tokio::time::timeout(T, c.read_to_end(&mut buf))
        .await
        .expect("connection was not closed")
        .expect("read");
    buf
}

/// Our STREAM's next message, split into (id, data).
async fn recv_stream(s: &Socket) -> (Vec<u8>, Vec<u8>) {
    let m = recv_ours(s).await;
    assert_eq!(
        m.len(),
        2,
        "STREAM messages are [id, data]: {}",
        describe(&m)
    );
    (m[0].clone(), m[1].clone())
}

/// Collects data for `id` until `n` bytes arrived (chunks may be split arbitrarily).
async fn recv_bytes_from(s: &Socket, id: &[u8], n: usize) -> Vec<u8> {
    let mut got = Vec::new();
    while got.len() < n {
        let (from, data) = recv_stream(s).await;
        assert_eq!(from, id, "data from another connection");
        assert!(!data.is_empty(), "disconnect notification before all data");
        got.extend_from_slice(&data);
    }
    assert_eq!(got.len(), n, "more data than sent");
    got
}

/// Our bound STREAM serving two plain clients: connect notifications with distinct
/// automatic ids, data in both directions (including 1 MiB each way), close by sending
/// [id, ""], and a disconnect notification when a client leaves.
async fn stream_serves_plain_clients(transport: Transport) {
    let server = ours(SocketType::Stream);
    let addr = BindAddr::new(transport, "stream-serve");
    let ep = bind_ours(&server, &addr.endpoint);
    let mut a = raw_connect(&ep).await;
    let (id_a, hello) = recv_stream(&server).await;
    assert!(hello.is_empty(), "connect notification");
    assert_eq!(id_a.len(), 5);
    assert_eq!(id_a[0], 0);
    let mut b = raw_connect(&ep).await;
    let (id_b, hello) = recv_stream(&server).await;
    assert!(hello.is_empty());
    assert_ne!(id_a, id_b);

    a.write_all(b"GET /a").await.unwrap();
    assert_eq!(recv_bytes_from(&server, &id_a, 6).await, b"GET /a");
    b.write_all(b"GET /b").await.unwrap();
    assert_eq!(recv_bytes_from(&server, &id_b, 6).await, b"GET /b");
    send_ours(&server, &msg(&[&id_b, b"for b"])).await;
    send_ours(&server, &msg(&[&id_a, b"for a"])).await;
    assert_eq!(read_exact(&mut a, 5).await, b"for a");
    assert_eq!(read_exact(&mut b, 5).await, b"for b");

    // 1 MiB each way, arriving intact in whatever chunks.
    let big = pattern(1 << 20, 9);
    let writer = {
        let big = big.clone();
        tokio::spawn(async move {
            a.write_all(&big).await.unwrap();
            a
        })
    };
    assert_eq!(recv_bytes_from(&server, &id_a, big.len()).await, big);
    let mut a = writer.await.unwrap();
    send_ours(&server, &[id_b.clone(), big.clone()]).await;
    assert_eq!(read_exact(&mut b, big.len()).await, big);

    // [id, ""] closes that connection; the id is then unknown.
    send_ours(&server, &msg(&[&id_a, b""])).await;
    assert!(read_to_eof(&mut a).await.is_empty());
    assert!(matches!(
        server.try_send(frames(&[&id_a, b"late"])),
        Err(Error::HostUnreachable)
    ));

    // A client that leaves is announced with [id, ""].
    drop(b);
    loop {
        let (id, data) = recv_stream(&server).await;
        assert_eq!(id, id_b, "unexpected message from {id:?}");
        if data.is_empty() {
            break;
        }
    }
    assert!(matches!(
        server.try_send(frames(&[&id_b, b"late"])),
        Err(Error::HostUnreachable)
    ));
    // And the server goes on accepting.
    let _c = raw_connect(&ep).await;
    let (id_c, hello) = recv_stream(&server).await;
    assert!(hello.is_empty());
    assert!(id_c != id_a && id_c != id_b);
}

/// Our STREAM connecting to a plain server: the connect notification tells the id, data
/// flows both ways, and the server closing is announced with [id, ""].
async fn stream_connects_to_plain_server(transport: Transport) {
    let listener = RawListener::new(transport).await;
    let client = ours(SocketType::Stream);
    client.connect(&listener.endpoint()).unwrap();
    let mut conn = listener.accept().await;
    let (id, hello) = recv_stream(&client).await;
    assert!(hello.is_empty(), "connect notification");
    send_ours(&client, &msg(&[&id, b"ping"])).await;
    assert_eq!(read_exact(&mut conn, 4).await, b"ping");
    conn.write_all(b"pong").await.unwrap();
    assert_eq!(recv_bytes_from(&client, &id, 4).await, b"pong");
    drop(conn);
    let (gone, data) = recv_stream(&client).await;
    assert_eq!(gone, id);
    assert!(data.is_empty(), "disconnect notification");
}

/// Our connecting STREAM closing its connection with [id, ""]: the server sees EOF and
/// we do not reconnect (libzmq terminates that session).
async fn stream_client_close_does_not_reconnect(transport: Transport) {
    let listener = RawListener::new(transport).await;
    let client = ours(SocketType::Stream);
    client.connect(&listener.endpoint()).unwrap();
    let mut conn = listener.accept().await;
    let (id, _) = recv_stream(&client).await;
    send_ours(&client, &msg(&[&id, b"bye"])).await;
    assert_eq!(read_exact(&mut conn, 3).await, b"bye");
    send_ours(&client, &msg(&[&id, b""])).await;
    assert!(read_to_eof(&mut conn).await.is_empty());
    assert!(listener.accept_within(QUIET).await.is_none(), "reconnected");
    assert!(
        recv_ours_within(&client, Duration::from_millis(50))
            .await
            .is_none()
    );
}

/// Data sent before the closing [id, ""] is written before the connection closes, as
/// libzmq does (the close travels through the pipe behind the data): here 4 MiB queued
/// right before the close, from the bound side and from the connecting side.
async fn stream_close_flushes_queued_data(transport: Transport) {
    let big = pattern(4 << 20, 5);
    // Bound side closes a client.
    let server = ours(SocketType::Stream);
    let addr = BindAddr::new(transport, "stream-flush");
    let ep = bind_ours(&server, &addr.endpoint);
    let mut conn = raw_connect(&ep).await;
    let (id, _) = recv_stream(&server).await;
    send_ours(&server, &[id.clone(), big.clone()]).await;
    send_ours(&server, &msg(&[&id, b""])).await;
    let got = read_to_eof(&mut conn).await;
    assert!(
        got == big,
        "server side: {} of {} bytes before EOF",
        got.len(),
        big.len()
    );
    // Connecting side closes its server.
    let listener = RawListener::new(transport).await;
    let client = ours(SocketType::Stream);
    client.connect(&listener.endpoint()).unwrap();
    let mut conn = listener.accept().await;
    let (id, _) = recv_stream(&client).await;
    send_ours(&client, &[id.clone(), big.clone()]).await;
    send_ours(&client, &msg(&[&id, b""])).await;
    let got = read_to_eof(&mut conn).await;
    assert!(
        got == big,
        "client side: {} of {} bytes before EOF",
        got.len(),
        big.len()
    );
}

mod close_flushes_queued_data {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn tcp() {
        stream_close_flushes_queued_data(Transport::Tcp).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn ipc() {
        stream_close_flushes_queued_data(Transport::Ipc).await
    }
}

crate::each_transport! {
    serves_plain_clients => stream_serves_plain_clients;
    connects_to_plain_server => stream_connects_to_plain_server;
    client_close_does_not_reconnect => stream_client_close_does_not_reconnect;
}

/// A connecting libzmq STREAM whose server goes away reconnects and keeps its routing id
/// (the pipe, named when connect() created it, survives): the application can go on
/// sending to the same id. Our connecting STREAM should behave the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_reconnect_keeps_the_routing_id() {
    let listener = RawListener::new(Transport::Tcp).await;
    let client = ours(SocketType::Stream);
    client.connect(&listener.endpoint()).unwrap();
    let conn = listener.accept().await;
    let (id, _) = recv_stream(&client).await;
    drop(conn);
    assert_eq!(recv_stream(&client).await, (id.clone(), vec![]));
    let mut conn2 = listener.accept().await;
    let (id2, hello) = recv_stream(&client).await;
    assert!(hello.is_empty());
    assert_eq!(id2, id, "reconnected under a new id");
    send_ours(&client, &msg(&[&id, b"same id"])).await;
    assert_eq!(read_exact(&mut conn2, 7).await, b"same id");
}

/// STREAM_NOTIFY off: no [id, ""] on connect or disconnect; the first message is data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_notify_off() {
    let server = ours(SocketType::Stream);
    server
        .set_option(SocketOption::StreamNotify(false))
        .unwrap();
    let ep = bind_ours(&server, "tcp://127.0.0.1:*");
    let mut a = raw_connect(&ep).await;
    a.write_all(b"x").await.unwrap();
    let (id_a, data) = recv_stream(&server).await;
    assert_eq!(data, b"x");
    drop(a);
    let mut b = raw_connect(&ep).await;
    b.write_all(b"y").await.unwrap();
    let (id_b, data) = recv_stream(&server).await;
    assert_eq!(data, b"y", "notification from {id_b:?}");
    assert_ne!(id_a, id_b);
    assert!(recv_ours_within(&server, QUIET).await.is_none());
}

/// Sending to an id nobody has fails with HostUnreachable (STREAM has no silent drop);
/// a lone id frame is ignored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_unknown_id_is_unreachable() {
    let s = ours(SocketType::Stream);
    bind_ours(&s, "tcp://127.0.0.1:*");
    assert!(matches!(
        s.try_send(frames(&[b"nobody", b"x"])),
        Err(Error::HostUnreachable)
    ));
    assert!(matches!(
        s.send(frames(&[b"nobody", b"x"])).await,
        Err(Error::HostUnreachable)
    ));
}

/// CONNECT_ROUTING_ID names a STREAM connection: the connect notification carries it and
/// sending to it works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_connect_routing_id_names_the_connection() {
    let listener = RawListener::new(Transport::Tcp).await;
    let client = ours(SocketType::Stream);
    client
        .set_option(SocketOption::ConnectRoutingId(Bytes::from_static(
            b"conn-1",
        )))
        .unwrap();
    client.connect(&listener.endpoint()).unwrap();
    let mut conn = listener.accept().await;
    assert_eq!(recv_stream(&client).await, (b"conn-1".to_vec(), vec![]));
    send_ours(&client, &msg(&[b"conn-1", b"named"])).await;
    assert_eq!(read_exact(&mut conn, 5).await, b"named");
}

/// libzmq names the connect-side STREAM pipe at connect() (test_connect_rid sends right
/// away); so should we: a message sent to the CONNECT_ROUTING_ID right after connect()
/// waits in the pipe and is written once the connection is up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_connect_routing_id_is_routable_right_after_connect() {
    let listener = RawListener::new(Transport::Tcp).await;
    let client = ours(SocketType::Stream);
    client
        .set_option(SocketOption::ConnectRoutingId(Bytes::from_static(b"early")))
        .unwrap();
    client.connect(&listener.endpoint()).unwrap();
    let sent = client.try_send(frames(&[b"early", b"queued"]));
    assert!(sent.is_ok(), "send right after connect: {sent:?}");
    let mut conn = listener.accept().await;
    assert_eq!(read_exact(&mut conn, 6).await, b"queued");
}

/// Our STREAM against libzmq's STREAM, each side binding in turn: both get connect
/// notifications and raw bytes flow both ways.
async fn stream_vs_libzmq_stream(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let s = ours(SocketType::Stream);
    let mut z = Zmq::new(&ctx, zmq::STREAM);
    let _a = wire(&s, &z, binder, transport, "stream-lz");
    let (id, hello) = recv_stream(&s).await;
    assert!(hello.is_empty());
    let zn = z.recv_or("libzmq connect notification").await;
    assert_eq!(zn.len(), 2);
    assert!(zn[1].is_empty());
    let zid = zn[0].clone();
    send_ours(&s, &msg(&[&id, b"raw from ours"])).await;
    let mut got = Vec::new();
    while got.len() < 13 {
        let m = z.recv_or("raw bytes").await;
        assert_eq!(m[0], zid);
        got.extend_from_slice(&m[1]);
    }
    assert_eq!(got, b"raw from ours");
    z.send(vec![zid.clone(), b"raw from libzmq".to_vec()])
        .await
        .unwrap();
    assert_eq!(recv_bytes_from(&s, &id, 15).await, b"raw from libzmq");
    // Closing from our side is announced on libzmq's.
    send_ours(&s, &msg(&[&id, b""])).await;
    let bye = z.recv_or("libzmq disconnect notification").await;
    assert_eq!(bye, vec![zid, vec![]]);
}

crate::each_binder_and_transport! {
    ours_vs_libzmq_stream => stream_vs_libzmq_stream;
}

/// Many clients at once: each one's bytes stay under its own id, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_keeps_clients_apart() {
    let server = ours(SocketType::Stream);
    server
        .set_option(SocketOption::StreamNotify(false))
        .unwrap();
    let ep = bind_ours(&server, "tcp://127.0.0.1:*");
    const CLIENTS: usize = 8;
    const LEN: usize = 64 * 1024;
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let ep = ep.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = raw_connect(&ep).await;
            conn.write_all(&pattern(LEN, c as u8)).await.unwrap();
            conn
        }));
    }
    let mut per_id: HashMap<Vec<u8>, Vec<u8>> = HashMap::new();
    let mut total = 0;
    while total < CLIENTS * LEN {
        let (id, data) = recv_stream(&server).await;
        total += data.len();
        per_id.entry(id).or_default().extend_from_slice(&data);
    }
    assert_eq!(per_id.len(), CLIENTS);
    let mut seeds: Vec<u8> = per_id
        .values()
        .map(|d| {
            (0..CLIENTS as u8)
                .find(|&c| *d == pattern(LEN, c))
                .expect("a client's bytes were mixed or reordered")
        })
        .collect();
    seeds.sort();
    assert_eq!(seeds, (0..CLIENTS as u8).collect::<Vec<_>>());
    for t in tasks {
        drop(t.await.unwrap());
    }
}

/// A plain client writes and closes at once: our STREAM delivers the connect notice, the
/// data, and only then the disconnect notice, even when the application reads after the
/// connection is already gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_data_of_a_closed_client_comes_before_its_disconnect_notice() {
    let server = ours(SocketType::Stream);
    let ep = bind_ours(&server, "tcp://127.0.0.1:*");
    let mut conn = raw_connect(&ep).await;
    conn.write_all(b"last words").await.unwrap();
    conn.shutdown().await.unwrap();
    drop(conn);
    let (id, hello) = recv_stream(&server).await;
    assert!(hello.is_empty());
    // Reading only after the connection is gone is what used to lose the data: wait until
    // the id is no longer routable.
    poll_for("our STREAM to see the client leave", || {
        matches!(
            server.try_send(frames(&[&id, b"x"])),
            Err(Error::HostUnreachable)
        )
        .then_some(())
    })
    .await;
    let mut got = Vec::new();
    loop {
        let (from, data) = recv_stream(&server).await;
        assert_eq!(from, id);
        if data.is_empty() {
            break;
        }
        got.extend_from_slice(&data);
    }
    assert_eq!(got, b"last words", "data before the disconnect notice");
}
