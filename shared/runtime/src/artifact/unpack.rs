//! The tar.gz walk: every entry is checked, counted and written below a fresh root. Files,
//! directories and hard links come first; symlinks are created last, so that no write ever
//! goes through a link, and are then checked on disk once they all exist.

use std::cell::Cell;
use std::ffi::OsString;
use std::fs::{self, File, Permissions};
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, SystemTime};

use flate2::read::MultiGzDecoder;

use super::entry::{
    Kind, NameProblem, classify, dir_mode, file_mode, relative_name, target_stays_inside,
};
use super::error::ArtifactError;
use super::extract::{ExtractLimits, ExtractStats};
use super::links::{Resolution, parent_has_symlink, resolve_in_root};

/// Bytes of tar metadata (headers, GNU long names, PAX records) allowed between two entries'
/// data. The tar crate reads long names and PAX records into memory, so this bounds memory.
pub const MAX_ENTRY_METADATA: u64 = 1 << 20;

const COPY_BUFFER: usize = 64 * 1024;
const BLOCK: u64 = 512;

/// Counts the decompressed tar stream and refuses to read past what the entries announced.
struct Meter {
    consumed: Cell<u64>,
    allowed: Cell<u64>,
    exceeded: Cell<bool>,
}

impl Meter {
    /// After an entry's header: its padded data plus the next entry's metadata may follow.
    fn entry_started(&self, size: u64) {
        let padded = size.div_ceil(BLOCK).saturating_mul(BLOCK);
        let allowed = self
            .consumed
            .get()
            .saturating_add(padded)
            .saturating_add(MAX_ENTRY_METADATA);
        self.allowed.set(allowed);
    }
}

struct MeteredReader<R> {
    inner: R,
    meter: Rc<Meter>,
}

impl<R: Read> Read for MeteredReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let room = self
            .meter
            .allowed
            .get()
            .saturating_sub(self.meter.consumed.get());
        if room == 0 && !buf.is_empty() {
            self.meter.exceeded.set(true);
            return Err(io::Error::other("tar metadata is over the limit"));
        }
        let len = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..len])?;
        self.meter
            .consumed
            .set(self.meter.consumed.get() + n as u64);
        Ok(n)
    }
}

struct PendingLink {
    rel: PathBuf,
    target: PathBuf,
    entry: String,
}

struct Unpacker<'a> {
    root: &'a Path,
    limits: &'a ExtractLimits,
    meter: Rc<Meter>,
    stats: ExtractStats,
    entries: u64,
    processed: u64,
    last_entry: String,
    links: Vec<PendingLink>,
    buf: Vec<u8>,
    started: SystemTime,
}

/// Extracts the gzip-compressed tar stream `reader` into `root`, an existing empty directory.
pub(crate) fn unpack(
    reader: impl Read,
    root: &Path,
    limits: &ExtractLimits,
) -> Result<ExtractStats, ArtifactError> {
    let meter = Rc::new(Meter {
        consumed: Cell::new(0),
        allowed: Cell::new(MAX_ENTRY_METADATA),
        exceeded: Cell::new(false),
    });
    let metered = MeteredReader {
        inner: MultiGzDecoder::new(reader),
        meter: Rc::clone(&meter),
    };
    let mut archive = tar::Archive::new(metered);
    let mut unpacker = Unpacker {
        root,
        limits,
        meter,
        stats: ExtractStats::default(),
        entries: 0,
        processed: 0,
        last_entry: String::from("(start of archive)"),
        links: Vec::new(),
        buf: vec![0; COPY_BUFFER],
        started: SystemTime::now(),
    };
    let entries = archive.entries().map_err(|e| unpacker.archive_error(e))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| unpacker.archive_error(e))?;
        unpacker.meter.entry_started(entry.size());
        unpacker.unpack_entry(&mut entry)?;
    }
    unpacker.create_links()?;
    Ok(unpacker.stats)
}

