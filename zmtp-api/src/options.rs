//! Options by enum and by libzmq name: [`SockOpt`], [`OptionValue`], [`OptionMode`] and
//! the get/set/list methods of [`Socket`].
//!
//! Every name of the Racket binding's option table is a [`SockOpt`] variant. The ones zmtp
//! honours are listed by [`Socket::list_options`]; every other one refuses with a typed
//! error, so no option is ever accepted and ignored. The table in [`crate::racket`] gives
//! the status of each.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bytes::Bytes;

use crate::{Error, Result, SockOpt, Socket, SocketOption, SocketType};

/// Which option list [`Socket::list_options`] returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OptionMode {
    /// Options [`Socket::get_option`] can read.
    Get,
    /// Options [`Socket::set_option_value`] can set.
    Set,
}

/// An option value: an integer (booleans are 0 or 1, durations milliseconds) or bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OptionValue {
    /// An integer option.
    Int(i64),
    /// A byte-string option.
    Bytes(Bytes),
}

impl OptionValue {
    /// The integer, if this is one.
    ///
    /// ```
    /// assert_eq!(zmtp_api::OptionValue::Int(5).as_int(), Some(5));
    /// ```
    pub fn as_int(&self) -> Option<i64> {
        match self {
            OptionValue::Int(v) => Some(*v),
            OptionValue::Bytes(_) => None,
        }
    }

    /// The bytes, if this is a byte string.
    ///
    /// ```
    /// let v = zmtp_api::OptionValue::from("id");
    /// assert_eq!(v.as_bytes().map(|b| &b[..]), Some(&b"id"[..]));
    /// ```
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match self {
            OptionValue::Int(_) => None,
            OptionValue::Bytes(b) => Some(b),
        }
    }
}

macro_rules! int_from {
    ($($t:ty),*) => {$(
        impl From<$t> for OptionValue {
            fn from(v: $t) -> Self {
                OptionValue::Int(i64::from(v))
            }
        }
    )*};
}
int_from!(i8, i16, i32, i64, u8, u16, u32, bool);

