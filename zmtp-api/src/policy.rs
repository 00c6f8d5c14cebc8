//! Endpoint policy: which endpoints [`Socket::bind`](crate::Socket::bind) and
//! [`Socket::connect`](crate::Socket::connect) may use. It replaces Racket's
//! `current-security-guard`.
//!
//! A policy can be set in three places, and **every** policy in effect must allow an
//! endpoint (as Racket's guards chain to their parents, an inner policy can only narrow
//! what an outer one allows):
//!
//! - per [`Context`](crate::Context) ([`Context::set_policy`](crate::Context::set_policy)),
//!   for every socket made in it;
//! - for one async task ([`scope`]) or one thread ([`scope_blocking`]), like Racket's
//!   `parameterize`;
//! - per socket ([`SocketBuilder::policy`](crate::SocketBuilder::policy) or
//!   [`Socket::set_policy`](crate::Socket::set_policy)).
//!
//! Unlike Racket, wildcard binds (`tcp://*:port`, host `None`) and IPv6 literals
//! (`tcp://[::1]:port`, host `"::1"`) are checked too. `ipc://` paths are made absolute
//! before the check and the socket uses that absolute path. `unbind` and `disconnect` are
//! not checked; [`Socket::bind_unchecked`](crate::Socket::bind_unchecked) and
//! [`Socket::connect_unchecked`](crate::Socket::connect_unchecked) bypass every policy.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> zmtp_api::Result<()> {
//! use zmtp_api::policy::AllowList;
//! use zmtp_api::{Error, Socket, SocketType};
//! let s = Socket::builder(SocketType::Pull)
//!     .policy(AllowList::new().inproc().tcp_host("127.0.0.1"))
//!     .build()?;
//! s.bind("tcp://127.0.0.1:*")?;
//! assert!(matches!(s.bind("tcp://*:*"), Err(Error::PolicyDenied { .. })));
//! # Ok(()) }
//! ```

use std::cell::RefCell;
use std::future::Future;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use zmtp_transport::{Endpoint, Host, IpcAddr, Port};

use crate::endpoint::{EndpointArg, EndpointMode};
use crate::error::{Error, Result};

/// The transport of an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Transport {
    /// `tcp://`
    Tcp,
    /// `ipc://` (a filesystem path or a Linux abstract name)
    Ipc,
    /// `inproc://`
    Inproc,
}

/// One bind or connect, as the policy sees it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct EndpointRequest<'a> {
    /// Bind or connect.
    pub mode: EndpointMode,
    /// The transport.
    pub transport: Transport,
    /// The endpoint as given.
    pub endpoint: &'a str,
    /// TCP: the host name or IP address (IPv6 without brackets); `None` for the wildcard
    /// interface `*`.
    pub host: Option<&'a str>,
    /// TCP: the port; `None` for a wildcard port (`*` or `0`).
    pub port: Option<u16>,
    /// IPC: the filesystem path, made absolute (not resolved through symlinks); for
    /// `ipc://*`, `<temp dir>/*` (the bind picks a fresh path there).
    pub path: Option<&'a Path>,
    /// INPROC: the name. IPC: the abstract name, without the leading `@`.
    pub name: Option<&'a str>,
}

/// Decides whether a bind or connect may go ahead. Return `Err(reason)` to refuse; the
/// call then fails with [`Error::PolicyDenied`].
///
/// Closures `Fn(&EndpointRequest) -> Result<(), String>` are policies too.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmtp_api::Result<()> {
/// use zmtp_api::policy::{EndpointRequest, Transport};
/// use zmtp_api::{Error, Socket, SocketType};
/// let no_tcp = |r: &EndpointRequest<'_>| match r.transport {
///     Transport::Tcp => Err("no tcp here".to_string()),
///     _ => Ok(()),
/// };
/// let s = Socket::builder(SocketType::Pub).policy(no_tcp).build()?;
/// assert!(matches!(s.bind("tcp://127.0.0.1:*"), Err(Error::PolicyDenied { .. })));
/// s.bind("inproc://policy-doc")?;
/// # Ok(()) }
/// ```
pub trait EndpointPolicy: Send + Sync + 'static {
    /// Allows (`Ok`) or refuses (`Err(reason)`) one bind or connect.
    fn check(&self, request: &EndpointRequest<'_>) -> std::result::Result<(), String>;
}

