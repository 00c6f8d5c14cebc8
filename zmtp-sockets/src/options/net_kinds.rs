//! Value kinds of the tcp socket and heartbeat options (re-exported by
//! [`super::kinds`]): libzmq's integers where `-1` leaves a default, and the heartbeat
//! TTL that libzmq keeps in deciseconds.

use std::time::Duration;

use super::error::OptionError;
use super::kinds::Kind;
use super::value::{OptionValue, ValueKind};

fn int(name: &'static str, v: OptionValue) -> Result<i64, OptionError> {
    v.as_int().ok_or(OptionError::BadValue {
        option: name,
        expected: ValueKind::Int.expected(),
    })
}

/// An integer, `-1` = the system default, otherwise non-negative; read back as set.
pub(crate) struct IntOrDefault;

impl Kind for IntOrDefault {
    type Typed = i64;
    type Stored = i64;
    const VALUE: ValueKind = ValueKind::Int;
    fn typed(name: &'static str, v: OptionValue) -> Result<i64, OptionError> {
        int(name, v)
    }
    fn store(name: &'static str, t: i64) -> Result<i64, OptionError> {
        if t < -1 {
            return Err(OptionError::InvalidValue(name));
        }
        Ok(t)
    }
    fn load(s: &i64) -> OptionValue {
        OptionValue::Int(*s)
    }
}

/// `-1` = the system default, `0` = off, `1` = on (`ZMQ_TCP_KEEPALIVE`).
pub(crate) struct Tristate;

impl Kind for Tristate {
    type Typed = i64;
    type Stored = i64;
    const VALUE: ValueKind = ValueKind::Int;
    fn typed(name: &'static str, v: OptionValue) -> Result<i64, OptionError> {
        int(name, v)
    }
    fn store(name: &'static str, t: i64) -> Result<i64, OptionError> {
        match t {
            -1..=1 => Ok(t),
            _ => Err(OptionError::InvalidValue(name)),
        }
    }
    fn load(s: &i64) -> OptionValue {
        OptionValue::Int(*s)
    }
}

/// A non-negative integer (`ZMQ_BACKLOG`, `ZMQ_TOS`).
pub(crate) struct NonNegative;

impl Kind for NonNegative {
    type Typed = i64;
    type Stored = i64;
    const VALUE: ValueKind = ValueKind::Int;
    fn typed(name: &'static str, v: OptionValue) -> Result<i64, OptionError> {
        int(name, v)
    }
    fn store(name: &'static str, t: i64) -> Result<i64, OptionError> {
        if t < 0 {
            return Err(OptionError::InvalidValue(name));
        }
        Ok(t)
    }
    fn load(s: &i64) -> OptionValue {
        OptionValue::Int(*s)
    }
}

/// Milliseconds kept in deciseconds, as libzmq keeps `ZMQ_HEARTBEAT_TTL`: truncated
/// toward zero, read back truncated, 0 to 65535 deciseconds.
pub(crate) struct DecisecondsMs;

impl Kind for DecisecondsMs {
    type Typed = i64;
    type Stored = Duration;
    const VALUE: ValueKind = ValueKind::Int;
    fn typed(name: &'static str, v: OptionValue) -> Result<i64, OptionError> {
        int(name, v)
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
        int(name, v)
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
