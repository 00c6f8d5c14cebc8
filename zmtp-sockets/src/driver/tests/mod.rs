//! The driver over an in-memory duplex with paused time: handshake deadline, heartbeats,
//! ERROR on refusal, both subscription forms, data both ways, raw STREAM bytes, and the end of
//! input in the middle of a frame. The peer's bytes are encoded by hand (or by a codec
//! session for whole conversations) so that the driver is checked against the wire.

use std::io::IoSlice;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::task::JoinHandle;
use zmtp_codec::{Event, NullMechanism, Protocol, Session, SessionConfig, SocketType, WriteBuf};
use zmtp_transport::InprocRegistry;

use super::{Link, Role};
use crate::error::ConnectionError;
use crate::message::Message;
use crate::options::Options;
use crate::peer::{PeerId, PeerSet};
use crate::pipe::Pipe;
use crate::routing::Routing;
use crate::shared::Shared;

/// Bounded polling (paused time makes each step instant).
const STEPS: usize = 10_000;
/// How long a read may wait. Time is paused and only advances when every task is idle,
/// so this fires only when the driver has nothing more to send.
const READ_WAIT: Duration = Duration::from_secs(60);

fn socket(kind: SocketType, f: impl FnOnce(&mut Options)) -> Arc<Shared> {
    let routing = Routing::new(kind).expect("every type has routing");
    let registry = Arc::new(InprocRegistry::default());
    let shared = Arc::new(Shared::new(
        kind,
        routing,
        tokio::runtime::Handle::current(),
        registry,
    ));
    f(&mut shared.lock().options);
    shared
}

/// A pipe as `connect` makes it.
fn dialed_pipe(shared: &Shared) -> PeerId {
    let mut st = shared.lock();
    let pipe = Pipe::new(&st.options);
    let id = st.peers.insert(pipe);
    st.routing.attach_dialed(id, None);
    id
}

fn start(shared: &Arc<Shared>, io: DuplexStream, role: Role) -> JoinHandle<Arc<ConnectionError>> {
    let link = Link {
        role,
        endpoint: "tcp://127.0.0.1:5555".parse().expect("endpoint"),
        peer_address: "test".into(),
    };
    let run = super::run(shared.clone(), io, link);
    tokio::spawn(async move { run.await.error })
}

fn greeting(minor: u8) -> Vec<u8> {
    let mut g = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, 3, minor];
    g.extend_from_slice(b"NULL");
    g.resize(64, 0);
    g
}

fn command(name: &[u8], data: &[u8]) -> Vec<u8> {
    let mut body = vec![name.len() as u8];
    body.extend_from_slice(name);
    body.extend_from_slice(data);
    let mut f = vec![0x04, body.len() as u8];
    f.extend_from_slice(&body);
    f
}

fn ready(socket_type: &str) -> Vec<u8> {
    let mut props = vec![11u8];
    props.extend_from_slice(b"Socket-Type");
    props.extend_from_slice(&(socket_type.len() as u32).to_be_bytes());
    props.extend_from_slice(socket_type.as_bytes());
    command(b"READY", &props)
}

