//! The object store: every object of every resource in one ordered map, one global
//! resourceVersion counter, and a bounded history of changes for watches and consistent lists.
//! Every acknowledged write goes through [`Store`]'s single commit path, where a [`WriteLog`]
//! (persistence) can hook in.

mod history;

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;
use tokio::sync::broadcast;

pub use history::{History, Recorded};

/// Where an object lives: its resource (group + plural; versions share storage) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    pub group: String,
    pub resource: String,
    /// Empty for cluster-scoped objects.
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    pub fn new(group: &str, resource: &str, namespace: &str, name: &str) -> Self {
        ObjectKey {
            group: group.to_string(),
            resource: resource.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }
}

/// The kind of a change, as watch events name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

/// One committed change. `object` is the new state (the last state for deletions).
#[derive(Debug, Clone)]
pub struct Event {
    pub rv: u64,
    pub kind: EventType,
    pub key: ObjectKey,
    pub object: Arc<Value>,
    pub prev: Option<Arc<Value>>,
}

/// A write as the persistence layer sees it: the object after the write, or its removal.
#[derive(Debug, Clone)]
pub enum Write {
    Put(ObjectKey, Arc<Value>),
    Delete(ObjectKey),
}

/// The persistence hook: called with every write before it is applied and acknowledged.
/// An error refuses the write (the client gets a 500).
pub trait WriteLog: Send + Sync {
    fn append(&self, rv: u64, write: &Write) -> Result<(), String>;
}

/// Why a store operation did not happen.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    AlreadyExists,
    #[error("resourceVersion {expected} does not match {actual}")]
    Conflict { expected: u64, actual: u64 },
    #[error("too old resource version: {requested} ({oldest})")]
    Expired { requested: u64, oldest: u64 },
    #[error("persistence failed: {0}")]
    Persist(String),
    #[error("a retained watch event could not be read back: {0}")]
    Corrupt(String),
}

struct Inner {
    objects: BTreeMap<ObjectKey, Arc<Value>>,
    rv: u64,
    history: History,
}

/// The in-memory store. Cheap to share behind an `Arc`; all methods take `&self`.
pub struct Store {
    inner: Mutex<Inner>,
    events: broadcast::Sender<Arc<Event>>,
    log: Option<Box<dyn WriteLog>>,
}

/// The start of a watch: past events, the receiver of later ones, the current version.
pub type WatchStart = (Vec<Recorded>, broadcast::Receiver<Arc<Event>>, u64);

/// A snapshot answer of [`Store::list`]: the objects and the resourceVersion they are at.
pub struct Listing {
    pub items: Vec<Arc<Value>>,
    pub rv: u64,
}

