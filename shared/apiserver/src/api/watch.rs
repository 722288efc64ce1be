//! watch: the event stream of a resource with resourceVersion semantics (`""`/`"0"` start
//! with the current state, `N` replays from the history or ends with a 410 ERROR event),
//! selector transitions, bookmarks, sendInitialEvents and timeouts.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::broadcast;
use tokio::time::Instant;

use super::read::Selectors;
use super::{Api, Target};
use crate::error::ApiError;
use crate::registry::ResourceType;
use crate::store::{Event, EventType, Recorded, StoreError};

/// Query options of a watch.
#[derive(Debug, Clone, Default)]
pub struct WatchOptions {
    pub resource_version: Option<String>,
    pub label_selector: Option<String>,
    pub field_selector: Option<String>,
    pub allow_bookmarks: bool,
    pub send_initial_events: Option<bool>,
    pub timeout: Option<Duration>,
    /// How often bookmarks are sent when allowed.
    pub bookmark_interval: Duration,
}

/// A running watch; [`Watch::next`] yields `{type, object}` events until it ends.
pub struct Watch {
    rt: Arc<ResourceType>,
    namespace: Option<String>,
    name: Option<String>,
    sel: Selectors,
    pending: VecDeque<Value>,
    /// Recorded events still to replay, parsed one at a time so a long replay does not
    /// hold every object at once.
    past: VecDeque<Recorded>,
    rx: broadcast::Receiver<Arc<Event>>,
    last_rv: u64,
    deadline: Instant,
    bookmarks: bool,
    interval: Duration,
    next_bookmark: Instant,
    ended: bool,
}

fn event(kind: &str, object: Value) -> Value {
    json!({"type": kind, "object": object})
}

impl Api {
    /// Starts a watch. A too-old resourceVersion gives a watch that sends one ERROR event
    /// with a 410 Expired Status, as the real watch cache does.
    pub fn watch(self: &Arc<Self>, t: &Target, opts: &WatchOptions) -> Result<Watch, ApiError> {
        let sel = Selectors::parse(
            t,
            opts.label_selector.as_deref(),
            opts.field_selector.as_deref(),
        )?;
        let rv = opts.resource_version.as_deref().unwrap_or("");
        let since =
            match rv {
                "" | "0" => None,
                n => Some(n.parse::<u64>().map_err(|_| {
                    ApiError::bad_request(format!("invalid resource version: {rv:?}"))
                })?),
            };
        let initial = match opts.send_initial_events {
            Some(send) => send,
            None => since.is_none(),
        };
        let (past, rx, last_rv) = if initial {
            (Vec::new(), None, 0)
        } else {
            match self.store.watch(&t.rt.storage_group, &t.rt.resource, since) {
                Ok((past, rx, current)) => (past, Some(rx), since.unwrap_or(current)),
                Err(StoreError::Expired { requested, oldest }) => {
                    return Ok(Watch::expired(t, &sel, opts, self, requested, oldest));
                }
                Err(e) => return Err(ApiError::internal(e.to_string())),
            }
        };
        let (rx, listing) = match rx {
            Some(rx) => (rx, None),
            None => {
                let ns = if t.rt.namespaced {
                    t.namespace.as_deref()
                } else {
                    None
                };
                let (listing, rx) =
                    self.store
                        .snapshot_and_watch(&t.rt.storage_group, &t.rt.resource, ns);
                (rx, Some(listing))
            }
        };
        let mut w = Watch::new(t, sel, opts, rx, last_rv);
        w.past = past.into();
        if let Some(listing) = listing {
            w.last_rv = listing.rv;
            let added: Vec<Value> = listing
                .items
                .iter()
                .filter(|o| w.wants(o))
                .map(|o| event("ADDED", self.present(&t.rt, o)))
                .collect();
            w.pending.extend(added);
            if opts.send_initial_events == Some(true) && opts.allow_bookmarks {
                let mut b = w.bookmark(listing.rv);
                b["object"]["metadata"]["annotations"] =
                    json!({"k8s.io/initial-events-end": "true"});
                w.pending.push_back(b);
            }
        }
        Ok(w)
    }
}

impl Watch {
    fn new(
        t: &Target,
        sel: Selectors,
        opts: &WatchOptions,
        rx: broadcast::Receiver<Arc<Event>>,
        last_rv: u64,
    ) -> Self {
        let now = Instant::now();
        let interval = opts.bookmark_interval.max(Duration::from_millis(100));
        Watch {
            rt: t.rt.clone(),
            namespace: if t.rt.namespaced {
                t.namespace.clone()
            } else {
                None
            },
            name: t
                .name
                .clone()
                .or_else(|| sel.fields.name().map(str::to_string)),
            sel,
            pending: VecDeque::new(),
            past: VecDeque::new(),
            rx,
            last_rv,
            deadline: now + opts.timeout.unwrap_or(Duration::from_secs(1800)),
            bookmarks: opts.allow_bookmarks,
            interval,
            next_bookmark: now + interval,
            ended: false,
        }
    }

