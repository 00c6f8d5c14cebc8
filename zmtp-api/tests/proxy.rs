//! The proxy (Racket's `zmq-proxy`): symmetric, capture gets the receiving socket, ends
//! when either socket closes or the `until` future completes.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use zmtp_api::{Bytes, Error, ProxyEnd, Socket, SocketType, proxy};

const T: Duration = Duration::from_secs(10);

/// Which side a message came from, and its frames.
type Captured = (&'static str, Vec<Bytes>);

/// A ROUTER/DEALER broker with a REQ client and a REP worker, like Racket's proxy test.
async fn broker(tag: &str) -> (Socket, Socket, Socket, Socket) {
    let front = Socket::builder(SocketType::Router)
        .bind(format!("inproc://{tag}-front").as_str())
        .build()
        .unwrap();
    let back = Socket::builder(SocketType::Dealer)
        .bind(format!("inproc://{tag}-back").as_str())
        .build()
        .unwrap();
    let client = Socket::builder(SocketType::Req)
        .connect(format!("inproc://{tag}-front").as_str())
        .build()
        .unwrap();
    let worker = Socket::builder(SocketType::Rep)
        .connect(format!("inproc://{tag}-back").as_str())
        .build()
        .unwrap();
    (front, back, client, worker)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwards_both_ways_and_captures_with_the_source_socket() {
    let (front, back, client, worker) = broker("proxy-rr").await;
    let seen: Arc<Mutex<Vec<Captured>>> = Arc::default();
    let log = seen.clone();
    let f2 = front.clone();
    let running = tokio::spawn(
        proxy(&front, &back)
            .capture(move |from, m| {
                let side = if from.same_socket(&f2) {
                    "front"
                } else {
                    "back"
                };
                log.lock().unwrap().push((side, m.frames().to_vec()));
            })
            .into_future(),
    );
    for i in 0..3 {
        client.send(format!("req {i}")).await.unwrap();
        let q = tokio::time::timeout(T, worker.recv_string())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(q, format!("req {i}"));
        worker.send(format!("rep {i}")).await.unwrap();
        let a = tokio::time::timeout(T, client.recv_string())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(a, format!("rep {i}"));
    }
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 6);
    for (i, pair) in seen.chunks(2).enumerate() {
        assert_eq!(pair[0].0, "front");
        assert_eq!(pair[0].1.last().unwrap(), &format!("req {i}"));
        assert_eq!(pair[1].0, "back");
        assert_eq!(pair[1].1.last().unwrap(), &format!("rep {i}"));
    }
    back.close();
    let end = tokio::time::timeout(T, running)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(end, ProxyEnd::Closed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stops_within_200ms_when_either_socket_closes() {
    for close_front in [true, false] {
        let tag = if close_front {
            "proxy-close-f"
        } else {
            "proxy-close-b"
        };
        let (front, back, _client, _worker) = broker(tag).await;
        let running = tokio::spawn(proxy(&front, &back).into_future());
        tokio::time::sleep(Duration::from_millis(20)).await;
        if close_front {
            front.close()
        } else {
            back.close()
        }
        let end = tokio::time::timeout(Duration::from_millis(200), running).await;
        assert_eq!(end.unwrap().unwrap().unwrap(), ProxyEnd::Closed);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn until_returns_its_value() {
    let (front, back, client, worker) = broker("proxy-until").await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<u32>();
    let running = tokio::spawn(
        proxy(&front, &back)
            .until(async { stopped.await.unwrap_or(0) })
            .into_future(),
    );
    client.send("x").await.unwrap();
    assert_eq!(
        tokio::time::timeout(T, worker.recv())
            .await
            .unwrap()
            .unwrap(),
        "x"
    );
    stop.send(42).unwrap();
    let end = tokio::time::timeout(T, running)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(end, ProxyEnd::Other(42));
    // The sockets are still open and usable after the proxy stopped.
    assert!(!front.is_closed() && !back.is_closed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_end_the_proxy() {
    // Forwarding into a PULL socket cannot work: the proxy reports the error.
    let a = Socket::builder(SocketType::Pull)
        .bind("inproc://proxy-err-a")
        .build()
        .unwrap();
    let b = Socket::new(SocketType::Pull).unwrap();
    let push = Socket::builder(SocketType::Push)
        .connect("inproc://proxy-err-a")
        .build()
        .unwrap();
    push.send("m").await.unwrap();
    let end = tokio::time::timeout(T, proxy(&a, &b).into_future())
        .await
        .unwrap();
    assert!(matches!(end, Err(Error::NotSupported(SocketType::Pull))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ignores_receive_timeouts() {
    let (front, back, client, worker) = broker("proxy-rcvtimeo").await;
    for s in [&front, &back] {
        s.set_option_named("rcvtimeo", 1).unwrap();
    }
    let running = tokio::spawn(proxy(&front, &back).into_future());
    tokio::time::sleep(Duration::from_millis(50)).await;
    client.send("late").await.unwrap();
    assert_eq!(
        tokio::time::timeout(T, worker.recv())
            .await
            .unwrap()
            .unwrap(),
        "late"
    );
    assert!(!running.is_finished());
    front.close();
    assert_eq!(running.await.unwrap().unwrap(), ProxyEnd::Closed);
}
