//! examples crate (programs live in examples/examples)
