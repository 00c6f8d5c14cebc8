//! The blocking API: the same socket with methods that wait instead of returning futures.
//! It needs no tokio runtime in the program: sockets made outside one run their I/O on an
//! internal I/O thread, as libzmq does. On a thread of a multi-threaded tokio runtime the
//! blocking methods work (through `block_in_place`); on a current-thread runtime they
//! return [`Error::BlockingInRuntime`] instead of risking a deadlock.
//!
//! ```
//! use zmtp_api::blocking::Socket;
//! use zmtp_api::SocketType;
//!
//! let rep = Socket::new(SocketType::Rep)?;
//! rep.bind("inproc://blocking-doc")?;
//! let req = Socket::new(SocketType::Req)?;
//! req.connect("inproc://blocking-doc")?;
//! let server = std::thread::spawn(move || -> zmtp_api::Result<()> {
//!     let q = rep.recv_string()?;
//!     rep.send(format!("{q} World"))
//! });
//! req.send("Hello")?;
//! assert_eq!(req.recv_string()?, "Hello World");
//! server.join().unwrap()?;
//! # Ok::<(), zmtp_api::Error>(())
//! ```

mod config;
mod monitor;
mod run;
mod socket;
mod wait;

pub use monitor::MonitorEvents;
pub use socket::Socket;
pub use socket::select;
pub use wait::{Messages, Proxy, proxy};
