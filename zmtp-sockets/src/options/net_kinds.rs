//! Value kinds of the tcp socket and heartbeat options (re-exported by
//! [`super::kinds`]): libzmq's integers where `-1` leaves a default, and the heartbeat
//! TTL that libzmq keeps in deciseconds.

use std::time::Duration;

use super::error::OptionError;
use super::kinds::{Kind, int};
use super::value::{OptionValue, ValueKind};

/// An integer kind that reads back as set and accepts the values `$ok` allows.
macro_rules! int_kind {
    ($(#[$doc:meta])* $kind:ident, |$v:ident| $ok:expr) => {
        $(#[$doc])*
        pub(crate) struct $kind;

        impl Kind for $kind {
            type Typed = i64;
            type Stored = i64;
            const VALUE: ValueKind = ValueKind::Int;
            fn typed(name: &'static str, v: OptionValue) -> Result<i64, OptionError> {
                int(name, v, ValueKind::Int)
            }
            fn store(name: &'static str, $v: i64) -> Result<i64, OptionError> {
                if $ok { Ok($v) } else { Err(OptionError::InvalidValue(name)) }
            }
            fn load(s: &i64) -> OptionValue {
                OptionValue::Int(*s)
            }
        }
    };
}

int_kind!(
    /// An integer, `-1` = the system default, otherwise non-negative; read back as set.
    IntOrDefault,
    |v| v >= -1
);
int_kind!(
    /// `-1` = the system default, `0` = off, `1` = on (`ZMQ_TCP_KEEPALIVE`).
    Tristate,
    |v| (-1..=1).contains(&v)
);
int_kind!(
    /// A non-negative integer (`ZMQ_BACKLOG`, `ZMQ_TOS`).
    NonNegative,
    |v| v >= 0
);

/// Milliseconds kept in deciseconds, as libzmq keeps `ZMQ_HEARTBEAT_TTL`: truncated
/// toward zero, read back truncated, 0 to 65535 deciseconds.
pub(crate) struct DecisecondsMs;

impl Kind for DecisecondsMs {
    type Typed = i64;
    type Stored = Duration;
    const VALUE: ValueKind = ValueKind::Int;
    fn typed(name: &'static str, v: OptionValue) -> Result<i64, OptionError> {
        int(name, v, ValueKind::Int)
    }
    fn store(name: &'static str, t: i64) -> Result<Duration, OptionError> {
        // As libzmq: the value divided by 100, truncated (so -99..=-1 is 0), must fit
        // in 16 bits.
        let ds = u16::try_from(t / 100).map_err(|_| OptionError::InvalidValue(name))?;
        Ok(Duration::from_millis(u64::from(ds) * 100))
    }
    fn load(s: &Duration) -> OptionValue {
        OptionValue::Int(i64::try_from(s.as_millis()).unwrap_or(i64::MAX))
    }
}

/// Milliseconds, non-negative when set; unset (the default) reads back as `-1`
/// (`ZMQ_HEARTBEAT_TIMEOUT`: the heartbeat interval).
pub(crate) struct MsOrDefault;

impl Kind for MsOrDefault {
    type Typed = i64;
    type Stored = Option<Duration>;
    const VALUE: ValueKind = ValueKind::Int;
    fn typed(name: &'static str, v: OptionValue) -> Result<i64, OptionError> {
        int(name, v, ValueKind::Int)
    }
    fn store(name: &'static str, t: i64) -> Result<Option<Duration>, OptionError> {
        u64::try_from(t)
            .map(|ms| Some(Duration::from_millis(ms)))
            .map_err(|_| OptionError::InvalidValue(name))
    }
    fn load(s: &Option<Duration>) -> OptionValue {
        OptionValue::Int(s.map_or(-1, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert!(IntOrDefault::store("x", -1).is_ok());
        assert!(IntOrDefault::store("x", -2).is_err());
        assert!(Tristate::store("x", 1).is_ok());
        assert!(Tristate::store("x", 2).is_err());
        assert!(NonNegative::store("x", 0).is_ok());
        assert!(NonNegative::store("x", -1).is_err());
        assert_eq!(
            DecisecondsMs::store("x", 2599).ok(),
            Some(Duration::from_millis(2500))
        );
        assert!(DecisecondsMs::store("x", 6_553_599).is_ok());
        assert!(DecisecondsMs::store("x", 6_553_600).is_err());
        assert_eq!(DecisecondsMs::store("x", -1).ok(), Some(Duration::ZERO));
        assert!(DecisecondsMs::store("x", -100).is_err());
        assert!(MsOrDefault::store("x", -1).is_err());
        assert_eq!(MsOrDefault::load(&None), OptionValue::Int(-1));
    }
}
