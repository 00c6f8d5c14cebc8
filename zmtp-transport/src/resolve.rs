//! Host-name resolution helpers shared by bind and connect.
//!
//! Like libzmq with its default `ZMQ_IPV6 = 0`, IPv4 results are preferred:
//! they are tried first, IPv6 results after them (rather than dropped, so a
//! host that only has IPv6 still works).

use std::net::{SocketAddr, ToSocketAddrs};

/// Stable-sorts `addrs` so that IPv4 addresses come first.
pub(crate) fn ipv4_first(mut addrs: Vec<SocketAddr>) -> Vec<SocketAddr> {
    addrs.sort_by_key(SocketAddr::is_ipv6);
    addrs
}

/// Resolves `name:port` synchronously (getaddrinfo), IPv4 first.
pub(crate) fn resolve_blocking(name: &str, port: u16) -> Vec<SocketAddr> {
    match (name, port).to_socket_addrs() {
        Ok(addrs) => ipv4_first(addrs.collect()),
        Err(e) => {
            tracing::debug!(target: crate::LOG_TARGET, name, error = %e, "name resolution failed");
            Vec::new()
        }
    }
}

/// Resolves `name:port` asynchronously, IPv4 first.
pub(crate) async fn resolve(name: &str, port: u16) -> Vec<SocketAddr> {
    match tokio::net::lookup_host((name, port)).await {
        Ok(addrs) => ipv4_first(addrs.collect()),
        Err(e) => {
            tracing::debug!(target: crate::LOG_TARGET, name, error = %e, "name resolution failed");
            Vec::new()
        }
    }
}
