//! Unit tests of persistence against a store: restart, torn tails, corruption, the lock,
//! compaction.

use std::sync::Arc;

use serde_json::{Value, json};

use super::*;
use crate::store::{ObjectKey, object_rv};

fn key(name: &str) -> ObjectKey {
    ObjectKey::new("", "configmaps", "ns", name)
}

fn cm(name: &str, v: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "ns"}, "data": {"v": v}})
}

fn open_with(dir: &Path, compact_bytes: u64) -> (Arc<Persistence>, Arc<Store>) {
    let (p, rec) = Persistence::open(dir, compact_bytes).expect("open");
    let store = Arc::new(Store::new(100, Some(p.write_log())));
    store.restore(rec.objects.into_iter().collect(), rec.rv);
    p.start(&store).expect("start");
    (p, store)
}

fn open(dir: &Path) -> (Arc<Persistence>, Arc<Store>) {
    open_with(dir, DEFAULT_COMPACT_BYTES)
}

fn segments(dir: &Path) -> Vec<PathBuf> {
    files::layout(dir)
        .expect("layout")
        .segments
        .into_iter()
        .map(|(_, p)| p)
        .collect()
}

/// Creates a..e, updates b, deletes c; returns the store's objects and resourceVersion.
fn write_some(store: &Store) -> (Vec<(ObjectKey, Arc<Value>)>, u64) {
    for n in ["a", "b", "c", "d", "e"] {
        store.create(key(n), cm(n, "1")).expect("create");
    }
    let b = store.get(&key("b")).expect("b");
    store
        .update(key("b"), cm("b", "2"), object_rv(&b))
        .expect("update");
    store.delete(key("c"), None).expect("delete");
    (store.all(), store.current_rv())
}

#[test]
fn state_survives_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (p, store) = open(dir.path());
    let (before, rv) = write_some(&store);
    p.close();
    drop(store);
    let (p, store) = open(dir.path());
    assert_eq!(store.all(), before);
    assert_eq!(store.current_rv(), rv);
    let f = store.create(key("f"), cm("f", "1")).expect("create");
    assert_eq!(object_rv(&f), rv + 1);
    p.close();
}

#[test]
fn a_second_server_is_refused_until_the_first_closes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (p, _store) = open(dir.path());
    let err = Persistence::open(dir.path(), DEFAULT_COMPACT_BYTES)
        .err()
        .expect("locked");
    let msg = err.to_string();
    assert!(msg.contains("in use by another fluxion-apiserver"), "{msg}");
    assert!(
        msg.contains(&format!("pid {}", std::process::id())),
        "{msg}"
    );
    p.close();
    let (p, _store) = open(dir.path());
    p.close();
}

#[test]
fn a_torn_last_record_is_dropped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (p, store) = open(dir.path());
    let (before, rv) = write_some(&store);
    store.create(key("torn"), cm("torn", "1")).expect("create");
    p.close();
    drop(store);
    let seg = segments(dir.path()).pop().expect("segment");
    let len = std::fs::metadata(&seg).expect("meta").len();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&seg)
        .expect("open");
    f.set_len(len - 5).expect("cut");

    let (p, store) = open(dir.path());
    assert_eq!(
        store.all(),
        before,
        "the torn record is gone, the rest is there"
    );
    assert_eq!(store.current_rv(), rv);
    store
        .create(key("after"), cm("after", "1"))
        .expect("create");
    p.close();
    drop(store);
    let (p, store) = open(dir.path());
    assert!(store.get(&key("after")).is_some());
    p.close();
}

/// Flips a byte at `offset` of `path`.
fn flip(path: &Path, offset: usize) {
    let mut bytes = std::fs::read(path).expect("read");
    bytes[offset] ^= 0x55;
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn corruption_in_the_middle_names_the_file_and_offset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (p, store) = open(dir.path());
    write_some(&store);
    p.close();
    drop(store);
    let seg = segments(dir.path()).pop().expect("segment");
    flip(&seg, record::HEADER_LEN + record::FRAME_LEN + 3);
    let msg = Persistence::open(dir.path(), DEFAULT_COMPACT_BYTES)
        .err()
        .expect("refused")
        .to_string();
    assert!(msg.contains(&seg.display().to_string()), "{msg}");
    assert!(
        msg.contains("corrupt data at offset 8: checksum mismatch"),
        "{msg}"
    );
}

