//! Queries on [`SockOpt`] derived from its table row, and parsing by name.

use std::fmt;
use std::str::FromStr;

use super::error::OptionError;
use super::meta::{Access, Support};
use super::table::SockOpt;
use super::value::ValueKind;

impl SockOpt {
    /// True when zmtp honours this option.
    ///
    /// ```
    /// use zmtp_sockets::options::SockOpt;
    /// assert!(SockOpt::Linger.is_supported());
    /// assert!(SockOpt::CurveServer.is_supported());
    /// assert!(!SockOpt::Rate.is_supported());
    /// ```
    pub fn is_supported(self) -> bool {
        self.support() != Support::Unsupported
    }

    /// True when libzmq lets you read this option (supported or not).
    ///
    /// ```
    /// use zmtp_sockets::options::SockOpt;
    /// assert!(SockOpt::Type.is_readable());
    /// assert!(!SockOpt::Subscribe.is_readable());
    /// ```
    pub fn is_readable(self) -> bool {
        matches!(self.access(), Access::Rw | Access::R)
    }

    /// True when libzmq lets you set this option (supported or not).
    ///
    /// ```
    /// use zmtp_sockets::options::SockOpt;
    /// assert!(SockOpt::Subscribe.is_writable());
    /// assert!(!SockOpt::Type.is_writable());
    /// ```
    pub fn is_writable(self) -> bool {
        matches!(self.access(), Access::Rw | Access::W)
    }

    /// True when the option takes bytes; false when it takes an integer.
    ///
    /// ```
    /// use zmtp_sockets::options::SockOpt;
    /// assert!(SockOpt::Identity.takes_bytes());
    /// assert!(!SockOpt::Linger.takes_bytes());
    /// ```
    pub fn takes_bytes(self) -> bool {
        self.value_kind() == ValueKind::Bytes
    }
}

impl fmt::Display for SockOpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SockOpt {
    type Err = OptionError;

    /// Parses a lower-case libzmq option name; `"routing_id"` (libzmq's newer name for
    /// `identity`) is accepted too. Anything else is [`OptionError::UnknownOption`].
    fn from_str(s: &str) -> Result<SockOpt, OptionError> {
        if s == "routing_id" {
            return Ok(SockOpt::Identity);
        }
        SockOpt::ALL
            .iter()
            .copied()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| OptionError::UnknownOption(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{Options, SocketOption, table};

    #[test]
    fn names_round_trip_and_are_unique_and_sorted() {
        for o in SockOpt::ALL {
            assert_eq!(o.as_str().parse::<SockOpt>().ok(), Some(*o));
        }
        let names: Vec<_> = SockOpt::ALL.iter().map(|o| o.as_str()).collect();
        assert!(names.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn stored_rows_have_an_effect_and_load_their_defaults() {
        let o = Options::default();
        for &opt in SockOpt::ALL {
            let stored = opt.support() == Support::Stored;
            assert_eq!(opt.effect().is_some(), stored, "{opt}");
            assert_eq!(table::load(&o, opt).is_some(), stored, "{opt}");
        }
        assert_eq!(
            table::load(&o, SockOpt::Linger),
            Some(super::super::OptionValue::Int(100))
        );
        assert_eq!(SocketOption::SndHwm(1).name(), SockOpt::SndHwm);
    }
}
