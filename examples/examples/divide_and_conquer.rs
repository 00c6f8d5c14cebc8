//! Divide and Conquer in ZeroMQ: PUSH/PULL ("Divide and Conquer" in the 0MQ Guide).
//!
//! - the ventilator binds a PUSH socket on `tcp://*:5557` and hands out 100 tasks (a
//!   workload of 1..=100 ms each), after telling the sink (PUSH connected to
//!   `tcp://localhost:5558`) that the batch starts;
//! - 10 workers pull tasks from `tcp://localhost:5557`, sleep for the workload and push
//!   an empty result to `tcp://localhost:5558`;
//! - the sink binds a PULL socket on `tcp://*:5558`, waits for the start of the batch and
//!   times the collection of the 100 results.
//!
//! With 10 workers the batch takes about a tenth of the total expected cost.
//!
//! ```text
//! cargo run --release --example divide_and_conquer
//! ```

use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};
use zmtp_api::{Socket, SocketType};

const TASKS: usize = 100;
const WORKERS: usize = 10;
/// Time the workers get to finish connecting once their sockets are set up (the original
/// sleeps 1 s before starting the ventilator).
const CONNECT_GRACE: Duration = Duration::from_millis(500);
/// Upper bound on the wait for the workers to be set up.
const SETUP_TIMEOUT: Duration = Duration::from_secs(5);

/// Task ventilator: binds PUSH to tcp://*:5557, sends a batch of tasks to the workers.
async fn ventilator(go: oneshot::Receiver<()>) -> zmtp_api::Result<()> {
    let sender = Socket::new(SocketType::Push)?;
    sender.bind("tcp://*:5557")?;
    let sink = Socket::new(SocketType::Push)?;
    sink.connect("tcp://localhost:5558")?;

    let _ = go.await;
    sink.send("0").await?; // message 0 signals start of batch

    let mut total_msec = 0;
    for _ in 0..TASKS {
        let workload: u32 = rand::random_range(1..=100);
        sender.send(workload.to_string()).await?;
        total_msec += workload;
    }
    println!("Total expected cost: {total_msec} msec");

    // Closing waits until the queued tasks have been written.
    sender.close_and_flush().await;
    sink.close_and_flush().await;
    Ok(())
}

/// Task worker: PULL from the ventilator, do the work, PUSH a result to the sink.
async fn worker(ready: mpsc::Sender<()>) -> zmtp_api::Result<()> {
    let receiver = Socket::new(SocketType::Pull)?;
    receiver.connect("tcp://localhost:5557")?;
    let sender = Socket::new(SocketType::Push)?;
    sender.connect("tcp://localhost:5558")?;
    let _ = ready.send(()).await;
    drop(ready);

    loop {
        let s = receiver.recv_string().await?;
        let workload: u64 = s.trim().parse().unwrap_or(0);
        tokio::time::sleep(Duration::from_millis(workload)).await; // do the work
        sender.send("").await?;
    }
}

/// Task sink: binds PULL to tcp://*:5558, collects the results from the workers.
async fn sink(receiver: Socket) -> zmtp_api::Result<()> {
    receiver.recv().await?; // start of batch
    let start = Instant::now();
    for _ in 0..TASKS {
        receiver.recv().await?;
    }
    println!("Total elapsed time: {} msec", start.elapsed().as_millis());
    receiver.close();
    Ok(())
}

#[tokio::main]
async fn main() -> zmtp_api::Result<()> {
    // The sink binds before anyone connects to it.
    let sink_socket = Socket::new(SocketType::Pull)?;
    sink_socket.bind("tcp://*:5558")?;
    let sink_task = tokio::spawn(sink(sink_socket));

    let (go_tx, go_rx) = oneshot::channel();
    let ventilator_task = tokio::spawn(ventilator(go_rx));

    let (ready_tx, mut ready_rx) = mpsc::channel(WORKERS);
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| tokio::spawn(worker(ready_tx.clone())))
        .collect();
    drop(ready_tx);

    // Give the workers some time to connect, bounded: wait until all of them have set
    // up their sockets, then let the connections complete before starting the batch.
    let _ = tokio::time::timeout(SETUP_TIMEOUT, async {
        for _ in 0..WORKERS {
            if ready_rx.recv().await.is_none() {
                break;
            }
        }
    })
    .await;
    tokio::time::sleep(CONNECT_GRACE).await;
    let _ = go_tx.send(());

    let result = sink_task.await.expect("sink task panicked");
    if let Err(e) = ventilator_task.await.expect("ventilator task panicked") {
        eprintln!("ventilator: {e}");
    }
    for w in workers {
        w.abort();
    }
    result
}