/// The resourceVersion of a stored object (0 when absent or malformed).
pub fn object_rv(obj: &Value) -> u64 {
    obj.pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

impl Store {
    /// An empty store keeping `history_limit` events for watches.
    pub fn new(history_limit: usize, log: Option<Box<dyn WriteLog>>) -> Self {
        let (events, _) = broadcast::channel(16 * 1024);
        Store {
            inner: Mutex::new(Inner {
                objects: BTreeMap::new(),
                rv: 1,
                history: History::new(history_limit.max(1), 1),
            }),
            events,
            log,
        }
    }

    /// Loads objects recovered by a persistence layer, with the resourceVersion reached.
    pub fn restore(&self, objects: Vec<(ObjectKey, Value)>, rv: u64) {
        let mut inner = self.lock();
        for (key, obj) in objects {
            inner.objects.insert(key, Arc::new(obj));
        }
        inner.rv = inner.rv.max(rv);
        inner.history = History::new(inner.history.limit(), inner.rv);
    }

    /// Runs `f` on every object and the current resourceVersion while no write can commit
    /// (for persistence snapshots).
    pub fn checkpoint<T>(&self, f: impl FnOnce(&BTreeMap<ObjectKey, Arc<Value>>, u64) -> T) -> T {
        let inner = self.lock();
        f(&inner.objects, inner.rv)
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves the map consistent (writes are single inserts).
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The latest resourceVersion handed out.
    pub fn current_rv(&self) -> u64 {
        self.lock().rv
    }

    pub fn get(&self, key: &ObjectKey) -> Option<Arc<Value>> {
        self.lock().objects.get(key).cloned()
    }

    /// The objects of a resource (in one namespace when given), in key order, starting after
    /// `after` (a namespace/name pair), at the current resourceVersion or at `at` when the
    /// history still covers it.
    pub fn list(
        &self,
        group: &str,
        resource: &str,
        namespace: Option<&str>,
        after: Option<(&str, &str)>,
        at: Option<u64>,
    ) -> Result<Listing, StoreError> {
        let inner = self.lock();
        let ns = namespace.unwrap_or("");
        let start = match after {
            Some((ans, aname)) => Bound::Excluded(ObjectKey::new(group, resource, ans, aname)),
            None => Bound::Included(ObjectKey::new(group, resource, ns, "")),
        };
        let in_scope = |k: &ObjectKey| {
            k.group == group && k.resource == resource && (namespace.is_none() || k.namespace == ns)
        };
        let mut current: BTreeMap<ObjectKey, Arc<Value>> = inner
            .objects
            .range((start.clone(), Bound::Unbounded))
            .take_while(|(k, _)| k.group == group && k.resource == resource)
            .filter(|(k, _)| in_scope(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let rv = match at {
            Some(at) if at < inner.rv => {
                inner.history.rewind(&mut current, at, &start, &in_scope)?;
                at
            }
            _ => inner.rv,
        };
        Ok(Listing {
            items: current.into_values().collect(),
            rv,
        })
    }

    /// Every key of a namespace, across resources (for namespace deletion).
    pub fn keys_in_namespace(&self, namespace: &str) -> Vec<ObjectKey> {
        self.lock()
            .objects
            .keys()
            .filter(|k| k.namespace == namespace)
            .cloned()
            .collect()
    }

    /// Every key and object, for scans such as owner references.
    pub fn all(&self) -> Vec<(ObjectKey, Arc<Value>)> {
        self.lock()
            .objects
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Stores a new object; fails if the key is taken.
    pub fn create(&self, key: ObjectKey, obj: Value) -> Result<Arc<Value>, StoreError> {
        let mut inner = self.lock();
        if inner.objects.contains_key(&key) {
            return Err(StoreError::AlreadyExists);
        }
        self.commit(&mut inner, key, Some(obj))
    }

    /// Replaces an object whose stored resourceVersion is `expected`.
    pub fn update(
        &self,
        key: ObjectKey,
        obj: Value,
        expected: u64,
    ) -> Result<Arc<Value>, StoreError> {
        let mut inner = self.lock();
        let actual = inner
            .objects
            .get(&key)
            .map(|o| object_rv(o))
            .ok_or(StoreError::NotFound)?;
        if actual != expected {
            return Err(StoreError::Conflict { expected, actual });
        }
        self.commit(&mut inner, key, Some(obj))
    }

    /// Removes an object whose stored resourceVersion is `expected` (any when `None`).
    pub fn delete(&self, key: ObjectKey, expected: Option<u64>) -> Result<Arc<Value>, StoreError> {
        let mut inner = self.lock();
        let actual = inner
            .objects
            .get(&key)
            .map(|o| object_rv(o))
            .ok_or(StoreError::NotFound)?;
        if let Some(expected) = expected.filter(|e| *e != actual) {
            return Err(StoreError::Conflict { expected, actual });
        }
        self.commit(&mut inner, key, None)
    }

    /// The one write path: stamps the next resourceVersion, logs, applies, records and
    /// broadcasts. Returns the stored object (the last state, for a removal).
    fn commit(
        &self,
        inner: &mut Inner,
        key: ObjectKey,
        obj: Option<Value>,
    ) -> Result<Arc<Value>, StoreError> {
        let rv = inner.rv + 1;
        let prev = inner.objects.get(&key).cloned();
        let (write, stored, kind) = match obj {
            Some(mut obj) => {
                if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
                    meta.insert("resourceVersion".into(), Value::String(rv.to_string()));
                }
                let obj = Arc::new(obj);
                let kind = if prev.is_some() {
                    EventType::Modified
                } else {
                    EventType::Added
                };
                (Write::Put(key.clone(), obj.clone()), obj, kind)
            }
            None => {
                let Some(last) = prev.clone() else {
                    return Err(StoreError::NotFound);
                };
                let mut last = (*last).clone();
                if let Some(meta) = last.get_mut("metadata").and_then(Value::as_object_mut) {
                    meta.insert("resourceVersion".into(), Value::String(rv.to_string()));
                }
                (
                    Write::Delete(key.clone()),
                    Arc::new(last),
                    EventType::Deleted,
                )
            }
        };
        if let Some(log) = &self.log {
            log.append(rv, &write).map_err(StoreError::Persist)?;
        }
        inner.rv = rv;
        match kind {
            EventType::Deleted => {
                inner.objects.remove(&key);
            }
            _ => {
                inner.objects.insert(key.clone(), stored.clone());
            }
        }
        let event = Arc::new(Event {
            rv,
            kind,
            key,
            object: stored.clone(),
            prev,
        });
        inner.history.push(&event);
        // No receivers is fine: nobody watches.
        let _ = self.events.send(event);
        Ok(stored)
    }

    /// Starts a watch of a resource: the recorded events after `since` (or none when
    /// `None`) and a receiver of every later event. Both are taken under one lock, so no
    /// event is missed or repeated.
    pub fn watch(
        &self,
        group: &str,
        resource: &str,
        since: Option<u64>,
    ) -> Result<WatchStart, StoreError> {
        let inner = self.lock();
        let past = match since {
            Some(rv) => inner
                .history
                .since(rv, |k| k.group == group && k.resource == resource)?,
            None => Vec::new(),
        };
        Ok((past, self.events.subscribe(), inner.rv))
    }

    /// A snapshot of a resource's objects with a receiver of later events, under one lock.
    pub fn snapshot_and_watch(
        &self,
        group: &str,
        resource: &str,
        namespace: Option<&str>,
    ) -> (Listing, broadcast::Receiver<Arc<Event>>) {
        let inner = self.lock();
        let items = inner
            .objects
            .range(ObjectKey::new(group, resource, namespace.unwrap_or(""), "")..)
            .take_while(|(k, _)| k.group == group && k.resource == resource)
            .filter(|(k, _)| namespace.is_none_or(|ns| k.namespace == ns))
            .map(|(_, v)| v.clone())
            .collect();
        (
            Listing {
                items,
                rv: inner.rv,
            },
            self.events.subscribe(),
        )
    }
}

#[cfg(test)]
mod tests;
