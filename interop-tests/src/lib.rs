//! interop test helpers
