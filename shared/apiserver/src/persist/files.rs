//! The data directory's layout: `LOCK` (held by the running server), log segments
//! `wal-<first rv>.log`, snapshots `snapshot-<rv>.snap`, and `*.tmp` files that an interrupted
//! snapshot left behind. Names sort by resourceVersion.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::error::PersistError;

pub const LOCK: &str = "LOCK";

pub fn segment_name(first_rv: u64) -> String {
    format!("wal-{first_rv:020}.log")
}

pub fn snapshot_name(rv: u64) -> String {
    format!("snapshot-{rv:020}.snap")
}

/// What a data directory holds, each list sorted by resourceVersion.
#[derive(Debug, Default)]
pub struct Layout {
    pub segments: Vec<(u64, PathBuf)>,
    pub snapshots: Vec<(u64, PathBuf)>,
    pub temps: Vec<PathBuf>,
}

/// The resourceVersion in a file name `<prefix><digits><suffix>`.
fn numbered(name: &str, prefix: &str, suffix: &str) -> Option<u64> {
    name.strip_prefix(prefix)?
        .strip_suffix(suffix)?
        .parse()
        .ok()
}

/// Lists the files of `dir` that persistence owns; other files are left alone.
pub fn layout(dir: &Path) -> Result<Layout, PersistError> {
    let mut layout = Layout::default();
    let entries = std::fs::read_dir(dir).map_err(PersistError::io(dir))?;
    for entry in entries {
        let entry = entry.map_err(PersistError::io(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if let Some(rv) = numbered(&name, "wal-", ".log") {
            layout.segments.push((rv, path));
        } else if let Some(rv) = numbered(&name, "snapshot-", ".snap") {
            layout.snapshots.push((rv, path));
        } else if name.ends_with(".tmp") {
            layout.temps.push(path);
        }
    }
    layout.segments.sort();
    layout.snapshots.sort();
    Ok(layout)
}

/// Makes the directory's entries (created, renamed, removed files) durable.
pub fn sync_dir(dir: &Path) -> Result<(), PersistError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(PersistError::io(dir))
}

/// Takes the directory's lock for this process, writing our pid into it; the lock goes
/// when the returned file is closed (or the process dies).
pub fn lock(dir: &Path) -> Result<File, PersistError> {
    let path = dir.join(LOCK);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(PersistError::io(&path))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = match holder.trim() {
                "" => "another process".to_string(),
                pid => format!("pid {pid}"),
            };
            return Err(PersistError::Locked {
                dir: dir.to_path_buf(),
                lock: path,
                holder,
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(PersistError::io(&path)(e)),
    }
    file.set_len(0)
        .and_then(|()| file.seek(SeekFrom::Start(0)))
        .and_then(|_| writeln!(file, "{}", std::process::id()))
        .map_err(PersistError::io(&path))?;
    Ok(file)
}

/// Writes a file named `name` in `dir` so that it appears whole or not at all: `fill` writes
/// a temporary file, which is synced, renamed into place, and the directory synced.
pub fn write_atomic(
    dir: &Path,
    name: &str,
    fill: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<(), PersistError> {
    let tmp = dir.join(format!("{name}.tmp"));
    let dest = dir.join(name);
    let file = File::create(&tmp).map_err(PersistError::io(&tmp))?;
    let mut w = BufWriter::new(file);
    fill(&mut w)
        .and_then(|()| w.into_inner().map_err(|e| e.into_error()))
        .and_then(|f| f.sync_all())
        .map_err(PersistError::io(&tmp))?;
    std::fs::rename(&tmp, &dest).map_err(PersistError::io(&dest))?;
    sync_dir(dir)
}

/// Removes a file that is no longer needed; one that is already gone is fine.
pub fn remove(path: &Path) -> Result<(), PersistError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(PersistError::io(path)(e)),
        _ => Ok(()),
    }
}
