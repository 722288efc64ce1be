//! Writing a snapshot: every object at one resourceVersion, framed like log records, written
//! to a temporary file and renamed into place so a snapshot is whole or absent.

use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::entry::{self, SnapshotHead};
use super::error::PersistError;
use super::files;
use super::record::{self, FileKind};
use crate::store::ObjectKey;

/// Writes `snapshot-<rv>.snap` holding `objects`; returns its size in bytes.
pub fn write(
    dir: &Path,
    rv: u64,
    objects: &[(ObjectKey, Arc<Value>)],
) -> Result<u64, PersistError> {
    let name = files::snapshot_name(rv);
    let mut size = 0u64;
    files::write_atomic(dir, &name, |w| {
        let mut frame = Vec::new();
        frame.extend_from_slice(&record::header(FileKind::Snapshot));
        let head = SnapshotHead {
            rv,
            objects: objects.len() as u64,
        };
        record::frame(&serde_json::to_vec(&head)?, &mut frame);
        for (key, obj) in objects {
            record::frame(&entry::encode(rv, key, Some(obj))?, &mut frame);
            // Flush in pieces: a snapshot need not sit in memory twice.
            if frame.len() >= 1 << 20 {
                w.write_all(&frame)?;
                size += frame.len() as u64;
                frame.clear();
            }
        }
        w.write_all(&frame)?;
        size += frame.len() as u64;
        Ok(())
    })?;
    Ok(size)
}
