//! Binding `ipc://` listeners, and removing their socket file afterwards.

use std::fs;
use std::io;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::os::unix::net::UnixListener as StdUnixListener;
use std::path::{Path, PathBuf};

use tokio::net::UnixListener;

use crate::TransportError;
use crate::endpoint::{Endpoint, IpcAddr};
use crate::unix_addr::abstract_addr;

/// A bound ipc listener plus, for a path, what to remove when it goes away.
pub(super) struct IpcBound {
    pub(super) listener: UnixListener,
    pub(super) cleanup: Option<SocketFile>,
    /// The address actually bound (differs from the request for `ipc://*`).
    pub(super) addr: IpcAddr,
}

/// Name of the socket file inside the private directory made for `ipc://*`.
const WILDCARD_FILE: &str = "socket";

/// Makes a fresh private directory (mode 0700) for an `ipc://*` bind, under `TMPDIR`
/// (or `/tmp`), as libzmq does.
fn wildcard_dir() -> io::Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    let base = std::env::temp_dir();
    let mut last = None;
    for _ in 0..16 {
        let dir = base.join(format!("zmtp-{:016x}", rand::random::<u64>()));
        match fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary directory name")))
}

/// Binds an ipc address.
///
/// For a path, an existing *socket* file there is unlinked first (a stale
/// socket of a dead process, or a live one whose path we take over, as
/// libzmq does). Any other kind of file is left alone and the bind fails with
/// [`TransportError::AddrInUse`]. The directory must exist.
pub(super) fn bind(ep: &Endpoint, addr: &IpcAddr) -> Result<IpcBound, TransportError> {
    let mut made_dir = None;
    let wildcard;
    let addr = if ep.is_ipc_wildcard() {
        let dir = wildcard_dir()?;
        wildcard = IpcAddr::Path(dir.join(WILDCARD_FILE));
        made_dir = Some(dir);
        &wildcard
    } else {
        addr
    };
    let bound = bind_addr(ep, addr);
    if bound.is_err()
        && let Some(dir) = &made_dir
    {
        let _ = fs::remove_dir(dir);
    }
    let mut bound = bound?;
    if let Some(file) = bound.cleanup.as_mut() {
        file.dir = made_dir;
    }
    Ok(bound)
}

fn bind_addr(ep: &Endpoint, addr: &IpcAddr) -> Result<IpcBound, TransportError> {
    let std_listener = match addr {
        IpcAddr::Path(path) => {
            unlink_stale_socket(path);
            StdUnixListener::bind(path)
        }
        IpcAddr::Abstract(name) => StdUnixListener::bind_addr(&abstract_addr(name)?),
    }
    .map_err(|e| match e.kind() {
        io::ErrorKind::AddrInUse => TransportError::AddrInUse(ep.to_string()),
        _ => TransportError::Io(e),
    })?;
    let cleanup = match addr {
        IpcAddr::Path(path) => SocketFile::record(path),
        IpcAddr::Abstract(_) => None,
    };
    std_listener.set_nonblocking(true)?;
    Ok(IpcBound {
        listener: UnixListener::from_std(std_listener)?,
        cleanup,
        addr: addr.clone(),
    })
}

/// Removes `path` if it is a socket file.
fn unlink_stale_socket(path: &Path) {
    let is_socket = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket());
    if is_socket {
        match fs::remove_file(path) {
            Ok(()) => {
                tracing::debug!(target: crate::LOG_TARGET, path = %path.display(), "unlinked existing ipc socket file");
            }
            Err(e) => {
                tracing::debug!(target: crate::LOG_TARGET, path = %path.display(), error = %e, "cannot unlink existing ipc socket file");
            }
        }
    }
}

/// The socket file created by a bind, identified by device and inode so that
/// dropping it does not remove a socket another process bound at the same
/// path later.
#[derive(Debug)]
pub(super) struct SocketFile {
    /// Absolute path (immune to later changes of the working directory).
    path: PathBuf,
    dev: u64,
    ino: u64,
    /// The private directory made for `ipc://*`, removed after the file.
    dir: Option<PathBuf>,
}

impl SocketFile {
    fn record(path: &Path) -> Option<Self> {
        let path = std::path::absolute(path).ok()?;
        let meta = fs::symlink_metadata(&path).ok()?;
        Some(SocketFile {
            dev: meta.dev(),
            ino: meta.ino(),
            path,
            dir: None,
        })
    }
}

impl Drop for SocketFile {
    /// Removes the socket file if it is still the one we created.
    fn drop(&mut self) {
        let ours = fs::symlink_metadata(&self.path)
            .is_ok_and(|m| m.file_type().is_socket() && m.dev() == self.dev && m.ino() == self.ino);
        if ours && let Err(e) = fs::remove_file(&self.path) {
            tracing::debug!(target: crate::LOG_TARGET, path = %self.path.display(), error = %e, "cannot remove ipc socket file");
        }
        if let Some(dir) = &self.dir
            && let Err(e) = fs::remove_dir(dir)
        {
            tracing::debug!(target: crate::LOG_TARGET, path = %dir.display(), error = %e, "cannot remove ipc directory");
        }
    }
}
