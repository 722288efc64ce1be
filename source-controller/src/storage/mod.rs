//! Artifact storage under --storage-path: atomic writes of reproducible archives, lookups,
//! garbage collection, removal of an object's artifacts, a lock per object, and the HTTP server
//! that serves the files.

mod archive;
pub mod ignore;
mod include;
mod server;

use std::collections::HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

pub use archive::{ArchiveLimits, Written};
pub use ignore::Ignore;
pub use server::{router, serve};

use crate::plan::{StoredFile, gc_select};

/// How many older artifacts are kept, and for how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    pub ttl: Duration,
    pub records: usize,
}

/// The artifact storage of one controller.
#[derive(Debug)]
pub struct Storage {
    root: PathBuf,
    adv_addr: String,
    retention: Retention,
    limits: ArchiveLimits,
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// The error of a storage operation, with the action Flux names in its messages.
#[derive(Debug, thiserror::Error)]
#[error("{action}: {source}")]
pub struct StorageError {
    pub action: &'static str,
    #[source]
    pub source: io::Error,
}

fn err(action: &'static str) -> impl FnOnce(io::Error) -> StorageError {
    move |source| StorageError { action, source }
}

impl Storage {
    pub fn new(root: PathBuf, adv_addr: String, retention: Retention) -> Self {
        Self {
            root,
            adv_addr,
            retention,
            limits: ArchiveLimits::default(),
            locks: Mutex::new(HashMap::new()),
        }
    }

    /// The same storage with other bounds on what one artifact may hold.
    pub fn with_limits(mut self, limits: ArchiveLimits) -> Self {
        self.limits = limits;
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The URL of an artifact path on the storage server.
    pub fn url(&self, path: &str) -> String {
        crate::plan::artifact_url(&self.adv_addr, path)
    }

    /// The lock of one object's directory: held while its artifacts are written or collected.
    pub fn lock(&self, dir: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.locks.lock().unwrap_or_else(|e| e.into_inner());
        locks.entry(dir.to_string()).or_default().clone()
    }

    /// The absolute path of a relative artifact path; `None` if it would leave the root.
    pub fn resolve(&self, rel: &str) -> Option<PathBuf> {
        let rel = Path::new(rel.trim_start_matches('/'));
        rel.components()
            .all(|c| matches!(c, Component::Normal(_)))
            .then(|| self.root.join(rel))
    }

    /// Whether the artifact file exists.
    pub fn exists(&self, rel: &str) -> bool {
        self.resolve(rel).is_some_and(|p| p.is_file())
    }

    /// Whether the file at `rel` still has `digest` (`sha256:<hex>`); read in chunks.
    pub fn verify(&self, rel: &str, digest: &str) -> Result<bool, StorageError> {
        use sha2::Digest;
        use std::io::Read;
        let path = self.resolve(rel).ok_or_else(|| StorageError {
            action: "resolve artifact path",
            source: io::Error::new(io::ErrorKind::InvalidInput, "path escapes the storage"),
        })?;
        let mut file = std::fs::File::open(path).map_err(err("open artifact"))?;
        let mut hasher = sha2::Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = file.read(&mut buf).map_err(err("read artifact"))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        Ok(format!("sha256:{}", hex::encode(hasher.finalize())) == digest)
    }

    /// Removes one artifact file.
    pub fn remove(&self, rel: &str) -> Result<(), StorageError> {
        match self.resolve(rel).map(std::fs::remove_file) {
            Some(Err(e)) if e.kind() != io::ErrorKind::NotFound => Err(err("remove artifact")(e)),
            _ => Ok(()),
        }
    }

    /// Copies the files of the stored artifact `rel` below `from` into `dest` (an include).
    pub fn copy_to_path(&self, rel: &str, from: &str, dest: &Path) -> Result<(), StorageError> {
        let path = self.resolve(rel).ok_or_else(|| StorageError {
            action: "resolve artifact path",
            source: io::Error::new(io::ErrorKind::InvalidInput, "path escapes the storage"),
        })?;
        include::copy_to_path(&path, from, dest).map_err(err("copy included artifact"))
    }

    /// Archives `src` (less what `ignore` leaves out) to `rel`: written to a temp file in the
    /// same directory, synced, then renamed, so readers never see a partial file.
    pub fn archive(&self, src: &Path, rel: &str, ignore: &Ignore) -> Result<Written, StorageError> {
        let dest = self.resolve(rel).ok_or_else(|| StorageError {
            action: "resolve artifact path",
            source: io::Error::new(io::ErrorKind::InvalidInput, "path escapes the storage"),
        })?;
        let dir = dest.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir).map_err(err("create artifact directory"))?;
        let files =
            archive::collect_files(src, ignore, &self.limits).map_err(err("walk the source"))?;
        let tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(dir)
            .map_err(err("create temporary file"))?;
        let out = tmp.reopen().map_err(err("open temporary file"))?;
        let written = archive::write_archive(&files, out).map_err(err("archive artifact"))?;
        set_mode(tmp.path(), 0o644).map_err(err("set artifact mode"))?;
        tmp.persist(&dest)
            .map_err(|e| err("rename artifact")(e.error))?;
        Ok(written)
    }

    /// Removes the older artifacts of the object directory `dir` per the retention, never
    /// `current`; returns the removed file names.
    pub fn garbage_collect(&self, dir: &str, current: &str) -> Result<Vec<String>, StorageError> {
        let Some(abs) = self.resolve(dir) else {
            return Ok(Vec::new());
        };
        let mut files = Vec::new();
        let entries = match std::fs::read_dir(&abs) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(err("list artifacts")(e)),
        };
        for entry in entries {
            let entry = entry.map_err(err("list artifacts"))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let meta = entry.metadata().map_err(err("stat artifact"))?;
            if meta.is_file() && !name.starts_with(".tmp-") {
                let modified = meta.modified().map_err(err("stat artifact"))?;
                files.push(StoredFile { name, modified });
            }
        }
        let garbage = gc_select(
            &files,
            current,
            SystemTime::now(),
            self.retention.ttl,
            self.retention.records,
        );
        for name in &garbage {
            std::fs::remove_file(abs.join(name)).map_err(err("remove artifact"))?;
        }
        Ok(garbage)
    }

    /// Removes every artifact of the object directory `dir` (on deletion of the object).
    pub fn remove_all(&self, dir: &str) -> Result<(), StorageError> {
        let Some(abs) = self.resolve(dir) else {
            return Ok(());
        };
        match std::fs::remove_dir_all(abs) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(err("remove artifacts")(e)),
            _ => Ok(()),
        }
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests;