impl<F> EndpointPolicy for F
where
    F: Fn(&EndpointRequest<'_>) -> std::result::Result<(), String> + Send + Sync + 'static,
{
    fn check(&self, request: &EndpointRequest<'_>) -> std::result::Result<(), String> {
        self(request)
    }
}

/// Allows everything (the default).
#[derive(Clone, Copy, Debug, Default)]
pub struct AllowAll;

impl EndpointPolicy for AllowAll {
    fn check(&self, _: &EndpointRequest<'_>) -> std::result::Result<(), String> {
        Ok(())
    }
}

/// Refuses everything; only the `*_unchecked` calls get through.
#[derive(Clone, Copy, Debug, Default)]
pub struct DenyAll;

impl EndpointPolicy for DenyAll {
    fn check(&self, _: &EndpointRequest<'_>) -> std::result::Result<(), String> {
        Err("all endpoints are denied".into())
    }
}

#[derive(Clone, Debug)]
enum Rule {
    Inproc,
    TcpHost(Option<String>),
    Tcp(Option<String>, u16),
    IpcDir(PathBuf),
    IpcAbstract,
}

/// Allows only the endpoints matching one of its rules, for bind and connect alike.
///
/// ```
/// use zmtp_api::policy::AllowList;
/// let policy = AllowList::new()
///     .inproc()                      // any inproc:// name
///     .tcp_host("localhost")         // tcp://localhost:<any port>
///     .tcp("*", 5555)                // tcp://*:5555 (wildcard interface)
///     .ipc_dir("/run/myapp");        // ipc:// paths under /run/myapp
/// # let _ = policy;
/// ```
#[derive(Clone, Debug, Default)]
pub struct AllowList {
    rules: Vec<Rule>,
}

fn host_rule(host: &str) -> Option<String> {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    (h != "*").then(|| h.to_ascii_lowercase())
}

fn host_matches(rule: &Option<String>, host: Option<&str>) -> bool {
    match (rule, host) {
        (None, None) => true,
        (Some(r), Some(h)) => r.eq_ignore_ascii_case(h),
        _ => false,
    }
}

impl AllowList {
    /// An empty list (refuses everything until rules are added).
    pub fn new() -> AllowList {
        AllowList::default()
    }

    /// Allows every `inproc://` endpoint.
    pub fn inproc(mut self) -> AllowList {
        self.rules.push(Rule::Inproc);
        self
    }

    /// Allows `tcp://host:<any port>`. `"*"` means the wildcard interface of a bind;
    /// IPv6 addresses may be given with or without brackets. Names are compared as
    /// written (no resolution), ignoring ASCII case.
    pub fn tcp_host(mut self, host: &str) -> AllowList {
        self.rules.push(Rule::TcpHost(host_rule(host)));
        self
    }

    /// Allows `tcp://host:port` for one fixed port (`"*"` as in [`AllowList::tcp_host`]).
    pub fn tcp(mut self, host: &str, port: u16) -> AllowList {
        self.rules.push(Rule::Tcp(host_rule(host), port));
        self
    }

    /// Allows `ipc://` paths inside `dir` (made absolute). Paths with `..` components
    /// never match.
    pub fn ipc_dir(mut self, dir: impl AsRef<Path>) -> AllowList {
        let dir = dir.as_ref();
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        self.rules.push(Rule::IpcDir(dir));
        self
    }

    /// Allows `ipc://@name` (Linux abstract namespace) endpoints.
    pub fn ipc_abstract(mut self) -> AllowList {
        self.rules.push(Rule::IpcAbstract);
        self
    }

    fn allows(&self, r: &EndpointRequest<'_>) -> bool {
        self.rules.iter().any(|rule| match (rule, r.transport) {
            (Rule::Inproc, Transport::Inproc) => true,
            (Rule::TcpHost(h), Transport::Tcp) => host_matches(h, r.host),
            (Rule::Tcp(h, p), Transport::Tcp) => host_matches(h, r.host) && r.port == Some(*p),
            (Rule::IpcDir(dir), Transport::Ipc) => r.path.is_some_and(|p| {
                !p.components().any(|c| c == Component::ParentDir) && p.starts_with(dir)
            }),
            (Rule::IpcAbstract, Transport::Ipc) => r.path.is_none() && r.name.is_some(),
            _ => false,
        })
    }
}

impl EndpointPolicy for AllowList {
    fn check(&self, r: &EndpointRequest<'_>) -> std::result::Result<(), String> {
        if self.allows(r) {
            Ok(())
        } else {
            Err("not on the allow list".into())
        }
    }
}

/// Both policies must allow.
struct Both(Arc<dyn EndpointPolicy>, Arc<dyn EndpointPolicy>);

impl EndpointPolicy for Both {
    fn check(&self, r: &EndpointRequest<'_>) -> std::result::Result<(), String> {
        self.0.check(r)?;
        self.1.check(r)
    }
}

tokio::task_local! {
    static TASK_POLICY: Arc<dyn EndpointPolicy>;
}

thread_local! {
    static THREAD_POLICY: RefCell<Option<Arc<dyn EndpointPolicy>>> = const { RefCell::new(None) };
}

/// Runs `fut` with `policy` in effect for every bind and connect made while it runs
/// (on top of the context's and the socket's policies). Scopes nest; all apply.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmtp_api::Result<()> {
/// use zmtp_api::policy::{self, DenyAll};
/// use zmtp_api::{Error, Socket, SocketType};
/// let s = Socket::new(SocketType::Pub)?;
/// let r = policy::scope(DenyAll, async { s.bind("inproc://scoped") }).await;
/// assert!(matches!(r, Err(Error::PolicyDenied { .. })));
/// s.bind("inproc://scoped")?; // outside the scope
/// # Ok(()) }
/// ```
pub async fn scope<F: Future>(policy: impl EndpointPolicy, fut: F) -> F::Output {
    let new: Arc<dyn EndpointPolicy> = Arc::new(policy);
    let combined = match TASK_POLICY.try_with(Arc::clone) {
        Ok(outer) => Arc::new(Both(outer, new)),
        Err(_) => new,
    };
    TASK_POLICY.scope(combined, fut).await
}

/// Runs `f` with `policy` in effect for binds and connects made on this thread (for
/// blocking code). Scopes nest; all apply.
///
/// ```
/// use zmtp_api::policy::{self, DenyAll};
/// use zmtp_api::{blocking::Socket, Error, SocketType};
/// let s = Socket::new(SocketType::Pub)?;
/// let r = policy::scope_blocking(DenyAll, || s.bind("inproc://scoped-blocking"));
/// assert!(matches!(r, Err(Error::PolicyDenied { .. })));
/// # Ok::<(), zmtp_api::Error>(())
/// ```
pub fn scope_blocking<R>(policy: impl EndpointPolicy, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Arc<dyn EndpointPolicy>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let old = self.0.take();
            THREAD_POLICY.with(|p| *p.borrow_mut() = old);
        }
    }
    let new: Arc<dyn EndpointPolicy> = Arc::new(policy);
    let old = THREAD_POLICY.with(|p| p.borrow().clone());
    let combined: Arc<dyn EndpointPolicy> = match &old {
        Some(outer) => Arc::new(Both(outer.clone(), new)),
        None => new,
    };
    THREAD_POLICY.with(|p| *p.borrow_mut() = Some(combined));
    let _restore = Restore(old);
    f()
}

