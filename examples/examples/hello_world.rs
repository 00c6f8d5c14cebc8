//! Hello World in ZeroMQ: REQ/REP ("Ask and Ye Shall Receive" in the 0MQ Guide).
//!
//! A REP server bound on `tcp://*:5555` answers "World" to every request; a REQ client
//! connected to `tcp://localhost:5555` sends three "Hello" requests.
//!
//! ```text
//! cargo run --release --example hello_world
//! ```

use std::time::Duration;

use zmtp_api::{Socket, SocketType};

#[tokio::main]
async fn main() -> zmtp_api::Result<()> {
    // The "hello world" server, in its own task.
    let responder = Socket::new(SocketType::Rep)?;
    responder.bind("tcp://*:5555")?;
    let server = {
        let responder = responder.clone();
        tokio::spawn(async move {
            // Ends when the socket is closed.
            while let Ok(msg) = responder.recv_string().await {
                println!("Server received: {msg:?}");
                if responder.send("World").await.is_err() {
                    break;
                }
            }
        })
    };

    // The "hello world" client.
    let requester = Socket::new(SocketType::Req)?;
    requester.connect("tcp://localhost:5555")?;
    for request_number in 0..3 {
        requester.send("Hello").await?;
        let response = requester.recv_string().await?;
        println!("Client received {response:?} (#{request_number})");
    }
    requester.close();

    // Stop the server (the original leaves its thread running until the program exits).
    responder.close();
    if tokio::time::timeout(Duration::from_secs(1), server)
        .await
        .is_err()
    {
        eprintln!("server task did not stop after close");
    }
    Ok(())
}
