//! The bounded history of committed events: what watches replay from a resourceVersion and
//! what lists at an older resourceVersion (continue tokens, `Exact`) are rebuilt from.
//!
//! Retained events hold their objects as serialized JSON shared between neighbours (an
//! event's `prev` is the bytes of the key's previous event), not as `Value` trees: a parsed
//! ConfigMap costs several KB, its JSON a few hundred bytes, and superseded versions are
//! kept alive only by this history. Replays are rare and parse on demand.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::ops::Bound;
use std::sync::Arc;

use serde_json::Value;

use super::{Event, EventType, ObjectKey, StoreError};

/// A serialized object, shared by the events that name it.
type Bytes = Arc<[u8]>;

/// One retained event in its compact form; cheap to clone (its parts are shared).
#[derive(Debug, Clone)]
pub struct Recorded {
    pub rv: u64,
    kind: EventType,
    key: Arc<ObjectKey>,
    object: Bytes,
    prev: Option<Bytes>,
}

impl Recorded {
    /// The event with its objects parsed, when a replay reaches it.
    pub fn event(&self) -> Result<Event, StoreError> {
        Ok(Event {
            rv: self.rv,
            kind: self.kind,
            key: (*self.key).clone(),
            object: decode(&self.object)?,
            prev: self.prev.as_deref().map(decode).transpose()?,
        })
    }
}

/// The last `limit` events; everything at or below `floor` is forgotten.
pub struct History {
    events: VecDeque<Recorded>,
    /// Per key, the stored bytes of its newest retained event (absent after a deletion).
    latest: HashMap<Arc<ObjectKey>, Bytes>,
    limit: usize,
    floor: u64,
}

fn encode(v: &Value) -> Bytes {
    // Serializing a Value cannot fail (its map keys are strings).
    Arc::from(serde_json::to_vec(v).unwrap_or_default())
}

fn decode(b: &[u8]) -> Result<Arc<Value>, StoreError> {
    serde_json::from_slice(b)
        .map(Arc::new)
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl History {
    pub fn new(limit: usize, floor: u64) -> Self {
        History {
            events: VecDeque::new(),
            latest: HashMap::new(),
            limit,
            floor,
        }
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The oldest resourceVersion a watch or list can still start from.
    pub fn floor(&self) -> u64 {
        self.floor
    }

    /// Records `event`, forgetting the oldest one beyond the limit.
    pub fn push(&mut self, event: &Event) {
        if self.events.len() >= self.limit
            && let Some(old) = self.events.pop_front()
        {
            self.floor = old.rv;
            if self
                .latest
                .get(&old.key)
                .is_some_and(|b| Arc::ptr_eq(b, &old.object))
            {
                self.latest.remove(&old.key);
            }
        }
        let (key, shared_prev) = match self.latest.get_key_value(&event.key) {
            Some((k, b)) => (k.clone(), Some(b.clone())),
            None => (Arc::new(event.key.clone()), None),
        };
        let prev = match (&event.prev, shared_prev) {
            (None, _) => None,
            (Some(_), Some(b)) => Some(b),
            (Some(p), None) => Some(encode(p)),
        };
        let object = encode(&event.object);
        match event.kind {
            EventType::Deleted => self.latest.remove(&key),
            _ => self.latest.insert(key.clone(), object.clone()),
        };
        self.events.push_back(Recorded {
            rv: event.rv,
            kind: event.kind,
            key,
            object,
            prev,
        });
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

    /// The events after `rv` whose key passes `filter`, oldest first, still compact: a
    /// replay parses each one as it sends it.
    pub fn since(
        &self,
        rv: u64,
        filter: impl Fn(&ObjectKey) -> bool,
    ) -> Result<Vec<Recorded>, StoreError> {
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
                    current.insert((*e.key).clone(), decode(prev)?);
                }
                None => {
                    current.remove(&*e.key);
                }
            }
        }
        Ok(())
    }
}
