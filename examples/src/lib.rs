//! examples crate (programs live in examples/examples)
#![forbid(unsafe_code)]
