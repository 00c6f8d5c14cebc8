//! Receiving: whole messages, cancel-safely; RCVTIMEO applies to the waiting part.

use bytes::Bytes;

use zmtp_sockets::Message;

use crate::error::{Error, Result};
use crate::message::single_frame;
use crate::socket::Socket;

impl Socket {
    /// Receives the next whole message. Cancel-safe: a dropped future loses nothing.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Socket, SocketType};
    /// let pull = Socket::new(SocketType::Pull)?;
    /// pull.bind("inproc://doc-recv-msg")?;
    /// let push = Socket::new(SocketType::Push)?;
    /// push.connect("inproc://doc-recv-msg")?;
    /// push.send(["a", "b"]).await?;
    /// let msg = pull.recv_message().await?;
    /// assert_eq!(msg.frames(), ["a", "b"]);
    /// # Ok(()) }
    /// ```
    pub async fn recv_message(&self) -> Result<Message> {
        // Fast path: take a waiting message without building the waiting future. With
        // RCVTIMEO the waiting future is boxed (see `send`).
        if let Some(m) = self.try_recv_message()? {
            return Ok(m);
        }
        match self.core().read_options(|o| o.rcvtimeo) {
            None => Ok(self.core().recv().await?),
            Some(t) => {
                Box::pin(async move {
                    tokio::time::timeout(t, self.core().recv())
                        .await
                        .map_err(|_| Error::Timeout)?
                        .map_err(Error::from)
                })
                .await
            }
        }
    }

    /// Receives a single-frame message. A multi-frame message is consumed and returned
    /// inside [`Error::MultiFrame`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Error, Socket, SocketType};
    /// let pull = Socket::new(SocketType::Pull)?;
    /// pull.bind("inproc://doc-recv")?;
    /// let push = Socket::new(SocketType::Push)?;
    /// push.connect("inproc://doc-recv")?;
    /// push.send(["a", "b"]).await?;
    /// assert!(matches!(pull.recv().await, Err(Error::MultiFrame { frames: 2, .. })));
    /// # Ok(()) }
    /// ```
    pub async fn recv(&self) -> Result<Bytes> {
        single_frame(self.recv_message().await?)
    }

    /// Receives all frames of the next message.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Socket, SocketType};
    /// let pull = Socket::new(SocketType::Pull)?;
    /// pull.bind("inproc://doc-recv-multi")?;
    /// let push = Socket::new(SocketType::Push)?;
    /// push.connect("inproc://doc-recv-multi")?;
    /// push.send(["x", "y", "z"]).await?;
    /// assert_eq!(pull.recv_multipart().await?, ["x", "y", "z"]);
    /// # Ok(()) }
    /// ```
    pub async fn recv_multipart(&self) -> Result<Vec<Bytes>> {
        Ok(self.recv_message().await?.into_frames().into_vec())
    }

    /// Receives a single-frame message as UTF-8 text.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Socket, SocketType};
    /// let pull = Socket::new(SocketType::Pull)?;
    /// pull.bind("inproc://doc-recv-str")?;
    /// let push = Socket::new(SocketType::Push)?;
    /// push.connect("inproc://doc-recv-str")?;
    /// push.send("héllo").await?;
    /// assert_eq!(pull.recv_string().await?, "héllo");
    /// # Ok(()) }
    /// ```
    pub async fn recv_string(&self) -> Result<String> {
        let b = self.recv().await?;
        Ok(String::from_utf8(b.to_vec())?)
    }

    /// Takes the next message if one is waiting.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let pull = zmtp_api::Socket::new(zmtp_api::SocketType::Pull)?;
    /// assert!(pull.try_recv_message()?.is_none());
    /// # Ok(()) }
    /// ```
    pub fn try_recv_message(&self) -> Result<Option<Message>> {
        Ok(self.core().try_recv()?)
    }
}
