//! The macro behind the option table ([`super::table`]).
//!
//! Each row reads
//!
//! ```text
//! /// docs
//! Variant = "name", access, Kind, how;
//! ```
//!
//! where `access` is `Rw`, `R` or `W`, `Kind` a value kind of [`super::kinds`], and `how`
//! one of `unsupported`, `computed`, `action`, or, for an option zmtp stores, a block
//!
//! ```text
//! { Typed(payload) => field: FieldType = default, types, Effect [, RoutingVariant] }
//! ```
//!
//! naming the [`SocketOption`](super::SocketOption) variant, the [`Options`](super::Options)
//! field with its default, the socket types (`any` or `[Router, Dealer]`), the
//! [`Effect`](super::Effect) class and, for pattern options, the
//! [`RoutingOption`](crate::routing::RoutingOption) variant the value is handed to.
//!
//! The rows are taken one per recursion step (`@row`), sorting stored rows into their
//! own list, then `@emit` generates everything from the two lists. The default
//! `recursion_limit` (128) covers about 120 rows.

macro_rules! option_table {
    (@row [$($all:tt)*] [$($stored:tt)*]
        $(#[$doc:meta])* $v:ident = $name:literal, $access:ident, $kind:ident,
        { $($s:tt)* }; $($rest:tt)*) => {
        option_table!(@row
            [$($all)* { $(#[$doc])* $v $name $access $kind Stored }]
            [$($stored)* { $(#[$doc])* $v $name $kind $($s)* }]
            $($rest)*);
    };
    (@row [$($all:tt)*] [$($stored:tt)*]
        $(#[$doc:meta])* $v:ident = $name:literal, $access:ident, $kind:ident,
        $how:ident; $($rest:tt)*) => {
        option_table!(@row
            [$($all)* { $(#[$doc])* $v $name $access $kind $how }]
            [$($stored)*]
            $($rest)*);
    };
    (@row [$($all:tt)*] [$($stored:tt)*]) => {
        option_table!(@emit [$($all)*] [$($stored)*]);
    };
    (@routing $v:ident) => { None };
    (@routing $v:ident, $rv:ident) => {
        Some($crate::routing::RoutingOption::$rv($v.clone()))
    };
    (@support Stored) => { Support::Stored };
    (@support computed) => { Support::Computed };
    (@support action) => { Support::Action };
    (@support unsupported) => { Support::Unsupported };
    (@emit
        [$({ $(#[$doc:meta])* $v:ident $name:literal $access:ident $kind:ident $how:ident })*]
        [$({ $(#[$sdoc:meta])* $sv:ident $sname:literal $skind:ident
            $tv:ident($typed:ty) => $field:ident: $fty:ty = $default:expr,
            $types:tt, $effect:ident $(, $rv:ident)? })*]
    ) => {
        /// A socket option, named as in libzmq (`ZMQ_SNDHWM` is [`SockOpt::SndHwm`],
        /// `"sndhwm"` by name): one variant per name of the Racket binding's option table.
        ///
        /// Each variant's documentation says whether zmtp honours it. An option zmtp does
        /// not implement fails with [`OptionError::NotSupported`]; reading a write-only
        /// option fails with [`OptionError::NotReadable`], setting a read-only one with
        /// [`OptionError::NotWritable`].
        ///
        /// ```
        /// use zmtp_sockets::options::SockOpt;
        /// assert_eq!("last_endpoint".parse::<SockOpt>()?, SockOpt::LastEndpoint);
        /// assert_eq!(SockOpt::SndHwm.as_str(), "sndhwm");
        /// # Ok::<(), zmtp_sockets::options::OptionError>(())
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum SockOpt {
            $($(#[$doc])* $v,)*
        }

        impl SockOpt {
            /// Every option name zmtp recognises, in declaration (alphabetical) order.
            pub const ALL: &'static [SockOpt] = &[$(SockOpt::$v,)*];

            /// The lower-case libzmq name (`"last_endpoint"`).
            ///
            /// ```
            /// assert_eq!(zmtp_sockets::options::SockOpt::RcvTimeo.as_str(), "rcvtimeo");
            /// ```
            pub fn as_str(self) -> &'static str {
                match self {
                    $(SockOpt::$v => $name,)*
                }
            }

            /// Who may read or set the option (libzmq's rules, supported or not).
            ///
            /// ```
            /// use zmtp_sockets::options::{Access, SockOpt};
            /// assert_eq!(SockOpt::Type.access(), Access::R);
            /// ```
            pub fn access(self) -> Access {
                match self {
                    $(SockOpt::$v => Access::$access,)*
                }
            }

            /// The type of value the option takes by name.
            ///
            /// ```
            /// use zmtp_sockets::options::{SockOpt, ValueKind};
            /// assert_eq!(SockOpt::Linger.value_kind(), ValueKind::Int);
            /// ```
            pub fn value_kind(self) -> ValueKind {
                match self {
                    $(SockOpt::$v => <kinds::$kind as Kind>::VALUE,)*
                }
            }

            /// How zmtp handles the option.
            ///
            /// ```
            /// use zmtp_sockets::options::{SockOpt, Support};
            /// assert_eq!(SockOpt::Rate.support(), Support::Unsupported);
            /// ```
            pub fn support(self) -> Support {
                match self {
                    $(SockOpt::$v => option_table!(@support $how),)*
                }
            }

            /// When a change takes effect; `None` for options that are not stored.
            ///
            /// ```
            /// use zmtp_sockets::options::{Effect, SockOpt};
            /// assert_eq!(SockOpt::SndHwm.effect(), Some(Effect::NewConnections));
            /// assert_eq!(SockOpt::RouterMandatory.effect(), Some(Effect::NextCall));
            /// ```
            pub fn effect(self) -> Option<Effect> {
                match self {
                    $(SockOpt::$sv => Some(Effect::$effect),)*
                    _ => None,
                }
            }
        }

        /// An option with its value, typed: one variant per option zmtp stores. Every
        /// variant is also reachable by name through [`SockOpt`] and an [`OptionValue`].
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum SocketOption {
            $($(#[$sdoc])* $tv($typed),)*
        }

        impl SocketOption {
            /// The option's name.
            ///
            /// ```
            /// use zmtp_sockets::options::{SockOpt, SocketOption};
            /// assert_eq!(SocketOption::RoutingId("a".into()).name(), SockOpt::Identity);
            /// ```
            pub fn name(&self) -> SockOpt {
                match self {
                    $(SocketOption::$tv(_) => SockOpt::$sv,)*
                }
            }

            /// The typed option for a stored option's name and a value given by name;
            /// checks the value's type only (ranges are checked when it is set).
            ///
            /// ```
            /// use zmtp_sockets::options::{SockOpt, SocketOption};
            /// let o = SocketOption::from_value(SockOpt::SndHwm, 5.into())?;
            /// assert_eq!(o, SocketOption::SndHwm(5));
            /// # Ok::<(), zmtp_sockets::options::OptionError>(())
            /// ```
            pub fn from_value(opt: SockOpt, v: OptionValue) -> Result<SocketOption, OptionError> {
                match opt {
                    $(SockOpt::$sv => Ok(SocketOption::$tv(
                        <kinds::$skind as Kind>::typed($sname, v)?,
                    )),)*
                    _ => Err(OptionError::NotSupported(opt.as_str())),
                }
            }
        }

        /// The options of one socket, one field per option zmtp stores (see the
        /// [module](self) for when each takes effect). The engine reads the pipe and
        /// connection fields when it makes a pipe or a connection; the fields of pattern
        /// options record the value last handed to the routing state; RCVTIMEO and
        /// SNDTIMEO are read by the API on each call.
        #[derive(Clone, Debug)]
        pub struct Options {
            $($(#[$sdoc])* pub $field: $fty,)*
            /// The mechanism the security options chose, and its side (derived: see
            /// [`Security`](super::Security)).
            pub security: super::mechanism::Security,
        }

        impl Default for Options {
            fn default() -> Self {
                Options {
                    $($field: $default,)*
                    security: Default::default(),
                }
            }
        }

        /// A validated change: the routing state's part, then the write into [`Options`].
        pub(crate) struct Change {
            pub(crate) routing: Option<$crate::routing::RoutingOption>,
            pub(crate) write: Box<dyn FnOnce(&mut Options) + Send>,
        }

        /// Checks `opt` for a socket of type `kind` and prepares the change.
        #[allow(clippy::clone_on_copy)]
        pub(crate) fn prepare(
            opt: SocketOption,
            kind: zmtp_codec::SocketType,
        ) -> Result<Change, OptionError> {
            match opt {
                $(SocketOption::$tv(t) => {
                    if !meta::applies!(kind, $types) {
                        return Err(OptionError::NotSupported($sname));
                    }
                    let v: $fty = <kinds::$skind as Kind>::store($sname, t)?;
                    let routing = option_table!(@routing v $(, $rv)?);
                    Ok(Change {
                        routing,
                        write: Box::new(move |o: &mut Options| {
                            o.$field = v;
                            o.after_set(SockOpt::$sv);
                        }),
                    })
                })*
            }
        }

        /// The stored value of `opt` as read by name; `None` when it is not stored.
        pub(crate) fn load(o: &Options, opt: SockOpt) -> Option<OptionValue> {
            match opt {
                $(SockOpt::$sv => Some(<kinds::$skind as Kind>::load(&o.$field)),)*
                _ => None,
            }
        }
    };
    ($($rows:tt)*) => {
        option_table!(@row [] [] $($rows)*);
    };
}
pub(crate) use option_table;
