//! The write-ahead log: each commit writes its record to the current segment (under the
//! store's lock, so records are in resourceVersion order and survive a kill of the process);
//! one syncer thread fdatasyncs whatever has been written since its last sync, so concurrent
//! writers share an fsync (group commit), and publishes the durable resourceVersion that
//! requests wait for before they are answered.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use tokio::sync::watch;

use super::entry;
use super::error::PersistError;
use super::files;
use super::record::{self, FileKind, HEADER_LEN};
use super::recover::Tail;
use crate::store::{Write, WriteLog};

/// How far the log is durable, or why it stopped being.
#[derive(Debug, Clone, Default)]
pub struct Durable {
    pub rv: u64,
    pub failed: Option<Arc<str>>,
    /// How many syncs the log has done (writes per sync shows group commit at work).
    pub syncs: u64,
}

struct State {
    file: Arc<File>,
    first_rv: u64,
    len: u64,
    /// The last resourceVersion written to the file, and the last one synced.
    written: u64,
    synced: u64,
    syncs: u64,
    failed: Option<Arc<str>>,
    closed: bool,
    /// The segment length at which a compaction is asked for.
    compact_at: u64,
    compact_wanted: bool,
}

pub struct Wal {
    dir: PathBuf,
    state: Mutex<State>,
    /// Wakes the syncer (something written) and the compactor (compaction wanted).
    wake: Condvar,
    wake_compactor: Condvar,
    durable: watch::Sender<Durable>,
}

fn open_segment(dir: &Path, first_rv: u64) -> Result<File, PersistError> {
    let path = dir.join(files::segment_name(first_rv));
    let mut f = OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(&path)
        .map_err(PersistError::io(&path))?;
    f.write_all(&record::header(FileKind::Log))
        .and_then(|()| f.sync_all())
        .map_err(PersistError::io(&path))?;
    files::sync_dir(dir)?;
    reopen_append(&path)
}

fn reopen_append(path: &Path) -> Result<File, PersistError> {
    OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(PersistError::io(path))
}

/// Opens `tail` for appending, cut back to its good prefix, or starts a new segment.
fn open_tail(dir: &Path, tail: Option<Tail>, rv: u64) -> Result<(File, u64, u64), PersistError> {
    let tail = match tail {
        Some(t) if t.good_len >= HEADER_LEN as u64 => t,
        empty => {
            // A segment whose header never made it holds nothing; it must not stay
            // before the new one.
            if let Some(t) = empty.filter(|t| t.first_rv != rv + 1) {
                files::remove(&t.path)?;
            }
            let file = open_segment(dir, rv + 1)?;
            return Ok((file, rv + 1, HEADER_LEN as u64));
        }
    };
    let file = reopen_append(&tail.path)?;
    let io = PersistError::io(&tail.path);
    let len = file.metadata().map_err(PersistError::io(&tail.path))?.len();
    if len > tail.good_len {
        file.set_len(tail.good_len)
            .and_then(|()| file.sync_all())
            .map_err(io)?;
    }
    Ok((file, tail.first_rv, tail.good_len))
}