impl From<Duration> for OptionValue {
    /// Milliseconds, saturating at `i64::MAX`.
    fn from(d: Duration) -> Self {
        OptionValue::Int(i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}

impl From<Bytes> for OptionValue {
    fn from(b: Bytes) -> Self {
        OptionValue::Bytes(b)
    }
}

impl From<&[u8]> for OptionValue {
    fn from(b: &[u8]) -> Self {
        OptionValue::Bytes(Bytes::copy_from_slice(b))
    }
}

impl<const N: usize> From<&[u8; N]> for OptionValue {
    fn from(b: &[u8; N]) -> Self {
        OptionValue::Bytes(Bytes::copy_from_slice(b))
    }
}

impl From<Vec<u8>> for OptionValue {
    fn from(b: Vec<u8>) -> Self {
        OptionValue::Bytes(b.into())
    }
}

impl From<&str> for OptionValue {
    fn from(s: &str) -> Self {
        OptionValue::Bytes(Bytes::copy_from_slice(s.as_bytes()))
    }
}

impl From<String> for OptionValue {
    fn from(s: String) -> Self {
        OptionValue::Bytes(s.into())
    }
}

/// Option values the engine cannot report back, remembered by the facade.
#[derive(Debug, Default)]
pub(crate) struct Shadow {
    invert_matching: AtomicBool,
}

impl Shadow {
    /// Records a successfully applied option.
    pub(crate) fn record(&self, opt: &SocketOption) {
        if let SocketOption::InvertMatching(v) = opt {
            self.invert_matching.store(*v, Ordering::Relaxed);
        }
    }
}

fn sorted(mode: OptionMode) -> Vec<SockOpt> {
    let mut v: Vec<SockOpt> = SockOpt::ALL
        .iter()
        .copied()
        .filter(|o| o.is_supported())
        .filter(|o| match mode {
            OptionMode::Get => o.is_readable(),
            OptionMode::Set => o.is_writable(),
        })
        .collect();
    v.sort_by_key(|o| o.as_str());
    v
}

fn int(opt: SockOpt, v: &OptionValue) -> Result<i64> {
    v.as_int().ok_or(Error::BadOptionValue {
        option: opt.as_str(),
        expected: opt.spec().1.expected(),
    })
}

fn flag(opt: SockOpt, v: &OptionValue) -> Result<bool> {
    match int(opt, v)? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(Error::BadOptionValue {
            option: opt.as_str(),
            expected: "0 or 1",
        }),
    }
}

fn bytes(opt: SockOpt, v: OptionValue) -> Result<Bytes> {
    match v {
        OptionValue::Bytes(b) => Ok(b),
        OptionValue::Int(_) => Err(Error::BadOptionValue {
            option: opt.as_str(),
            expected: "bytes",
        }),
    }
}

fn ms_value(d: Option<Duration>) -> i64 {
    d.map_or(-1, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The libzmq `ZMQ_TYPE` number.
fn type_number(t: SocketType) -> i64 {
    use SocketType as T;
    match t {
        T::Pair => 0,
        T::Pub => 1,
        T::Sub => 2,
        T::Req => 3,
        T::Rep => 4,
        T::Dealer => 5,
        T::Router => 6,
        T::Pull => 7,
        T::Push => 8,
        T::XPub => 9,
        T::XSub => 10,
        T::Stream => 11,
        #[allow(unreachable_patterns)]
        _ => -1,
    }
}

/// The typed option for a name and value (every writable, supported option but
/// subscribe/unsubscribe).
fn typed(opt: SockOpt, v: OptionValue) -> Result<SocketOption> {
    use SockOpt as O;
    let hwm = |v: &OptionValue| -> Result<usize> {
        usize::try_from(int(opt, v)?).map_err(|_| Error::InvalidOptionValue(opt.as_str()))
    };
    Ok(match opt {
        O::Conflate => SocketOption::Conflate(flag(opt, &v)?),
        O::ConnectRoutingId => SocketOption::ConnectRoutingId(bytes(opt, v)?),
        O::HandshakeIvl => SocketOption::HandshakeIvl(int(opt, &v)?),
        O::Identity => SocketOption::RoutingId(bytes(opt, v)?),
        O::Immediate => SocketOption::Immediate(flag(opt, &v)?),
        O::InvertMatching => SocketOption::InvertMatching(flag(opt, &v)?),
        O::Linger => SocketOption::Linger(int(opt, &v)?),
        O::MaxMsgSize => SocketOption::MaxMsgSize(int(opt, &v)?),
        O::ProbeRouter => SocketOption::ProbeRouter(flag(opt, &v)?),
        O::RcvHwm => SocketOption::RcvHwm(hwm(&v)?),
        O::RcvTimeo => SocketOption::RcvTimeo(int(opt, &v)?),
        O::ReconnectIvl => SocketOption::ReconnectIvl(int(opt, &v)?),
        O::ReconnectIvlMax => SocketOption::ReconnectIvlMax(int(opt, &v)?),
        O::ReqCorrelate => SocketOption::ReqCorrelate(flag(opt, &v)?),
        O::ReqRelaxed => SocketOption::ReqRelaxed(flag(opt, &v)?),
        O::RouterHandover => SocketOption::RouterHandover(flag(opt, &v)?),
        O::RouterMandatory => SocketOption::RouterMandatory(flag(opt, &v)?),
        O::SndHwm => SocketOption::SndHwm(hwm(&v)?),
        O::SndTimeo => SocketOption::SndTimeo(int(opt, &v)?),
        O::StreamNotify => SocketOption::StreamNotify(flag(opt, &v)?),
        O::XpubManual => SocketOption::XpubManual(flag(opt, &v)?),
        O::XpubNodrop => SocketOption::XpubNodrop(flag(opt, &v)?),
        O::XpubVerbose => SocketOption::XpubVerbose(flag(opt, &v)?),
        O::XpubVerboser => SocketOption::XpubVerboser(flag(opt, &v)?),
        O::XpubWelcomeMsg => SocketOption::XpubWelcomeMsg(bytes(opt, v)?),
        _ => return Err(Error::OptionNotSupported(opt.as_str())),
    })
}

impl Socket {
    /// The options [`Socket::get_option`] reads (`OptionMode::Get`) or
    /// [`Socket::set_option_value`] sets (`OptionMode::Set`), sorted by name. Only
    /// options zmtp honours are listed.
    ///
    /// ```
    /// use zmtp_api::{OptionMode, SockOpt, Socket};
    /// assert!(Socket::list_options(OptionMode::Get).contains(&SockOpt::LastEndpoint));
    /// assert!(!Socket::list_options(OptionMode::Set).contains(&SockOpt::LastEndpoint));
    /// assert!(!Socket::list_options(OptionMode::Set).contains(&SockOpt::Rate));
    /// ```
    pub fn list_options(mode: OptionMode) -> &'static [SockOpt] {
        static GET: OnceLock<Vec<SockOpt>> = OnceLock::new();
        static SET: OnceLock<Vec<SockOpt>> = OnceLock::new();
        match mode {
            OptionMode::Get => GET.get_or_init(|| sorted(mode)),
            OptionMode::Set => SET.get_or_init(|| sorted(mode)),
        }
    }

    /// Reads an option.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Error, OptionValue, SockOpt, Socket, SocketType};
    /// let s = Socket::new(SocketType::Dealer)?;
    /// assert_eq!(s.get_option(SockOpt::Linger)?, OptionValue::Int(100));
    /// assert_eq!(s.get_option(SockOpt::Type)?, OptionValue::Int(5));
    /// assert!(matches!(s.get_option(SockOpt::Subscribe), Err(Error::OptionNotReadable(_))));
    /// assert!(matches!(s.get_option(SockOpt::Rate), Err(Error::OptionNotSupported(_))));
    /// # Ok(()) }
    /// ```
    pub fn get_option(&self, opt: SockOpt) -> Result<OptionValue> {
        use OptionValue::{Bytes as B, Int as I};
        use SockOpt as O;
        if !opt.is_readable() {
            return Err(Error::OptionNotReadable(opt.as_str()));
        }
        if !opt.is_supported() {
            return Err(Error::OptionNotSupported(opt.as_str()));
        }
        if self.is_closed() {
            return Err(Error::Closed);
        }
        let o = self.core().options();
        Ok(match opt {
            O::Conflate => I(o.conflate.into()),
            O::HandshakeIvl => I(o.handshake_ivl.map_or(0, |d| ms_value(Some(d)))),
            O::Identity => B(o.routing_id),
            O::Immediate => I(o.immediate.into()),
            O::InvertMatching => I(self.shadow().invert_matching.load(Ordering::Relaxed).into()),
            O::LastEndpoint => B(self.last_endpoint().map(Bytes::from).unwrap_or_default()),
            O::Linger => I(ms_value(o.linger)),
            O::MaxMsgSize => I(o
                .max_msg_size
                .map_or(-1, |m| i64::try_from(m).unwrap_or(i64::MAX))),
            O::Mechanism | O::RcvMore => I(0),
            O::RcvHwm => I(i64::try_from(o.rcvhwm).unwrap_or(i64::MAX)),
            O::RcvTimeo => I(self.timeout_ms(true)),
            O::ReconnectIvl => I(ms_value(o.reconnect_ivl)),
            O::ReconnectIvlMax => I(ms_value(Some(o.reconnect_ivl_max))),
            O::SndHwm => I(i64::try_from(o.sndhwm).unwrap_or(i64::MAX)),
            O::SndTimeo => I(self.timeout_ms(false)),
            O::ThreadSafe => I(1),
            O::Type => I(type_number(self.socket_type())),
            _ => return Err(Error::OptionNotSupported(opt.as_str())),
        })
    }

    /// Sets an option from a name-independent value: integers (booleans as 0/1,
    /// durations in ms) or bytes. Like libzmq, most options apply to connections made
    /// afterwards. The typed form is [`Socket::set_option`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Error, OptionValue, SockOpt, Socket, SocketType};
    /// let s = Socket::new(SocketType::Push)?;
    /// s.set_option_value(SockOpt::SndHwm, 10)?;
    /// assert_eq!(s.get_option(SockOpt::SndHwm)?, OptionValue::Int(10));
    /// assert!(matches!(s.set_option_value(SockOpt::SndHwm, "ten"), Err(Error::BadOptionValue { .. })));
    /// assert!(matches!(s.set_option_value(SockOpt::Type, 1), Err(Error::OptionNotWritable(_))));
    /// assert!(matches!(s.set_option_value(SockOpt::Backlog, 5), Err(Error::OptionNotSupported(_))));
    /// # Ok(()) }
    /// ```
    pub fn set_option_value(&self, opt: SockOpt, value: impl Into<OptionValue>) -> Result<()> {
        if !opt.is_writable() {
            return Err(Error::OptionNotWritable(opt.as_str()));
        }
        if !opt.is_supported() {
            return Err(Error::OptionNotSupported(opt.as_str()));
        }
        if self.is_closed() {
            return Err(Error::Closed);
        }
        let value = value.into();
        match opt {
            SockOpt::Subscribe => self.subscribe(bytes(opt, value)?),
            SockOpt::Unsubscribe => self.unsubscribe(bytes(opt, value)?),
            _ => self.set_option(typed(opt, value)?),
        }
    }

    /// Reads an option given by its lower-case libzmq name, as Racket's `zmq-get-option`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{Error, OptionValue, Socket, SocketType};
    /// let s = Socket::new(SocketType::Pull)?;
    /// assert_eq!(s.get_option_named("rcvhwm")?, OptionValue::Int(1000));
    /// assert!(matches!(s.get_option_named("routing_idx"), Err(Error::UnknownOption(_))));
    /// # Ok(()) }
    /// ```
    pub fn get_option_named(&self, name: &str) -> Result<OptionValue> {
        self.get_option(name.parse()?)
    }

    /// Sets an option given by its lower-case libzmq name, as Racket's `zmq-set-option`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::{OptionValue, Socket, SocketType};
    /// let s = Socket::new(SocketType::Dealer)?;
    /// s.set_option_named("identity", "worker-1")?;
    /// assert_eq!(s.get_option_named("identity")?, OptionValue::from("worker-1"));
    /// # Ok(()) }
    /// ```
    pub fn set_option_named(&self, name: &str, value: impl Into<OptionValue>) -> Result<()> {
        self.set_option_value(name.parse()?, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut names: Vec<_> = SockOpt::ALL.iter().map(|o| o.as_str()).collect();
        for o in SockOpt::ALL {
            assert_eq!(o.as_str().parse::<SockOpt>().ok(), Some(*o));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SockOpt::ALL.len());
    }

    #[test]
    fn lists_are_sorted_and_supported() {
        for mode in [OptionMode::Get, OptionMode::Set] {
            let l = Socket::list_options(mode);
            assert!(l.windows(2).all(|w| w[0].as_str() < w[1].as_str()));
            assert!(l.iter().all(|o| o.is_supported()));
        }
    }
}
