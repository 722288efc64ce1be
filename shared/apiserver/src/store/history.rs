//! The bounded history of committed events: what watches replay from a resourceVersion and
//! what lists at an older resourceVersion (continue tokens, `Exact`) are rebuilt from.

use std::collections::{BTreeMap, VecDeque};
use std::ops::Bound;
use std::sync::Arc;

use serde_json::Value;

use super::{Event, ObjectKey, StoreError};

/// The last `limit` events; everything at or below `floor` is forgotten.
pub struct History {
    events: VecDeque<Arc<Event>>,
    limit: usize,
    floor: u64,
}

impl History {
    pub fn new(limit: usize, floor: u64) -> Self {
        History {
            events: VecDeque::new(),
            limit,
            floor,
        }
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    pub fn push(&mut self, event: Arc<Event>) {
        if self.events.len() >= self.limit
            && let Some(old) = self.events.pop_front()
        {
            self.floor = old.rv;
        }
        self.events.push_back(event);
    }

    fn check(&self, rv: u64) -> Result<(), StoreError> {
        if rv < self.floor {
            return Err(StoreError::Expired {
                requested: rv,
                oldest: self.floor,
            });
        }
        Ok(())
    }

    /// The events after `rv` whose key passes `filter`, oldest first.
    pub fn since(
        &self,
        rv: u64,
        filter: impl Fn(&ObjectKey) -> bool,
    ) -> Result<Vec<Arc<Event>>, StoreError> {
        self.check(rv)?;
        let start = self.events.partition_point(|e| e.rv <= rv);
        Ok(self
            .events
            .range(start..)
            .filter(|e| filter(&e.key))
            .cloned()
            .collect())
    }

    /// Turns `current` (the state now, restricted to keys from `start` passing `in_scope`)
    /// into the state at `at` by undoing the later events.
    pub fn rewind(
        &self,
        current: &mut BTreeMap<ObjectKey, Arc<Value>>,
        at: u64,
        start: &Bound<ObjectKey>,
        in_scope: &impl Fn(&ObjectKey) -> bool,
    ) -> Result<(), StoreError> {
        self.check(at)?;
        let after_start = |k: &ObjectKey| match start {
            Bound::Included(s) => k >= s,
            Bound::Excluded(s) => k > s,
            Bound::Unbounded => true,
        };
        for e in self.events.iter().rev().take_while(|e| e.rv > at) {
            if !in_scope(&e.key) || !after_start(&e.key) {
                continue;
            }
            match &e.prev {
                Some(prev) => {
                    current.insert(e.key.clone(), prev.clone());
                }
                None => {
                    current.remove(&e.key);
                }
            }
        }
        Ok(())
    }
}
