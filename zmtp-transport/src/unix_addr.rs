//! Unix-domain socket addresses for `ipc://@name` (Linux abstract namespace).

use std::io;

/// Builds a Linux abstract-namespace socket address from `name` (no leading NUL).
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) fn abstract_addr(name: &[u8]) -> io::Result<std::os::unix::net::SocketAddr> {
    #[cfg(target_os = "android")]
    use std::os::android::net::SocketAddrExt;
    #[cfg(target_os = "linux")]
    use std::os::linux::net::SocketAddrExt;
    std::os::unix::net::SocketAddr::from_abstract_name(name)
}

/// Abstract-namespace sockets exist only on Linux and Android.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(crate) fn abstract_addr(_name: &[u8]) -> io::Result<std::os::unix::net::SocketAddr> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "abstract ipc names need Linux",
    ))
}
