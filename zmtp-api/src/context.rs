//! The context: the inproc namespace, the internal I/O runtime and an endpoint policy,
//! shared by the sockets made in it (Racket's implicit context, `zmq-unsafe-get-ctx`).

use std::sync::{Arc, OnceLock, RwLock};

use crate::policy::EndpointPolicy;

struct Inner {
    engine: Arc<zmtp_sockets::Context>,
    policy: RwLock<Option<Arc<dyn EndpointPolicy>>>,
}

/// A handle to a context. Sockets reach each other over `inproc://` only within one
/// context. Cloning gives another handle; every socket holds one, so the context lives as
/// long as any of its sockets or handles.
#[derive(Clone)]
pub struct Context {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("has_policy", &self.policy().is_some())
            .finish_non_exhaustive()
    }
}

impl Context {
    /// The implicit process-wide context that [`Socket::new`] uses (Racket's
    /// `zmq-unsafe-get-ctx`).
    ///
    /// ```
    /// use zmtp_api::Context;
    /// assert!(Context::current().same_as(&Context::current()));
    /// ```
    pub fn current() -> Context {
        static CURRENT: OnceLock<Context> = OnceLock::new();
        CURRENT
            .get_or_init(|| Context::from_engine(zmtp_sockets::Context::global()))
            .clone()
    }

    /// A fresh, isolated context (its own inproc names and policy), e.g. for tests.
    ///
    /// ```
    /// use zmtp_api::Context;
    /// assert!(!Context::new().same_as(&Context::current()));
    /// ```
    pub fn new() -> Context {
        Context::from_engine(zmtp_sockets::Context::new())
    }

    fn from_engine(engine: Arc<zmtp_sockets::Context>) -> Context {
        Context {
            inner: Arc::new(Inner {
                engine,
                policy: RwLock::new(None),
            }),
        }
    }

    /// True when both handles refer to the same context.
    ///
    /// ```
    /// let c = zmtp_api::Context::new();
    /// assert!(c.same_as(&c.clone()));
    /// ```
    pub fn same_as(&self, other: &Context) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Sets the endpoint policy for every socket of this context, existing or future
    /// (see [`crate::policy`]); it replaces the previous context policy.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{policy::DenyAll, Context, Error, SocketType};
    /// let ctx = Context::new();
    /// ctx.set_policy(DenyAll);
    /// let s = ctx.socket(SocketType::Pub)?;
    /// assert!(matches!(s.bind("inproc://ctx-denied"), Err(Error::PolicyDenied { .. })));
    /// # Ok(()) }
    /// ```
    pub fn set_policy(&self, policy: impl EndpointPolicy) {
        self.set_policy_arc(Some(Arc::new(policy)));
    }

    /// Removes the context's endpoint policy.
    ///
    /// ```
    /// use zmtp_api::{policy::DenyAll, Context};
    /// let ctx = Context::new();
    /// ctx.set_policy(DenyAll);
    /// ctx.clear_policy();
    /// assert!(ctx.policy().is_none());
    /// ```
    pub fn clear_policy(&self) {
        self.set_policy_arc(None);
    }

    /// The context's endpoint policy, if one is set.
    ///
    /// ```
    /// assert!(zmtp_api::Context::new().policy().is_none());
    /// ```
    pub fn policy(&self) -> Option<Arc<dyn EndpointPolicy>> {
        self.inner
            .policy
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_policy_arc(&self, policy: Option<Arc<dyn EndpointPolicy>>) {
        *self.inner.policy.write().unwrap_or_else(|e| e.into_inner()) = policy;
    }

    pub(crate) fn engine(&self) -> Arc<zmtp_sockets::Context> {
        self.inner.engine.clone()
    }
}

impl Default for Context {
    /// Same as [`Context::new`].
    fn default() -> Context {
        Context::new()
    }
}
