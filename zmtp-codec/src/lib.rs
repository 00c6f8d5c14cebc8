//! Sans-I/O ZMTP 3.x codec: greeting, framing, commands, metadata, security
//! mechanisms and the per-connection state machines behind the [`Protocol`]
//! trait: [`Session`] (ZMTP) and [`RawSession`] (STREAM sockets).
//!
//! No I/O, no clocks, no async runtime: the driver moves bytes between the
//! transport and a [`Protocol`], and passes the current time in.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
pub mod command;
pub mod error;
pub mod event;
pub mod frame;
pub mod greeting;
mod heartbeat;
pub mod mechanism;
pub mod metadata;
pub mod protocol;
pub mod raw;
pub mod session;
pub mod socket_type;
mod timer;
pub mod version;
pub mod z85;

pub use auth::{AuthReply, AuthRequest};
pub use command::Command;
pub use error::ProtocolError;
pub use event::{Event, PeerInfo};
pub use frame::{FrameDecoder, RawFrame, WriteBuf};
pub use greeting::{GREETING_LEN, Greeting, MechanismName, SIGNATURE_LEN};
pub use mechanism::{
    COOKIE_LIFETIME, CurveKeypair, CurveMechanism, CurvePublicKey, CurveSecretKey, KeyError,
    Mechanism, MechanismStatus, NullMechanism, PlainMechanism,
};
pub use metadata::Metadata;
pub use protocol::Protocol;
pub use raw::RawSession;
pub use session::{DEFAULT_HANDSHAKE_IVL, Session, SessionConfig};
pub use socket_type::SocketType;
pub use version::PeerVersion;
