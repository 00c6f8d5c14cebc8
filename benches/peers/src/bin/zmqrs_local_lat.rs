//! `local_lat` on zmq.rs (`zeromq`), on a current-thread tokio runtime: binds a REP
//! socket and echoes `roundtrip-count` messages of `message-size` bytes, checking every
//! size. zmq.rs has no linger, so the socket (and the last reply) is kept alive until the
//! requester closes the connection (socket monitor), for at most
//! `ZMTP_PERF_ZMQRS_DRAIN_MS` (default 60000) ms.
//!
//! usage: zmqrs_local_lat <bind-to> <message-size> <roundtrip-count>

use std::time::Duration;

use futures::StreamExt;
use zeromq::{RepSocket, Socket, SocketEvent, SocketRecv, SocketSend};
use zmtp_bench_peers::{current_thread_runtime, env_ms, fail, parse_args, wrong_size};

fn main() {
    let args = parse_args("zmqrs_local_lat <bind-to> <message-size> <roundtrip-count>");
    let size = args.message_size;
    let drain = env_ms("ZMTP_PERF_ZMQRS_DRAIN_MS").unwrap_or(Duration::from_secs(60));
    current_thread_runtime().block_on(async {
        let mut s = RepSocket::new();
        let mut events = s.monitor();
        s.bind(&args.endpoint)
            .await
            .unwrap_or_else(|e| fail("bind", e));

        for _ in 0..args.count {
            let msg = s.recv().await.unwrap_or_else(|e| fail("recv", e));
            if msg.len() != 1 || msg.get(0).map(|f| f.len()) != Some(size) {
                wrong_size();
            }
            s.send(msg).await.unwrap_or_else(|e| fail("send", e));
        }

        // The requester closes once it has the last reply. zmq.rs sees that close only
        // while a receive polls the connection, so receive until the monitor reports it
        // (or the receive fails because no peer is left).
        let peer_closed = async {
            while let Some(ev) = events.next().await {
                if let SocketEvent::Disconnected(_) = ev {
                    return;
                }
            }
            fail("monitor", "event stream ended before the requester closed");
        };
        tokio::select! {
            () = peer_closed => {}
            r = s.recv() => if r.is_ok() {
                fail("recv", "unexpected request after the last roundtrip");
            },
            () = tokio::time::sleep(drain) => fail(
                "drain",
                format!("the requester did not close within {drain:?}"),
            ),
        }
        if let Some(e) = s.close().await.into_iter().next() {
            fail("close", e);
        }
    });
}
