//! Library-level queries: Racket's `zmq-available?` and `zmq-version`.

/// Always true: zmtp is pure Rust and needs no `libzmq` (Racket's `zmq-available?`).
///
/// ```
/// assert!(zmtp_api::available());
/// ```
pub fn available() -> bool {
    true
}

/// The libzmq API level zmtp follows, as `(major, minor, patch)` (Racket's
/// `zmq-version`, which reports the loaded libzmq).
///
/// ```
/// assert_eq!(zmtp_api::version(), (4, 3, 5));
/// ```
pub fn version() -> (u32, u32, u32) {
    (4, 3, 5)
}

/// The wire protocol version zmtp speaks: ZMTP 3.1 (it also talks to ZMTP 3.0 peers).
///
/// ```
/// assert_eq!(zmtp_api::zmtp_version(), (3, 1));
/// ```
pub fn zmtp_version() -> (u8, u8) {
    (3, 1)
}

/// Whether draft socket types (CLIENT, SERVER, RADIO, DISH, ...) are available (Racket's
/// `zmq-draft-available?`): not yet.
///
/// ```
/// assert!(!zmtp_api::DRAFT_AVAILABLE);
/// ```
pub const DRAFT_AVAILABLE: bool = false;
