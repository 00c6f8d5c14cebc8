//! [`PipeTable`]: a socket's pipes, addressed by generation-checked [`PeerId`]s, the
//! [`PeerSet`] view routing acts upon, and the fair queue over the pipes' incoming
//! messages.
//!
//! Fair queuing (libzmq's `fq_t` is the model): every pipe queues its own peer's incoming
//! messages, and the pipes holding any take turns, one whole message each, in a
//! round-robin list of active pipes. A pipe joins the list when its queue gains a first
//! message and leaves it when the queue empties, so a read costs O(1) whatever the number
//! of pipes, and a peer that floods the socket delays another peer's message by at most
//! one message per active pipe. A pipe that leaves the socket with unread messages
//! departs: routing no longer sees it, but its slot (and so its id) lives on until the
//! fair queue has handed out everything it queued.

use std::collections::VecDeque;

use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerSet};
use crate::pipe::Pipe;

#[derive(Debug)]
struct Slot {
    generation: u32,
    pipe: Option<Pipe>,
    /// The pipe left the socket; it stays only until its unread messages are read.
    departed: bool,
}

/// Slab of pipes addressed by generation-checked [`PeerId`]s (ids are never reused), with
/// the fair queue over their incoming messages.
#[derive(Debug, Default)]
pub(crate) struct PipeTable {
    slots: Vec<Slot>,
    free: Vec<u32>,
    /// Slots whose pipe has unread messages, each once; the front one is read next.
    active: VecDeque<u32>,
    /// Unread messages over every pipe.
    queued: usize,
}

impl PipeTable {
    /// Adds a pipe and returns its id.
    pub fn insert(&mut self, pipe: Pipe) -> PeerId {
        if let Some(i) = self.free.pop() {
            let slot = &mut self.slots[i as usize];
            slot.pipe = Some(pipe);
            PeerId::new(i, slot.generation)
        } else {
            let i = self.slots.len() as u32;
            self.slots.push(Slot {
                generation: 1,
                pipe: Some(pipe),
                departed: false,
            });
            PeerId::new(i, 1)
        }
    }

    /// The pipe with this id, if it is still part of the socket.
    #[inline]
    pub fn get(&self, id: PeerId) -> Option<&Pipe> {
        let slot = self.slots.get(id.index())?;
        if slot.generation == id.generation() && !slot.departed {
            slot.pipe.as_ref()
        } else {
            None
        }
    }

    /// The pipe with this id, if it is still part of the socket.
    #[inline]
    pub fn get_mut(&mut self, id: PeerId) -> Option<&mut Pipe> {
        let slot = self.slots.get_mut(id.index())?;
        if slot.generation == id.generation() && !slot.departed {
            slot.pipe.as_mut()
        } else {
            None
        }
    }

    /// Removes a pipe with whatever it queued, read or not (`zmq_disconnect`); its id is
    /// never valid again.
    pub fn remove(&mut self, id: PeerId) -> Option<Pipe> {
        self.get(id)?;
        let mut pipe = self.free_slot(id.index())?;
        let unread = pipe.clear_in();
        if unread > 0 {
            self.queued -= unread;
            let i = id.index() as u32;
            self.active.retain(|&a| a != i);
        }
        Some(pipe)
    }

    /// Removes a pipe from the socket but keeps its unread messages for the fair queue:
    /// they are still read, under the same id, and the slot is freed after the last.
    pub fn depart(&mut self, id: PeerId) {
        let Some(pipe) = self.get_mut(id) else {
            return;
        };
        if pipe.in_count() == 0 {
            self.free_slot(id.index());
            return;
        }
        pipe.depart();
        if let Some(slot) = self.slots.get_mut(id.index()) {
            slot.departed = true;
        }
    }

    fn free_slot(&mut self, index: usize) -> Option<Pipe> {
        let slot = self.slots.get_mut(index)?;
        let pipe = slot.pipe.take()?;
        slot.departed = false;
        slot.generation = slot.generation.wrapping_add(1).max(1);
        self.free.push(index as u32);
        Some(pipe)
    }

