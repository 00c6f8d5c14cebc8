//! The PLAIN mechanism (RFC 24): the client sends a user name and password in HELLO, the
//! server answers WELCOME (after asking ZAP when it has an authenticator), the client
//! sends INITIATE with its metadata and the server READY with its own. No encryption.

use std::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use super::{Mechanism, MechanismStatus, refusal};
use crate::ProtocolError;
use crate::auth::{AuthReply, AuthRequest};
use crate::command::Command;
use crate::error::codes;
use crate::frame::RawFrame;
use crate::greeting::MechanismName;
use crate::metadata::Metadata;

const HELLO: &[u8] = b"HELLO";
const WELCOME: &[u8] = b"WELCOME";
const INITIATE: &[u8] = b"INITIATE";

/// Where the handshake is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Client: HELLO sent, waiting for WELCOME. Server: waiting for HELLO.
    Hello,
    /// Server: waiting for the authenticator's answer to HELLO.
    Auth,
    /// Client: INITIATE sent, waiting for READY. Server: WELCOME sent, waiting for
    /// INITIATE.
    Initiate,
    Done,
}

/// The PLAIN security mechanism, client or server side.
pub struct PlainMechanism {
    server: bool,
    username: Bytes,
    password: Bytes,
    /// Server: ask the authenticator (ZAP) about each HELLO; without one, every
    /// client is accepted, as libzmq does when no ZAP handler is present.
    authenticate: bool,
    step: Step,
}

impl fmt::Debug for PlainMechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The password never appears in debug output.
        f.debug_struct("PlainMechanism")
            .field("server", &self.server)
            .field("username", &self.username)
            .field("step", &self.step)
            .finish_non_exhaustive()
    }
}

impl PlainMechanism {
    /// The client side, with its credentials (each at most 255 bytes).
    pub fn client(username: Bytes, password: Bytes) -> Result<PlainMechanism, ProtocolError> {
        if username.len() > 255 || password.len() > 255 {
            return Err(ProtocolError::Mechanism(
                "PLAIN user names and passwords are at most 255 bytes".into(),
            ));
        }
        Ok(PlainMechanism {
            server: false,
            username,
            password,
            authenticate: false,
            step: Step::Hello,
        })
    }

    /// The server side; with `authenticate`, each HELLO waits for an
    /// [`AuthReply`] (ZAP).
    pub fn server(authenticate: bool) -> PlainMechanism {
        PlainMechanism {
            server: true,
            username: Bytes::new(),
            password: Bytes::new(),
            authenticate,
            step: Step::Hello,
        }
    }

    fn command(name: &'static [u8], data: Bytes, out: &mut BytesMut) {
        Command::Other {
            name: Bytes::from_static(name),
            data,
        }
        .encode(out);
    }

    fn initiate(local: &Metadata, out: &mut BytesMut) {
        let mut data = BytesMut::with_capacity(local.encoded_len());
        local.encode(&mut data);
        Self::command(INITIATE, data.freeze(), out);
    }

    /// The command in a handshake frame. An ERROR from the peer ends the
    /// handshake, also in the broken form libzmq's PLAIN server sends
    /// (name length 0x5E, see `refusal`); `300`/`400`/`500` as
    /// [`ProtocolError::AuthFailed`].
    fn expect(frame: RawFrame) -> Result<Command, ProtocolError> {
        if !frame.command {
            return Err(ProtocolError::DataBeforeReady);
        }
        if let Some(error) = refusal::error_command(&frame.body) {
            return Err(error);
        }
        Command::decode(frame.body)
    }

    fn unexpected(cmd: &Command) -> ProtocolError {
        ProtocolError::UnexpectedCommand(String::from_utf8_lossy(cmd.name()).into_owned())
    }

    /// The user name and password of a HELLO's data.
    fn credentials(data: &Bytes) -> Result<(Bytes, Bytes), ProtocolError> {
        let bad = || ProtocolError::MechanismCode {
            code: codes::ZMTP_MALFORMED_COMMAND_HELLO,
            reason: "malformed PLAIN HELLO".into(),
        };
        let ulen = usize::from(*data.first().ok_or_else(bad)?);
        let user = data.get(1..1 + ulen).ok_or_else(bad)?;
        let plen = usize::from(*data.get(1 + ulen).ok_or_else(bad)?);
        let pass = data.get(2 + ulen..2 + ulen + plen).ok_or_else(bad)?;
        if data.len() != 2 + ulen + plen {
            return Err(bad());
        }
        Ok((Bytes::copy_from_slice(user), Bytes::copy_from_slice(pass)))
    }

