//! Unit tests of the store: resourceVersions, preconditions, history, snapshots.

use super::*;
use serde_json::json;
use std::sync::Arc;

fn cm(name: &str, v: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "ns"}, "data": {"v": v}})
}

fn key(name: &str) -> ObjectKey {
    ObjectKey::new("", "configmaps", "ns", name)
}

#[test]
fn versions_increase_and_preconditions_hold() {
    let s = Store::new(100, None);
    let a = s.create(key("a"), cm("a", "1")).expect("create");
    let rv_a = object_rv(&a);
    assert_eq!(
        s.create(key("a"), cm("a", "1")).err(),
        Some(StoreError::AlreadyExists)
    );
    let b = s.update(key("a"), cm("a", "2"), rv_a).expect("update");
    assert!(object_rv(&b) > rv_a);
    assert!(matches!(
        s.update(key("a"), cm("a", "3"), rv_a),
        Err(StoreError::Conflict { .. })
    ));
    let gone = s.delete(key("a"), None).expect("delete");
    assert!(object_rv(&gone) > object_rv(&b));
    assert!(s.get(&key("a")).is_none());
}

#[test]
fn lists_at_older_versions_and_expires() {
    let s = Store::new(3, None);
    let a = s.create(key("a"), cm("a", "1")).expect("a");
    let at = object_rv(&a);
    s.create(key("b"), cm("b", "1")).expect("b");
    s.update(key("a"), cm("a", "2"), at).expect("a2");
    let old = s
        .list("", "configmaps", Some("ns"), None, Some(at))
        .expect("list");
    assert_eq!(old.items.len(), 1);
    assert_eq!(old.items[0]["data"]["v"], "1");
    let now = s
        .list("", "configmaps", None, Some(("ns", "a")), None)
        .expect("list");
    assert_eq!(now.items.len(), 1);
    s.create(key("c"), cm("c", "1")).expect("c");
    s.create(key("d"), cm("d", "1")).expect("d");
    assert!(matches!(
        s.watch("", "configmaps", Some(at)),
        Err(StoreError::Expired { .. })
    ));
}

#[test]
fn concurrent_writers_get_distinct_increasing_versions() {
    let s = Arc::new(Store::new(10_000, None));
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let s = s.clone();
            std::thread::spawn(move || {
                (0..100)
                    .map(|i| {
                        object_rv(
                            &s.create(key(&format!("{t}-{i}")), cm("x", "1"))
                                .expect("create"),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all: Vec<u64> = handles
        .into_iter()
        .flat_map(|h| h.join().expect("join"))
        .collect();
    let n = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), n);
    let (past, _rx, _) = s.watch("", "configmaps", Some(1)).expect("watch");
    assert!(past.windows(2).all(|w| w[0].rv < w[1].rv));
}

#[test]
fn replayed_events_carry_both_states() {
    let s = Store::new(2, None);
    let a = s.create(key("a"), cm("a", "1")).expect("a");
    let start = object_rv(&a);
    let b = s.update(key("a"), cm("a", "2"), start).expect("update");
    s.delete(key("a"), Some(object_rv(&b))).expect("delete");
    let (past, _rx, _) = s.watch("", "configmaps", Some(start)).expect("watch");
    let events: Vec<Event> = past.iter().map(|r| r.event().expect("decode")).collect();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].kind, EventType::Modified);
    assert_eq!(events[0].prev.as_deref(), Some(&*a));
    assert_eq!(events[0].object, b);
    assert_eq!(events[1].kind, EventType::Deleted);
    assert_eq!(events[1].prev.as_deref(), Some(&*b));
    // The oldest event fell out of the two-event history.
    assert!(matches!(
        s.watch("", "configmaps", Some(start - 1)),
        Err(StoreError::Expired { .. })
    ));
}
