//! [`InprocRegistry`]: rendezvous of `inproc://` binders and connecters.
//!
//! Message-level: nothing is encoded. The engine chooses the request type `T`
//! (typically a pair of pipe ends) and the registry only routes requests by
//! name. Connecting before binding is allowed (ZeroMQ ≥ 4.0): requests are
//! kept and delivered, in order, when the name gets bound.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use tokio::sync::mpsc::UnboundedSender;

use crate::TransportError;

/// Registry of `inproc://` names, one per context (share it with an [`Arc`]).
pub struct InprocRegistry<T: Send + 'static> {
    names: Arc<Mutex<Names<T>>>,
}

/// Keeps a name bound; dropping it unbinds the name (unless it was already
/// unbound and bound again by someone else).
#[must_use = "dropping the binding unbinds the name"]
pub struct InprocBinding<T: Send + 'static> {
    names: Weak<Mutex<Names<T>>>,
    name: String,
    id: u64,
}

struct Names<T> {
    entries: HashMap<String, Entry<T>>,
    next_id: u64,
}

/// Tells whether a binder still holds its name (see [`InprocRegistry::bind_while`]).
type Alive = Box<dyn Fn() -> bool + Send>;

enum Entry<T> {
    /// Bound by the binder with this id; requests go to `tx` while `alive` says so.
    Bound {
        id: u64,
        tx: UnboundedSender<T>,
        alive: Alive,
    },
    /// Not bound; requests wait here in arrival order.
    Pending(VecDeque<T>),
}

