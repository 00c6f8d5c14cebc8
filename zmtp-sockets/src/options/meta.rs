//! What the table says about each option besides its value: who may read or set it,
//! whether zmtp honours it, and when a change takes effect.

/// Whether an option can be read, set, or both (libzmq's rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    /// Read and set.
    Rw,
    /// Read only.
    R,
    /// Set only.
    W,
}

/// How zmtp handles an option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Support {
    /// Stored in [`Options`](super::Options) and honoured.
    Stored,
    /// Read-only, computed when read (`type`, `last_endpoint`, ...).
    Computed,
    /// Write-only, an action rather than a setting (`subscribe`, `unsubscribe`).
    Action,
    /// Recognised but not honoured: reading or setting it fails with
    /// [`OptionError::NotSupported`](super::OptionError::NotSupported).
    Unsupported,
}

/// When a change of an option takes effect (the rule of the [module](super)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Pipe and connection options: apply to pipes and connections created after the
    /// change, as in libzmq; existing ones keep the values they started with.
    NewConnections,
    /// Pattern options and timeouts: apply at once, from the next call on.
    NextCall,
    /// Read when the socket closes (LINGER).
    AtClose,
}

/// The socket types an option applies to; setting it on another type fails with
/// [`OptionError::NotSupported`](super::OptionError::NotSupported).
macro_rules! applies {
    ($kind:expr, any) => {
        true
    };
    ($kind:expr, [$($t:ident),+]) => {
        matches!($kind, $(zmtp_codec::SocketType::$t)|+)
    };
}
pub(crate) use applies;
