//! Subscription wire formats against raw peers:
//! - ZMTP 3.0 peers (greeting minor 0) subscribe with `01 topic` data frames and
//!   must be sent `01/00 topic` data frames;
//! - ZMTP 3.1 peers (minor 1) get SUBSCRIBE/CANCEL commands; and a PUB must
//!   accept both forms from any peer.
//!
//! The raw peer sees every frame our PUB sends, so these tests also check that
//! our PUB filters on its side.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// `01 topic` / `00 topic` data frames.
    Frame,
    /// SUBSCRIBE / CANCEL commands.
    Command,
}

async fn raw_subscribe(peer: &mut RawPeer, form: Form, topic: &[u8]) {
    match form {
        Form::Frame => peer.send_subscribe_frame(topic).await.unwrap(),
        Form::Command => peer.send_subscribe_command(topic).await.unwrap(),
    }
}

async fn raw_cancel(peer: &mut RawPeer, form: Form, topic: &[u8]) {
    match form {
        Form::Frame => peer
            .send_frame(0, &[&[0u8][..], topic].concat())
            .await
            .unwrap(),
        Form::Command => peer.send_command("CANCEL", topic).await.unwrap(),
    }
}

/// Gets a raw SUB connected to our PUB (ours binds, or ours connects to a raw listener).
async fn raw_sub_on_our_pub(
    publisher: &Socket,
    ours_binds: bool,
    minor: u8,
) -> (RawPeer, Option<RawListener>) {
    let (mut peer, listener) = if ours_binds {
        let ep = bind_ours(publisher, "tcp://127.0.0.1:*");
        (RawPeer::connect(&ep).await.unwrap(), None)
    } else {
        let l = RawListener::bind("tcp://127.0.0.1:0").await.unwrap();
        publisher.connect(l.endpoint()).unwrap();
        (l.accept().await.unwrap(), Some(l))
    };
    let hs = peer.handshake(minor, "SUB", None).await.unwrap();
    assert_eq!(hs.socket_type().as_deref(), Some("PUB"));
    assert_eq!((hs.major(), hs.minor()), (3, 1), "we advertise ZMTP 3.1");
    assert!(hs.property("Identity").is_none(), "PUB sends no Identity");
    (peer, listener)
}

