//! Value kinds of the tcp socket options (re-exported by [`super::kinds`]): libzmq's
//! integers where `-1` leaves the operating system's default.

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
    }
}
