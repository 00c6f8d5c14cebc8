//! Whole ZeroMQ messages: one or more frames, each a zero-copy [`Bytes`].

use std::cell::RefCell;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use smallvec::SmallVec;
use zmtp_codec::Metadata;

/// Inline capacity for frames: two covers a single body and a REQ/REP envelope pair
/// without a heap allocation for the frame list.
pub type Frames = SmallVec<[Bytes; 2]>;

/// A complete ZeroMQ message: an ordered, non-empty list of frames.
///
/// Messages are always moved whole: a peer that disconnects in the middle of a multipart
/// message delivers none of it.
///
/// Equality compares frames and draft metadata, not the connection's properties.
#[derive(Clone, Debug, Default)]
pub struct Message {
    frames: Frames,
    /// Reserved for the thread-safe draft socket types (CLIENT/SERVER routing ids,
    /// RADIO/DISH groups); boxed so ordinary messages pay one pointer for it.
    meta: Option<Box<Meta>>,
    /// The properties of the connection a received message came from (shared by its
    /// messages; attached when the application takes the message).
    props: Option<Arc<Metadata>>,
}

impl PartialEq for Message {
    fn eq(&self, other: &Self) -> bool {
        self.frames == other.frames && self.meta == other.meta
    }
}

impl Eq for Message {}

/// Per-message metadata of the draft socket types; a message has at most one kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Meta {
    /// SERVER routing id.
    RoutingId(std::num::NonZeroU32),
    /// RADIO/DISH group.
    Group(Bytes),
}

impl Message {
    /// An empty message (no frames); push frames before sending it.
    pub fn new() -> Self {
        Message {
            frames: Frames::new(),
            meta: None,
            props: None,
        }
    }

    /// A message made of the given frames.
    pub fn from_frames<I, T>(frames: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<Bytes>,
    {
        Message {
            frames: frames.into_iter().map(Into::into).collect(),
            meta: None,
            props: None,
        }
    }

    /// A single-frame message holding a copy of `data`. Bodies under
    /// [`SMALL_COPY_MAX`] bytes are copied into a per-thread arena shared by many messages
    /// (one allocation per [`SMALL_ARENA_SIZE`] bytes instead of one per message);
    /// larger ones get a buffer of their own.
    ///
    /// ```
    /// let m = zmtp_sockets::Message::copy_from_slice(b"tick");
    /// assert_eq!(m.frames(), ["tick"]);
    /// ```
    pub fn copy_from_slice(data: &[u8]) -> Self {
        Message::from(copy_bytes(data))
    }

    /// Wraps an already-built frame list.
    pub fn from_frame_vec(frames: Frames) -> Self {
        Message {
            frames,
            meta: None,
            props: None,
        }
    }

    /// The reserved draft metadata, if any.
    pub fn meta(&self) -> Option<&Meta> {
        self.meta.as_deref()
    }

    /// Sets the draft metadata; fails (giving it back) when a different kind is set.
    pub fn set_meta(&mut self, meta: Meta) -> Result<(), Meta> {
        match (self.meta.as_deref(), &meta) {
            (Some(Meta::RoutingId(_)), Meta::Group(_))
            | (Some(Meta::Group(_)), Meta::RoutingId(_)) => Err(meta),
            _ => {
                self.meta = Some(Box::new(meta));
                Ok(())
            }
        }
    }

    /// A property of the connection the message came from, as libzmq's
    /// `zmq_msg_gets`: `Socket-Type`, `Identity` (also asked for as `Routing-Id`),
    /// `Peer-Address` (tcp), `User-Id` and the properties a ZAP handler added. Names
    /// match exactly. `None` for messages not received over tcp or ipc.
    ///
    /// ```
    /// assert!(zmtp_sockets::Message::from("x").property("Socket-Type").is_none());
    /// ```
    pub fn property(&self, name: &str) -> Option<&Bytes> {
        let props = self.props.as_deref()?;
        props.get_exact(name).or_else(|| match name {
            "Routing-Id" => props.get_exact("Identity"),
            "Identity" => props.get_exact("Routing-Id"),
            _ => None,
        })
    }

    /// All properties of the connection the message came from (see
    /// [`property`](Self::property)).
    pub fn properties(&self) -> Option<&Metadata> {
        self.props.as_deref()
    }

    /// The shared properties, to carry them over to a message rebuilt from this one.
    pub(crate) fn shared_properties(&self) -> Option<Arc<Metadata>> {
        self.props.clone()
    }

    /// Attaches the properties of the connection a message came from.
    pub fn set_properties(&mut self, props: Arc<Metadata>) {
        self.props = Some(props);
    }

    /// The frames, in order.
    pub fn frames(&self) -> &[Bytes] {
        &self.frames
    }

    /// Mutable access to the frame list (used by routing to push or pop envelopes).
    pub fn frames_mut(&mut self) -> &mut Frames {
        &mut self.frames
    }

    /// Consumes the message and returns its frames.
    pub fn into_frames(self) -> Frames {
        self.frames
    }

    /// Number of frames.
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    /// True when the message has no frames.
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// True when the message has exactly one frame.
    pub fn is_single_frame(&self) -> bool {
        self.frames.len() == 1
    }

    /// Appends a frame.
    pub fn push(&mut self, frame: impl Into<Bytes>) {
        self.frames.push(frame.into());
    }

    /// Inserts a frame at the front (for envelopes).
    pub fn push_front(&mut self, frame: impl Into<Bytes>) {
        self.frames.insert(0, frame.into());
    }

    /// Removes and returns the first frame.
    pub fn pop_front(&mut self) -> Option<Bytes> {
        if self.frames.is_empty() {
            None
        } else {
            Some(self.frames.remove(0))
        }
    }

    /// The first frame, if any.
    pub fn first(&self) -> Option<&Bytes> {
        self.frames.first()
    }

    /// Total payload bytes over all frames.
    pub fn byte_len(&self) -> usize {
        self.frames.iter().map(Bytes::len).sum()
    }
}

impl From<Bytes> for Message {
    fn from(b: Bytes) -> Self {
        let mut frames = Frames::new();
        frames.push(b);
        Message {
            frames,
            meta: None,
            props: None,
        }
    }
}

impl From<&'static str> for Message {
    fn from(s: &'static str) -> Self {
        Bytes::from_static(s.as_bytes()).into()
    }
}