/// Lexically absolute form of an ipc path.
fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Parses `arg` (once), runs `policies` (plus the task and thread scopes) and returns
/// the endpoint the socket should use (`ipc://` paths made absolute).
pub(crate) fn check(
    arg: &EndpointArg,
    mode: EndpointMode,
    policies: &[Arc<dyn EndpointPolicy>],
) -> Result<Endpoint> {
    let ep: Endpoint = arg.parse().map_err(Error::InvalidEndpoint)?;
    let text = arg.text();
    let raw: &str = &text;
    let (transport, host, port, path, name, use_as) = match &ep {
        Endpoint::Tcp { host, port, .. } => {
            let host = match host {
                Host::Any => None,
                Host::Ip(ip) => Some(ip.to_string()),
                Host::Ip6Zone(ip, zone) => Some(format!("{ip}%{zone}")),
                Host::Name(n) => Some(n.clone()),
            };
            let port = match port {
                Port::Any => None,
                Port::Num(n) => Some(*n),
            };
            (Transport::Tcp, host, port, None, None, ep.clone())
        }
        // `ipc://*` binds a fresh path under the temporary directory: policies see
        // `<temp dir>/*`.
        Endpoint::Ipc(IpcAddr::Path(_)) if ep.is_ipc_wildcard() => {
            let under = std::env::temp_dir().join("*");
            (Transport::Ipc, None, None, Some(under), None, ep.clone())
        }
        Endpoint::Ipc(IpcAddr::Path(p)) => {
            let abs = absolute(p);
            let use_as = Endpoint::Ipc(IpcAddr::Path(abs.clone()));
            (Transport::Ipc, None, None, Some(abs), None, use_as)
        }
        Endpoint::Ipc(IpcAddr::Abstract(n)) => {
            let name = String::from_utf8_lossy(n).into_owned();
            (Transport::Ipc, None, None, None, Some(name), ep.clone())
        }
        Endpoint::Inproc(n) => (
            Transport::Inproc,
            None,
            None,
            None,
            Some(n.clone()),
            ep.clone(),
        ),
    };
    let request = EndpointRequest {
        mode,
        transport,
        endpoint: raw,
        host: host.as_deref(),
        port,
        path: path.as_deref(),
        name: name.as_deref(),
    };
    let deny = |reason: String| Error::PolicyDenied {
        endpoint: raw.to_owned(),
        mode,
        reason,
    };
    let task = TASK_POLICY.try_with(Arc::clone).ok();
    let thread = THREAD_POLICY.with(|p| p.borrow().clone());
    for p in policies.iter().chain(task.iter()).chain(thread.iter()) {
        p.check(&request).map_err(deny)?;
    }
    Ok(use_as)
}

/// The ipc endpoint made absolute, when `raw` is a relative `ipc://` path (for unbind
/// and disconnect of an endpoint that bind/connect rewrote).
pub(crate) fn absolute_ipc(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix("ipc://")?;
    // `*` (a fresh private path picked at bind) and abstract names have no directory.
    if rest.starts_with('@') || rest.starts_with('/') || rest.is_empty() || rest == "*" {
        return None;
    }
    Some(format!("ipc://{}", absolute(Path::new(rest)).display()))
}
