//! Options by enum and by libzmq name: [`OptionMode`] and the get/set/list methods of
//! [`Socket`]. The options themselves ([`SockOpt`], [`SocketOption`], [`OptionValue`])
//! come from the engine's single option table (`zmtp_sockets::options`), which also says
//! when a change takes effect:
//!
//! - pipe and connection options (SNDHWM, RCVHWM, MAXMSGSIZE, ROUTING_ID,
//!   CONNECT_ROUTING_ID, HANDSHAKE_IVL, IMMEDIATE, CONFLATE, RECONNECT_IVL[_MAX]) apply
//!   to pipes and connections created after the change, as in libzmq;
//! - pattern options (ROUTER_MANDATORY, XPUB_*, REQ_*, ...) and timeouts (RCVTIMEO,
//!   SNDTIMEO) apply at once, to the next call;
//! - LINGER is read when the socket closes.
//!
//! [`SockOpt::effect`] gives each option's class.
//!
//! Every name of the Racket binding's option table is a [`SockOpt`] variant. The ones zmtp
//! honours are listed by [`Socket::list_options`]; every other one refuses with a typed
//! error, so no option is ever accepted and ignored. The table in [`crate::racket`] gives
//! the status of each.

use std::sync::OnceLock;

use bytes::Bytes;
use zmtp_sockets::options::{OptionValue, SockOpt, SocketOption};

use crate::error::Result;
use crate::socket::Socket;

/// Which option list [`Socket::list_options`] returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OptionMode {
    /// Options [`Socket::get_option`] can read.
    Get,
    /// Options [`Socket::set_option_value`] can set.
    Set,
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
        self.check_open()?;
        Ok(self.core().get_option(opt)?)
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
    /// assert!(matches!(s.set_option_value(SockOpt::Affinity, 5), Err(Error::OptionNotSupported(_))));
    /// # Ok(()) }
    /// ```
    pub fn set_option_value(&self, opt: SockOpt, value: impl Into<OptionValue>) -> Result<()> {
        self.check_open()?;
        Ok(self.core().set_option_value(opt, value.into())?)
    }

    /// Sets a typed option. Pipe and connection options apply to pipes and connections
    /// made afterwards (as in libzmq), pattern options and timeouts to the next call,
    /// LINGER at close (see the [module](self) docs).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// use zmtp_api::SocketOption;
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Push)?;
    /// s.set_option(SocketOption::SndHwm(10))?;
    /// assert!(s.set_option(SocketOption::Linger(-5)).is_err());
    /// # Ok(()) }
    /// ```
    pub fn set_option(&self, opt: SocketOption) -> Result<()> {
        self.check_open()?;
        Ok(self.core().set_option(opt)?)
    }

    /// Subscribes to messages whose first frame starts with `topic` (SUB); `""` takes all.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Sub)?;
    /// s.subscribe("weather.")?;
    /// # Ok(()) }
    /// ```
    pub fn subscribe(&self, topic: impl AsRef<[u8]>) -> Result<()> {
        self.check_open()?;
        self.core()
            .subscribe(Bytes::copy_from_slice(topic.as_ref()))?;
        Ok(())
    }

    /// Removes one subscription (SUB).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmtp_api::Result<()> {
    /// let s = zmtp_api::Socket::new(zmtp_api::SocketType::Sub)?;
    /// s.subscribe("a")?;
    /// s.unsubscribe("a")?;
    /// # Ok(()) }
    /// ```
    pub fn unsubscribe(&self, topic: impl AsRef<[u8]>) -> Result<()> {
        self.check_open()?;
        self.core()
            .unsubscribe(Bytes::copy_from_slice(topic.as_ref()))?;
        Ok(())
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
        self.check_open()?;
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
        self.check_open()?;
        self.set_option_value(name.parse()?, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_and_supported() {
        for mode in [OptionMode::Get, OptionMode::Set] {
            let l = Socket::list_options(mode);
            assert!(l.windows(2).all(|w| w[0].as_str() < w[1].as_str()));
            assert!(l.iter().all(|o| o.is_supported()));
        }
    }
}