impl From<String> for Message {
    fn from(s: String) -> Self {
        Bytes::from(s).into()
    }
}

impl From<Vec<u8>> for Message {
    fn from(v: Vec<u8>) -> Self {
        Bytes::from(v).into()
    }
}

impl From<&[u8]> for Message {
    /// Copies (small bodies into the per-thread arena, see [`copy_bytes`]).
    fn from(v: &[u8]) -> Self {
        copy_bytes(v).into()
    }
}

impl From<Vec<Bytes>> for Message {
    fn from(v: Vec<Bytes>) -> Self {
        Message {
            frames: Frames::from_vec(v),
            meta: None,
            props: None,
        }
    }
}

impl From<Frames> for Message {
    fn from(frames: Frames) -> Self {
        Message {
            frames,
            meta: None,
            props: None,
        }
    }
}

impl<const N: usize> From<[&'static str; N]> for Message {
    fn from(v: [&'static str; N]) -> Self {
        Message::from_frames(v.into_iter().map(|s| Bytes::from_static(s.as_bytes())))
    }
}

impl<const N: usize> From<[Bytes; N]> for Message {
    fn from(v: [Bytes; N]) -> Self {
        Message::from_frames(v)
    }
}

/// Bodies shorter than this are copied into the per-thread arena by
/// [`Message::copy_from_slice`] and [`copy_bytes`].
pub const SMALL_COPY_MAX: usize = 512;

/// Size of the per-thread arena small copies are taken from.
pub const SMALL_ARENA_SIZE: usize = 16 * 1024;

thread_local! {
    static ARENA: RefCell<BytesMut> = RefCell::new(BytesMut::new());
}

/// A `Bytes` holding a copy of `data`: small copies share a per-thread arena (a message
/// then pins at most [`SMALL_ARENA_SIZE`] bytes), larger ones are allocated alone.
pub fn copy_bytes(data: &[u8]) -> Bytes {
    if data.is_empty() {
        return Bytes::new();
    }
    if data.len() >= SMALL_COPY_MAX {
        return Bytes::copy_from_slice(data);
    }
    ARENA.with_borrow_mut(|arena| {
        if arena.capacity() - arena.len() < data.len() {
            *arena = BytesMut::with_capacity(SMALL_ARENA_SIZE);
        }
        arena.extend_from_slice(data);
        arena.split().freeze()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_independent_and_small_ones_share_an_arena() {
        let a = copy_bytes(b"first");
        let b = copy_bytes(b"second");
        assert_eq!((&a[..], &b[..]), (&b"first"[..], &b"second"[..]));
        // Consecutive small copies sit next to each other in one allocation.
        assert_eq!(distance(&a, &b), Some(a.len()));
        let big = vec![7u8; SMALL_COPY_MAX];
        assert_eq!(copy_bytes(&big), big);
        assert!(copy_bytes(b"").is_empty());
        // Filling more than one arena still gives whole, correct copies.
        let many: Vec<Bytes> = (0..2000u32)
            .map(|i| copy_bytes(format!("msg-{i:05}").as_bytes()))
            .collect();
        for (i, m) in many.iter().enumerate() {
            assert_eq!(&m[..], format!("msg-{i:05}").as_bytes());
        }
        assert_eq!(Message::copy_from_slice(b"x").frames(), ["x"]);
    }

    /// Byte distance from `a`'s start to `b`'s start, when `b` follows `a` in memory.
    fn distance(a: &Bytes, b: &Bytes) -> Option<usize> {
        (b.as_ptr() as usize).checked_sub(a.as_ptr() as usize)
    }
}
