//! ZMTP commands: `name-len name data` bodies carried in command frames.

use bytes::{BufMut, Bytes, BytesMut};

use crate::ProtocolError;
use crate::frame::{COMMAND, encode_frame_header};
use crate::metadata::Metadata;

/// Command names (byte-exact, case-sensitive as libzmq compares them).
pub mod names {
    /// `READY`
    pub const READY: &[u8] = b"READY";
    /// `ERROR`
    pub const ERROR: &[u8] = b"ERROR";
    /// `SUBSCRIBE`
    pub const SUBSCRIBE: &[u8] = b"SUBSCRIBE";
    /// `CANCEL`
    pub const CANCEL: &[u8] = b"CANCEL";
    /// `PING`
    pub const PING: &[u8] = b"PING";
    /// `PONG`
    pub const PONG: &[u8] = b"PONG";
    /// `HELLO` (PLAIN, CURVE)
    pub const HELLO: &[u8] = b"HELLO";
    /// `WELCOME` (PLAIN, CURVE)
    pub const WELCOME: &[u8] = b"WELCOME";
    /// `INITIATE` (PLAIN, CURVE)
    pub const INITIATE: &[u8] = b"INITIATE";
    /// `MESSAGE` (CURVE)
    pub const MESSAGE: &[u8] = b"MESSAGE";
}

/// Most context bytes a PONG echoes (and a PING may carry).
pub const MAX_PING_CONTEXT: usize = 16;

/// A ZMTP command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `READY` with the sender's metadata.
    Ready(Metadata),
    /// `ERROR` with its reason (0..=255 bytes).
    Error(Bytes),
    /// `SUBSCRIBE` with its topic.
    Subscribe(Bytes),
    /// `CANCEL` with its topic.
    Cancel(Bytes),
    /// `PING`: time-to-live in tenths of a second (0 = none) and context.
    Ping {
        /// TTL in deciseconds.
        ttl_deciseconds: u16,
        /// Context the PONG must echo (up to 16 bytes are echoed).
        context: Bytes,
    },
    /// `PONG` echoing a PING's context.
    Pong {
        /// The echoed context.
        context: Bytes,
    },
    /// Any other command (HELLO, WELCOME, INITIATE, MESSAGE, unknown).
    Other {
        /// Command name.
        name: Bytes,
        /// Data after the name.
        data: Bytes,
    },
}

/// Splits a command body into its name and data, checking only the
/// `name-len name` prefix (name length 1..=255, fully present).
pub fn split_command(body: &Bytes) -> Result<(&[u8], Bytes), ProtocolError> {
    let Some((&n, rest)) = body.split_first() else {
        return Err(ProtocolError::MalformedCommand("empty command"));
    };
    let n = usize::from(n);
    if n == 0 {
        return Err(ProtocolError::MalformedCommand("empty command name"));
    }
    match rest.get(..n) {
        Some(name) => Ok((name, body.slice(1 + n..))),
        None => Err(ProtocolError::MalformedCommand("truncated command name")),
    }
}

/// Parses PING data: 2-byte TTL then context. Shorter data means TTL 0 and
/// no context (libzmq keeps such a connection open).
pub fn parse_ping(data: &Bytes) -> (u16, Bytes) {
    match **data {
        [a, b, ..] => (u16::from_be_bytes([a, b]), data.slice(2..)),
        _ => (0, Bytes::new()),
    }
}

impl Command {
    /// Parses a command frame body.
    pub fn decode(body: Bytes) -> Result<Command, ProtocolError> {
        let (name, data) = split_command(&body)?;
        Ok(match name {
            names::READY => Command::Ready(Metadata::decode(data)?),
            names::ERROR => {
                let Some((&len, reason)) = data.split_first() else {
                    return Err(ProtocolError::MalformedCommand("ERROR without reason"));
                };
                if reason.len() < usize::from(len) {
                    return Err(ProtocolError::MalformedCommand("truncated ERROR reason"));
                }
                Command::Error(data.slice(1..1 + usize::from(len)))
            }
            names::SUBSCRIBE => Command::Subscribe(data),
            names::CANCEL => Command::Cancel(data),
            names::PING => {
                let (ttl_deciseconds, context) = parse_ping(&data);
                Command::Ping {
                    ttl_deciseconds,
                    context,
                }
            }
            names::PONG => Command::Pong { context: data },
            _ => Command::Other {
                name: body.slice(1..1 + name.len()),
                data,
            },
        })
    }

