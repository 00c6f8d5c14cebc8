//! zmtp-transport
