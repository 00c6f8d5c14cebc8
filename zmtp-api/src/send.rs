//! Sending: whole messages, atomically and cancel-safely; SNDTIMEO applies to the
//! waiting part.

use bytes::Bytes;
use std::time::Duration;

use zmtp_sockets::Message;

use crate::error::{Error, Result};
use crate::socket::Socket;

impl Socket {
    /// Sends a whole message (one or more frames), waiting while the pipe is full.
    /// Cancel-safe: if the future is dropped, either all of the message was queued or none.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Socket, SocketType};
    /// let pull = Socket::new(SocketType::Pull)?;
    /// pull.bind("inproc://doc-send")?;
    /// let push = Socket::new(SocketType::Push)?;
    /// push.connect("inproc://doc-send")?;
    /// push.send("one frame").await?;
    /// push.send(["two", "frames"]).await?;
    /// assert_eq!(pull.recv().await?, "one frame");
    /// assert_eq!(pull.recv_multipart().await?, ["two", "frames"]);
    /// # Ok(()) }
    /// ```
    pub async fn send(&self, msg: impl Into<Message>) -> Result<()> {
        // Fast path with a small future: most sends find room at once. Only a send that
        // must wait (its pipes are full) builds, and boxes, the waiting future, so the
        // common call moves no large future around.
        match self.try_send_or_return(msg.into()) {
            Ok(settled) => settled,
            Err(msg) => Box::pin(self.send_waiting(msg)).await,
        }
    }

    /// The waiting part of [`Socket::send`] (SNDTIMEO applies).
    async fn send_waiting(&self, msg: Message) -> Result<()> {
        let send = self.core().send(msg);
        match self.core().read_options(|o| o.sndtimeo) {
            None => send.await?,
            Some(t) => tokio::time::timeout(t, send)
                .await
                .map_err(|_| Error::Timeout)??,
        }
        Ok(())
    }

    /// Sends a multipart message given as frames.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Socket, SocketType};
    /// let pull = Socket::new(SocketType::Pull)?;
    /// pull.bind("inproc://doc-multi")?;
    /// let push = Socket::new(SocketType::Push)?;
    /// push.connect("inproc://doc-multi")?;
    /// push.send_multipart(vec![b"a".to_vec(), b"b".to_vec()]).await?;
    /// assert_eq!(pull.recv_multipart().await?.len(), 2);
    /// # Ok(()) }
    /// ```
    pub async fn send_multipart<I, T>(&self, frames: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: Into<Bytes>,
    {
        self.send(Message::from_frames(frames)).await
    }

    /// Sends without waiting; [`Error::WouldBlock`] when no pipe has room now.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let push = zmtp_api::Socket::new(zmtp_api::SocketType::Push)?;
    /// // No peer and no pipe yet: nothing can take the message.
    /// assert!(matches!(push.try_send("x"), Err(zmtp_api::Error::WouldBlock)));
    /// # Ok(()) }
    /// ```
    pub fn try_send(&self, msg: impl Into<Message>) -> Result<()> {
        self.core().try_send(msg.into()).map_err(|f| f.error.into())
    }

    /// Queues `msg` if a pipe has room now: `Ok(result)` when the send is settled (sent,
    /// or failed for good), `Err(msg)` handed back when it would have to wait.
    pub(crate) fn try_send_or_return(
        &self,
        msg: Message,
    ) -> std::result::Result<Result<()>, Message> {
        match self.core().try_send(msg) {
            Ok(()) => Ok(Ok(())),
            Err(zmtp_sockets::SendFailure {
                error: zmtp_sockets::SocketError::WouldBlock,
                message: Some(m),
            }) => Err(m),
            Err(f) => Ok(Err(f.error.into())),
        }
    }

    /// Waits until queued outgoing messages have been handed to the connections (or the
    /// timeout passes); returns whether everything left. Useful before exiting a sender.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let push = zmtp_api::Socket::new(zmtp_api::SocketType::Push)?;
    /// assert!(push.flush(Some(std::time::Duration::from_millis(10))).await);
    /// # Ok(()) }
    /// ```
    pub async fn flush(&self, timeout: Option<Duration>) -> bool {
        self.core().flush(timeout).await
    }
}
