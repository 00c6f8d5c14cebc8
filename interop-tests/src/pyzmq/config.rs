//! The peer's configuration: a builder serialised to the JSON `peer.py` reads.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};
use zmtp_api::SocketType;

/// What the Python peer sets up before its hello line: one socket, its options, binds
/// and connects, an optional monitor and an optional ZAP handler.
///
/// ```no_run
/// use interop_tests::pyzmq::{PeerConfig, PyPeer, ZapHandler};
/// use zmtp_api::SocketType;
/// let peer = PyPeer::spawn(
///     PeerConfig::new(SocketType::Pull)
///         .bind("tcp://127.0.0.1:*")
///         .zap_domain("global")
///         .zap_handler(ZapHandler::status(200).user_id("alice"))
///         .monitor(),
/// );
/// println!("pyzmq PULL at {}", peer.endpoint());
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct PeerConfig {
    #[serde(serialize_with = "socket_type_name")]
    pub socket_type: SocketType,
    pub bind: Vec<String>,
    pub connect: Vec<String>,
    pub options: PeerOptions,
    pub monitor: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zap: Option<Zap>,
}

/// Socket options set before binding/connecting (unset ones keep libzmq's default,
/// except LINGER, which the peer sets to 0 unless told otherwise).
#[derive(Clone, Debug, Default, Serialize)]
pub struct PeerOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linger: Option<i32>,
    #[serde(
        rename = "routing_id_hex",
        skip_serializing_if = "Option::is_none",
        serialize_with = "hex_opt"
    )]
    pub routing_id: Option<Vec<u8>>,
    #[serde(
        rename = "subscribe_hex",
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "hex_vec"
    )]
    pub subscribe: Vec<Vec<u8>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sndhwm: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rcvhwm: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rcvtimeo: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sndtimeo: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handshake_ivl: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub router_mandatory: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plain_server: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plain_username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plain_password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curve_server: Option<bool>,
    /// Z85 (40 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curve_secretkey: Option<String>,
    /// Z85 (40 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curve_publickey: Option<String>,
    /// Z85 (40 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curve_serverkey: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zap_domain: Option<String>,
}

/// A ZAP handler run inside the Python process (bound to `inproc://zeromq.zap.01`
/// before the socket binds or connects).
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Zap {
    /// A hand-written handler answering every request the same way.
    Handler(ZapHandler),
    /// pyzmq's `zmq.auth.thread.ThreadAuthenticator`.
    Authenticator(ZapAuthenticator),
}

/// The hand-written handler's answer (ZAP status code, text, user id, metadata).
#[derive(Clone, Debug, Serialize)]
pub struct ZapHandler {
    pub status_code: String,
    pub status_text: String,
    pub user_id: String,
    /// A ZMTP metadata block (RFC 27) as the reply's last frame; empty by default.
    #[serde(rename = "metadata_hex", serialize_with = "hex")]
    pub metadata: Vec<u8>,
}

impl ZapHandler {
    /// Answers with `code` (200, 300, 400 or 500) and a matching status text.
    pub fn status(code: u16) -> ZapHandler {
        let text = match code {
            200 => "OK",
            300 => "Temporary error",
            400 => "Authentication failure",
            500 => "Internal error",
            _ => "Other",
        };
        ZapHandler {
            status_code: code.to_string(),
            status_text: text.to_string(),
            user_id: String::new(),
            metadata: Vec::new(),
        }
    }

    /// The user id a 200 reply carries (`User-Id` on the peer's messages).
    pub fn user_id(mut self, user_id: &str) -> ZapHandler {
        self.user_id = user_id.to_string();
        self
    }

    /// The status text.
    pub fn status_text(mut self, text: &str) -> ZapHandler {
        self.status_text = text.to_string();
        self
    }

    /// The reply's metadata frame.
    pub fn metadata(mut self, metadata: &[u8]) -> ZapHandler {
        self.metadata = metadata.to_vec();
        self
    }
}

/// pyzmq's ThreadAuthenticator settings. With no allow/deny list, NULL is allowed;
/// PLAIN needs `plain_passwords`; CURVE needs `curve_allow_any` or `curve_keys`.
#[derive(Clone, Debug, Serialize)]
pub struct ZapAuthenticator {
    pub allow: Vec<String>,
    pub deny: Vec<String>,
    pub plain_passwords: BTreeMap<String, String>,
    pub curve_allow_any: bool,
    /// Z85 public keys of the clients let in.
    pub curve_keys: Vec<String>,
    /// The ZAP domain the PLAIN/CURVE settings apply to (`"*"`: every domain).
    pub domain: String,
}

impl Default for ZapAuthenticator {
    fn default() -> Self {
        ZapAuthenticator {
            allow: Vec::new(),
            deny: Vec::new(),
            plain_passwords: BTreeMap::new(),
            curve_allow_any: false,
            curve_keys: Vec::new(),
            domain: "*".to_string(),
        }
    }
}

impl ZapAuthenticator {
    /// An authenticator with no policy yet (allows NULL from anywhere).
    pub fn new() -> ZapAuthenticator {
        ZapAuthenticator::default()
    }

    /// Only these addresses (exclusive with [`deny`](Self::deny)).
    pub fn allow(mut self, address: &str) -> ZapAuthenticator {
        self.allow.push(address.to_string());
        self
    }

    /// Every address but these.
    pub fn deny(mut self, address: &str) -> ZapAuthenticator {
        self.deny.push(address.to_string());
        self
    }

