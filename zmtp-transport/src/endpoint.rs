//! Endpoint addresses: `tcp://host:port`, `ipc://path`, `ipc://@abstract`, `inproc://name`.
//!
//! Parsing ([`str::parse`]) checks syntax only; name resolution happens at bind
//! or connect time. [`Display`](fmt::Display) gives the canonical form, which
//! parses back to an equal value.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::path::PathBuf;

mod parse;

/// Errors produced while parsing or using an endpoint (same type as
/// [`TransportError`](crate::TransportError)).
pub type EndpointError = crate::TransportError;

/// Longest `ipc://` path or abstract name, in bytes (Linux `sun_path` minus the NUL).
pub const IPC_PATH_MAX: usize = 107;

/// Longest `inproc://` name, in bytes.
pub const INPROC_NAME_MAX: usize = 256;

/// A parsed endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `tcp://host:port`, or `tcp://source;host:port` for a connect from a chosen local
    /// address (libzmq's form; `source` is `host` or `host:port`).
    Tcp {
        /// Interface / host part.
        host: Host,
        /// Port part.
        port: Port,
        /// The local address a connect binds first (`None`: the system picks).
        source: Option<TcpSource>,
    },
    /// `ipc://path` or `ipc://@name`.
    Ipc(IpcAddr),
    /// `inproc://name` (1 to 256 bytes).
    Inproc(String),
}

/// The local address of `tcp://source;host:port` (port `*`/absent: any).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TcpSource {
    /// The local interface address or name.
    pub host: Host,
    /// The local port.
    pub port: Port,
}

/// The host part of a `tcp://` endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Host {
    /// `*`: every IPv4 interface (bind only).
    Any,
    /// A numeric IPv4 or (bracketed) IPv6 address.
    Ip(IpAddr),
    /// An IPv6 address with a zone id, `[fe80::1%eth0]`: an interface name or number
    /// (the scope of a link-local address).
    Ip6Zone(Ipv6Addr, String),
    /// A DNS name such as `localhost` (interface names are treated as names too).
    Name(String),
}

/// The port part of a `tcp://` endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Port {
    /// `*` or `0`: an ephemeral port chosen by the system (bind only).
    Any,
    /// A fixed port, 1..=65535.
    Num(u16),
}

/// The address of an `ipc://` endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum IpcAddr {
    /// A filesystem path (absolute or relative).
    Path(PathBuf),
    /// A Linux abstract-namespace name (`ipc://@name`), without the leading NUL.
    Abstract(Vec<u8>),
}

impl Endpoint {
    /// The transport name: `"tcp"`, `"ipc"` or `"inproc"`.
    pub fn transport(&self) -> &'static str {
        match self {
            Endpoint::Tcp { .. } => "tcp",
            Endpoint::Ipc(_) => "ipc",
            Endpoint::Inproc(_) => "inproc",
        }
    }

    /// True for a `tcp://` endpoint whose host or port is a wildcard (`*`, port
    /// `0`), and for `ipc://*` (a fresh private path): the bound address (see
    /// [`Listener::local_endpoint`](crate::Listener::local_endpoint)) then differs from
    /// this one.
    pub fn is_wildcard_bind(&self) -> bool {
        matches!(
            self,
            Endpoint::Tcp {
                host: Host::Any,
                ..
            } | Endpoint::Tcp {
                port: Port::Any,
                ..
            }
        ) || self.is_ipc_wildcard()
    }

    /// True for `ipc://*`.
    pub fn is_ipc_wildcard(&self) -> bool {
        matches!(self, Endpoint::Ipc(IpcAddr::Path(p)) if p.as_os_str() == "*")
    }

    /// Checks that this endpoint can be connected to: a `*` host or a `*`/`0`
    /// port is only meaningful for bind. Returns `self` on success.
    pub fn for_connect(&self) -> Result<&Self, EndpointError> {
        match self {
            Endpoint::Tcp {
                host: Host::Any, ..
            } => Err(EndpointError::invalid(
                &self.to_string(),
                "cannot connect to the wildcard host `*`",
            )),
            Endpoint::Tcp {
                port: Port::Any, ..
            } => Err(EndpointError::invalid(
                &self.to_string(),
                "cannot connect to the wildcard port `*`/0",
            )),
            _ if self.is_ipc_wildcard() => Err(EndpointError::invalid(
                &self.to_string(),
                "cannot connect to the wildcard ipc path `*`",
            )),
            _ => Ok(self),
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Tcp {
                host,
                port,
                source: None,
            } => write!(f, "tcp://{host}:{port}"),
            Endpoint::Tcp {
                host,
                port,
                source: Some(src),
            } => write!(f, "tcp://{}:{};{host}:{port}", src.host, src.port),
            Endpoint::Ipc(addr) => write!(f, "ipc://{addr}"),
            Endpoint::Inproc(name) => write!(f, "inproc://{name}"),
        }
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Any => f.write_str("*"),
            Host::Ip(IpAddr::V4(ip)) => write!(f, "{ip}"),
            Host::Ip(IpAddr::V6(ip)) => write!(f, "[{ip}]"),
            Host::Ip6Zone(ip, zone) => write!(f, "[{ip}%{zone}]"),
            Host::Name(name) => f.write_str(name),
        }
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Port::Any => f.write_str("*"),
            Port::Num(n) => write!(f, "{n}"),
        }
    }
}

impl fmt::Display for IpcAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IpcAddr::Path(path) => write!(f, "{}", path.display()),
            IpcAddr::Abstract(name) => write!(f, "@{}", String::from_utf8_lossy(name)),
        }
    }
}
