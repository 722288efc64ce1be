//! client-go's event correlation, without message aggregation: a repeat of an identical event
//! bumps the count and lastTimestamp of the Event already written (a patch) instead of creating
//! another, and a token bucket per object, type and reason (burst 25, one token per 5 minutes)
//! drops floods.

use std::collections::HashMap;

use k8s_openapi::api::core::v1::Event;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;

/// client-go's LRU size for both caches.
const CACHE_SIZE: usize = 4096;
/// client-go's spam filter: burst and refill rate.
const SPAM_BURST: f64 = 25.0;
const SPAM_REFILL_PER_SECOND: f64 = 1.0 / 300.0;

/// What to write for an event.
#[derive(Clone, Debug, PartialEq)]
pub enum EventWrite {
    /// A new Event.
    Create(Event),
    /// An Event already written: patch its count, lastTimestamp and message (see [`patch_body`]);
    /// create this Event as given if it is gone.
    Patch(Event),
    /// Too many events for this object and reason: skip it.
    Drop,
}

#[derive(Debug)]
struct Seen {
    name: String,
    count: i32,
    first: Option<Time>,
    last_use: u64,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    updated: Timestamp,
    last_use: u64,
}

/// The correlation state of one recorder.
#[derive(Debug, Default)]
pub struct Correlator {
    seen: HashMap<String, Seen>,
    buckets: HashMap<String, Bucket>,
    tick: u64,
}

impl Correlator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Decides how to write `event`, observed at `now`.
    pub fn correlate(&mut self, mut event: Event, now: Timestamp) -> EventWrite {
        self.tick += 1;
        let tick = self.tick;
        let repeat = match self.seen.get_mut(&event_key(&event)) {
            Some(seen) => {
                seen.count = seen.count.saturating_add(1);
                seen.last_use = tick;
                event.metadata.name = Some(seen.name.clone());
                event.count = Some(seen.count);
                event.first_timestamp = seen.first.clone();
                true
            }
            None => {
                let seen = Seen {
                    name: event.metadata.name.clone().unwrap_or_default(),
                    count: event.count.unwrap_or(1),
                    first: event.first_timestamp.clone(),
                    last_use: tick,
                };
                self.seen.insert(event_key(&event), seen);
                evict_oldest(&mut self.seen, |s| s.last_use);
                false
            }
        };
        if !self.allow(spam_key(&event), now) {
            return EventWrite::Drop;
        }
        match repeat {
            true => EventWrite::Patch(event),
            false => EventWrite::Create(event),
        }
    }

    fn allow(&mut self, key: String, now: Timestamp) -> bool {
        let tick = self.tick;
        let bucket = self.buckets.entry(key).or_insert(Bucket {
            tokens: SPAM_BURST,
            updated: now,
            last_use: tick,
        });
        let elapsed = now.duration_since(bucket.updated).as_secs_f64().max(0.0);
        bucket.tokens = (bucket.tokens + elapsed * SPAM_REFILL_PER_SECOND).min(SPAM_BURST);
        bucket.updated = now;
        bucket.last_use = tick;
        let allowed = bucket.tokens >= 1.0;
        if allowed {
            bucket.tokens -= 1.0;
        }
        evict_oldest(&mut self.buckets, |b| b.last_use);
        allowed
    }
}

fn evict_oldest<V>(map: &mut HashMap<String, V>, last_use: impl Fn(&V) -> u64) {
    if map.len() <= CACHE_SIZE {
        return;
    }
    if let Some(oldest) = map
        .iter()
        .min_by_key(|(_, v)| last_use(v))
        .map(|(k, _)| k.clone())
    {
        map.remove(&oldest);
    }
}