    /// The command name.
    pub fn name(&self) -> &[u8] {
        match self {
            Command::Ready(_) => names::READY,
            Command::Error(_) => names::ERROR,
            Command::Subscribe(_) => names::SUBSCRIBE,
            Command::Cancel(_) => names::CANCEL,
            Command::Ping { .. } => names::PING,
            Command::Pong { .. } => names::PONG,
            Command::Other { name, .. } => name,
        }
    }

    /// Length of the command body (name-len, name, data) as encoded.
    pub fn body_len(&self) -> usize {
        let data = match self {
            Command::Ready(m) => m.encoded_len(),
            Command::Error(r) => 1 + r.len().min(255),
            Command::Subscribe(t) | Command::Cancel(t) => t.len(),
            Command::Ping { context, .. } => 2 + context.len().min(MAX_PING_CONTEXT),
            Command::Pong { context } => context.len().min(MAX_PING_CONTEXT),
            Command::Other { data, .. } => data.len(),
        };
        1 + self.name().len().min(255) + data
    }

    /// Appends the command body (without frame header).
    pub fn encode_body(&self, out: &mut BytesMut) {
        let name = self.name();
        let name = &name[..name.len().min(255)];
        out.reserve(self.body_len());
        out.put_u8(name.len() as u8);
        out.put_slice(name);
        match self {
            Command::Ready(m) => m.encode(out),
            Command::Error(r) => {
                let r = &r[..r.len().min(255)];
                out.put_u8(r.len() as u8);
                out.put_slice(r);
            }
            Command::Subscribe(t) | Command::Cancel(t) => out.put_slice(t),
            Command::Ping {
                ttl_deciseconds,
                context,
            } => {
                out.put_u16(*ttl_deciseconds);
                out.put_slice(&context[..context.len().min(MAX_PING_CONTEXT)]);
            }
            Command::Pong { context } => {
                out.put_slice(&context[..context.len().min(MAX_PING_CONTEXT)])
            }
            Command::Other { data, .. } => out.put_slice(data),
        }
    }

    /// Appends the whole command frame (flags `0x04`/`0x06`, size, body).
    /// ERROR reasons are cut to 255 bytes and PING/PONG contexts to 16.
    pub fn encode(&self, out: &mut BytesMut) {
        let len = self.body_len();
        out.reserve(9 + len);
        encode_frame_header(out, COMMAND, len);
        self.encode_body(out);
    }

