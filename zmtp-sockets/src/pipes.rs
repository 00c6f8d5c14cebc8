//! [`PipeTable`]: a socket's pipes, addressed by generation-checked [`PeerId`]s, and the
//! [`PeerSet`] view routing acts upon.

use crate::message::Message;
use crate::peer::{Ctrl, PeerId, PeerSet};
use crate::pipe::Pipe;

#[derive(Debug)]
struct Slot {
    generation: u32,
    pipe: Option<Pipe>,
}

/// Slab of pipes addressed by generation-checked [`PeerId`]s (ids are never reused).
#[derive(Debug, Default)]
pub(crate) struct PipeTable {
    slots: Vec<Slot>,
    free: Vec<u32>,
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
            });
            PeerId::new(i, 1)
        }
    }

    /// The pipe with this id, if it still exists.
    #[inline]
    pub fn get(&self, id: PeerId) -> Option<&Pipe> {
        let slot = self.slots.get(id.index())?;
        if slot.generation == id.generation() {
            slot.pipe.as_ref()
        } else {
            None
        }
    }

    /// The pipe with this id, if it still exists.
    #[inline]
    pub fn get_mut(&mut self, id: PeerId) -> Option<&mut Pipe> {
        let slot = self.slots.get_mut(id.index())?;
        if slot.generation == id.generation() {
            slot.pipe.as_mut()
        } else {
            None
        }
    }

    /// Removes a pipe; its id is never valid again.
    pub fn remove(&mut self, id: PeerId) -> Option<Pipe> {
        let slot = self.slots.get_mut(id.index())?;
        if slot.generation != id.generation() {
            return None;
        }
        let pipe = slot.pipe.take()?;
        slot.generation = slot.generation.wrapping_add(1).max(1);
        self.free.push(id.index() as u32);
        Some(pipe)
    }

    /// Every pipe.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Pipe> {
        self.slots.iter_mut().filter_map(|s| s.pipe.as_mut())
    }

    /// True when every connected pipe has written everything queued for it.
    pub fn all_flushed(&self) -> bool {
        self.slots
            .iter()
            .filter_map(|s| s.pipe.as_ref())
            .all(|p| p.is_flushed() || !p.is_connected())
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
}