/// Publishes `<noise>...` then `<marker>` every 10 ms until the raw peer reads
/// a message whose first frame is `marker`. Returns every message read, in order.
/// (Reading and publishing run side by side; a read is never cancelled midway.)
async fn publish_until_seen(
    publisher: &Socket,
    peer: &mut RawPeer,
    noise: &[&[u8]],
    marker: &[u8],
) -> Vec<Vec<Vec<u8>>> {
    let done = AtomicBool::new(false);
    let reading = async {
        let mut seen = Vec::new();
        loop {
            let m = peer.read_message().await.unwrap_or_else(|e| {
                panic!(
                    "raw SUB waiting for {:?}: {e}",
                    String::from_utf8_lossy(marker)
                )
            });
            let found = m[0] == marker;
            seen.push(m);
            if found {
                done.store(true, Ordering::SeqCst);
                return seen;
            }
        }
    };
    let publishing = async {
        let deadline = tokio::time::Instant::now() + T;
        while !done.load(Ordering::SeqCst) && tokio::time::Instant::now() < deadline {
            for n in noise {
                send_ours(publisher, &[n.to_vec()]).await;
            }
            send_ours(publisher, &[marker.to_vec()]).await;
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    let (seen, ()) = tokio::join!(reading, publishing);
    seen
}

/// Our PUB vs a raw SUB: subscription form `form` on a peer advertising `minor`.
async fn our_pub_filters_for_raw_sub(ours_binds: bool, minor: u8, form: Form) {
    let publisher = ours(SocketType::Pub);
    let (mut peer, _l) = raw_sub_on_our_pub(&publisher, ours_binds, minor).await;
    raw_subscribe(&mut peer, form, b"A").await;

    // Until A arrives, also publish B: it must never be sent to us.
    let seen = publish_until_seen(&publisher, &mut peer, &[b"B-no"], b"A-sync").await;
    for m in &seen {
        assert!(
            m[0].starts_with(b"A"),
            "PUB sent an unsubscribed topic: {}",
            describe(m)
        );
    }

    // Multipart: the first frame decides; long frames are fine.
    send_ours(&publisher, &[b"B-multi".to_vec(), b"A-but-second".to_vec()]).await;
    send_ours(
        &publisher,
        &[b"A-multi".to_vec(), Vec::new(), pattern(1000, 9)],
    )
    .await;
    let m = loop {
        let m = peer.read_message().await.unwrap();
        if m != msg(&[b"A-sync"]) {
            break m;
        }
    };
    assert_msg_eq(&m, &[b"A-multi".to_vec(), Vec::new(), pattern(1000, 9)]);

    // Cancel A, subscribe Z; once Z flows (so the cancel was processed before it),
    // no more A may arrive.
    raw_cancel(&mut peer, form, b"A").await;
    raw_subscribe(&mut peer, form, b"Z").await;
    let seen = publish_until_seen(&publisher, &mut peer, &[b"A-after-cancel"], b"Z-sync").await;
    for m in &seen {
        assert!(
            m[0].starts_with(b"A") || m[0].starts_with(b"Z"),
            "unexpected {}",
            describe(m)
        );
    }
    send_ours(&publisher, &msg(&[b"A-late"])).await;
    send_ours(&publisher, &msg(&[b"Z-end"])).await;
    loop {
        let m = peer.read_message().await.unwrap();
        assert!(
            !m[0].starts_with(b"A"),
            "received {} after CANCEL took effect",
            describe(&m)
        );
        if m[0] == b"Z-end" {
            break;
        }
    }

    // An empty subscription matches everything.
    raw_subscribe(&mut peer, form, b"").await;
    let seen = publish_until_seen(&publisher, &mut peer, &[], b"anything").await;
    assert!(!seen.is_empty());
    publisher.close();
}

macro_rules! cases {
    ($($name:ident => $f:ident($($arg:expr),*);)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            $f($($arg),*).await;
        }
    )*};
}

cases! {
    our_pub_accepts_zmtp30_subscription_frames => our_pub_filters_for_raw_sub(true, 0, Form::Frame);
    our_pub_accepts_zmtp31_subscribe_commands => our_pub_filters_for_raw_sub(true, 1, Form::Command);
    our_pub_accepts_subscription_frames_from_zmtp31_peer => our_pub_filters_for_raw_sub(true, 1, Form::Frame);
    our_connecting_pub_accepts_zmtp30_subscription_frames => our_pub_filters_for_raw_sub(false, 0, Form::Frame);
    our_connecting_pub_accepts_zmtp31_subscribe_commands => our_pub_filters_for_raw_sub(false, 1, Form::Command);
}