    /// The PONG answering this command if it is a PING (context cut to 16 bytes).
    pub fn pong_for(context: &Bytes) -> Command {
        Command::Pong {
            context: context.slice(..context.len().min(MAX_PING_CONTEXT)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::{IDENTITY, SOCKET_TYPE};

    fn enc(c: &Command) -> Vec<u8> {
        let mut out = BytesMut::new();
        c.encode(&mut out);
        out.to_vec()
    }

    fn ready(t: &str, identity: bool) -> Command {
        let mut m = Metadata::new();
        m.push(SOCKET_TYPE, t.to_owned()).unwrap();
        if identity {
            m.push(IDENTITY, "").unwrap();
        }
        Command::Ready(m)
    }

    fn cat(parts: &[&[u8]]) -> Vec<u8> {
        parts.concat()
    }

    #[test]
    fn dealer_ready_image() {
        let bytes = enc(&ready("DEALER", true));
        let expected = cat(&[
            &[0x04, 0x29, 0x05],
            b"READY",
            &[0x0B],
            b"Socket-Type",
            &[0, 0, 0, 6],
            b"DEALER",
            &[0x08],
            b"Identity",
            &[0, 0, 0, 0],
        ]);
        assert_eq!(bytes, expected);
        assert_eq!(bytes.len(), 43);
        let body = Bytes::from(bytes).slice(2..);
        assert_eq!(Command::decode(body).unwrap(), ready("DEALER", true));
    }

    #[test]
    fn sub_and_xpub_ready_images() {
        let sub = cat(&[
            &[0x04, 0x19, 0x05],
            b"READY",
            &[0x0B],
            b"Socket-Type",
            &[0, 0, 0, 3],
            b"SUB",
        ]);
        assert_eq!(enc(&ready("SUB", false)), sub);
        assert_eq!(sub.len(), 27);
        assert_eq!(enc(&ready("XPUB", false)).len(), 28);
        assert_eq!(enc(&ready("XPUB", false))[1], 0x1A);
    }

    #[test]
    fn subscribe_cancel_images() {
        let s = Command::Subscribe(Bytes::from_static(b"A"));
        assert_eq!(
            enc(&s),
            [
                0x04, 0x0B, 0x09, 0x53, 0x55, 0x42, 0x53, 0x43, 0x52, 0x49, 0x42, 0x45, 0x41
            ]
        );
        let c = Command::Cancel(Bytes::from_static(b"A"));
        assert_eq!(
            enc(&c),
            [0x04, 0x08, 0x06, 0x43, 0x41, 0x4E, 0x43, 0x45, 0x4C, 0x41]
        );
        for cmd in [s, c] {
            let b = Bytes::from(enc(&cmd)).slice(2..);
            assert_eq!(Command::decode(b).unwrap(), cmd);
        }
    }

    #[test]
    fn long_subscribe_uses_long_header() {
        let s = Command::Subscribe(Bytes::from(vec![b't'; 250]));
        let b = enc(&s);
        assert_eq!(&b[..9], &[0x06, 0, 0, 0, 0, 0, 0, 1, 4]);
    }

    #[test]
    fn ping_pong_images() {
        let ping = Command::Ping {
            ttl_deciseconds: 0x0102,
            context: Bytes::new(),
        };
        assert_eq!(enc(&ping), [0x04, 0x07, 0x04, b'P', b'I', b'N', b'G', 1, 2]);
        let pong = Command::pong_for(&Bytes::from_static(&[0xAB; 19]));
        let mut expected = vec![0x04, 0x15, 0x04, b'P', b'O', b'N', b'G'];
        expected.extend_from_slice(&[0xAB; 16]);
        assert_eq!(enc(&pong), expected);
        assert_eq!(
            Command::decode(Bytes::from_static(b"\x04PONGxy")).unwrap(),
            Command::Pong {
                context: Bytes::from_static(b"xy")
            }
        );
    }

    #[test]
    fn ping_without_ttl_accepted() {
        for body in [&b"\x04PING"[..], b"\x04PING\x01"] {
            assert_eq!(
                Command::decode(Bytes::copy_from_slice(body)).unwrap(),
                Command::Ping {
                    ttl_deciseconds: 0,
                    context: Bytes::new()
                }
            );
        }
        assert_eq!(
            Command::decode(Bytes::from_static(b"\x04PING\x00\x0Actx")).unwrap(),
            Command::Ping {
                ttl_deciseconds: 10,
                context: Bytes::from_static(b"ctx")
            }
        );
    }

    #[test]
    fn error_image_and_parsing() {
        let e = Command::Error(Bytes::from_static(b"400"));
        assert_eq!(
            enc(&e),
            [
                0x04, 0x0A, 0x05, 0x45, 0x52, 0x52, 0x4F, 0x52, 0x03, 0x34, 0x30, 0x30
            ]
        );
        assert!(Command::decode(Bytes::from_static(b"\x05ERROR")).is_err());
        assert!(Command::decode(Bytes::from_static(b"\x05ERROR\x05abc")).is_err());
        // libzmq PLAIN's broken ERROR (name length 0x5E)
        assert!(Command::decode(Bytes::from_static(b"\x5eRROR\x03400")).is_err());
    }

    #[test]
    fn malformed_names() {
        assert_eq!(
            Command::decode(Bytes::new()),
            Err(ProtocolError::MalformedCommand("empty command"))
        );
        assert!(Command::decode(Bytes::from_static(b"\x00abc")).is_err());
        assert!(Command::decode(Bytes::from_static(b"\x09SUB")).is_err());
        assert!(matches!(
            Command::decode(Bytes::from_static(b"\x05READY\x0bSocket-Type")),
            Err(ProtocolError::InvalidMetadata(_))
        ));
    }

    #[test]
    fn other_commands() {
        let c = Command::decode(Bytes::from_static(b"\x07WELCOMExyz")).unwrap();
        assert_eq!(
            c,
            Command::Other {
                name: Bytes::from_static(b"WELCOME"),
                data: Bytes::from_static(b"xyz")
            }
        );
        assert_eq!(enc(&c)[2..], b"\x07WELCOMExyz"[..]);
        // names are case-sensitive
        assert!(matches!(
            Command::decode(Bytes::from_static(b"\x05ready")).unwrap(),
            Command::Other { .. }
        ));
    }
}
