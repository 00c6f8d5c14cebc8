//! Reading and setting options on an engine [`Socket`](crate::Socket), by name or typed.

use bytes::Bytes;
use zmtp_codec::SocketType;

use super::error::OptionError;
use super::meta::Support;
use super::table::{self, Options, SockOpt, SocketOption};
use super::value::OptionValue;

/// The libzmq `ZMQ_TYPE` number.
fn type_number(t: SocketType) -> i64 {
    i64::from(t.number())
}

impl crate::Socket {
    /// Runs `f` on the current options without copying them (e.g. to read RCVTIMEO on
    /// each call).
    pub fn read_options<R>(&self, f: impl FnOnce(&Options) -> R) -> R {
        f(&self.shared.lock().options)
    }

    /// Reads an option: a stored value, or a computed one (`type`, `last_endpoint`, ...).
    /// Checks, in order: readable, supported, socket open.
    pub fn get_option(&self, opt: SockOpt) -> Result<OptionValue, OptionError> {
        use OptionValue::{Bytes as B, Int as I};
        if !opt.is_readable() {
            return Err(OptionError::NotReadable(opt.as_str()));
        }
        if !opt.is_supported() {
            return Err(OptionError::NotSupported(opt.as_str()));
        }
        if self.is_closed() {
            return Err(crate::SocketError::Closed.into());
        }
        if let Some(v) = self.read_options(|o| table::load(o, opt)) {
            return Ok(v);
        }
        Ok(match opt {
            SockOpt::LastEndpoint => B(self
                .last_endpoint()
                .map(|e| Bytes::from(e.to_string()))
                .unwrap_or_default()),
            SockOpt::Mechanism => I(self.read_options(|o| o.security.mechanism.number())),
            SockOpt::RcvMore => I(0),
            SockOpt::ThreadSafe => I(1),
            SockOpt::Type => I(type_number(self.kind())),
            _ => return Err(OptionError::NotSupported(opt.as_str())),
        })
    }

    /// Sets an option given by name with a value given by name. Checks, in order:
    /// writable, supported, socket open, value type, then as [`Self::set_option`].
    pub fn set_option_value(&self, opt: SockOpt, value: OptionValue) -> Result<(), OptionError> {
        if !opt.is_writable() {
            return Err(OptionError::NotWritable(opt.as_str()));
        }
        if !opt.is_supported() {
            return Err(OptionError::NotSupported(opt.as_str()));
        }
        if self.is_closed() {
            return Err(crate::SocketError::Closed.into());
        }
        match (opt, opt.support()) {
            (SockOpt::Subscribe, Support::Action) => Ok(self.subscribe(topic(opt, value)?)?),
            (SockOpt::Unsubscribe, Support::Action) => Ok(self.unsubscribe(topic(opt, value)?)?),
            _ => self.set_option(SocketOption::from_value(opt, value)?),
        }
    }

    /// Sets a typed option: checks that it applies to this socket type and its range,
    /// hands pattern options to the routing state, and stores the value. When it takes
    /// effect is the option's [`Effect`](super::Effect).
    pub fn set_option(&self, opt: SocketOption) -> Result<(), OptionError> {
        let change = table::prepare(opt, self.kind())?;
        if let Some(routing) = change.routing {
            self.set_routing_option(routing)?;
        }
        self.update_options(change.write);
        Ok(())
    }
}

fn topic(opt: SockOpt, value: OptionValue) -> Result<Bytes, OptionError> {
    match value {
        OptionValue::Bytes(b) => Ok(b),
        OptionValue::Int(_) => Err(OptionError::BadValue {
            option: opt.as_str(),
            expected: opt.value_kind().expected(),
        }),
    }
}