    /// Every pipe still part of the socket.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Pipe> {
        self.slots
            .iter_mut()
            .filter(|s| !s.departed)
            .filter_map(|s| s.pipe.as_mut())
    }

    /// True when every connected pipe has written everything queued for it.
    pub fn all_flushed(&self) -> bool {
        self.slots
            .iter()
            .filter(|s| !s.departed)
            .filter_map(|s| s.pipe.as_ref())
            .all(|p| p.is_flushed() || !p.is_connected())
    }

    // --- the fair queue ------------------------------------------------------------

    /// Moves whole messages from the front of `batch` into the pipe's incoming queue, as
    /// far as its RCVHWM allows (all of them with `beyond_hwm`). With CONFLATE only the
    /// newest survives, replacing what the pipe queued. Returns how many moved and the
    /// room left; `None` when the pipe is gone.
    #[inline]
    pub fn deliver(
        &mut self,
        id: PeerId,
        batch: &mut VecDeque<Message>,
        beyond_hwm: bool,
    ) -> Option<(usize, usize)> {
        let slot = self.slots.get_mut(id.index())?;
        if slot.generation != id.generation() || slot.departed {
            return None;
        }
        let pipe = slot.pipe.as_mut()?;
        let was_idle = pipe.in_count() == 0;
        if pipe.conflates() && !batch.is_empty() {
            batch.drain(..batch.len() - 1);
            self.queued -= pipe.clear_in();
        }
        let mut room = if beyond_hwm {
            usize::MAX
        } else {
            pipe.in_room()
        };
        let mut delivered = 0;
        while room > 0 {
            let Some(m) = batch.pop_front() else { break };
            pipe.push_in(m);
            delivered += 1;
            room -= 1;
        }
        self.queued += delivered;
        if was_idle && pipe.in_count() > 0 {
            self.active.push_back(id.index() as u32);
        }
        Some((delivered, pipe.in_room()))
    }

    /// Takes the next whole message in fair order: one from the front active pipe, which
    /// then goes to the back of the list (or leaves it, emptied). Returns its sender too.
    // Inlined into the receive path. With one active pipe this is a pop from its queue
    // and two length checks; the list is updated before the pop so that the message
    // moves straight to the caller.
    #[inline(always)]
    pub fn pop_incoming(&mut self) -> Option<(PeerId, Message)> {
        let i = *self.active.front()?;
        let Some(slot) = self.slots.get_mut(i as usize) else {
            return self.pop_slow();
        };
        let queued = slot.pipe.as_ref().map_or(0, Pipe::in_count);
        if queued == 0 || slot.departed {
            return self.pop_slow();
        }
        if queued == 1 {
            self.active.pop_front();
        } else if self.active.len() > 1 {
            self.active.rotate_left(1);
        }
        self.queued -= 1;
        let from = PeerId::new(i, slot.generation);
        slot.pipe.as_mut()?.pop_in().map(|m| (from, m))
    }

    /// [`PipeTable::pop_incoming`] for a departed pipe (freed after its last message), and
    /// for an active entry without messages (not expected: dropped from the list).
    #[cold]
    #[inline(never)]
    fn pop_slow(&mut self) -> Option<(PeerId, Message)> {
        loop {
            let i = *self.active.front()?;
            let Some(slot) = self.slots.get_mut(i as usize) else {
                self.active.pop_front();
                continue;
            };
            let Some(msg) = slot.pipe.as_mut().and_then(Pipe::pop_in) else {
                self.active.pop_front();
                continue;
            };
            let from = PeerId::new(i, slot.generation);
            self.queued -= 1;
            if slot.pipe.as_ref().is_some_and(|p| p.in_count() > 0) {
                if self.active.len() > 1 {
                    self.active.rotate_left(1);
                }
            } else {
                self.active.pop_front();
                if slot.departed {
                    self.free_slot(i as usize);
                }
            }
            return Some((from, msg));
        }
    }

    /// Unread messages over every pipe (departed ones included).
    #[inline]
    pub fn incoming_len(&self) -> usize {
        self.queued
    }

    /// The unread messages, pipe by pipe in turn order (not interleaved), with senders.
    #[cfg(test)]
    pub fn incoming(&self) -> impl Iterator<Item = (PeerId, &Message)> {
        self.active.iter().flat_map(move |&i| {
            let slot = &self.slots[i as usize];
            let id = PeerId::new(i, slot.generation);
            slot.pipe
                .iter()
                .flat_map(move |p| p.incoming().map(move |m| (id, m)))
        })
    }
}

impl PeerSet for PipeTable {
    fn has_room(&self, id: PeerId) -> bool {
        self.get(id).is_some_and(|p| !p.out_full())
    }

    #[inline]
    fn push(&mut self, id: PeerId, msg: Message) -> Result<(), Message> {
        match self.get_mut(id) {
            Some(p) => p.push(msg),
            None => Err(msg),
        }
    }

    fn push_ctrl(&mut self, id: PeerId, ctrl: Ctrl) {
        if let Some(p) = self.get_mut(id) {
            p.push_ctrl(ctrl);
        }
    }

    fn kill(&mut self, id: PeerId, reason: &'static str) {
        if let Some(p) = self.get_mut(id) {
            p.kill(reason);
        }
    }

    fn is_connected(&self, id: PeerId) -> bool {
        self.get(id).is_some_and(|p| p.is_connected())
    }

    fn close(&mut self, id: PeerId, reason: &'static str) {
        if let Some(p) = self.get_mut(id) {
            p.close_when_flushed(reason);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::*;
    use crate::options::Options;

    #[test]
    fn ids_are_generation_checked_and_never_reused() {
        let mut t = PipeTable::default();
        let a = t.insert(Pipe::new(&Options::default()));
        assert!(t.remove(a).is_some());
        let b = t.insert(Pipe::new(&Options::default()));
        assert_eq!(a.index(), b.index());
        assert_ne!(a, b);
        assert!(t.get(a).is_none());
        assert!(t.get(b).is_some());
        assert!(t.remove(a).is_none());
    }

    #[test]
    fn remove_discards_unread_messages_and_depart_keeps_them() {
        let mut t = PipeTable::default();
        let a = t.insert(Pipe::new(&Options::default()));
        let b = t.insert(Pipe::new(&Options::default()));
        let one = || VecDeque::from([Message::from(bytes::Bytes::from_static(b"m"))]);
        t.deliver(a, &mut one(), false);
        t.deliver(b, &mut one(), false);
        t.deliver(b, &mut one(), false);
        assert!(t.remove(a).is_some());
        assert_eq!(t.incoming_len(), 2);
        t.depart(b);
        assert!(t.get(b).is_none());
        assert!(t.deliver(b, &mut one(), false).is_none());
        let c = t.insert(Pipe::new(&Options::default()));
        assert_ne!(c.index(), b.index());
        assert_eq!(t.pop_incoming().map(|(f, _)| f), Some(b));
        assert_eq!(t.pop_incoming().map(|(f, _)| f), Some(b));
        assert!(t.pop_incoming().is_none());
        assert_eq!(t.insert(Pipe::new(&Options::default())).index(), b.index());
    }
}
