//! ipc:// bind, connect, accept, socket-file handling, abstract names.

mod common;

use std::os::unix::fs::FileTypeExt;

use common::{TempDir, ep, exchange, within};
use zmtp_transport::{Endpoint, Listener, Stream, TransportError, connect};

async fn connect_and_accept(
    listener: &mut Listener,
    target: &Endpoint,
) -> (Stream, Stream, String) {
    let (dialed, accepted) = within("connect+accept", async {
        tokio::join!(connect(target), listener.accept())
    })
    .await;
    let (accepted, peer) = accepted.expect("accept");
    (dialed.expect("connect"), accepted, peer)
}

fn is_socket(path: &std::path::Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket())
}

#[tokio::test]
async fn path_bind_connect_exchange_and_cleanup() {
    let dir = TempDir::new();
    let (endpoint, path) = dir.endpoint("a.sock");
    let mut listener = Listener::bind(&endpoint).expect("bind");
    assert_eq!(listener.local_endpoint(), endpoint);
    assert!(is_socket(&path));

    let (mut a, mut b, peer) = connect_and_accept(&mut listener, &endpoint).await;
    assert!(matches!(a, Stream::Ipc(_)));
    assert_eq!(peer, "");
    assert_eq!(b.peer_address(), "");
    exchange(&mut a, &mut b).await;
    exchange(&mut b, &mut a).await;

    drop(listener);
    assert!(!path.exists(), "socket file must be removed on drop");
}

#[tokio::test]
async fn stale_socket_file_is_replaced() {
    let dir = TempDir::new();
    let (endpoint, path) = dir.endpoint("stale.sock");
    // A dead process's socket: std does not remove the file on drop.
    drop(std::os::unix::net::UnixListener::bind(&path).expect("std bind"));
    assert!(is_socket(&path));

    let mut listener = Listener::bind(&endpoint).expect("bind over stale file");
    let (mut a, mut b, _) = connect_and_accept(&mut listener, &endpoint).await;
    exchange(&mut a, &mut b).await;
}

#[tokio::test]
async fn second_binder_takes_over_and_first_drop_keeps_its_file() {
    let dir = TempDir::new();
    let (endpoint, path) = dir.endpoint("shared.sock");
    let first = Listener::bind(&endpoint).expect("first bind");
    let mut second = Listener::bind(&endpoint).expect("second bind steals the path");
    drop(first);
    assert!(
        is_socket(&path),
        "dropping the first listener must not remove the second's file"
    );

    let (mut a, mut b, _) = connect_and_accept(&mut second, &endpoint).await;
    exchange(&mut a, &mut b).await;
    drop(second);
    assert!(!path.exists());
}

#[tokio::test]
async fn regular_file_is_not_unlinked() {
    let dir = TempDir::new();
    let (endpoint, path) = dir.endpoint("data.txt");
    std::fs::write(&path, b"keep me").expect("write");
    match Listener::bind(&endpoint) {
        Err(TransportError::AddrInUse(s)) => assert_eq!(s, endpoint.to_string()),
        other => panic!("expected AddrInUse, got {other:?}"),
    }
    assert_eq!(std::fs::read(&path).expect("read"), b"keep me");
}

#[tokio::test]
async fn missing_directory_is_io_error() {
    let dir = TempDir::new();
    let (endpoint, _) = dir.endpoint("no/such/dir.sock");
    match Listener::bind(&endpoint) {
        Err(TransportError::Io(e)) => assert_eq!(e.kind(), std::io::ErrorKind::NotFound),
        other => panic!("expected Io(NotFound), got {other:?}"),
    }
    match connect(&endpoint).await {
        Err(TransportError::Io(_)) => {}
        other => panic!("expected Io, got {other:?}"),
    }
}

#[tokio::test]
async fn connect_without_listener_fails() {
    let dir = TempDir::new();
    let (endpoint, _) = dir.endpoint("nobody.sock");
    assert!(matches!(
        connect(&endpoint).await,
        Err(TransportError::Io(_))
    ));
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn abstract_namespace() {
    let name = format!("ipc://@zmtp-transport-test-{}", std::process::id());
    let endpoint = ep(&name);
    let mut listener = Listener::bind(&endpoint).expect("bind abstract");
    assert_eq!(listener.local_endpoint().to_string(), name);

    match Listener::bind(&endpoint) {
        Err(TransportError::AddrInUse(s)) => assert_eq!(s, name),
        other => panic!("expected AddrInUse, got {other:?}"),
    }
    let (mut a, mut b, peer) = connect_and_accept(&mut listener, &endpoint).await;
    assert_eq!(peer, "");
    exchange(&mut a, &mut b).await;

    drop(listener);
    drop(a);
    drop(b);
    // The name is free again once the listener is gone.
    let again = Listener::bind(&endpoint).expect("rebind abstract");
    drop(again);
    assert!(matches!(
        connect(&endpoint).await,
        Err(TransportError::Io(_))
    ));
}

/// `ipc://*` binds a fresh private path (two binds get two), reported by
/// `local_endpoint`; connecting to it works; connecting to `ipc://*` is refused; dropping
/// the listener removes the socket file and its directory.
#[tokio::test]
async fn wildcard_bind_picks_a_private_path() {
    let wildcard = ep("ipc://*");
    assert!(wildcard.is_wildcard_bind());
    assert!(wildcard.for_connect().is_err());
    let mut first = Listener::bind(&wildcard).expect("bind ipc://*");
    let second = Listener::bind(&wildcard).expect("second bind ipc://*");
    let local = first.local_endpoint();
    assert_ne!(local, second.local_endpoint());
    let path = match &local {
        Endpoint::Ipc(zmtp_transport::IpcAddr::Path(p)) => p.clone(),
        other => panic!("not an ipc path: {other}"),
    };
    assert!(path.is_absolute() && is_socket(&path), "{}", path.display());
    let dir = path.parent().expect("a directory").to_path_buf();
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dir).expect("dir").permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "private directory");
    }
    let (mut a, mut b, _) = connect_and_accept(&mut first, &local).await;
    exchange(&mut a, &mut b).await;
    drop(first);
    assert!(
        !path.exists() && !dir.exists(),
        "file and directory removed"
    );
}