fn join(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .map(|p| p.unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\u{0}")
}

/// client-go's `getSpamKey`: the same object, type and reason share a token bucket.
fn spam_key(e: &Event) -> String {
    join(&spam_parts(e))
}

/// client-go's `getEventKey`: identical events share it. It is the spam key with the field
/// path and the message.
fn event_key(e: &Event) -> String {
    let mut parts = spam_parts(e);
    parts.push(e.involved_object.field_path.as_deref());
    parts.push(e.message.as_deref());
    join(&parts)
}

fn spam_parts(e: &Event) -> Vec<Option<&str>> {
    let source = e.source.as_ref();
    let o = &e.involved_object;
    vec![
        source.and_then(|s| s.component.as_deref()),
        source.and_then(|s| s.host.as_deref()),
        o.kind.as_deref(),
        o.namespace.as_deref(),
        o.name.as_deref(),
        o.uid.as_deref(),
        o.api_version.as_deref(),
        e.type_.as_deref(),
        e.reason.as_deref(),
    ]
}

/// The merge patch that records a repeat on an existing Event.
pub fn patch_body(event: &Event) -> serde_json::Value {
    serde_json::json!({
        "count": event.count,
        "lastTimestamp": event.last_timestamp,
        "message": event.message,
    })
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{EventSource, ObjectReference};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    use super::*;

    fn t(secs: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + secs).expect("time")
    }

    fn event(name: &str, reason: &str, message: &str, at: i64) -> Event {
        Event {
            metadata: ObjectMeta {
                name: Some(format!("podinfo.{name}")),
                ..ObjectMeta::default()
            },
            involved_object: ObjectReference {
                kind: Some("GitRepository".into()),
                name: Some("podinfo".into()),
                namespace: Some("flux-system".into()),
                uid: Some("u1".into()),
                ..ObjectReference::default()
            },
            reason: Some(reason.into()),
            message: Some(message.into()),
            type_: Some("Normal".into()),
            count: Some(1),
            first_timestamp: Some(Time(t(at))),
            last_timestamp: Some(Time(t(at))),
            source: Some(EventSource {
                component: Some("source-controller".into()),
                host: None,
            }),
            ..Event::default()
        }
    }

    #[test]
    fn repeats_patch_the_first_event() {
        let mut c = Correlator::new();
        assert!(matches!(
            c.correlate(event("a", "R", "m", 0), t(0)),
            EventWrite::Create(_)
        ));
        let EventWrite::Patch(repeat) = c.correlate(event("b", "R", "m", 10), t(10)) else {
            panic!("expected a patch");
        };
        assert_eq!(repeat.metadata.name.as_deref(), Some("podinfo.a"));
        assert_eq!(repeat.count, Some(2));
        assert_eq!(repeat.first_timestamp, Some(Time(t(0))));
        assert_eq!(repeat.last_timestamp, Some(Time(t(10))));
        let body = patch_body(&repeat);
        assert_eq!(body["count"], 2);
        assert_eq!(body["message"], "m");
        assert!(
            body["lastTimestamp"]
                .as_str()
                .is_some_and(|s| s.ends_with('Z'))
        );
        // A different message is a different event.
        assert!(matches!(
            c.correlate(event("c", "R", "other", 11), t(11)),
            EventWrite::Create(_)
        ));
    }

    #[test]
    fn floods_are_dropped_then_refilled() {
        let mut c = Correlator::new();
        let writes: Vec<bool> = (0..30)
            .map(|i| {
                !matches!(
                    c.correlate(event(&i.to_string(), "R", &format!("m{i}"), 0), t(0)),
                    EventWrite::Drop
                )
            })
            .collect();
        assert_eq!(writes.iter().filter(|w| **w).count(), 25, "burst of 25");
        assert!(
            matches!(
                c.correlate(event("x", "Other", "m", 0), t(0)),
                EventWrite::Create(_)
            ),
            "per reason"
        );
        assert!(matches!(
            c.correlate(event("y", "R", "late", 299), t(299)),
            EventWrite::Drop
        ));
        assert!(matches!(
            c.correlate(event("z", "R", "later", 600), t(600)),
            EventWrite::Create(_)
        ));
    }

    #[test]
    fn caches_stay_bounded() {
        let mut c = Correlator::new();
        for i in 0..(CACHE_SIZE + 10) {
            let mut e = event(&i.to_string(), "R", "m", 0);
            e.involved_object.name = Some(format!("obj-{i}"));
            c.correlate(e, t(0));
        }
        assert!(c.seen.len() <= CACHE_SIZE && c.buckets.len() <= CACHE_SIZE);
    }
}
