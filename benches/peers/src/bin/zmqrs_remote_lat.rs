//! `remote_lat` on zmq.rs (`zeromq`), on a current-thread tokio runtime: connects a REQ
//! socket, sends `roundtrip-count` requests of `message-size` bytes one after the other
//! (resending each reply, like libzmq's tool), checking every size, and prints the average
//! one-way latency (elapsed / (2 * roundtrip-count)).
//!
//! usage: zmqrs_remote_lat <connect-to> <message-size> <roundtrip-count>

use std::time::Instant;

use zeromq::{ReqSocket, Socket, SocketRecv, SocketSend, ZmqMessage};
use zmtp_bench_peers::{current_thread_runtime, fail, parse_args, print_lat, wrong_size};

fn main() {
    let args = parse_args("zmqrs_remote_lat <connect-to> <message-size> <roundtrip-count>");
    let size = args.message_size;
    current_thread_runtime().block_on(async {
        let mut s = ReqSocket::new();
        s.connect(&args.endpoint)
            .await
            .unwrap_or_else(|e| fail("connect", e));

        let mut msg = ZmqMessage::from(vec![0u8; size]);
        let watch = Instant::now();
        for _ in 0..args.count {
            s.send(msg).await.unwrap_or_else(|e| fail("send", e));
            msg = s.recv().await.unwrap_or_else(|e| fail("recv", e));
            if msg.len() != 1 || msg.get(0).map(|f| f.len()) != Some(size) {
                wrong_size();
            }
        }
        let elapsed = watch.elapsed().as_micros() as u64;

        print_lat(size, args.count, elapsed);
        let _ = s.close().await;
    });
}