impl Unpacker<'_> {
    fn archive_error(&self, source: io::Error) -> ArtifactError {
        if self.meter.exceeded.get() {
            return ArtifactError::MetadataTooLarge {
                after: self.last_entry.clone(),
                limit: MAX_ENTRY_METADATA,
            };
        }
        ArtifactError::Archive(source)
    }

    /// Applies the entry-count and total-size limits before anything is written, as Flux
    /// does with the sizes the headers announce.
    fn count(&mut self, entry: &str, size: u64) -> Result<(), ArtifactError> {
        self.entries += 1;
        if let Some(limit) = self
            .limits
            .max_entries
            .filter(|limit| self.entries > *limit)
        {
            return Err(ArtifactError::TooManyEntries {
                entry: entry.to_string(),
                limit,
            });
        }
        self.processed = self.processed.saturating_add(size);
        if let Some(limit) = self
            .limits
            .max_untar_size
            .filter(|limit| self.processed > *limit)
        {
            return Err(ArtifactError::UntarSizeExceeded {
                entry: entry.to_string(),
                limit,
            });
        }
        Ok(())
    }

    fn unpack_entry<R: Read>(
        &mut self,
        entry: &mut tar::Entry<'_, R>,
    ) -> Result<(), ArtifactError> {
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        self.last_entry.clone_from(&name);
        self.count(&name, entry.size())?;
        let kind = classify(entry.header().entry_type());
        if let Kind::Unsupported(kind) = kind {
            return Err(ArtifactError::UnsupportedEntry { entry: name, kind });
        }
        if kind == Kind::Skip {
            return Ok(());
        }
        let rel = relative_name(&entry.path_bytes()).map_err(|p| p.into_error(&name))?;
        if rel.as_os_str().is_empty() {
            if kind == Kind::Dir {
                return Ok(());
            }
            return Err(ArtifactError::InvalidPath {
                entry: name,
                reason: "the name is the target directory itself",
            });
        }
        let mode = entry.header().mode().map_err(ArtifactError::Archive)?;
        match kind {
            Kind::File => self.write_file(entry, &rel, &name, mode),
            Kind::Dir => self.make_dir(&rel, &name, mode),
            Kind::HardLink => self.hard_link(entry, &rel, &name),
            Kind::Symlink => self.defer_link(entry, rel, name),
            Kind::Skip | Kind::Unsupported(_) => Ok(()),
        }
    }

    fn ensure_parent(&self, path: &Path) -> Result<(), ArtifactError> {
        match path.parent() {
            Some(parent) => fs::create_dir_all(parent)
                .map_err(|e| ArtifactError::io("creating directory", parent, e)),
            None => Ok(()),
        }
    }

    fn write_file<R: Read>(
        &mut self,
        entry: &mut tar::Entry<'_, R>,
        rel: &Path,
        name: &str,
        mode: u32,
    ) -> Result<(), ArtifactError> {
        let path = self.root.join(rel);
        self.ensure_parent(&path)?;
        if fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_dir()) {
            return Err(conflict(name, "a directory exists at this path"));
        }
        let mut file =
            File::create(&path).map_err(|e| ArtifactError::io("creating file", &path, e))?;
        let mut written: u64 = 0;
        loop {
            let n = match entry.read(&mut self.buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.archive_error(e)),
            };
            file.write_all(&self.buf[..n])
                .map_err(|e| ArtifactError::io("writing file", &path, e))?;
            written += n as u64;
        }
        if written != entry.size() {
            let short = io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("entry {name:?} is truncated"),
            );
            return Err(ArtifactError::Archive(short));
        }
        file.set_permissions(Permissions::from_mode(file_mode(mode)))
            .map_err(|e| ArtifactError::io("setting the mode of", &path, e))?;
        if let Some(mtime) = self.mtime(entry.header()) {
            file.set_modified(mtime)
                .map_err(|e| ArtifactError::io("setting the time of", &path, e))?;
        }
        self.stats.files += 1;
        self.stats.bytes += written;
        Ok(())
    }

    /// The entry's modification time, never later than the start of the extraction (Flux).
    fn mtime(&self, header: &tar::Header) -> Option<SystemTime> {
        let seconds = header.mtime().ok().filter(|s| *s > 0)?;
        let time = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds))?;
        Some(time.min(self.started))
    }

    fn make_dir(&mut self, rel: &Path, name: &str, mode: u32) -> Result<(), ArtifactError> {
        let path = self.root.join(rel);
        if fs::symlink_metadata(&path).is_ok_and(|meta| !meta.is_dir()) {
            return Err(conflict(name, "a file exists at this path"));
        }
        fs::create_dir_all(&path).map_err(|e| ArtifactError::io("creating directory", &path, e))?;
        fs::set_permissions(&path, Permissions::from_mode(dir_mode(mode)))
            .map_err(|e| ArtifactError::io("setting the mode of", &path, e))?;
        self.stats.dirs += 1;
        Ok(())
    }

    /// A hard link must name a regular file extracted before it; no symlink exists yet, so the
    /// target cannot be reached through one.
    fn hard_link<R: Read>(
        &mut self,
        entry: &tar::Entry<'_, R>,
        rel: &Path,
        name: &str,
    ) -> Result<(), ArtifactError> {
        let raw = entry.link_name_bytes().unwrap_or_default().into_owned();
        let shown = String::from_utf8_lossy(&raw).into_owned();
        let target_rel = relative_name(&raw).map_err(|problem| match problem {
            NameProblem::Absolute | NameProblem::Traversal => ArtifactError::HardLinkEscape {
                entry: name.to_string(),
                target: shown.clone(),
            },
            NameProblem::Empty | NameProblem::Backslash | NameProblem::Nul => {
                ArtifactError::HardLinkTarget {
                    entry: name.to_string(),
                    target: shown.clone(),
                }
            }
        })?;
        let target = self.root.join(&target_rel);
        let is_file = fs::symlink_metadata(&target).is_ok_and(|meta| meta.is_file());
        if target_rel.as_os_str().is_empty() || !is_file {
            return Err(ArtifactError::HardLinkTarget {
                entry: name.to_string(),
                target: shown,
            });
        }
        let path = self.root.join(rel);
        self.ensure_parent(&path)?;
        if fs::symlink_metadata(&path).is_ok() {
            return Err(conflict(name, "another entry already exists at this path"));
        }
        fs::hard_link(&target, &path)
            .map_err(|e| ArtifactError::io("creating hard link", &path, e))?;
        self.stats.hard_links += 1;
        Ok(())
    }

    fn defer_link<R: Read>(
        &mut self,
        entry: &tar::Entry<'_, R>,
        rel: PathBuf,
        name: String,
    ) -> Result<(), ArtifactError> {
        let raw = entry.link_name_bytes().unwrap_or_default().into_owned();
        if raw.is_empty() || raw.contains(&0) {
            return Err(ArtifactError::InvalidPath {
                entry: name,
                reason: "the symlink has no valid target",
            });
        }
        let target = PathBuf::from(OsString::from_vec(raw));
        if !target_stays_inside(&rel, &target) {
            return Err(ArtifactError::SymlinkEscape {
                entry: name,
                target: target.to_string_lossy().into_owned(),
            });
        }
        self.links.push(PendingLink {
            rel,
            target,
            entry: name,
        });
        Ok(())
    }

    /// Creates the symlinks in archive order, checking each on disk as it appears, then checks
    /// them all again: a later link can change where an earlier one leads.
    fn create_links(&mut self) -> Result<(), ArtifactError> {
        for link in &self.links {
            if parent_has_symlink(self.root, &link.rel) {
                return Err(conflict(&link.entry, "its parent directory is a symlink"));
            }
            let path = self.root.join(&link.rel);
            self.ensure_parent(&path)?;
            if fs::symlink_metadata(&path).is_ok() {
                return Err(conflict(
                    &link.entry,
                    "another entry already exists at this path",
                ));
            }
            symlink(&link.target, &path)
                .map_err(|e| ArtifactError::io("creating symlink", &path, e))?;
            check_link(self.root, link)?;
            self.stats.symlinks += 1;
        }
        self.links
            .iter()
            .try_for_each(|link| check_link(self.root, link))
    }
}

fn check_link(root: &Path, link: &PendingLink) -> Result<(), ArtifactError> {
    let target = || link.target.to_string_lossy().into_owned();
    match resolve_in_root(root, &link.rel) {
        Resolution::Inside => Ok(()),
        Resolution::Escapes => Err(ArtifactError::SymlinkEscape {
            entry: link.entry.clone(),
            target: target(),
        }),
        Resolution::Loops => Err(ArtifactError::SymlinkLoop {
            entry: link.entry.clone(),
            target: target(),
        }),
    }
}

fn conflict(entry: &str, reason: &'static str) -> ArtifactError {
    ArtifactError::EntryConflict {
        entry: entry.to_string(),
        reason,
    }
}
