//! Interop test helpers: a scriptable raw ZMTP peer and small polling/endpoint utilities.
//!
//! The tests themselves live in `tests/` and run our sockets against a real
//! libzmq (the `zmq` crate, a dev-dependency), against [`raw_peer::RawPeer`] and
//! against pyzmq in a child process ([`pyzmq::PyPeer`], libzmq 4.3.5 with CURVE).
#![forbid(unsafe_code)]

pub mod pyzmq;
pub mod raw_peer;
pub mod security;
pub mod support;
