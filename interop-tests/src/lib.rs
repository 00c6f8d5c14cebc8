//! Interop test helpers: a scriptable raw ZMTP peer and small polling/endpoint utilities.
//!
//! The tests themselves live in `tests/` and run our sockets against a real
//! libzmq (the `zmq` crate, a dev-dependency) and against [`raw_peer::RawPeer`].
#![forbid(unsafe_code)]

pub mod raw_peer;
pub mod support;
