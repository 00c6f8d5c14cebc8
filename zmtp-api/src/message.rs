//! [`MessageExt`]: Racket's message accessors that [`Message`] itself does not have.

use bytes::Bytes;

use crate::{Error, Message, Result};

/// Extra accessors for [`Message`].
pub trait MessageExt {
    /// The only frame of a single-frame message (Racket's `zmq-message-frame`); a
    /// message with another number of frames gives [`Error::MultiFrame`] (or
    /// [`Error::EmptyMessage`] for none).
    ///
    /// ```
    /// use zmtp_api::{Message, MessageExt};
    /// assert_eq!(Message::from("one").frame()?, "one");
    /// assert!(Message::from(["a", "b"]).frame().is_err());
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    fn frame(&self) -> Result<&Bytes>;

    /// Consumes a single-frame message and returns its frame; a multi-frame message comes
    /// back inside [`Error::MultiFrame`].
    ///
    /// ```
    /// use zmtp_api::{Error, Message, MessageExt};
    /// assert_eq!(Message::from("one").into_frame()?, "one");
    /// let e = Message::from(["a", "b"]).into_frame().unwrap_err();
    /// assert!(matches!(e, Error::MultiFrame { frames: 2, .. }));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    fn into_frame(self) -> Result<Bytes>;
}

impl MessageExt for Message {
    fn frame(&self) -> Result<&Bytes> {
        match self.frames() {
            [one] => Ok(one),
            [] => Err(Error::EmptyMessage),
            many => Err(Error::MultiFrame {
                frames: many.len(),
                message: self.clone(),
            }),
        }
    }

    fn into_frame(self) -> Result<Bytes> {
        match self.len() {
            1 => self.into_frames().pop().ok_or(Error::EmptyMessage),
            0 => Err(Error::EmptyMessage),
            n => Err(Error::MultiFrame {
                frames: n,
                message: self,
            }),
        }
    }
}
