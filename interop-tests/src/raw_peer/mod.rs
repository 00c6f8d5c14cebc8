//! A small, scriptable raw ZMTP peer for tests.
//!
//! Every byte is encoded by hand here (no `zmtp-codec`), so this peer is an
//! independent check of our codec. Every read has a timeout, so a test using it
//! can fail but never hang.
//!
//! Typical use:
//! ```no_run
//! # async fn f() -> std::io::Result<()> {
//! use interop_tests::raw_peer::RawPeer;
//! let mut peer = RawPeer::connect("tcp://127.0.0.1:5555").await?;
//! let hs = peer.handshake(1, "PUSH", None).await?;
//! assert_eq!(hs.socket_type().as_deref(), Some("PULL"));
//! peer.send_message(&[b"hello"]).await?;
//! # Ok(()) }
//! ```
//!
//! Note on greetings: libzmq and our sockets send their greeting in three pieces
//! (10 bytes, then 1 byte once they have our 10-byte signature, then 53 bytes
//! once they have our 11th byte), so always send our own greeting (or at least 11
//! bytes of it) *before* calling [`RawPeer::read_greeting`].
//!
//! Files, one concept each: `wire.rs` (flags and hand encoders), `endpoint.rs`
//! ([`Endpoint`]), `frame.rs` (decoded [`Frame`], [`Command`], [`Handshake`]),
//! `peer.rs` ([`RawPeer`]: connecting and writing), `read.rs` (reading), `script.rs`
//! (the NULL handshake, waiting for a close), `listener.rs` ([`RawListener`]) and
//! `errors.rs`.

mod endpoint;
mod errors;
mod frame;
mod listener;
mod peer;
mod read;
mod script;
mod wire;

pub use endpoint::Endpoint;
pub use frame::{Command, Frame, Handshake};
pub use listener::RawListener;
pub use peer::{DEFAULT_MAX_FRAME, DEFAULT_TIMEOUT, RawPeer};
pub use wire::{
    FLAG_COMMAND, FLAG_LONG, FLAG_MORE, command_body, frame_bytes, frame_header, greeting_bytes,
    metadata_bytes, parse_metadata, ready_body,
};
