//! Weather Reporting in ZeroMQ: PUB/SUB ("Getting the Message Out" in the 0MQ Guide).
//!
//! A publisher bound on `tcp://*:5556` sends "ZIP TEMPERATURE HUMIDITY" updates as fast as
//! it can; a subscriber connected to `tcp://localhost:5556` subscribes to one ZIP code,
//! averages ten temperature updates for it and stops the publisher.
//!
//! The original draws ZIP codes from 0..100000, so the subscriber waits on average for
//! a million updates; to keep the run short the publisher here draws them from
//! 10000..10100 (the subscriber picks its ZIP code from the same range).
//!
//! ```text
//! cargo run --release --example weather
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use zmtp_api::{Socket, SocketType};

/// ZIP codes in use: `ZIP_FIRST..ZIP_FIRST + ZIP_COUNT`.
const ZIP_FIRST: u32 = 10000;
const ZIP_COUNT: u32 = 100;

fn random_zip() -> String {
    format!("{:05}", ZIP_FIRST + rand::random_range(0..ZIP_COUNT))
}

#[tokio::main]
async fn main() -> zmtp_api::Result<()> {
    // The weather update server, in its own task.
    let publisher = Socket::new(SocketType::Pub)?;
    publisher.bind("tcp://*:5556")?;
    let done = Arc::new(AtomicBool::new(false));
    let server = {
        let done = done.clone();
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                let zip = random_zip();
                let temp: i32 = rand::random_range(-80..135);
                let rhumid: u32 = rand::random_range(10..60);
                if publisher
                    .send(format!("{zip} {temp} {rhumid}"))
                    .await
                    .is_err()
                {
                    break;
                }
                // PUB never waits for subscribers: give the other tasks a turn.
                tokio::task::yield_now().await;
            }
            publisher.close();
        })
    };

    // The weather client.
    let subscriber = Socket::new(SocketType::Sub)?;
    subscriber.connect("tcp://localhost:5556")?;
    let myzip = random_zip();
    println!("Subscribing to ZIP code {myzip} only");
    subscriber.subscribe(&myzip)?;

    let mut total_temp: i64 = 0;
    for update_number in 0..10 {
        let msg = subscriber.recv_string().await?;
        let temp: i64 = msg
            .split_whitespace()
            .nth(1)
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("malformed update {msg:?}"));
        println!("Client got temperature update #{update_number}: {temp}");
        total_temp += temp;
    }
    // Like Racket's (~r (/ total 10)): "44.3", or "44" when the average is whole.
    let average = format!("{}", total_temp as f64 / 10.0);
    println!("Average temperature for ZIP code {myzip:?} was {average:?}");
    subscriber.close();

    done.store(true, Ordering::Relaxed);
    let _ = server.await;
    Ok(())
}