#[test]
fn an_unknown_format_version_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (p, store) = open(dir.path());
    write_some(&store);
    p.close();
    drop(store);
    let seg = segments(dir.path()).pop().expect("segment");
    flip(&seg, 7);
    let msg = Persistence::open(dir.path(), DEFAULT_COMPACT_BYTES)
        .err()
        .expect("refused")
        .to_string();
    assert!(msg.contains("unknown format version"), "{msg}");
    assert!(msg.contains(&seg.display().to_string()), "{msg}");
}

#[test]
fn compaction_keeps_state_and_drops_old_segments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (p, store) = open(dir.path());
    write_some(&store);
    let at = p.compact(&store).expect("compact");
    assert_eq!(at, store.current_rv());
    let b = store.get(&key("b")).expect("b");
    store
        .update(key("b"), cm("b", "3"), object_rv(&b))
        .expect("update");
    store.delete(key("a"), None).expect("delete");
    let (before, rv) = (store.all(), store.current_rv());
    p.close();
    drop(store);
    let layout = files::layout(dir.path()).expect("layout");
    assert_eq!(layout.snapshots.len(), 1);
    assert_eq!(layout.segments.len(), 1, "{:?}", layout.segments);
    assert_eq!(layout.segments[0].0, at + 1);

    let (p, store) = open(dir.path());
    assert_eq!(store.all(), before);
    assert_eq!(store.current_rv(), rv);
    p.close();
}

#[test]
fn the_log_compacts_itself_when_it_grows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (p, store) = open_with(dir.path(), 4096);
    for i in 0..200 {
        store
            .create(key(&format!("cm-{i}")), cm("x", &"y".repeat(100)))
            .expect("create");
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while files::layout(dir.path())
        .expect("layout")
        .snapshots
        .is_empty()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no snapshot was written"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let (before, rv) = (store.all(), store.current_rv());
    p.close();
    drop(store);
    let layout = files::layout(dir.path()).expect("layout");
    let (snap_rv, _) = layout.snapshots.last().expect("snapshot");
    assert_eq!(layout.snapshots.len(), 1);
    assert!(
        layout.segments.iter().all(|(first, _)| first > snap_rv),
        "segments before the snapshot were removed: {:?}",
        layout.segments
    );
    let (p, store) = open(dir.path());
    assert_eq!(store.all(), before);
    assert_eq!(store.current_rv(), rv);
    p.close();
}

#[test]
fn a_missing_segment_is_detected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (p, store) = open(dir.path());
    write_some(&store);
    // Rotate twice without a snapshot surviving: three segments, the middle one removed.
    store
        .checkpoint(|_, rv| p.wal.rotate(rv + 1))
        .expect("rotate");
    store.create(key("x"), cm("x", "1")).expect("create");
    store
        .checkpoint(|_, rv| p.wal.rotate(rv + 1))
        .expect("rotate");
    store.create(key("y"), cm("y", "1")).expect("create");
    p.close();
    drop(store);
    let segs = segments(dir.path());
    assert_eq!(segs.len(), 3);
    std::fs::remove_file(&segs[1]).expect("remove");
    let msg = Persistence::open(dir.path(), DEFAULT_COMPACT_BYTES)
        .err()
        .expect("refused")
        .to_string();
    assert!(msg.contains("a log segment is missing"), "{msg}");
    assert!(msg.contains(&segs[2].display().to_string()), "{msg}");
}

#[test]
fn writes_after_close_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (p, store) = open(dir.path());
    p.close();
    assert!(matches!(
        store.create(key("late"), cm("late", "1")),
        Err(crate::store::StoreError::Persist(_))
    ));
}

#[test]
fn a_segment_cut_inside_its_header_is_started_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (p, store) = open(dir.path());
    let (before, rv) = write_some(&store);
    store
        .checkpoint(|_, rv| p.wal.rotate(rv + 1))
        .expect("rotate");
    p.close();
    drop(store);
    let seg = segments(dir.path()).pop().expect("segment");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&seg)
        .and_then(|f| f.set_len(3))
        .expect("cut");
    for _ in 0..2 {
        let (p, store) = open(dir.path());
        assert_eq!(store.all(), before);
        assert_eq!(store.current_rv(), rv);
        p.close();
    }
}
