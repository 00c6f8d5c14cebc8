//! PUB/SUB fan-out, subscriber side (see `pubsub_pub`): connects a SUB socket (subscribed
//! to everything) and a PUSH sync socket, reports `ready` once it sees the first probe,
//! counts data messages until `message-count` arrived or an end marker came, and reports
//! `done <count>`. Prints its count, the wall-clock times of its first and last delivery
//! (for the total rate across subscribers), its own rate and `cpu: <s> [s]` (CPU of the process from the first
//! data message on).
//!
//! usage: pubsub_sub <connect-to> <sync-connect-to> <message-size> <message-count>

use benches::pubsub::{self, Kind};
use benches::{cpu_seconds, epoch_us, fail, number, positional, print_cpu, run, wrong_size};
use zmtp_api::{Socket, SocketOption, SocketType};

const USAGE: &str = "pubsub_sub <connect-to> <sync-connect-to> <message-size> <message-count>";

fn main() {
    let args = positional(USAGE, 4);
    let size = number(USAGE, &args[2], false);
    let count = number(USAGE, &args[3], true);
    let hwm = pubsub::hwm();
    run(async move {
        let sub = Socket::new(SocketType::Sub).unwrap_or_else(|e| fail("socket", e));
        sub.set_option(SocketOption::RcvHwm(hwm))
            .unwrap_or_else(|e| fail("set_option", e));
        sub.connect(&args[0]).unwrap_or_else(|e| fail("connect", e));
        sub.subscribe("").unwrap_or_else(|e| fail("subscribe", e));
        let sync = Socket::new(SocketType::Push).unwrap_or_else(|e| fail("socket", e));
        sync.set_option(SocketOption::Linger(-1))
            .unwrap_or_else(|e| fail("set_option", e));
        sync.connect(&args[1])
            .unwrap_or_else(|e| fail("connect", e));

        let (mut ready, mut received, mut first, mut cpu_start) = (false, 0, 0, 0.0);
        let last = loop {
            let msg = sub.recv().await.unwrap_or_else(|e| fail("recv", e));
            match pubsub::classify(&msg, size) {
                Kind::Probe if !ready => {
                    ready = true;
                    sync.send("ready").await.unwrap_or_else(|e| fail("send", e));
                }
                Kind::Probe => {}
                Kind::Data => {
                    received += 1;
                    if received == 1 {
                        first = epoch_us();
                        cpu_start = cpu_seconds();
                    }
                    if received == count {
                        break epoch_us();
                    }
                }
                Kind::End => break epoch_us(),
                Kind::Bad => wrong_size(),
            }
        };
        sync.send(format!("done {received}"))
            .await
            .unwrap_or_else(|e| fail("send", e));
        pubsub::print_sub(size, received, first, last);
        print_cpu(cpu_start);
        sync.close_and_flush().await;
        sub.close();
    });
}
