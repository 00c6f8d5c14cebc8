//! Divide and conquer (PUSH/PULL) with the blocking API: no async, no tokio in the program.
//!
//! ```text
//! cargo run --release --example divide_and_conquer_blocking
//! ```

use std::time::{Duration, Instant};

use zmtp_api::SocketType;
use zmtp_api::blocking::Socket;

fn main() -> zmtp_api::Result<()> {
    // The sink.
    let sink = Socket::new(SocketType::Pull)?;
    sink.bind("tcp://*:5558")?;
    // The ventilator.
    let sender = Socket::new(SocketType::Push)?;
    sender.bind("tcp://*:5557")?;
    let start_sink = Socket::new(SocketType::Push)?;
    start_sink.connect("tcp://localhost:5558")?;
    // Ten workers.
    let workers: Vec<_> = (0..10)
        .map(|_| {
            std::thread::spawn(|| -> zmtp_api::Result<()> {
                let receiver = Socket::new(SocketType::Pull)?;
                receiver.connect("tcp://localhost:5557")?;
                let results = Socket::new(SocketType::Push)?;
                results.connect("tcp://localhost:5558")?;
                while let Ok(s) = receiver.recv_string() {
                    let ms: u64 = s.parse().unwrap_or(0);
                    std::thread::sleep(Duration::from_millis(ms)); // do the work
                    results.send("")?;
                }
                Ok(())
            })
        })
        .collect();
    // Give the workers time to connect, as the original does.
    std::thread::sleep(Duration::from_millis(500));

    start_sink.send("0")?; // message 0 signals start of batch
    let mut total_msec = 0;
    for _ in 0..100 {
        let workload = rand::random_range(1..=100);
        sender.send(format!("{workload}"))?;
        total_msec += workload;
    }
    println!("Total expected cost: {total_msec} msec");

    sink.recv()?; // start of batch
    let started = Instant::now();
    for _ in 0..100 {
        sink.recv()?;
    }
    println!("Total elapsed time: {} msec", started.elapsed().as_millis());
    for s in [&sink, &sender, &start_sink] {
        s.close();
    }
    // Workers block in recv on sockets they own; the process exits without joining them.
    drop(workers);
    Ok(())
}