    /// A PLAIN user and password.
    pub fn plain_user(mut self, user: &str, password: &str) -> ZapAuthenticator {
        self.plain_passwords
            .insert(user.to_string(), password.to_string());
        self
    }

    /// Any CURVE client key (`CURVE_ALLOW_ANY`).
    pub fn curve_allow_any(mut self) -> ZapAuthenticator {
        self.curve_allow_any = true;
        self
    }

    /// A CURVE client public key (Z85) let in.
    pub fn curve_key(mut self, z85: &str) -> ZapAuthenticator {
        self.curve_keys.push(z85.to_string());
        self
    }

    /// The ZAP domain the PLAIN/CURVE settings apply to.
    pub fn domain(mut self, domain: &str) -> ZapAuthenticator {
        self.domain = domain.to_string();
        self
    }
}

impl PeerConfig {
    /// A socket of `kind` with nothing bound or connected.
    pub fn new(kind: SocketType) -> PeerConfig {
        PeerConfig {
            socket_type: kind,
            bind: Vec::new(),
            connect: Vec::new(),
            options: PeerOptions::default(),
            monitor: false,
            zap: None,
        }
    }

    /// Binds `endpoint` (wildcards are resolved in [`PyPeer::endpoints`](super::PyPeer::endpoints)).
    pub fn bind(mut self, endpoint: &str) -> PeerConfig {
        self.bind.push(endpoint.to_string());
        self
    }

    /// Connects to `endpoint`.
    pub fn connect(mut self, endpoint: &str) -> PeerConfig {
        self.connect.push(endpoint.to_string());
        self
    }

    /// Records the socket's monitor events (all of them), read with
    /// [`PyPeer::events`](super::PyPeer::events).
    pub fn monitor(mut self) -> PeerConfig {
        self.monitor = true;
        self
    }

    /// Runs a hand-written ZAP handler in the peer.
    pub fn zap_handler(mut self, handler: ZapHandler) -> PeerConfig {
        self.zap = Some(Zap::Handler(handler));
        self
    }

    /// Runs pyzmq's ThreadAuthenticator in the peer.
    pub fn authenticator(mut self, auth: ZapAuthenticator) -> PeerConfig {
        self.zap = Some(Zap::Authenticator(auth));
        self
    }

    /// ZMQ_LINGER in ms.
    pub fn linger(mut self, ms: i32) -> PeerConfig {
        self.options.linger = Some(ms);
        self
    }

    /// ZMQ_ROUTING_ID.
    pub fn routing_id(mut self, id: &[u8]) -> PeerConfig {
        self.options.routing_id = Some(id.to_vec());
        self
    }

    /// ZMQ_SUBSCRIBE (may be given several times).
    pub fn subscribe(mut self, topic: &[u8]) -> PeerConfig {
        self.options.subscribe.push(topic.to_vec());
        self
    }

    /// ZMQ_SNDHWM and ZMQ_RCVHWM.
    pub fn hwm(mut self, hwm: i32) -> PeerConfig {
        self.options.sndhwm = Some(hwm);
        self.options.rcvhwm = Some(hwm);
        self
    }

    /// ZMQ_RCVTIMEO in ms.
    pub fn rcvtimeo(mut self, ms: i32) -> PeerConfig {
        self.options.rcvtimeo = Some(ms);
        self
    }

    /// ZMQ_PLAIN_SERVER = 1.
    pub fn plain_server(mut self) -> PeerConfig {
        self.options.plain_server = Some(true);
        self
    }

    /// ZMQ_PLAIN_USERNAME and ZMQ_PLAIN_PASSWORD (makes the socket a PLAIN client).
    pub fn plain_client(mut self, username: &str, password: &str) -> PeerConfig {
        self.options.plain_username = Some(username.to_string());
        self.options.plain_password = Some(password.to_string());
        self
    }

    /// ZMQ_CURVE_SERVER = 1 with the server's secret key (Z85).
    pub fn curve_server(mut self, secret_z85: &str) -> PeerConfig {
        self.options.curve_server = Some(true);
        self.options.curve_secretkey = Some(secret_z85.to_string());
        self
    }

    /// A CURVE client: its own key pair and the server's public key (all Z85).
    pub fn curve_client(
        mut self,
        public_z85: &str,
        secret_z85: &str,
        server_z85: &str,
    ) -> PeerConfig {
        self.options.curve_publickey = Some(public_z85.to_string());
        self.options.curve_secretkey = Some(secret_z85.to_string());
        self.options.curve_serverkey = Some(server_z85.to_string());
        self
    }

    /// ZMQ_ZAP_DOMAIN (for NULL, libzmq asks ZAP only when it is set).
    pub fn zap_domain(mut self, domain: &str) -> PeerConfig {
        self.options.zap_domain = Some(domain.to_string());
        self
    }

    /// Changes the options in place, for the ones without a builder method.
    pub fn options(mut self, f: impl FnOnce(&mut PeerOptions)) -> PeerConfig {
        f(&mut self.options);
        self
    }

    /// The JSON `peer.py` reads.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("PeerConfig serialises")
    }
}

fn socket_type_name<S: Serializer>(kind: &SocketType, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.as_str())
}

fn hex<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&super::hex::to_hex(bytes))
}

fn hex_opt<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
    match bytes {
        Some(b) => hex(b, s),
        None => s.serialize_none(),
    }
}

fn hex_vec<S: Serializer>(items: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(items.iter().map(|b| super::hex::to_hex(b)))
}
