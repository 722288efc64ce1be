//! Start-up: the newest snapshot, then every log record after it, checked for contiguous
//! resourceVersions. A torn last record of the last segment (an interrupted write, never
//! acknowledged) is dropped; anything else that does not check out stops the start with the
//! file and offset at fault.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::entry::{self, Entry, SnapshotHead};
use super::error::PersistError;
use super::files::Layout;
use super::record::{self, FileKind, HEADER_LEN, HeaderFault, VERSION};
use crate::store::ObjectKey;

/// The segment new writes go to: its path, first resourceVersion, and how many bytes of it
/// are good (less than a header when the header itself must be rewritten).
#[derive(Debug, Clone)]
pub struct Tail {
    pub path: PathBuf,
    pub first_rv: u64,
    pub good_len: u64,
}

/// The state found in a data directory.
#[derive(Debug, Default)]
pub struct Recovered {
    pub objects: BTreeMap<ObjectKey, Value>,
    /// The last resourceVersion written (1 when empty, as a new store starts).
    pub rv: u64,
    pub snapshot_bytes: u64,
    pub log_bytes: u64,
    pub tail: Option<Tail>,
    /// Where a torn last record was dropped.
    pub dropped: Option<(PathBuf, usize)>,
}

/// Replays the snapshot and segments listed in `layout`.
pub fn recover(layout: &Layout) -> Result<Recovered, PersistError> {
    let mut rec = Recovered {
        rv: 1,
        ..Recovered::default()
    };
    let mut base = None;
    if let Some((rv, path)) = layout.snapshots.last() {
        rec.snapshot_bytes = load_snapshot(path, *rv, &mut rec.objects)?;
        rec.rv = *rv;
        base = Some(*rv);
    }
    // The resourceVersion the next record must have; without a snapshot, the first
    // segment's name says.
    let mut next = base.map(|b| b + 1);
    let count = layout.segments.len();
    for (i, (first, path)) in layout.segments.iter().enumerate() {
        let last = i + 1 == count;
        let seg = Segment {
            path,
            first: *first,
            last,
        };
        let good_len = replay_segment(&seg, base, &mut next, &mut rec)?;
        if last {
            rec.tail = Some(Tail {
                path: path.clone(),
                first_rv: *first,
                good_len,
            });
        }
    }
    Ok(rec)
}

fn read(path: &Path) -> Result<Vec<u8>, PersistError> {
    std::fs::read(path).map_err(PersistError::io(path))
}

fn header_error(path: &Path, kind: FileKind, fault: HeaderFault) -> PersistError {
    match fault {
        HeaderFault::Short => PersistError::corrupt(path, 0, "file is shorter than its header"),
        HeaderFault::Magic => PersistError::Invalid {
            path: path.to_path_buf(),
            why: match kind {
                FileKind::Log => "not a fluxion-apiserver log segment".into(),
                FileKind::Snapshot => "not a fluxion-apiserver snapshot".into(),
            },
        },
        HeaderFault::Version(version) => PersistError::Version {
            path: path.to_path_buf(),
            version,
            known: VERSION,
        },
    }
}

/// Loads a snapshot into `objects`; returns its size.
fn load_snapshot(
    path: &Path,
    rv: u64,
    objects: &mut BTreeMap<ObjectKey, Value>,
) -> Result<u64, PersistError> {
    let bytes = read(path)?;
    record::check_header(&bytes, FileKind::Snapshot)
        .map_err(|f| header_error(path, FileKind::Snapshot, f))?;
    let scan = record::scan(&bytes, HEADER_LEN);
    if let Some(f) = scan.fault {
        return Err(PersistError::corrupt(path, f.offset, f.kind.describe()));
    }
    let mut records = scan.records.into_iter();
    let (_, head) = records
        .next()
        .ok_or_else(|| PersistError::corrupt(path, HEADER_LEN, "snapshot has no head record"))?;
    let head: SnapshotHead = serde_json::from_slice(head)
        .map_err(|e| PersistError::corrupt(path, HEADER_LEN, format!("bad head record: {e}")))?;
    if head.rv != rv {
        return Err(PersistError::corrupt(
            path,
            HEADER_LEN,
            format!("snapshot is at resourceVersion {} but named {rv}", head.rv),
        ));
    }
    let mut loaded = 0u64;
    for (offset, payload) in records {
        let e = decode(path, offset, payload)?;
        let Some(obj) = e.object else {
            return Err(PersistError::corrupt(
                path,
                offset,
                "snapshot entry without object",
            ));
        };
        objects.insert(e.key, obj);
        loaded += 1;
    }
    if loaded != head.objects {
        return Err(PersistError::corrupt(
            path,
            scan.end,
            format!("snapshot ends after {loaded} of {} objects", head.objects),
        ));
    }
    Ok(bytes.len() as u64)
}

fn decode(path: &Path, offset: usize, payload: &[u8]) -> Result<Entry, PersistError> {
    entry::decode(payload)
        .map_err(|e| PersistError::corrupt(path, offset, format!("undecodable record: {e}")))
}

struct Segment<'a> {
    path: &'a Path,
    first: u64,
    last: bool,
}

/// Applies a segment's records after `base` (the snapshot's resourceVersion); returns the
/// length of its good prefix.
fn replay_segment(
    seg: &Segment<'_>,
    base: Option<u64>,
    next: &mut Option<u64>,
    rec: &mut Recovered,
) -> Result<u64, PersistError> {
    let (path, last) = (seg.path, seg.last);
    let bytes = read(path)?;
    rec.log_bytes += bytes.len() as u64;
    match record::check_header(&bytes, FileKind::Log) {
        Ok(()) => {}
        // Created but its header not yet written when the process died.
        Err(HeaderFault::Short) if last => return Ok(0),
        Err(f) => return Err(header_error(path, FileKind::Log, f)),
    }
    let scan = record::scan(&bytes, HEADER_LEN);
    for (offset, payload) in &scan.records {
        let e = decode(path, *offset, payload)?;
        if base.is_some_and(|b| e.rv <= b) {
            continue;
        }
        let expected = next.unwrap_or(seg.first);
        if e.rv != expected {
            return Err(PersistError::corrupt(
                path,
                *offset,
                format!(
                    "record at resourceVersion {} where {expected} was expected (a log segment is missing or out of order)",
                    e.rv
                ),
            ));
        }
        *next = Some(e.rv + 1);
        apply(rec, e);
    }
    match scan.fault {
        None => Ok(scan.end as u64),
        Some(f) if last && f.torn_tail => {
            rec.dropped = Some((path.to_path_buf(), f.offset));
            Ok(scan.end as u64)
        }
        Some(f) => Err(PersistError::corrupt(path, f.offset, f.kind.describe())),
    }
}

fn apply(rec: &mut Recovered, e: Entry) {
    rec.rv = e.rv;
    match e.object {
        Some(obj) => {
            rec.objects.insert(e.key, obj);
        }
        None => {
            rec.objects.remove(&e.key);
        }
    }
}
