//! `FromStr` for [`Endpoint`]: syntax checks only, no name resolution.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;
use std::str::FromStr;

use super::{
    Endpoint, EndpointError, Host, INPROC_NAME_MAX, IPC_PATH_MAX, IpcAddr, Port, TcpSource,
};

/// Longest DNS name accepted in a `tcp://` host.
const HOST_NAME_MAX: usize = 253;

impl FromStr for Endpoint {
    type Err = EndpointError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let Some((scheme, rest)) = s.split_once("://") else {
            return Err(EndpointError::invalid(s, "missing `scheme://`"));
        };
        match scheme {
            "tcp" => parse_tcp(s, rest),
            "ipc" => parse_ipc(s, rest),
            "inproc" => parse_inproc(s, rest),
            other => Err(EndpointError::UnsupportedTransport(other.to_owned())),
        }
    }
}

fn parse_tcp(s: &str, rest: &str) -> Result<Endpoint, EndpointError> {
    let (source, rest) = match rest.split_once(';') {
        Some((src, dst)) => (Some(parse_source(s, src)?), dst),
        None => (None, rest),
    };
    let Some((host, port)) = rest.rsplit_once(':') else {
        return Err(EndpointError::invalid(s, "missing `:port`"));
    };
    Ok(Endpoint::Tcp {
        host: parse_host(s, host)?,
        port: parse_port(s, port)?,
        source,
    })
}

/// The `source` of `tcp://source;host:port`: `host` or `host:port`.
fn parse_source(s: &str, src: &str) -> Result<TcpSource, EndpointError> {
    // A bracketed IPv6 literal without a port has no `:` after its `]`.
    let has_port = match src.rfind(']') {
        Some(end) => src[end..].contains(':'),
        None => src.contains(':'),
    };
    let (host, port) = match src.rsplit_once(':') {
        Some((host, port)) if has_port => (host, parse_port(s, port)?),
        _ => (src, Port::Any),
    };
    Ok(TcpSource {
        host: parse_host(s, host)?,
        port,
    })
}

fn parse_host(s: &str, host: &str) -> Result<Host, EndpointError> {
    if host.is_empty() {
        return Err(EndpointError::invalid(s, "empty host"));
    }
    if host == "*" {
        return Ok(Host::Any);
    }
    if let Some(inner) = host.strip_prefix('[') {
        let Some(inner) = inner.strip_suffix(']') else {
            return Err(EndpointError::invalid(s, "unterminated `[` in IPv6 host"));
        };
        let (addr, zone) = match inner.split_once('%') {
            Some((addr, zone)) => (addr, Some(zone)),
            None => (inner, None),
        };
        let ip = addr
            .parse::<Ipv6Addr>()
            .map_err(|_| EndpointError::invalid(s, "invalid IPv6 address"))?;
        return match zone {
            None => Ok(Host::Ip(IpAddr::V6(ip))),
            Some(zone) => {
                let valid = !zone.is_empty()
                    && zone.len() <= 15
                    && zone
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
                if !valid {
                    return Err(EndpointError::invalid(s, "invalid IPv6 zone id"));
                }
                Ok(Host::Ip6Zone(ip, zone.to_owned()))
            }
        };
    }
    if host.contains(':') {
        return Err(EndpointError::invalid(
            s,
            "IPv6 addresses must be in brackets",
        ));
    }
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Ok(Host::Ip(IpAddr::V4(ip)));
    }
    let valid_name = host.len() <= HOST_NAME_MAX
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
    if !valid_name {
        return Err(EndpointError::invalid(s, "invalid host name"));
    }
    Ok(Host::Name(host.to_owned()))
}

fn parse_port(s: &str, port: &str) -> Result<Port, EndpointError> {
    if port == "*" {
        return Ok(Port::Any);
    }
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(EndpointError::invalid(s, "port must be a number or `*`"));
    }
    match port.parse::<u16>() {
        Ok(0) => Ok(Port::Any),
        Ok(n) => Ok(Port::Num(n)),
        Err(_) => Err(EndpointError::invalid(s, "port out of range (1..=65535)")),
    }
}

fn parse_ipc(s: &str, rest: &str) -> Result<Endpoint, EndpointError> {
    if rest.is_empty() {
        return Err(EndpointError::invalid(s, "empty ipc path"));
    }
    if rest.contains('\0') {
        return Err(EndpointError::invalid(s, "NUL byte in ipc path"));
    }
    if rest == "*" {
        // Bind picks a fresh private path (see `Listener::bind`).
        return Ok(Endpoint::Ipc(IpcAddr::Path(PathBuf::from("*"))));
    }
    if let Some(name) = rest.strip_prefix('@') {
        if name.is_empty() {
            return Err(EndpointError::invalid(s, "empty abstract ipc name"));
        }
        if name.len() > IPC_PATH_MAX {
            return Err(EndpointError::PathTooLong(s.to_owned()));
        }
        return Ok(Endpoint::Ipc(IpcAddr::Abstract(name.as_bytes().to_vec())));
    }
    if rest.len() > IPC_PATH_MAX {
        return Err(EndpointError::PathTooLong(s.to_owned()));
    }
    Ok(Endpoint::Ipc(IpcAddr::Path(PathBuf::from(rest))))
}

fn parse_inproc(s: &str, rest: &str) -> Result<Endpoint, EndpointError> {
    if rest.is_empty() {
        return Err(EndpointError::invalid(s, "empty inproc name"));
    }
    if rest.len() > INPROC_NAME_MAX {
        return Err(EndpointError::invalid(
            s,
            "inproc name longer than 256 bytes",
        ));
    }
    Ok(Endpoint::Inproc(rest.to_owned()))
}
