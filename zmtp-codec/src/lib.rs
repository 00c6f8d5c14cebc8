//! Sans-I/O ZMTP 3.x codec: greeting, framing, commands, metadata, security
//! mechanisms and the per-connection [`Session`] state machine.
//!
//! No I/O, no clocks, no async runtime: the driver moves bytes between the
//! transport and a [`Session`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod command;
pub mod error;
pub mod frame;
pub mod greeting;
pub mod mechanism;
pub mod metadata;
pub mod session;
pub mod socket_type;

pub use command::Command;
pub use error::ProtocolError;
pub use frame::{FrameDecoder, RawFrame, WriteBuf};
pub use greeting::{GREETING_LEN, Greeting, MechanismName};
pub use mechanism::{Mechanism, MechanismStatus, NullMechanism};
pub use metadata::Metadata;
pub use session::{Event, PeerInfo, Session, SessionConfig};
pub use socket_type::SocketType;
