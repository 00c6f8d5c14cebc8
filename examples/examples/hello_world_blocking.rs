//! Hello World with the blocking API: no async, no tokio in the program.
//!
//! ```text
//! cargo run --release --example hello_world_blocking
//! ```

use zmtp_api::SocketType;
use zmtp_api::blocking::Socket;

fn main() -> zmtp_api::Result<()> {
    let responder = Socket::new(SocketType::Rep)?;
    responder.bind("tcp://*:5555")?;
    let server = {
        let responder = responder.clone();
        std::thread::spawn(move || {
            // Ends when the socket is closed.
            while let Ok(msg) = responder.recv_string() {
                println!("Server received: {msg:?}");
                if responder.send("World").is_err() {
                    break;
                }
            }
        })
    };

    let requester = Socket::new(SocketType::Req)?;
    requester.connect("tcp://localhost:5555")?;
    for request_number in 0..3 {
        requester.send("Hello")?;
        let response = requester.recv_string()?;
        println!("Client received {response:?} (#{request_number})");
    }
    requester.close();
    responder.close();
    let _ = server.join();
    Ok(())
}