fn frame(more: bool, body: &[u8]) -> Vec<u8> {
    let mut f = vec![u8::from(more), body.len() as u8];
    f.extend_from_slice(body);
    f
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Reads until `want` has been seen (or the stream ends); returns everything read.
async fn read_until(io: &mut DuplexStream, want: &[u8]) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    for _ in 0..STEPS {
        if contains(&got, want) {
            break;
        }
        match tokio::time::timeout(READ_WAIT, io.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
    got
}

async fn inbox_len(shared: &Shared, n: usize) -> bool {
    for _ in 0..STEPS {
        if shared.lock().inbox_len() >= n {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    false
}

fn bodies(shared: &Shared) -> Vec<Vec<Bytes>> {
    let st = shared.lock();
    st.peers
        .incoming()
        .map(|(_, m)| m.frames().to_vec())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_silent_peer_hits_the_handshake_deadline_and_may_be_retried() {
    let shared = socket(SocketType::Push, |o| {
        o.handshake_ivl = Some(Duration::from_secs(5))
    });
    let (ours, _theirs) = tokio::io::duplex(4096);
    let started = tokio::time::Instant::now();
    let err = start(&shared, ours, Role::Accepted)
        .await
        .expect("driver task");
    assert!(matches!(
        *err,
        ConnectionError::Protocol(zmtp_codec::ProtocolError::HandshakeTimeout)
    ));
    assert!(
        !err.is_fatal(),
        "a connecting socket retries after a timeout"
    );
    assert_eq!(started.elapsed(), Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn without_a_handshake_limit_the_driver_waits() {
    let shared = socket(SocketType::Push, |o| o.handshake_ivl = None);
    let (ours, _theirs) = tokio::io::duplex(4096);
    let task = start(&shared, ours, Role::Accepted);
    let waited = tokio::time::timeout(Duration::from_secs(3600), task).await;
    assert!(waited.is_err(), "still waiting after an hour");
}

#[tokio::test(start_paused = true)]
async fn an_incompatible_peer_is_told_why_with_an_error_command() {
    let shared = socket(SocketType::Push, |_| {});
    let (ours, mut theirs) = tokio::io::duplex(4096);
    let task = start(&shared, ours, Role::Accepted);
    let mut hello = greeting(1);
    hello.extend(ready("PUB"));
    theirs.write_all(&hello).await.expect("write");
    let got = read_until(&mut theirs, b"incompatible socket type").await;
    assert!(contains(&got, b"\x05ERROR\x18incompatible socket type"));
    let err = task.await.expect("driver task");
    assert!(err.is_fatal(), "{err}");
}

/// PINGs go out on an otherwise idle connection (the driver writes what
/// `handle_timeout` queued), PONGs keep it alive, silence drops it.
#[tokio::test(start_paused = true)]
async fn heartbeats_ping_an_idle_peer_and_drop_it_when_silent() {
    let shared = socket(SocketType::Dealer, |o| {
        o.heartbeat_ivl = Duration::from_secs(1);
        o.heartbeat_ttl = Duration::from_millis(3050);
    });
    let (ours, mut theirs) = tokio::io::duplex(4096);
    let task = start(&shared, ours, Role::Accepted);
    let mut hello = greeting(1);
    hello.extend(ready("DEALER"));
    theirs.write_all(&hello).await.expect("write");
    let t0 = tokio::time::Instant::now();
    // TTL 30 deciseconds, empty context; one PING per second, each answered.
    let ping = b"\x04\x07\x04PING\x00\x1e";
    for n in 1..=3u32 {
        let got = read_until(&mut theirs, ping).await;
        assert!(contains(&got, ping), "PING {n}: {got:?}");
        assert_eq!(t0.elapsed(), Duration::from_secs(n.into()));
        theirs.write_all(b"\x04\x05\x04PONG").await.expect("write");
    }
    assert!(!task.is_finished());
    // Silent now: dropped one timeout (the interval) after the next PING.
    let err = task.await.expect("driver task");
    assert!(
        matches!(
            *err,
            ConnectionError::Protocol(zmtp_codec::ProtocolError::HeartbeatTimeout)
        ),
        "{err}"
    );
    assert!(!err.is_fatal(), "a connecting socket redials");
    assert_eq!(t0.elapsed(), Duration::from_secs(5));
}

async fn subscription_bytes(minor: u8, until: &[u8]) -> Vec<u8> {
    let shared = socket(SocketType::Sub, |_| {});
    let id = dialed_pipe(&shared);
    {
        let mut guard = shared.lock();
        let st = &mut *guard;
        assert!(
            st.routing
                .subscribe(Bytes::from_static(b"ab"), &mut st.peers)
        );
    }
    let (ours, mut theirs) = tokio::io::duplex(4096);
    let _task = start(&shared, ours, Role::Dialed(id));
    let mut hello = greeting(minor);
    hello.extend(ready("PUB"));
    theirs.write_all(&hello).await.expect("write");
    // Our greeting, our READY, then the subscription.
    read_until(&mut theirs, until).await
}

#[tokio::test(start_paused = true)]
async fn a_zmtp_3_0_peer_gets_subscriptions_as_data_frames() {
    let got = subscription_bytes(0, b"\x01ab").await;
    assert!(contains(&got, &frame(false, b"\x01ab")), "{got:?}");
    assert!(!contains(&got, b"SUBSCRIBE"));
}

#[tokio::test(start_paused = true)]
async fn a_zmtp_3_1_peer_gets_subscribe_commands() {
    let got = subscription_bytes(1, b"SUBSCRIBEab").await;
    assert!(contains(&got, &command(b"SUBSCRIBE", b"ab")), "{got:?}");
}

/// Moves bytes between a codec session acting as the peer and the duplex.
struct Peer {
    io: DuplexStream,
    session: Session,
    out: WriteBuf,
}

impl Peer {
    fn new(io: DuplexStream, kind: SocketType) -> Peer {
        let cfg = SessionConfig::new(kind);
        let now = tokio::time::Instant::now().into_std();
        Peer {
            io,
            session: Session::new(cfg, Box::new(NullMechanism::new()), now),
            out: WriteBuf::new(),
        }
    }

    async fn flush(&mut self) {
        self.session.poll_transmit(&mut self.out);
        while !self.out.is_empty() {
            let mut slices = [IoSlice::new(&[]); 16];
            let n = self.out.chunks_vectored(&mut slices);
            let written = self.io.write_vectored(&slices[..n]).await.expect("write");
            self.out.advance(written);
        }
    }

    async fn event(&mut self) -> Event {
        for _ in 0..STEPS {
            // Decoding may queue output (the next stage of the greeting, READY):
            // flushed before waiting for more, or both sides would wait.
            let ev = self.session.poll_event().expect("peer decodes");
            self.flush().await;
            if let Some(ev) = ev {
                return ev;
            }
            let read = self.io.read_buf(self.session.recv_buf());
            let n = tokio::time::timeout(READ_WAIT, read)
                .await
                .expect("the driver sent nothing more")
                .expect("read");
            assert!(n > 0, "driver closed the connection");
        }
        panic!("no event");
    }

    async fn send(&mut self, frames: &[&'static [u8]]) {
        for (i, f) in frames.iter().enumerate() {
            let more = i + 1 < frames.len();
            let body = Bytes::from_static(f);
            self.session
                .encode_frame(more, &body, &mut self.out)
                .expect("encode");
        }
        self.flush().await;
    }
}

#[tokio::test(start_paused = true)]
async fn whole_messages_flow_both_ways() {
    let shared = socket(SocketType::Pair, |_| {});
    let id = dialed_pipe(&shared);
    let (ours, theirs) = tokio::io::duplex(64 * 1024);
    let _task = start(&shared, ours, Role::Dialed(id));
    let mut peer = Peer::new(theirs, SocketType::Pair);
    assert!(matches!(peer.event().await, Event::Ready(_)));
    peer.send(&[b"one", b"two"]).await;
    assert!(inbox_len(&shared, 1).await);
    assert_eq!(
        bodies(&shared),
        [vec![Bytes::from_static(b"one"), Bytes::from_static(b"two")]]
    );
    let msg =
        Message::from_frame_vec(vec![Bytes::from_static(b"x"), Bytes::from_static(b"yz")].into());
    assert!(shared.lock().peers.push(id, msg).is_ok());
    let a = peer.event().await;
    let b = peer.event().await;
    assert_eq!(
        a,
        Event::Frame {
            more: true,
            body: Bytes::from_static(b"x")
        }
    );
    assert_eq!(
        b,
        Event::Frame {
            more: false,
            body: Bytes::from_static(b"yz")
        }
    );
}

#[tokio::test(start_paused = true)]
async fn stream_sockets_move_raw_bytes() {
    let shared = socket(SocketType::Stream, |_| {});
    let id = dialed_pipe(&shared);
    let (ours, mut theirs) = tokio::io::duplex(4096);
    let _task = start(&shared, ours, Role::Dialed(id));
    theirs.write_all(b"hello").await.expect("write");
    assert!(inbox_len(&shared, 1).await);
    assert_eq!(bodies(&shared), [vec![Bytes::from_static(b"hello")]]);
    assert!(
        shared
            .lock()
            .peers
            .push(id, Message::from(Bytes::from_static(b"world")))
            .is_ok()
    );
    let got = read_until(&mut theirs, b"world").await;
    assert_eq!(got, b"world");
}

#[tokio::test(start_paused = true)]
async fn input_ending_inside_a_frame_delivers_the_whole_messages_before_it() {
    let shared = socket(SocketType::Pull, |_| {});
    let id = dialed_pipe(&shared);
    let (ours, mut theirs) = tokio::io::duplex(4096);
    let task = start(&shared, ours, Role::Dialed(id));
    let mut bytes = greeting(1);
    bytes.extend(ready("PUSH"));
    bytes.extend(frame(false, b"whole"));
    bytes.extend(frame(true, b"first of two"));
    // Half of the last frame's header and body.
    bytes.extend(&frame(false, b"cut short")[..5]);
    theirs.write_all(&bytes).await.expect("write");
    theirs.shutdown().await.expect("shutdown");
    let err = task.await.expect("driver task");
    assert!(matches!(*err, ConnectionError::Eof), "{err}");
    assert!(!err.is_fatal());
    assert_eq!(bodies(&shared), [vec![Bytes::from_static(b"whole")]]);
    // The dialed pipe lives on for the next connection.
    assert!(
        shared
            .lock()
            .peers
            .get(id)
            .is_some_and(|p| !p.is_connected())
    );
}

mod scripted;
