//! The zmtp engine.
pub mod message;
pub use message::Message;
