//! The CURVE data phase: every frame travels as a MESSAGE command,
//! `07 "MESSAGE"` ‖ short nonce ‖ Box[flags ‖ body](precomputed key), with
//! the original MORE/COMMAND bits in the encrypted flags byte (bit 0 MORE,
//! bit 1 COMMAND, as libzmq). The outer frame carries no MORE or COMMAND bit
//! (libzmq ORs outer bits into the decrypted message); on receipt either is
//! accepted and ignored.

use std::fmt;

use bytes::{BufMut, Bytes, BytesMut};
use zeroize::Zeroizing;

use super::boxes::{self, BoxError, TAG_LEN};
use super::nacl::BoxKey;
use super::nonce::{self, Counter};
use super::wire::{crypto_error, curve_error};
use crate::ProtocolError;
use crate::error::codes;
use crate::frame::{COMMAND, MORE, RawFrame, encode_frame_header, header_len};

/// The MESSAGE command name with its length byte.
const MESSAGE: &[u8] = b"\x07MESSAGE";
/// Name and short nonce.
const HEADER_LEN: usize = 8 + 8;
/// The shortest MESSAGE: header, tag and the flags byte.
const MIN_MESSAGE_LEN: usize = HEADER_LEN + TAG_LEN + 1;
/// Encrypted flags: more frames follow.
const INNER_MORE: u8 = 0x01;
/// Encrypted flags: the frame is a command.
const INNER_COMMAND: u8 = 0x02;

/// The connection's keys and nonces once the transient keys are known: the
/// precomputed box (`crypto_box_beforenm`), our counter and the peer's last
/// short nonce.
pub(super) struct Channel {
    precom: BoxKey,
    ours: Counter,
    peer_last: u64,
    send_prefix: &'static [u8; 16],
    recv_prefix: &'static [u8; 16],
}

impl fmt::Debug for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Channel")
            .field("ours", &self.ours)
            .field("peer_last", &self.peer_last)
            .finish_non_exhaustive()
    }
}

impl Channel {
    /// The channel of the client (`client`) or server side, our counter
    /// where the handshake left it.
    pub(super) fn new(precom: BoxKey, client: bool, ours: Counter, peer_last: u64) -> Channel {
        let (send_prefix, recv_prefix) = if client {
            (nonce::MESSAGE_C, nonce::MESSAGE_S)
        } else {
            (nonce::MESSAGE_S, nonce::MESSAGE_C)
        };
        Channel {
            precom,
            ours,
            peer_last,
            send_prefix,
            recv_prefix,
        }
    }

    /// Our next short nonce.
    pub(super) fn next_nonce(&mut self) -> Result<u64, ProtocolError> {
        self.ours.next()
    }

    /// Records the peer's short nonce of a handshake command (libzmq takes
    /// it as the reference without checking it).
    pub(super) fn set_peer_nonce(&mut self, n: u64) {
        self.peer_last = n;
    }

    /// Seals `buf` (tag room, then plaintext) in place under `prefix ‖ n`.
    pub(super) fn seal_in_place(
        &self,
        prefix: &[u8; 16],
        n: u64,
        buf: &mut [u8],
    ) -> Result<(), ProtocolError> {
        boxes::seal_in_place(&self.precom, &nonce::short(prefix, n), buf)
            .map_err(|_| crypto_error("cannot seal a CURVE box"))
    }

    /// Opens a box sealed under `prefix ‖ n`.
    pub(super) fn open(
        &self,
        prefix: &[u8; 16],
        n: u64,
        boxed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, BoxError> {
        boxes::open(&self.precom, &nonce::short(prefix, n), boxed)
    }

    /// Appends one frame as a MESSAGE command (`frame_flags`: the MORE and
    /// COMMAND bits of the original frame). Encrypts in place in `out`.
    pub(super) fn wrap(
        &mut self,
        frame_flags: u8,
        body: &[u8],
        out: &mut BytesMut,
    ) -> Result<(), ProtocolError> {
        let n = self.ours.next()?;
        let inner = (if frame_flags & MORE != 0 {
            INNER_MORE
        } else {
            0
        }) | (if frame_flags & COMMAND != 0 {
            INNER_COMMAND
        } else {
            0
        });
        let len = MIN_MESSAGE_LEN + body.len();
        out.reserve(header_len(len) + len);
        // Outer flags 0x00 (or LONG): never MORE or COMMAND, see the module doc.
        encode_frame_header(out, 0, len);
        out.put_slice(MESSAGE);
        out.put_u64(n);
        let start = out.len();
        out.put_bytes(0, TAG_LEN);
        out.put_u8(inner);
        out.put_slice(body);
        self.seal_in_place(self.send_prefix, n, &mut out[start..])
    }

    /// The original frame of a received MESSAGE (decrypted in place when
    /// the body is not shared, else into one copy).
    pub(super) fn unwrap(&mut self, frame: RawFrame) -> Result<RawFrame, ProtocolError> {
        let body = frame.body;
        // libzmq's check_basic_command_structure, then the name and size.
        match body.first() {
            Some(&n) if body.len() > 1 && body.len() > usize::from(n) => {}
            _ => return Err(ProtocolError::MalformedCommand("bad command structure")),
        }
        if !body.starts_with(MESSAGE) {
            let n = usize::from(body[0]);
            let name = body.get(1..1 + n).unwrap_or_default();
            return Err(ProtocolError::UnexpectedCommand(
                String::from_utf8_lossy(name).into_owned(),
            ));
        }
        if body.len() < MIN_MESSAGE_LEN {
            return Err(curve_error(
                codes::ZMTP_MALFORMED_COMMAND_MESSAGE,
                "CURVE MESSAGE shorter than 33 bytes",
            ));
        }
        let n = nonce::read_short(&body, 8).unwrap_or_default();
        if n <= self.peer_last {
            return Err(curve_error(
                codes::ZMTP_INVALID_SEQUENCE,
                "CURVE MESSAGE nonce not greater than the last one",
            ));
        }
        self.peer_last = n;
        let mut tag = [0u8; TAG_LEN];
        tag.copy_from_slice(&body[HEADER_LEN..HEADER_LEN + TAG_LEN]);
        let data_at = HEADER_LEN + TAG_LEN;
        let (mut buf, at) = match body.try_into_mut() {
            Ok(unique) => (unique, data_at),
            Err(shared) => (BytesMut::from(&shared[data_at..]), 0),
        };
        boxes::open_in_place(
            &self.precom,
            &nonce::short(self.recv_prefix, n),
            &tag,
            &mut buf[at..],
        )
        .map_err(|_| crypto_error("cannot open a CURVE MESSAGE box"))?;
        let plain: Bytes = buf.split_off(at).freeze();
        let flags = plain[0];
        Ok(RawFrame {
            more: flags & INNER_MORE != 0,
            command: flags & INNER_COMMAND != 0,
            body: plain.slice(1..),
        })
    }
}
