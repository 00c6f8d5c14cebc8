//! Waiting on sockets from async code: a message [`Stream`](futures::Stream) and a
//! [`Closed`] future.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::BoxStream;
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};

use zmtp_sockets::Message;

use crate::error::{Error, Result};
use crate::socket::Socket;

/// Incoming messages of a socket as a stream; ends when the socket closes.
pub type Messages = BoxStream<'static, Result<Message>>;

fn messages(socket: Socket) -> Messages {
    Box::pin(futures::stream::unfold(socket, |s| async move {
        match s.recv_message().await {
            Err(Error::Closed) => None,
            r => Some((r, s)),
        }
    }))
}

/// Completes once the socket is closed. Cloning gives another waiter.
pub struct Closed {
    token: CancellationToken,
    wait: Pin<Box<WaitForCancellationFutureOwned>>,
}

impl Closed {
    fn new(token: CancellationToken) -> Closed {
        let wait = Box::pin(token.clone().cancelled_owned());
        Closed { token, wait }
    }
}

impl Clone for Closed {
    fn clone(&self) -> Self {
        Closed::new(self.token.clone())
    }
}

impl std::fmt::Debug for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Closed")
            .field("closed", &self.token.is_cancelled())
            .finish()
    }
}

impl Future for Closed {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.wait.as_mut().poll(cx)
    }
}

impl Socket {
    /// A stream of incoming messages, usable in `tokio::select!`: a message is only taken
    /// when the stream yields it, so a dropped `next()` loses nothing. The stream ends when
    /// the socket closes.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use futures::StreamExt;
    /// use zmtp_api::{Socket, SocketType};
    /// let pull = Socket::new(SocketType::Pull)?;
    /// pull.bind("inproc://doc-messages")?;
    /// let push = Socket::new(SocketType::Push)?;
    /// push.connect("inproc://doc-messages")?;
    /// push.send("m").await?;
    /// let mut messages = pull.messages();
    /// let msg = messages.next().await.unwrap()?;
    /// assert_eq!(msg.frames(), ["m"]);
    /// # Ok(()) }
    /// ```
    pub fn messages(&self) -> Messages {
        messages(self.clone())
    }

    /// A future that completes once the socket is closed; clone it freely, many tasks
    /// can wait and none consumes the signal.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Pull)?;
    /// let closed = s.closed();
    /// s.close();
    /// closed.clone().await;
    /// closed.await;
    /// # Ok(()) }
    /// ```
    pub fn closed(&self) -> crate::Closed {
        Closed::new(self.core().closed_token())
    }
}
