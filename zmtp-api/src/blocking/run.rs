//! Running a socket's future to completion from blocking code, without stalling a
//! current-thread tokio runtime.

use std::future::Future;

use tokio::runtime::{Handle, RuntimeFlavor};

use crate::error::{Error, Result};

/// Runs `f` to completion on this thread, with `handle`'s runtime entered for timers.
///
/// On a thread of a multi-threaded tokio runtime (a worker, `spawn_blocking`, or inside
/// `Runtime::block_on`) it runs in `block_in_place`, so the runtime keeps running its other
/// tasks (the socket's I/O among them). On a current-thread runtime blocking would stall
/// that runtime, so it fails with [`Error::BlockingInRuntime`].
pub(super) fn block_on<F: Future>(handle: &Handle, f: F) -> Result<F::Output> {
    can_block()?;
    block_on_checked(handle, f)
}

/// Fails with [`Error::BlockingInRuntime`] where blocking would stall a current-thread
/// runtime (checked before any fast path, so a call behaves the same whether or not it
/// would have had to wait).
pub(super) fn can_block() -> Result<()> {
    match Handle::try_current() {
        Ok(current) if current.runtime_flavor() != RuntimeFlavor::MultiThread => {
            Err(Error::BlockingInRuntime)
        }
        _ => Ok(()),
    }
}

/// [`block_on`] after [`can_block`] said yes.
pub(super) fn block_on_checked<F: Future>(handle: &Handle, f: F) -> Result<F::Output> {
    match Handle::try_current() {
        Err(_) => {
            let _guard = handle.enter();
            Ok(futures::executor::block_on(f))
        }
        Ok(current) if current.runtime_flavor() == RuntimeFlavor::MultiThread => {
            Ok(tokio::task::block_in_place(|| {
                futures::executor::block_on(f)
            }))
        }
        // `can_block` refused current-thread runtimes.
        Ok(_) => Err(Error::BlockingInRuntime),
    }
}
