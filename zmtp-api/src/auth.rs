//! The built-in ZAP authenticator (RFC 27): a handler bound at
//! `inproc://zeromq.zap.01` in one context that answers every PLAIN, CURVE and (with a
//! ZAP domain set) NULL handshake of that context's servers by its rules, like czmq's
//! `zauth` or pyzmq's `ThreadAuthenticator`.
//!
//! It is an ordinary handler: an application's own handler socket and this one cannot
//! both be bound in one context (the second bind fails with
//! [`Error::AddrInUse`](crate::Error::AddrInUse)).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use zmtp_codec::CurvePublicKey;

use crate::{Context, Result, Socket, SocketOption, SocketType};

/// The endpoint every ZAP handler binds.
pub const ZAP_ENDPOINT: &str = "inproc://zeromq.zap.01";

/// The rules the authenticator applies (see [`Authenticator`]).
#[derive(Debug, Default)]
struct Rules {
    allow: HashSet<String>,
    deny: HashSet<String>,
    plain: HashMap<Bytes, Bytes>,
    curve_any: bool,
    curve: HashSet<[u8; 32]>,
}

/// The answer to one request: status code, status text, user id.
type Verdict = (&'static str, &'static str, Bytes);

impl Rules {
    /// libzmq/czmq's order: the address lists first (an allow list admits only its
    /// addresses; otherwise a deny list refuses its own), then the mechanism's
    /// credentials. NULL passes unless the address is refused.
    fn judge(&self, address: &[u8], mechanism: &[u8], credentials: &[Bytes]) -> Verdict {
        let address = String::from_utf8_lossy(address);
        if !self.allow.is_empty() {
            if !self.allow.contains(address.as_ref()) {
                return ("400", "address not allowed", Bytes::new());
            }
        } else if self.deny.contains(address.as_ref()) {
            return ("400", "address denied", Bytes::new());
        }
        match (mechanism, credentials) {
            (b"NULL", []) => ("200", "OK", Bytes::new()),
            (b"PLAIN", [user, password]) => match self.plain.get(user) {
                Some(p) if p == password => ("200", "OK", user.clone()),
                _ => ("400", "invalid user name or password", Bytes::new()),
            },
            (b"CURVE", [key]) => {
                let Ok(key) = <[u8; 32]>::try_from(&key[..]) else {
                    return ("400", "malformed key", Bytes::new());
                };
                if self.curve_any || self.curve.contains(&key) {
                    let id = CurvePublicKey::from_bytes(key).to_z85();
                    ("200", "OK", Bytes::from(id))
                } else {
                    ("400", "unknown key", Bytes::new())
                }
            }
            _ => ("400", "unsupported mechanism", Bytes::new()),
        }
    }
}

/// A running ZAP authenticator for one context. Rules can change while it runs; each
/// handshake is judged by the rules of the moment. It stops when dropped or
/// [`stop`](Self::stop)ped, which frees the handler endpoint.
///
/// - Addresses: [`allow`](Self::allow) admits only the listed addresses (NULL clients
///   from them need nothing more); otherwise [`deny`](Self::deny) refuses its own.
/// - PLAIN: [`add_plain_user`](Self::add_plain_user); the user id is the user name.
/// - CURVE: [`allow_curve_key`](Self::allow_curve_key) or
///   [`allow_any_curve`](Self::allow_any_curve); the user id is the client's Z85
///   public key.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmtp_api::Result<()> {
/// use zmtp_api::{Authenticator, Context, SocketOption, SocketType};
/// let ctx = Context::new();
/// let auth = Authenticator::start(&ctx)?;
/// auth.add_plain_user("admin", "secret");
/// let server = ctx.socket(SocketType::Rep)?;
/// server.set_option(SocketOption::PlainServer(true))?;
/// server.bind("tcp://127.0.0.1:*")?;
/// // A second handler in the same context is refused.
/// assert!(Authenticator::start(&ctx).is_err());
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Authenticator {
    rules: Arc<Mutex<Rules>>,
    socket: Socket,
}

impl Authenticator {
    /// Binds the handler in `ctx` and starts answering requests (on the context's I/O
    /// runtime). Fails when a handler is already bound there.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let ctx = zmtp_api::Context::new();
    /// let auth = zmtp_api::Authenticator::start(&ctx)?;
    /// assert!(zmtp_api::Authenticator::start(&ctx).is_err());
    /// auth.stop();
    /// # Ok(()) }
    /// ```
    pub fn start(ctx: &Context) -> Result<Authenticator> {
        let socket = ctx.socket(SocketType::Router)?;
        socket.set_option(SocketOption::Linger(0))?;
        socket.bind(ZAP_ENDPOINT)?;
        let rules = Arc::new(Mutex::new(Rules::default()));
        let (s, r) = (socket.clone(), rules.clone());
        socket.runtime().spawn(async move { serve(s, r).await });
        Ok(Authenticator { rules, socket })
    }

