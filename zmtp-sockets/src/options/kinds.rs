//! Value kinds of the option table: how a value given by name ([`OptionValue`]) becomes
//! the typed value ([`SocketOption`](super::SocketOption) payload), how that is checked
//! and stored in [`Options`](super::Options), and how the stored value reads back. Each
//! table row names one kind; its sentinels (`-1` = forever, `0` = off, ...) live here.

use std::time::Duration;

use bytes::Bytes;

use super::error::OptionError;
pub(crate) use super::net_kinds::{
    DecisecondsMs, IntOrDefault, MsOrDefault, NonNegative, Tristate,
};
pub(crate) use super::sec_kinds::{Password, PublicKey, SecretKey, ShortBlob};
use super::value::{OptionValue, ValueKind};

/// One value kind of the table.
pub(crate) trait Kind {
    /// The payload of the typed option.
    type Typed;
    /// The field type in [`Options`](super::Options).
    type Stored;
    /// The type of value the option takes by name.
    const VALUE: ValueKind;
    /// The typed value from a value given by name (type check only).
    fn typed(name: &'static str, v: OptionValue) -> Result<Self::Typed, OptionError>;
    /// The stored form of a typed value (range check).
    fn store(name: &'static str, t: Self::Typed) -> Result<Self::Stored, OptionError>;
    /// The stored value as read back by name.
    fn load(s: &Self::Stored) -> OptionValue;
}

pub(super) fn int(
    name: &'static str,
    v: OptionValue,
    expected: ValueKind,
) -> Result<i64, OptionError> {
    v.as_int().ok_or(OptionError::BadValue {
        option: name,
        expected: expected.expected(),
    })
}

fn bytes(name: &'static str, v: OptionValue) -> Result<Bytes, OptionError> {
    match v {
        OptionValue::Bytes(b) => Ok(b),
        OptionValue::Int(_) => Err(OptionError::BadValue {
            option: name,
            expected: ValueKind::Bytes.expected(),
        }),
    }
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// -1 = `None`, otherwise a non-negative number of milliseconds.
fn forever_or_ms(name: &'static str, v: i64) -> Result<Option<Duration>, OptionError> {
    match v {
        -1 => Ok(None),
        v => u64::try_from(v)
            .map(|v| Some(Duration::from_millis(v)))
            .map_err(|_| OptionError::InvalidValue(name)),
    }
}

/// A 1..=255 byte routing id.
fn routing_id(name: &'static str, id: Bytes) -> Result<Bytes, OptionError> {
    if id.is_empty() || id.len() > 255 {
        return Err(OptionError::InvalidValue(name));
    }
    Ok(id)
}

macro_rules! int_typed {
    () => {
        fn typed(name: &'static str, v: OptionValue) -> Result<i64, OptionError> {
            int(name, v, Self::VALUE)
        }
    };
}

/// An integer with no meaning in zmtp yet (the rows of options it does not honour).
pub(crate) struct Int;

impl Kind for Int {
    type Typed = i64;
    type Stored = i64;
    const VALUE: ValueKind = ValueKind::Int;
    int_typed!();
    fn store(_: &'static str, t: i64) -> Result<i64, OptionError> {
        Ok(t)
    }
    fn load(s: &i64) -> OptionValue {
        OptionValue::Int(*s)
    }
}

/// A boolean: 0 or 1 by name.
pub(crate) struct Bool;

impl Kind for Bool {
    type Typed = bool;
    type Stored = bool;
    const VALUE: ValueKind = ValueKind::Bool;
    fn typed(name: &'static str, v: OptionValue) -> Result<bool, OptionError> {
        match int(name, v, Self::VALUE)? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(OptionError::BadValue {
                option: name,
                expected: Self::VALUE.expected(),
            }),
        }
    }
    fn store(_: &'static str, t: bool) -> Result<bool, OptionError> {
        Ok(t)
    }
    fn load(s: &bool) -> OptionValue {
        OptionValue::Int((*s).into())
    }
}

/// Any byte string.
pub(crate) struct Blob;

impl Kind for Blob {
    type Typed = Bytes;
    type Stored = Bytes;
    const VALUE: ValueKind = ValueKind::Bytes;
    fn typed(name: &'static str, v: OptionValue) -> Result<Bytes, OptionError> {
        bytes(name, v)
    }
    fn store(_: &'static str, t: Bytes) -> Result<Bytes, OptionError> {
        Ok(t)
    }
    fn load(s: &Bytes) -> OptionValue {
        OptionValue::Bytes(s.clone())
    }
}

/// A byte string where empty means none.
pub(crate) struct BlobOrNone;

impl Kind for BlobOrNone {
    type Typed = Bytes;
    type Stored = Option<Bytes>;
    const VALUE: ValueKind = ValueKind::Bytes;
    fn typed(name: &'static str, v: OptionValue) -> Result<Bytes, OptionError> {
        bytes(name, v)
    }
    fn store(_: &'static str, t: Bytes) -> Result<Option<Bytes>, OptionError> {
        Ok((!t.is_empty()).then_some(t))
    }
    fn load(s: &Option<Bytes>) -> OptionValue {
        OptionValue::Bytes(s.clone().unwrap_or_default())
    }
}

/// A routing id: 1 to 255 bytes.
pub(crate) struct RoutingId;

impl Kind for RoutingId {
    type Typed = Bytes;
    type Stored = Bytes;
    const VALUE: ValueKind = ValueKind::Bytes;
    fn typed(name: &'static str, v: OptionValue) -> Result<Bytes, OptionError> {
        bytes(name, v)
    }
    fn store(name: &'static str, t: Bytes) -> Result<Bytes, OptionError> {
        routing_id(name, t)
    }
    fn load(s: &Bytes) -> OptionValue {
        OptionValue::Bytes(s.clone())
    }
}

/// A routing id (1 to 255 bytes) kept until the next connect consumes it.
pub(crate) struct NextRoutingId;

impl Kind for NextRoutingId {
    type Typed = Bytes;
    type Stored = Option<Bytes>;
    const VALUE: ValueKind = ValueKind::Bytes;
    fn typed(name: &'static str, v: OptionValue) -> Result<Bytes, OptionError> {
        bytes(name, v)
    }
    fn store(name: &'static str, t: Bytes) -> Result<Option<Bytes>, OptionError> {
        routing_id(name, t).map(Some)
    }
    fn load(s: &Option<Bytes>) -> OptionValue {
        OptionValue::Bytes(s.clone().unwrap_or_default())
    }
}

/// A count of messages: non-negative, 0 = unlimited.
pub(crate) struct Count;

impl Kind for Count {
    type Typed = usize;
    type Stored = usize;
    const VALUE: ValueKind = ValueKind::Int;
    fn typed(name: &'static str, v: OptionValue) -> Result<usize, OptionError> {
        usize::try_from(int(name, v, Self::VALUE)?).map_err(|_| OptionError::InvalidValue(name))
    }
    fn store(_: &'static str, t: usize) -> Result<usize, OptionError> {
        Ok(t)
    }
    fn load(s: &usize) -> OptionValue {
        OptionValue::Int(i64::try_from(*s).unwrap_or(i64::MAX))
    }
}

/// Milliseconds, -1 = forever (`None`).
pub(crate) struct MsOrForever;

impl Kind for MsOrForever {
    type Typed = i64;
    type Stored = Option<Duration>;
    const VALUE: ValueKind = ValueKind::Int;
    int_typed!();
    fn store(name: &'static str, t: i64) -> Result<Option<Duration>, OptionError> {
        forever_or_ms(name, t)
    }
    fn load(s: &Option<Duration>) -> OptionValue {
        OptionValue::Int(s.map_or(-1, ms))
    }
}

/// Milliseconds, -1 or 0 = off (`None`, read back as -1).
pub(crate) struct MsOrOff;

impl Kind for MsOrOff {
    type Typed = i64;
    type Stored = Option<Duration>;
    const VALUE: ValueKind = ValueKind::Int;
    int_typed!();
    fn store(name: &'static str, t: i64) -> Result<Option<Duration>, OptionError> {
        Ok(forever_or_ms(name, t)?.filter(|d| !d.is_zero()))
    }
    fn load(s: &Option<Duration>) -> OptionValue {
        OptionValue::Int(s.map_or(-1, ms))
    }
}

/// Milliseconds, 0 = no limit (`None`).
pub(crate) struct MsOrNoLimit;

impl Kind for MsOrNoLimit {
    type Typed = i64;
    type Stored = Option<Duration>;
    const VALUE: ValueKind = ValueKind::Int;
    int_typed!();
    fn store(name: &'static str, t: i64) -> Result<Option<Duration>, OptionError> {
        let v = u64::try_from(t).map_err(|_| OptionError::InvalidValue(name))?;
        Ok((v > 0).then(|| Duration::from_millis(v)))
    }
    fn load(s: &Option<Duration>) -> OptionValue {
        OptionValue::Int(s.map_or(0, ms))
    }
}

/// Milliseconds, non-negative.
pub(crate) struct Ms;

impl Kind for Ms {
    type Typed = i64;
    type Stored = Duration;
    const VALUE: ValueKind = ValueKind::Int;
    int_typed!();
    fn store(name: &'static str, t: i64) -> Result<Duration, OptionError> {
        u64::try_from(t)
            .map(Duration::from_millis)
            .map_err(|_| OptionError::InvalidValue(name))
    }
    fn load(s: &Duration) -> OptionValue {
        OptionValue::Int(ms(*s))
    }
}

/// A size in bytes, -1 = unlimited (`None`).
pub(crate) struct SizeOrUnlimited;

impl Kind for SizeOrUnlimited {
    type Typed = i64;
    type Stored = Option<u64>;
    const VALUE: ValueKind = ValueKind::Int;
    int_typed!();
    fn store(name: &'static str, t: i64) -> Result<Option<u64>, OptionError> {
        match t {
            -1 => Ok(None),
            t => u64::try_from(t)
                .map(Some)
                .map_err(|_| OptionError::InvalidValue(name)),
        }
    }
    fn load(s: &Option<u64>) -> OptionValue {
        OptionValue::Int(s.map_or(-1, |m| i64::try_from(m).unwrap_or(i64::MAX)))
    }
}