    fn on_server_frame(
        &mut self,
        cmd: Command,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        match (self.step, cmd) {
            (Step::Hello, Command::Other { name, data }) if &name[..] == HELLO => {
                let (user, pass) = Self::credentials(&data)?;
                if self.authenticate {
                    self.step = Step::Auth;
                    let req = AuthRequest::new(MechanismName::PLAIN, vec![user, pass]);
                    return Ok(MechanismStatus::AwaitingAuth(req));
                }
                self.step = Step::Initiate;
                Self::command(WELCOME, Bytes::new(), out);
                Ok(MechanismStatus::Handshaking)
            }
            (Step::Initiate, Command::Other { name, data }) if &name[..] == INITIATE => {
                let peer = Metadata::decode(data)?;
                Command::Ready(local.clone()).encode(out);
                self.step = Step::Done;
                Ok(MechanismStatus::Ready { peer })
            }
            (_, cmd) => Err(Self::unexpected(&cmd)),
        }
    }

    fn on_client_frame(
        &mut self,
        cmd: Command,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        match (self.step, cmd) {
            (Step::Hello, Command::Other { name, data }) if &name[..] == WELCOME => {
                // libzmq: a WELCOME is exactly the 8 bytes of its name.
                if !data.is_empty() {
                    return Err(ProtocolError::MechanismCode {
                        code: codes::ZMTP_MALFORMED_COMMAND_WELCOME,
                        reason: "PLAIN WELCOME with data".into(),
                    });
                }
                self.step = Step::Initiate;
                Self::initiate(local, out);
                Ok(MechanismStatus::Handshaking)
            }
            (Step::Initiate, Command::Ready(peer)) => {
                self.step = Step::Done;
                Ok(MechanismStatus::Ready { peer })
            }
            (_, cmd) => Err(Self::unexpected(&cmd)),
        }
    }
}

impl Mechanism for PlainMechanism {
    fn name(&self) -> MechanismName {
        MechanismName::PLAIN
    }

    fn as_server(&self) -> bool {
        self.server
    }

    fn start(
        &mut self,
        _local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        if !self.server {
            let mut data = BytesMut::with_capacity(2 + self.username.len() + self.password.len());
            data.put_u8(self.username.len() as u8);
            data.put_slice(&self.username);
            data.put_u8(self.password.len() as u8);
            data.put_slice(&self.password);
            Self::command(HELLO, data.freeze(), out);
        }
        Ok(MechanismStatus::Handshaking)
    }

    fn on_frame(
        &mut self,
        frame: RawFrame,
        local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        let cmd = Self::expect(frame)?;
        if self.server {
            self.on_server_frame(cmd, local, out)
        } else {
            self.on_client_frame(cmd, local, out)
        }
    }

    fn on_auth_reply(
        &mut self,
        reply: AuthReply,
        _local: &Metadata,
        out: &mut BytesMut,
    ) -> Result<MechanismStatus, ProtocolError> {
        if self.step != Step::Auth {
            return Err(ProtocolError::Mechanism("unexpected ZAP reply".into()));
        }
        if !reply.is_success() {
            // The client is told why (a well-formed ERROR with the ZAP status
            // code), except for 300, as libzmq.
            return Err(refusal::plain_auth_refusal(reply.status_code, out));
        }
        self.step = Step::Initiate;
        Self::command(WELCOME, Bytes::new(), out);
        Ok(MechanismStatus::Handshaking)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_data_is_checked_without_panicking() {
        let ok = Bytes::from_static(b"\x01u\x02pw");
        assert_eq!(
            PlainMechanism::credentials(&ok).ok(),
            Some((Bytes::from_static(b"u"), Bytes::from_static(b"pw")))
        );
        for bad in [
            &b""[..],
            b"\x05ab",
            b"\x01u",
            b"\x01u\x03pw",
            b"\x01u\x01pwx",
            b"\xff",
        ] {
            assert!(
                PlainMechanism::credentials(&Bytes::copy_from_slice(bad)).is_err(),
                "{bad:?}"
            );
        }
    }
}