impl Wal {
    /// Opens the log after recovery reached `rv`.
    pub fn open(
        dir: &Path,
        tail: Option<Tail>,
        rv: u64,
        compact_at: u64,
    ) -> Result<Wal, PersistError> {
        let (file, first_rv, len) = open_tail(dir, tail, rv)?;
        let (durable, _) = watch::channel(Durable {
            rv,
            ..Durable::default()
        });
        Ok(Wal {
            dir: dir.to_path_buf(),
            state: Mutex::new(State {
                file: Arc::new(file),
                first_rv,
                len,
                written: rv,
                synced: rv,
                syncs: 0,
                failed: None,
                closed: false,
                compact_at,
                compact_wanted: len >= compact_at,
            }),
            wake: Condvar::new(),
            wake_compactor: Condvar::new(),
            durable,
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn publish(&self, s: &State) {
        self.durable.send_replace(Durable {
            rv: s.synced,
            failed: s.failed.clone(),
            syncs: s.syncs,
        });
    }

    fn fail(&self, s: &mut State, why: String) {
        tracing::error!(error = %why, "write-ahead log failed; refusing writes");
        s.failed = Some(why.into());
        self.publish(s);
        self.wake.notify_all();
        self.wake_compactor.notify_all();
    }

    /// Writes one framed record; on a failed write the file is cut back so no partial
    /// record stays before later ones.
    fn write_record(&self, rv: u64, frame: &[u8]) -> Result<(), String> {
        let mut s = self.lock();
        if let Some(why) = &s.failed {
            return Err(format!("write-ahead log unusable: {why}"));
        }
        if s.closed {
            return Err("the server is shutting down".into());
        }
        if let Err(e) = (&*s.file).write_all(frame) {
            let why = format!("writing the write-ahead log: {e}");
            if let Err(cut) = s.file.set_len(s.len) {
                self.fail(
                    &mut s,
                    format!("{why}; cutting back the partial record: {cut}"),
                );
            }
            return Err(why);
        }
        s.len += frame.len() as u64;
        s.written = rv;
        if s.len >= s.compact_at && !s.compact_wanted {
            s.compact_wanted = true;
            self.wake_compactor.notify_all();
        }
        self.wake.notify_one();
        Ok(())
    }

    /// Runs the group-commit loop until the log is closed or fails.
    pub fn run_syncer(&self) {
        loop {
            let (file, target) = {
                let mut s = self.lock();
                while !s.closed && s.failed.is_none() && s.written <= s.synced {
                    s = self.wake.wait(s).unwrap_or_else(|p| p.into_inner());
                }
                if s.closed || s.failed.is_some() {
                    return;
                }
                (s.file.clone(), s.written)
            };
            let res = file.sync_data();
            let mut s = self.lock();
            match res {
                Ok(()) => {
                    s.synced = s.synced.max(target);
                    s.syncs += 1;
                    self.publish(&s);
                }
                Err(e) => {
                    self.fail(&mut s, format!("syncing the write-ahead log: {e}"));
                    return;
                }
            }
        }
    }

    /// Waits until every write up to `rv` is on disk.
    pub async fn wait_durable(&self, rv: u64) -> Result<(), Arc<str>> {
        let mut rx = self.durable.subscribe();
        let seen = rx
            .wait_for(|d| d.rv >= rv || d.failed.is_some())
            .await
            .map(|d| d.clone());
        match seen {
            Ok(Durable { rv: got, .. }) if got >= rv => Ok(()),
            Ok(Durable { failed, .. }) => {
                Err(failed.unwrap_or_else(|| "write-ahead log failed".into()))
            }
            Err(_) => Err("write-ahead log closed".into()),
        }
    }

    /// Blocks until a compaction is wanted (true) or the log is closed (false).
    pub fn wait_compaction(&self) -> bool {
        let mut s = self.lock();
        while !s.closed && s.failed.is_none() && !s.compact_wanted {
            s = self
                .wake_compactor
                .wait(s)
                .unwrap_or_else(|p| p.into_inner());
        }
        !s.closed && s.failed.is_none()
    }

    /// Ends the current segment (synced) and starts `wal-<next_rv>.log`; called while no
    /// write can commit, `next_rv` being the next resourceVersion.
    pub fn rotate(&self, next_rv: u64) -> Result<(), PersistError> {
        let mut s = self.lock();
        s.compact_wanted = false;
        if s.first_rv == next_rv {
            return Ok(());
        }
        let old = self.dir.join(files::segment_name(s.first_rv));
        s.file.sync_data().map_err(PersistError::io(&old))?;
        s.synced = s.written;
        self.publish(&s);
        s.file = Arc::new(open_segment(&self.dir, next_rv)?);
        s.first_rv = next_rv;
        s.len = HEADER_LEN as u64;
        Ok(())
    }

    /// Asks for the next compaction once the current segment reaches `bytes`.
    pub fn compact_when(&self, bytes: u64) {
        let mut s = self.lock();
        s.compact_at = bytes;
        s.compact_wanted = s.len >= bytes;
    }

    /// Puts the next compaction off until the segment grows by `bytes`.
    pub fn defer_compaction(&self, bytes: u64) {
        let mut s = self.lock();
        s.compact_at = s.len.saturating_add(bytes);
        s.compact_wanted = false;
    }

    /// Asks for a compaction now.
    pub fn request_compaction(&self) {
        self.lock().compact_wanted = true;
        self.wake_compactor.notify_all();
    }

    /// How far the log is durable, and how many syncs it took.
    pub fn durable(&self) -> Durable {
        self.durable.borrow().clone()
    }

    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// Syncs what was written and refuses further writes.
    pub fn close(&self) {
        let mut s = self.lock();
        if s.closed {
            return;
        }
        s.closed = true;
        match s.file.sync_data() {
            Ok(()) => s.synced = s.written,
            Err(e) => s.failed = Some(format!("syncing the write-ahead log: {e}").into()),
        }
        self.publish(&s);
        self.wake.notify_all();
        self.wake_compactor.notify_all();
    }
}

/// The store's hook into the log.
pub struct LogHandle(pub Arc<Wal>);

impl WriteLog for LogHandle {
    fn append(&self, rv: u64, write: &Write) -> Result<(), String> {
        let payload =
            entry::encode_write(rv, write).map_err(|e| format!("encoding a log record: {e}"))?;
        if payload.len() > record::MAX_PAYLOAD {
            return Err(format!("object too large to log ({} bytes)", payload.len()));
        }
        let mut frame = Vec::with_capacity(payload.len() + record::FRAME_LEN);
        record::frame(&payload, &mut frame);
        self.0.write_record(rv, &frame)
    }
}

impl Drop for LogHandle {
    fn drop(&mut self) {
        self.0.close();
    }
}
