//! What the raw peer decodes: frames, commands and the peer's handshake.

use std::io;

use super::errors::invalid;
use super::wire::{FLAG_COMMAND, FLAG_LONG, FLAG_MORE};

/// One frame as read from the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The flags byte as sent.
    pub flags: u8,
    /// The body.
    pub body: Vec<u8>,
}

impl Frame {
    /// MORE bit.
    pub fn more(&self) -> bool {
        self.flags & FLAG_MORE != 0
    }
    /// COMMAND bit.
    pub fn is_command(&self) -> bool {
        self.flags & FLAG_COMMAND != 0
    }
    /// LONG bit.
    pub fn is_long(&self) -> bool {
        self.flags & FLAG_LONG != 0
    }
    /// Parses the body as a command (`name-len name data`).
    pub fn as_command(&self) -> io::Result<Command> {
        let n = *self
            .body
            .first()
            .ok_or_else(|| invalid("raw peer: empty command"))? as usize;
        if n == 0 || self.body.len() < 1 + n {
            return Err(invalid("raw peer: truncated command name"));
        }
        Ok(Command {
            name: String::from_utf8_lossy(&self.body[1..1 + n]).into_owned(),
            data: self.body[1 + n..].to_vec(),
        })
    }
}

/// A command: name and data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// e.g. "READY", "SUBSCRIBE".
    pub name: String,
    /// Bytes after the name.
    pub data: Vec<u8>,
}

/// What the other side told us during a NULL handshake.
#[derive(Clone, Debug)]
pub struct Handshake {
    /// Its 64-byte greeting.
    pub greeting: [u8; 64],
    /// Its READY metadata.
    pub properties: Vec<(String, Vec<u8>)>,
}

impl Handshake {
    /// Value of a property (name compared case-insensitively).
    pub fn property(&self, name: &str) -> Option<&[u8]> {
        self.properties
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
    /// The peer's Socket-Type as a string.
    pub fn socket_type(&self) -> Option<String> {
        self.property("Socket-Type")
            .map(|v| String::from_utf8_lossy(v).into_owned())
    }
    /// Peer's major version (byte 10).
    pub fn major(&self) -> u8 {
        self.greeting[10]
    }
    /// Peer's minor version (byte 11).
    pub fn minor(&self) -> u8 {
        self.greeting[11]
    }
    /// Peer's mechanism with NUL padding stripped.
    pub fn mechanism(&self) -> String {
        let m = &self.greeting[12..32];
        let end = m.iter().position(|&b| b == 0).unwrap_or(20);
        String::from_utf8_lossy(&m[..end]).into_owned()
    }
}
