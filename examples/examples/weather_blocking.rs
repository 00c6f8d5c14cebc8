//! Weather updates (PUB/SUB) with the blocking API: no async, no tokio in the program.
//!
//! ```text
//! cargo run --release --example weather_blocking
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use zmtp_api::SocketType;
use zmtp_api::blocking::Socket;

fn zip_to_string(zip: u32) -> String {
    format!("{zip:05}")
}

fn main() -> zmtp_api::Result<()> {
    let done = Arc::new(AtomicBool::new(false));
    let publisher = Socket::new(SocketType::Pub)?;
    publisher.bind("tcp://*:5556")?;
    let publisher_thread = {
        let done = done.clone();
        std::thread::spawn(move || -> zmtp_api::Result<()> {
            // Zips drawn from a small range so the chosen one comes up often.
            while !done.load(Ordering::Relaxed) {
                let zip = zip_to_string(rand::random_range(10000..10100));
                let temp = rand::random_range(-80..135);
                let rhumid = rand::random_range(10..60);
                publisher.send(format!("{zip} {temp} {rhumid}"))?;
            }
            publisher.close();
            Ok(())
        })
    };

    let subscriber = Socket::new(SocketType::Sub)?;
    subscriber.connect("tcp://localhost:5556")?;
    let myzip = zip_to_string(rand::random_range(10000..10100));
    println!("Subscribing to ZIP code {myzip} only");
    subscriber.subscribe(&myzip)?;
    let mut total = 0i64;
    for update_number in 0..10 {
        let msg = subscriber.recv_string()?;
        let temp: i64 = msg
            .split(' ')
            .nth(1)
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        println!("Client got temperature update #{update_number}: {temp}");
        total += temp;
    }
    println!(
        "Average temperature for ZIP code {myzip:?} was \"{}\"",
        total as f64 / 10.0
    );
    subscriber.close();
    done.store(true, Ordering::Relaxed);
    let _ = publisher_thread.join();
    Ok(())
}