/// Our SUB vs a raw PUB advertising `minor`: what it sends, and its local filter.
async fn our_sub_talks_to_raw_pub(ours_binds: bool, minor: u8) {
    let sub = ours(SocketType::Sub);
    sub.subscribe(b"A").unwrap();
    let (mut peer, _l) = if ours_binds {
        let ep = bind_ours(&sub, "tcp://127.0.0.1:*");
        (RawPeer::connect(&ep).await.unwrap(), None)
    } else {
        let l = RawListener::bind("tcp://127.0.0.1:0").await.unwrap();
        sub.connect(l.endpoint()).unwrap();
        (l.accept().await.unwrap(), Some(l))
    };
    let hs = peer.handshake(minor, "PUB", None).await.unwrap();
    assert_eq!(hs.socket_type().as_deref(), Some("SUB"));
    assert!(hs.property("Identity").is_none(), "SUB sends no Identity");

    let expect_sub = |f: &Frame, on: bool, topic: &[u8]| {
        if minor == 0 {
            let mut body = vec![on as u8];
            body.extend_from_slice(topic);
            assert_eq!(
                f.flags, 0,
                "ZMTP 3.0 peer: subscription as a data frame, got {f:?}"
            );
            assert_eq!(f.body, body);
        } else {
            assert_eq!(
                f.flags, FLAG_COMMAND,
                "ZMTP 3.1 peer: subscription as a command, got {f:?}"
            );
            let cmd = f.as_command().unwrap();
            assert_eq!(cmd.name, if on { "SUBSCRIBE" } else { "CANCEL" });
            assert_eq!(cmd.data, topic);
        }
    };

    // The subscription made before connecting is sent on connect.
    let f = peer.read_frame().await.unwrap();
    expect_sub(&f, true, b"A");
    // Later (un)subscriptions follow on the live connection.
    sub.subscribe(b"B").unwrap();
    expect_sub(&peer.read_frame().await.unwrap(), true, b"B");
    sub.unsubscribe(b"A").unwrap();
    expect_sub(&peer.read_frame().await.unwrap(), false, b"A");

    // Local filtering: the raw PUB over-sends; only B-prefixed first frames get through.
    peer.send_message(&[b"C-no"]).await.unwrap();
    peer.send_message(&[b"A-no (unsubscribed)"]).await.unwrap();
    peer.send_message(&[b"A-no", b"B-second-frame"])
        .await
        .unwrap();
    peer.send_message(&[b"B-yes", b"", b"x"]).await.unwrap();
    let mut big = b"B".to_vec();
    big.extend_from_slice(&pattern(70_000, 5));
    peer.send_message(&[&big]).await.unwrap();
    assert_msg_eq(&recv_ours(&sub).await, &msg(&[b"B-yes", b"", b"x"]));
    assert_msg_eq(&recv_ours(&sub).await, &[big]);
    sub.close();
}

cases! {
    our_sub_sends_frames_to_zmtp30_peer => our_sub_talks_to_raw_pub(false, 0);
    our_sub_sends_commands_to_zmtp31_peer => our_sub_talks_to_raw_pub(false, 1);
    our_bound_sub_sends_frames_to_zmtp30_peer => our_sub_talks_to_raw_pub(true, 0);
    our_bound_sub_sends_commands_to_zmtp31_peer => our_sub_talks_to_raw_pub(true, 1);
}

/// Reconnecting to a raw PUB replays the current subscriptions, in the form the
/// new peer's version wants.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_sub_replays_subscriptions_on_reconnect() {
    let sub = ours(SocketType::Sub);
    sub.set_option(SocketOption::ReconnectIvl(50)).unwrap();
    sub.subscribe(b"X").unwrap();
    sub.subscribe(b"Y").unwrap();
    let l = RawListener::bind("tcp://127.0.0.1:0").await.unwrap();
    sub.connect(l.endpoint()).unwrap();

    let mut first = l.accept().await.unwrap();
    first.handshake(1, "PUB", None).await.unwrap();
    let mut topics = Vec::new();
    for _ in 0..2 {
        let f = first.read_frame().await.unwrap();
        let cmd = f.as_command().unwrap();
        assert_eq!(cmd.name, "SUBSCRIBE");
        topics.push(cmd.data);
    }
    topics.sort();
    assert_eq!(topics, vec![b"X".to_vec(), b"Y".to_vec()]);
    drop(first);

    // Reconnect: this time the peer claims ZMTP 3.0.
    let mut second = l.accept().await.unwrap();
    second.handshake(0, "PUB", None).await.unwrap();
    let mut topics = Vec::new();
    for _ in 0..2 {
        let f = second.read_frame().await.unwrap();
        assert_eq!(f.flags, 0, "data-frame subscription for a 3.0 peer: {f:?}");
        assert_eq!(f.body[0], 1);
        topics.push(f.body[1..].to_vec());
    }
    topics.sort();
    assert_eq!(topics, vec![b"X".to_vec(), b"Y".to_vec()]);
    second.send_message(&[b"Y-after-reconnect"]).await.unwrap();
    assert_msg_eq(&recv_ours(&sub).await, &msg(&[b"Y-after-reconnect"]));
}
