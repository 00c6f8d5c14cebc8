//! [`Stream`]: a connected tcp or ipc byte stream.

use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpStream, UnixStream};

/// A connected byte stream over tcp or ipc (Unix domain socket).
///
/// Implements [`AsyncRead`] and [`AsyncWrite`] (with vectored writes) by
/// delegating to the inner tokio stream.
#[derive(Debug)]
pub enum Stream {
    /// A TCP connection (`TCP_NODELAY` is set when created by this crate).
    Tcp(TcpStream),
    /// A Unix-domain stream connection.
    Ipc(UnixStream),
}

impl Stream {
    /// Wraps a TCP stream, enabling `TCP_NODELAY` (ZMTP batches its own writes).
    pub fn from_tcp(stream: TcpStream) -> Self {
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(target: crate::LOG_TARGET, error = %e, "cannot set TCP_NODELAY");
        }
        Stream::Tcp(stream)
    }

    /// The peer's address as text: the IP address for tcp (no port, as in
    /// libzmq's `Peer-Address`), empty for ipc or if unknown.
    pub fn peer_address(&self) -> String {
        match self {
            Stream::Tcp(s) => s
                .peer_addr()
                .map(|a| a.ip().to_string())
                .unwrap_or_default(),
            Stream::Ipc(_) => String::new(),
        }
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Ipc(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Ipc(s) => Pin::new(s).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Stream::Ipc(s) => Pin::new(s).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_flush(cx),
            Stream::Ipc(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Ipc(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
}
