//! Garbage collection of an object's older artifacts, per --artifact-retention-ttl and
//! --artifact-retention-records (Flux's `Storage.getGarbageFiles`).

use std::time::{Duration, SystemTime};

/// A file in an object's artifact directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    pub name: String,
    pub modified: SystemTime,
}

/// The files to delete: never `current`; of the others, oldest first, each one older than `ttl`,
/// then the oldest until no more than `records` files (the current one included) are left.
pub fn gc_select(
    files: &[StoredFile],
    current: &str,
    now: SystemTime,
    ttl: Duration,
    records: usize,
) -> Vec<String> {
    let mut others: Vec<&StoredFile> = files.iter().filter(|f| f.name != current).collect();
    others.sort_by(|a, b| a.modified.cmp(&b.modified).then(a.name.cmp(&b.name)));
    let has_current = files.len() != others.len();
    let mut keep = others.len() + usize::from(has_current);
    let mut garbage = Vec::new();
    for f in others {
        let expired = now
            .duration_since(f.modified)
            .map(|age| age > ttl)
            .unwrap_or(false);
        if expired || keep > records {
            garbage.push(f.name.clone());
            keep -= 1;
        }
    }
    garbage
}