impl<T: Send + 'static> InprocRegistry<T> {
    /// An empty registry.
    pub fn new() -> Self {
        InprocRegistry {
            names: Arc::new(Mutex::new(Names {
                entries: HashMap::new(),
                next_id: 0,
            })),
        }
    }

    /// Registers a binder under `name`; connection requests are delivered to
    /// `tx`, starting with any that were pending, in order.
    ///
    /// Fails with [`TransportError::AddrInUse`] if the name is bound to a
    /// binder whose receiver is still open. A binder whose receiver was dropped
    /// counts as gone.
    pub fn bind(
        &self,
        name: &str,
        tx: UnboundedSender<T>,
    ) -> Result<InprocBinding<T>, TransportError> {
        self.bind_while(name, tx, || true)
    }

    /// Like [`InprocRegistry::bind`], but the binder also counts as gone as soon as
    /// `alive` returns false (e.g. once its cancellation token fired), so the name is
    /// free again at that moment, before the [`InprocBinding`] is dropped. A request
    /// arriving after that waits for the next bind of the name.
    pub fn bind_while(
        &self,
        name: &str,
        tx: UnboundedSender<T>,
        alive: impl Fn() -> bool + Send + 'static,
    ) -> Result<InprocBinding<T>, TransportError> {
        let mut names = self.lock();
        let id = names.next_id;
        names.next_id += 1;
        let pending = match names.entries.remove(name) {
            Some(entry @ Entry::Bound { .. }) if entry.is_live() => {
                names.entries.insert(name.to_owned(), entry);
                return Err(TransportError::AddrInUse(format!("inproc://{name}")));
            }
            Some(Entry::Pending(queue)) => queue,
            Some(Entry::Bound { .. }) | None => VecDeque::new(),
        };
        let entry = deliver_pending(pending, id, tx, Box::new(alive));
        names.entries.insert(name.to_owned(), entry);
        tracing::debug!(target: crate::LOG_TARGET, name, "inproc bound");
        Ok(InprocBinding {
            names: Arc::downgrade(&self.names),
            name: name.to_owned(),
            id,
        })
    }

    /// Delivers a connection request: immediately if `name` is bound,
    /// otherwise it is kept until a bind of that name.
    pub fn connect(&self, name: &str, request: T) {
        let mut names = self.lock();
        let entry = names
            .entries
            .entry(name.to_owned())
            .or_insert_with(|| Entry::Pending(VecDeque::new()));
        if matches!(entry, Entry::Bound { .. }) && !entry.is_live() {
            // The binder is gone (or going): the request waits for the next bind.
            *entry = Entry::Pending(VecDeque::new());
        }
        match entry {
            Entry::Bound { tx, .. } => {
                if let Err(returned) = tx.send(request) {
                    tracing::debug!(target: crate::LOG_TARGET, name, "inproc binder gone; request kept pending");
                    *entry = Entry::Pending(VecDeque::from([returned.0]));
                }
            }
            Entry::Pending(queue) => queue.push_back(request),
        }
    }

    /// Unbinds `name` whoever bound it. Pending requests are not affected.
    pub fn unbind(&self, name: &str) {
        let mut names = self.lock();
        if let Some(Entry::Bound { .. }) = names.entries.get(name) {
            names.entries.remove(name);
            tracing::debug!(target: crate::LOG_TARGET, name, "inproc unbound");
        }
    }

    /// True if `name` is bound to a binder whose receiver is still open.
    pub fn is_bound(&self, name: &str) -> bool {
        matches!(self.lock().entries.get(name), Some(e @ Entry::Bound { .. }) if e.is_live())
    }

    /// Number of requests waiting for `name` to be bound.
    pub fn pending_len(&self, name: &str) -> usize {
        match self.lock().entries.get(name) {
            Some(Entry::Pending(queue)) => queue.len(),
            _ => 0,
        }
    }

    /// Keeps only the pending requests for `name` for which `keep` returns
    /// true (e.g. to drop those of a connecter that was closed before any bind).
    pub fn retain_pending(&self, name: &str, mut keep: impl FnMut(&T) -> bool) {
        let mut names = self.lock();
        if let Some(Entry::Pending(queue)) = names.entries.get_mut(name) {
            queue.retain(|r| keep(r));
            if queue.is_empty() {
                names.entries.remove(name);
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Names<T>> {
        lock(&self.names)
    }
}

/// Sends `pending` to `tx` in order and returns the new bound entry. If the
/// receiver is already closed the binder counts as gone, so the undelivered
/// requests stay pending.
fn deliver_pending<T>(
    mut pending: VecDeque<T>,
    id: u64,
    tx: UnboundedSender<T>,
    alive: Alive,
) -> Entry<T> {
    while let Some(request) = pending.pop_front() {
        if let Err(returned) = tx.send(request) {
            pending.push_front(returned.0);
            return Entry::Pending(pending);
        }
    }
    Entry::Bound { id, tx, alive }
}

impl<T> Entry<T> {
    /// True for a bound entry whose binder still holds the name.
    fn is_live(&self) -> bool {
        match self {
            Entry::Bound { tx, alive, .. } => !tx.is_closed() && alive(),
            Entry::Pending(_) => false,
        }
    }
}

fn lock<T>(names: &Mutex<Names<T>>) -> MutexGuard<'_, Names<T>> {
    names.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<T: Send + 'static> Default for InprocRegistry<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Send + 'static> fmt::Debug for InprocRegistry<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.lock();
        f.debug_struct("InprocRegistry")
            .field("names", &names.entries.len())
            .finish()
    }
}

impl<T: Send + 'static> InprocBinding<T> {
    /// The bound name (without `inproc://`).
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl<T: Send + 'static> Drop for InprocBinding<T> {
    fn drop(&mut self) {
        let Some(names) = self.names.upgrade() else {
            return;
        };
        let mut names = lock(&names);
        let ours = matches!(names.entries.get(&self.name), Some(Entry::Bound { id, .. }) if *id == self.id);
        if ours {
            names.entries.remove(&self.name);
            tracing::debug!(target: crate::LOG_TARGET, name = %self.name, "inproc binding dropped");
        }
    }
}

impl<T: Send + 'static> fmt::Debug for InprocBinding<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InprocBinding")
            .field("name", &self.name)
            .finish()
    }
}
