//! The blocking API where a tokio runtime is around: it works on multi-threaded runtimes
//! (workers, `spawn_blocking`, the `block_on` thread) and refuses cleanly on a
//! current-thread runtime; dropping it anywhere is fine.

use std::time::Duration;

use zmtp_api::{Error, ProxyEnd, Socket, SocketType, blocking};

const T: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_on_a_multi_threaded_runtime() {
    let pull = Socket::builder(SocketType::Pull)
        .bind("tcp://127.0.0.1:*")
        .build()
        .unwrap();
    let ep = pull.last_endpoint().unwrap().unwrap();
    let push = blocking::Socket::builder(SocketType::Push)
        .connect(&ep)
        .build()
        .unwrap();
    // On the test's own (block_on) thread.
    push.send("from block_on thread").unwrap();
    assert_eq!(
        pull.blocking().recv_timeout(T).unwrap().frames(),
        ["from block_on thread"]
    );
    // On a worker.
    let p = push.clone();
    tokio::spawn(async move { p.send("from a worker").unwrap() })
        .await
        .unwrap();
    assert_eq!(pull.recv().await.unwrap(), "from a worker");
    // In spawn_blocking.
    let p = push.clone();
    tokio::task::spawn_blocking(move || p.send("from spawn_blocking").unwrap())
        .await
        .unwrap();
    assert_eq!(pull.recv().await.unwrap(), "from spawn_blocking");
    // A blocking receive on a worker does not stall the runtime's other tasks.
    let b = pull.blocking();
    let waiting = tokio::spawn(async move { b.recv_timeout(T) });
    tokio::time::sleep(Duration::from_millis(20)).await;
    push.send("late").unwrap();
    assert_eq!(waiting.await.unwrap().unwrap().frames(), ["late"]);
    drop(push); // dropping inside the runtime is fine
}

#[tokio::test(flavor = "current_thread")]
async fn refuses_on_a_current_thread_runtime_and_drops_cleanly() {
    let s = blocking::Socket::new(SocketType::Pull).unwrap();
    assert!(matches!(
        s.recv_timeout(Duration::from_millis(1)),
        Err(Error::BlockingInRuntime)
    ));
    assert!(matches!(s.wait_closed(None), Err(Error::BlockingInRuntime)));
    let mut it = s.messages();
    assert!(matches!(it.next(), Some(Err(Error::BlockingInRuntime))));
    assert!(it.next().is_none());
    // Non-waiting calls work anywhere.
    s.bind("inproc://blocking-ct").unwrap();
    assert!(s.try_recv_message().unwrap().is_none());
    drop(s);
}

#[test]
fn select_skips_nothing_and_proxy_runs_from_plain_threads() {
    let a = blocking::Socket::builder(SocketType::Pair)
        .bind("inproc://bt-a")
        .build()
        .unwrap();
    let b = blocking::Socket::builder(SocketType::Pair)
        .bind("inproc://bt-b")
        .build()
        .unwrap();
    let pa = blocking::Socket::builder(SocketType::Pair)
        .connect("inproc://bt-a")
        .build()
        .unwrap();
    let pb = blocking::Socket::builder(SocketType::Pair)
        .connect("inproc://bt-b")
        .build()
        .unwrap();
    let (x, y) = (a.clone(), b.clone());
    let running = std::thread::spawn(move || blocking::proxy(&x, &y).run());
    for i in 0..100 {
        pa.send(format!("a{i}")).unwrap();
        pb.send(format!("b{i}")).unwrap();
    }
    for i in 0..100 {
        assert_eq!(pb.recv_string().unwrap(), format!("a{i}"));
        assert_eq!(pa.recv_string().unwrap(), format!("b{i}"));
    }
    b.close();
    assert_eq!(running.join().unwrap().unwrap(), ProxyEnd::Closed);
    assert!(
        a.wait_closed(Some(Duration::from_millis(10)))
            .map(|c| !c)
            .unwrap()
    );
}
