//! The context: the inproc registry and, for programs without a tokio runtime, the
//! internal I/O runtime (libzmq's I/O thread).

use std::sync::{Arc, OnceLock};

use tokio::runtime::{Handle, Runtime};
use zmtp_transport::InprocRegistry;

use crate::shared::InprocConnect;

/// A context: sockets in one context can reach each other over inproc.
#[derive(Debug, Default)]
pub struct Context {
    pub(crate) inproc: Arc<InprocRegistry<InprocConnect>>,
}

impl Context {
    /// A fresh, isolated context.
    pub fn new() -> Arc<Context> {
        Arc::new(Context::default())
    }

    /// The process-wide default context.
    pub fn global() -> Arc<Context> {
        static GLOBAL: OnceLock<Arc<Context>> = OnceLock::new();
        GLOBAL.get_or_init(Context::new).clone()
    }
}

/// The runtime sockets run on: the caller's tokio runtime when there is one, else an
/// internal one with a single I/O worker thread, created on first use.
pub fn runtime_handle() -> std::io::Result<Handle> {
    if let Ok(h) = Handle::try_current() {
        return Ok(h);
    }
    static RT: OnceLock<Runtime> = OnceLock::new();
    if let Some(rt) = RT.get() {
        return Ok(rt.handle().clone());
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("zmtp-io")
        .enable_all()
        .build()?;
    Ok(RT.get_or_init(|| rt).handle().clone())
}
