//! [`MessageExt`]: Racket's message accessors that [`Message`] itself does not have.

use bytes::Bytes;

use zmtp_sockets::Meta;

use zmtp_sockets::Message;

use crate::error::{Error, Result};

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

    /// The routing id reserved for the draft SERVER type (Racket's
    /// `zmq-message-routing-id`); `None` for every stable socket type.
    ///
    /// ```
    /// use std::num::NonZeroU32;
    /// use zmtp_api::{Message, MessageExt};
    /// let id = NonZeroU32::new(7).unwrap();
    /// let m = Message::from("x").with_routing_id(id)?;
    /// assert_eq!(m.routing_id(), Some(id));
    /// assert!(Message::from("x").routing_id().is_none());
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    fn routing_id(&self) -> Option<std::num::NonZeroU32>;

    /// The group reserved for the draft RADIO/DISH types (Racket's `zmq-message-group`).
    ///
    /// ```
    /// use zmtp_api::{Message, MessageExt};
    /// let m = Message::from("x").with_group("news")?;
    /// assert_eq!(m.group().map(|g| &g[..]), Some(&b"news"[..]));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    fn group(&self) -> Option<&Bytes>;

    /// Sets the routing id; [`Error::MetaConflict`] if the message has a group.
    ///
    /// ```
    /// use std::num::NonZeroU32;
    /// use zmtp_api::{Error, Message, MessageExt};
    /// let m = Message::from("x").with_group("g")?;
    /// assert!(matches!(m.with_routing_id(NonZeroU32::new(1).unwrap()), Err(Error::MetaConflict)));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    fn with_routing_id(self, id: std::num::NonZeroU32) -> Result<Message>;

    /// Sets the group; [`Error::MetaConflict`] if the message has a routing id.
    ///
    /// ```
    /// use std::num::NonZeroU32;
    /// use zmtp_api::{Error, Message, MessageExt};
    /// let m = Message::from("x").with_routing_id(NonZeroU32::new(1).unwrap())?;
    /// assert!(matches!(m.with_group("g"), Err(Error::MetaConflict)));
    /// # Ok::<(), zmtp_api::Error>(())
    /// ```
    fn with_group(self, group: impl Into<Bytes>) -> Result<Message>;
}

impl MessageExt for Message {
    fn routing_id(&self) -> Option<std::num::NonZeroU32> {
        match self.meta() {
            Some(Meta::RoutingId(id)) => Some(*id),
            _ => None,
        }
    }

    fn group(&self) -> Option<&Bytes> {
        match self.meta() {
            Some(Meta::Group(g)) => Some(g),
            _ => None,
        }
    }

    fn with_routing_id(mut self, id: std::num::NonZeroU32) -> Result<Message> {
        self.set_meta(Meta::RoutingId(id))
            .map_err(|_| Error::MetaConflict)?;
        Ok(self)
    }

    fn with_group(mut self, group: impl Into<Bytes>) -> Result<Message> {
        self.set_meta(Meta::Group(group.into()))
            .map_err(|_| Error::MetaConflict)?;
        Ok(self)
    }

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

/// The body of a single-frame message; a multi-frame one is handed back in
/// [`Error::MultiFrame`].
#[inline]
pub(crate) fn single_frame(msg: Message) -> Result<Bytes> {
    if msg.is_single_frame() {
        let mut frames = msg.into_frames();
        frames.pop().ok_or(Error::EmptyMessage)
    } else {
        Err(Error::MultiFrame {
            frames: msg.len(),
            message: msg,
        })
    }
}