    fn rules(&self) -> MutexGuard<'_, Rules> {
        self.rules.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Admits only clients from these IP addresses (as text, e.g. `"127.0.0.1"`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let auth = zmtp_api::Authenticator::start(&zmtp_api::Context::new())?;
    /// auth.allow(["127.0.0.1", "::1"]);
    /// # Ok(()) }
    /// ```
    pub fn allow<I: IntoIterator<Item = S>, S: Into<String>>(&self, addresses: I) {
        self.rules()
            .allow
            .extend(addresses.into_iter().map(Into::into));
    }

    /// Refuses clients from these IP addresses (ignored while an allow list exists).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let auth = zmtp_api::Authenticator::start(&zmtp_api::Context::new())?;
    /// auth.deny(["192.0.2.7"]);
    /// # Ok(()) }
    /// ```
    pub fn deny<I: IntoIterator<Item = S>, S: Into<String>>(&self, addresses: I) {
        self.rules()
            .deny
            .extend(addresses.into_iter().map(Into::into));
    }

    /// Accepts a PLAIN user with this password (replacing an earlier password).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let auth = zmtp_api::Authenticator::start(&zmtp_api::Context::new())?;
    /// auth.add_plain_user("admin", "secret");
    /// # Ok(()) }
    /// ```
    pub fn add_plain_user(&self, user: impl AsRef<[u8]>, password: impl AsRef<[u8]>) {
        self.rules().plain.insert(
            Bytes::copy_from_slice(user.as_ref()),
            Bytes::copy_from_slice(password.as_ref()),
        );
    }

    /// Accepts CURVE clients with this public key.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let auth = zmtp_api::Authenticator::start(&zmtp_api::Context::new())?;
    /// let client = zmtp_api::curve_keypair()?;
    /// auth.allow_curve_key(client.public);
    /// # Ok(()) }
    /// ```
    pub fn allow_curve_key(&self, key: CurvePublicKey) {
        self.rules().curve.insert(*key.as_bytes());
    }

    /// Accepts every CURVE client (the handshake still proves it holds its key).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let auth = zmtp_api::Authenticator::start(&zmtp_api::Context::new())?;
    /// auth.allow_any_curve();
    /// # Ok(()) }
    /// ```
    pub fn allow_any_curve(&self) {
        self.rules().curve_any = true;
    }

    /// Stops answering and frees the handler endpoint.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let ctx = zmtp_api::Context::new();
    /// zmtp_api::Authenticator::start(&ctx)?.stop();
    /// # Ok(()) }
    /// ```
    pub fn stop(self) {}
}

impl Drop for Authenticator {
    fn drop(&mut self) {
        self.socket.close();
    }
}

/// Answers requests until the socket closes. A request that is not ZAP 1.0 gets no
/// answer (the asking handshake then fails on its own timer), as RFC 27 allows.
async fn serve(socket: Socket, rules: Arc<Mutex<Rules>>) {
    while let Ok(req) = socket.recv_multipart().await {
        // routing id, "", version, request id, domain, address, identity, mechanism,
        // credentials...
        if req.len() < 8 || !req[1].is_empty() || req[2] != "1.0" {
            tracing::warn!(target: "zmtp_api", "malformed ZAP request ignored");
            continue;
        }
        let (status, text, user) =
            rules
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .judge(&req[5], &req[7], &req[8..]);
        if status != "200" {
            tracing::info!(target: "zmtp_api", address = %String::from_utf8_lossy(&req[5]), reason = text, "ZAP refused a client");
        }
        let reply = [
            req[0].clone(),
            Bytes::new(),
            Bytes::from_static(b"1.0"),
            req[3].clone(),
            Bytes::from_static(status.as_bytes()),
            Bytes::from_static(text.as_bytes()),
            user,
            Bytes::new(),
        ];
        if socket.send_multipart(reply).await.is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Bytes {
        Bytes::copy_from_slice(s.as_bytes())
    }

    #[test]
    fn address_lists_then_credentials() {
        let mut r = Rules::default();
        assert_eq!(r.judge(b"10.0.0.1", b"NULL", &[]).0, "200");
        r.deny.insert("10.0.0.1".into());
        assert_eq!(r.judge(b"10.0.0.1", b"NULL", &[]).0, "400");
        assert_eq!(r.judge(b"10.0.0.2", b"NULL", &[]).0, "200");
        r.allow.insert("10.0.0.3".into());
        assert_eq!(r.judge(b"10.0.0.2", b"NULL", &[]).0, "400");
        assert_eq!(r.judge(b"10.0.0.3", b"NULL", &[]).0, "200");
        r.plain.insert(b("u"), b("p"));
        assert_eq!(r.judge(b"10.0.0.3", b"PLAIN", &[b("u"), b("p")]).2, "u");
        assert_eq!(r.judge(b"10.0.0.3", b"PLAIN", &[b("u"), b("x")]).0, "400");
        assert_eq!(r.judge(b"10.0.0.3", b"PLAIN", &[b("v"), b("p")]).0, "400");
        assert_eq!(r.judge(b"10.0.0.3", b"PLAIN", &[b("u")]).0, "400");
        let key = [9u8; 32];
        let cred = [Bytes::copy_from_slice(&key)];
        assert_eq!(r.judge(b"10.0.0.3", b"CURVE", &cred).0, "400");
        r.curve.insert(key);
        let (status, _, user) = r.judge(b"10.0.0.3", b"CURVE", &cred);
        assert_eq!((status, user.len()), ("200", 40));
        assert_eq!(r.judge(b"10.0.0.3", b"CURVE", &[b("short")]).0, "400");
        r.curve.clear();
        r.curve_any = true;
        assert_eq!(r.judge(b"10.0.0.3", b"CURVE", &cred).0, "200");
        assert_eq!(r.judge(b"10.0.0.3", b"GSSAPI", &[]).0, "400");
    }
}
