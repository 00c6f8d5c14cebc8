//! IPv6 zone ids (`[fe80::1%eth0]`): the interface whose scope a link-local address
//! belongs to, by name or number.

use std::io;
use std::net::{Ipv6Addr, SocketAddr, SocketAddrV6};

/// The scope id of a zone: a number as given, or the index of the named interface
/// (read from `/sys/class/net/<name>/ifindex`, so no system call is needed).
pub(crate) fn scope_id(zone: &str) -> io::Result<u32> {
    if let Ok(n) = zone.parse::<u32>() {
        return Ok(n);
    }
    // Zone ids are checked at parse time to hold no `/` or `..` that could leave the
    // directory.
    let text = std::fs::read_to_string(format!("/sys/class/net/{zone}/ifindex"))
        .map_err(|_| io::Error::from_raw_os_error(libc::ENODEV))?;
    text.trim()
        .parse()
        .map_err(|_| io::Error::from_raw_os_error(libc::ENODEV))
}

/// The socket address of a zoned IPv6 host.
pub(crate) fn scoped(ip: Ipv6Addr, zone: &str, port: u16) -> io::Result<SocketAddr> {
    Ok(SocketAddr::V6(SocketAddrV6::new(
        ip,
        port,
        0,
        scope_id(zone)?,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_names() {
        assert_eq!(scope_id("3").ok(), Some(3));
        assert_eq!(scope_id("lo").ok(), Some(1));
        assert!(scope_id("no-such-interface0").is_err());
    }
}