    /// A watch that only reports a 410 Expired ERROR event, as the watch cache does.
    fn expired(
        t: &Target,
        sel: &Selectors,
        opts: &WatchOptions,
        api: &Api,
        requested: u64,
        oldest: u64,
    ) -> Self {
        let (_, rx) = api.store.snapshot_and_watch("", "", Some(""));
        let sel = Selectors {
            labels: sel.labels.clone(),
            fields: sel.fields.clone(),
        };
        let mut w = Watch::new(t, sel, opts, rx, 0);
        let err = ApiError::expired(format!("too old resource version: {requested} ({oldest})"));
        w.pending.push_back(event("ERROR", err.status()));
        w.ended = true;
        w
    }

    fn in_scope(&self, obj: &Value) -> bool {
        let meta = |f: &str| {
            obj.pointer(&format!("/metadata/{f}"))
                .and_then(Value::as_str)
                .unwrap_or("")
        };
        self.namespace
            .as_deref()
            .is_none_or(|ns| meta("namespace") == ns)
            && self.name.as_deref().is_none_or(|n| meta("name") == n)
    }

    fn wants(&self, obj: &Value) -> bool {
        self.in_scope(obj) && self.sel.matches(obj)
    }

    fn bookmark(&self, rv: u64) -> Value {
        event(
            "BOOKMARK",
            json!({
                "kind": self.rt.kind,
                "apiVersion": self.rt.api_version(),
                "metadata": {"resourceVersion": rv.to_string()},
            }),
        )
    }

    /// The event a client of this watch sees for a store event, if any: objects moving in or
    /// out of the selector appear as ADDED or DELETED.
    fn translate(&mut self, api: &Api, e: &Event) -> Option<Value> {
        // Events arrive in resourceVersion order; every one seen advances the watch.
        if e.rv <= self.last_rv {
            return None;
        }
        self.last_rv = e.rv;
        if e.key.group != self.rt.storage_group || e.key.resource != self.rt.resource {
            return None;
        }
        let now = self.wants(&e.object);
        let before = e.prev.as_deref().is_some_and(|p| self.wants(p));
        let kind = match e.kind {
            EventType::Added if now => "ADDED",
            EventType::Modified if now && before => "MODIFIED",
            EventType::Modified if now => "ADDED",
            EventType::Modified if before => "DELETED",
            EventType::Deleted if before || now => "DELETED",
            _ => return None,
        };
        Some(event(kind, api.present(&self.rt, &e.object)))
    }

    /// Takes the events already queued, so a bookmark never claims a version whose event
    /// this watch has not yet passed on.
    fn drain(&mut self, api: &Api) {
        loop {
            match self.rx.try_recv() {
                Ok(e) => {
                    if let Some(v) = self.translate(api, &e) {
                        self.pending.push_back(v);
                    }
                }
                Err(broadcast::error::TryRecvError::Empty) => return,
                Err(_) => {
                    self.ended = true;
                    return;
                }
            }
        }
    }

    /// The next event, or `None` when the watch ends (timeout, or the client fell too far
    /// behind and must re-watch from its last resourceVersion).
    pub async fn next(&mut self, api: &Api) -> Option<Value> {
        loop {
            if let Some(v) = self.pending.pop_front() {
                return Some(v);
            }
            if let Some(r) = self.past.pop_front() {
                match r.event() {
                    Ok(e) => {
                        if let Some(v) = self.translate(api, &e) {
                            return Some(v);
                        }
                    }
                    Err(e) => {
                        // Unreadable history cannot be replayed faithfully: the client relists.
                        self.past.clear();
                        self.ended = true;
                        let err = ApiError::expired(e.to_string());
                        return Some(event("ERROR", err.status()));
                    }
                }
                continue;
            }
            if self.ended {
                return None;
            }
            let wake = if self.bookmarks {
                self.next_bookmark.min(self.deadline)
            } else {
                self.deadline
            };
            tokio::select! {
                got = self.rx.recv() => match got {
                    Ok(e) => {
                        if let Some(v) = self.translate(api, &e) {
                            return Some(v);
                        }
                    }
                    Err(_) => return None,
                },
                _ = tokio::time::sleep_until(wake) => {
                    if Instant::now() >= self.deadline {
                        return None;
                    }
                    self.next_bookmark = Instant::now() + self.interval;
                    self.drain(api);
                    let b = self.bookmark(self.last_rv);
                    self.pending.push_back(b);
                }
            }
        }
    }
}
