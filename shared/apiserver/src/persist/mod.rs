//! Persistence under a data directory: a write-ahead log of every committed write (fsynced
//! with group commit before the request is answered), periodic snapshots that let old log
//! segments go, recovery at start (snapshot + log replay, a torn last record dropped), and a
//! lock file so two servers never share a directory.
//!
//! A write is in the log file before it is applied, so a killed process loses nothing it made
//! visible; it is on disk (fdatasync) before its request is answered, so a machine crash
//! loses nothing acknowledged.

mod entry;
mod error;
mod files;
mod record;
mod recover;
mod snapshot;
mod wal;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::store::{Store, WriteLog};

pub use error::PersistError;
pub use recover::Recovered;
pub use wal::Durable;
use wal::{LogHandle, Wal};

/// The default log size that triggers a compaction (snapshot + dropping old segments).
pub const DEFAULT_COMPACT_BYTES: u64 = 32 * 1024 * 1024;

/// An open data directory: locked, recovered, logging.
pub struct Persistence {
    dir: PathBuf,
    wal: Arc<Wal>,
    compact_bytes: u64,
    lock: Mutex<Option<File>>,
    /// Held while compacting, so closing waits for a compaction to finish.
    compacting: Mutex<()>,
}

impl Persistence {
    /// Locks `dir` (creating it) and recovers its state. A compaction is asked for once the
    /// log outgrows both `compact_bytes` and the last snapshot.
    pub fn open(
        dir: &Path,
        compact_bytes: u64,
    ) -> Result<(Arc<Persistence>, Recovered), PersistError> {
        std::fs::create_dir_all(dir).map_err(PersistError::io(dir))?;
        let lock = files::lock(dir)?;
        let layout = files::layout(dir)?;
        for tmp in &layout.temps {
            files::remove(tmp)?;
        }
        let mut recovered = recover::recover(&layout)?;
        if let Some((path, offset)) = &recovered.dropped {
            tracing::warn!(file = %path.display(), offset, "dropped a torn last log record");
        }
        let compact_at = compact_bytes.max(recovered.snapshot_bytes);
        let wal = Wal::open(dir, recovered.tail.take(), recovered.rv, compact_at)?;
        if recovered.log_bytes >= compact_at {
            wal.request_compaction();
        }
        let p = Persistence {
            dir: dir.to_path_buf(),
            wal: Arc::new(wal),
            compact_bytes,
            lock: Mutex::new(Some(lock)),
            compacting: Mutex::new(()),
        };
        Ok((Arc::new(p), recovered))
    }

    /// The hook the store logs every write through.
    pub fn write_log(&self) -> Box<dyn WriteLog> {
        Box::new(LogHandle(self.wal.clone()))
    }

    /// Starts the group-commit and compaction threads for `store`.
    pub fn start(self: &Arc<Self>, store: &Arc<Store>) -> Result<(), PersistError> {
        let wal = self.wal.clone();
        let me = self.clone();
        let store: Weak<Store> = Arc::downgrade(store);
        let spawn = |name: &str, f: Box<dyn FnOnce() + Send>| {
            std::thread::Builder::new()
                .name(name.into())
                .spawn(f)
                .map(drop)
                .map_err(PersistError::io(&self.dir))
        };
        spawn("apiserver-wal-sync", Box::new(move || wal.run_syncer()))?;
        spawn(
            "apiserver-compact",
            Box::new(move || me.run_compactor(&store)),
        )
    }

    fn run_compactor(&self, store: &Weak<Store>) {
        while self.wal.wait_compaction() {
            let Some(store) = store.upgrade() else { return };
            if let Err(e) = self.compact(&store) {
                tracing::error!(error = %e, "compaction failed; retrying after more writes");
                self.wal.defer_compaction(self.compact_bytes);
            }
        }
    }

    /// Writes a snapshot of `store` and removes the log segments and snapshots it
    /// supersedes; returns the snapshot's resourceVersion.
    pub fn compact(&self, store: &Store) -> Result<u64, PersistError> {
        let _busy = self.compacting.lock().unwrap_or_else(|p| p.into_inner());
        if self.wal.is_closed() {
            return Err(PersistError::Invalid {
                path: self.dir.clone(),
                why: "closed".into(),
            });
        }
        let (objects, rv) = store.checkpoint(|objects, rv| {
            self.wal.rotate(rv + 1)?;
            let objects: Vec<_> = objects
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Ok::<_, PersistError>((objects, rv))
        })?;
        let size = snapshot::write(&self.dir, rv, &objects)?;
        let layout = files::layout(&self.dir)?;
        for (first, path) in &layout.segments {
            if *first <= rv {
                files::remove(path)?;
            }
        }
        for (at, path) in &layout.snapshots {
            if *at < rv {
                files::remove(path)?;
            }
        }
        files::sync_dir(&self.dir)?;
        self.wal.compact_when(self.compact_bytes.max(size));
        tracing::debug!(rv, objects = objects.len(), bytes = size, "compacted");
        Ok(rv)
    }

    /// Waits until every write up to `rv` is on disk.
    pub async fn wait_durable(&self, rv: u64) -> Result<(), Arc<str>> {
        self.wal.wait_durable(rv).await
    }

    /// How far the log is durable and how many syncs the group commit has done.
    pub fn durable(&self) -> wal::Durable {
        self.wal.durable()
    }

    /// Syncs and closes the log, waits for a running compaction, and releases the
    /// directory; later writes are refused.
    pub fn close(&self) {
        self.wal.close();
        let _busy = self.compacting.lock().unwrap_or_else(|p| p.into_inner());
        self.lock.lock().unwrap_or_else(|p| p.into_inner()).take();
    }
}

/// What [`durable_gate`] needs.
#[derive(Clone)]
pub struct Gate {
    pub store: Arc<Store>,
    pub persistence: Arc<Persistence>,
}

/// Middleware: a request that may have written is answered only once its writes are on disk.
/// Waiting for the store's resourceVersion at the end of the request covers every write the
/// request made; requests finishing together share one fsync.
pub async fn durable_gate(State(gate): State<Gate>, req: Request, next: Next) -> Response {
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let response = next.run(req).await;
    if !writes {
        return response;
    }
    let rv = gate.store.current_rv();
    match gate.persistence.wait_durable(rv).await {
        Ok(()) => response,
        Err(why) => {
            let e = ApiError::internal(format!("persisting the write failed: {why}"));
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "application/json")],
                e.status().to_string(),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests;
