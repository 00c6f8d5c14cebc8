//! PAIR against libzmq PAIR: ours on each side, either side binding, tcp and ipc; and a
//! second peer on a bound PAIR is not served.

mod common;

use std::time::Duration;

use common::types::*;
use common::*;

async fn pair_exchange(binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let ours = ours(SocketType::Pair);
    let mut z = Zmq::new(&ctx, zmq::PAIR);
    let _a = wire(&ours, &z, binder, transport, "pair");
    for m in standard_messages("p") {
        send_ours(&ours, &m).await;
        assert_msg_eq(&z.recv().await.unwrap(), &m);
        z.send(m.clone()).await.unwrap();
        assert_msg_eq(&recv_ours(&ours).await, &m);
    }
    // Messages queued on our side before libzmq reads arrive in order.
    for i in 0..100u32 {
        send_ours(&ours, &[i.to_be_bytes().to_vec()]).await;
    }
    for i in 0..100u32 {
        assert_eq!(z.recv().await.unwrap(), [i.to_be_bytes().to_vec()]);
    }
}

crate::each_binder_and_transport! {
    pair_pair => pair_exchange;
}

/// Our bound PAIR keeps its first peer: a second libzmq PAIR connecting later gets no
/// messages and what it sends is not delivered; the first keeps working.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn second_pair_peer_is_not_served() {
    let ctx = zmq::Context::new();
    let ours = ours(SocketType::Pair);
    let ep = bind_ours(&ours, "tcp://127.0.0.1:*");
    let mut first = Zmq::new(&ctx, zmq::PAIR);
    first.connect(&ep);
    first.send(msg(&[b"first"])).await.unwrap();
    assert_msg_eq(&recv_ours(&ours).await, &msg(&[b"first"]));

    let mut mon;
    let mut second = Zmq::new(&ctx, zmq::PAIR);
    mon = second.monitor(&ctx, zmq::SocketEvent::CONNECTED.to_raw() as i32);
    second.connect(&ep);
    assert!(mon.wait_event(zmq::SocketEvent::CONNECTED).await);
    let _ = second.raw().send("intruder", zmq::DONTWAIT);
    for i in 0..5u8 {
        send_ours(&ours, &msg(&[&[i]])).await;
    }
    for i in 0..5u8 {
        assert_msg_eq(&first.recv().await.unwrap(), &msg(&[&[i]]));
    }
    first.send(msg(&[b"still first"])).await.unwrap();
    assert_msg_eq(&recv_ours(&ours).await, &msg(&[b"still first"]));
    assert!(second.recv_within(QUIET).await.is_none());
    assert!(recv_ours_within(&ours, QUIET).await.is_none());
}

/// libzmq keeps a refused second PAIR peer's connection open but unused, so that peer
/// connects once. If we close it instead, the libzmq PAIR sees a plain disconnect and
/// reconnects every ~100-200 ms for as long as the first peer stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn second_pair_peer_is_not_made_to_reconnect() {
    let ctx = zmq::Context::new();
    let ours = ours(SocketType::Pair);
    let ep = bind_ours(&ours, "tcp://127.0.0.1:*");
    let mut first = Zmq::new(&ctx, zmq::PAIR);
    first.connect(&ep);
    first.send(msg(&[b"first"])).await.unwrap();
    assert_msg_eq(&recv_ours(&ours).await, &msg(&[b"first"]));
    let mut mon;
    let second = Zmq::new(&ctx, zmq::PAIR);
    mon = second.monitor(&ctx, zmq::SocketEvent::CONNECTED.to_raw() as i32);
    second.connect(&ep);
    let n = mon
        .count_events(zmq::SocketEvent::CONNECTED, Duration::from_millis(1200))
        .await;
    assert!(n <= 2, "the second PAIR peer connected {n} times in 1.2 s");
}
