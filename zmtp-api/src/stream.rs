//! Waiting on sockets from async code: a message [`Stream`](futures::Stream) and a
//! [`Closed`] future.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::BoxStream;
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};

use crate::{Error, Message, Result, Socket};

/// Incoming messages of a socket as a stream; ends when the socket closes.
pub type Messages = BoxStream<'static, Result<Message>>;

pub(crate) fn messages(socket: Socket) -> Messages {
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
    pub(crate) fn new(token: CancellationToken) -> Closed {
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
