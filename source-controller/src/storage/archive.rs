//! Reproducible tar.gz archives of a directory: regular files only, sorted by path, with
//! normalised headers (mtime 0, uid/gid 0, no owner names, mode 0644 or 0755), so the digest
//! depends only on the content.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

use super::ignore::Ignore;

/// The digest and size of a written archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub digest: String,
    pub size: u64,
}

/// Bounds on what one artifact may hold. Flux has no such bound for Git sources; ours keeps a
/// hostile repository (a multi-gigabyte blob, millions of files) from filling the storage
/// volume or the memory of the consumers that unpack the artifact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// Sum of the sizes of the archived files, before compression.
    pub max_bytes: u64,
    /// Number of archived files.
    pub max_files: u64,
}

/// 1 GiB of file content.
pub const DEFAULT_MAX_ARTIFACT_BYTES: u64 = 1 << 30;
/// The file count fluxion's artifact consumers accept by default.
pub const DEFAULT_MAX_ARTIFACT_FILES: u64 = 100_000;

impl Default for ArchiveLimits {
    fn default() -> Self {
        Self {
            max_bytes: DEFAULT_MAX_ARTIFACT_BYTES,
            max_files: DEFAULT_MAX_ARTIFACT_FILES,
        }
    }
}

fn over_limit(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what)
}

/// Every regular file under `root` that `ignore` keeps, as sorted relative `/` paths, within
/// `limits`. Symlinks (to files or directories) are left out and never followed, as Flux does,
/// so none can point outside the artifact.
pub fn collect_files(
    root: &Path,
    ignore: &Ignore,
    limits: &ArchiveLimits,
) -> io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut total: u64 = 0;
    let mut stack = vec![(String::new(), root.to_path_buf())];
    while let Some((rel_dir, dir)) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = match rel_dir.is_empty() {
                true => name,
                false => format!("{rel_dir}/{name}"),
            };
            let kind = entry.file_type()?;
            if ignore.is_ignored(&rel, kind.is_dir()) {
                continue;
            }
            if kind.is_dir() {
                stack.push((rel, entry.path()));
            } else if kind.is_file() {
                total = total.saturating_add(entry.metadata()?.len());
                if total > limits.max_bytes {
                    return Err(over_limit(format!(
                        "the files exceed the artifact size limit of {} bytes (at '{rel}')",
                        limits.max_bytes
                    )));
                }
                if out.len() as u64 >= limits.max_files {
                    return Err(over_limit(format!(
                        "more than {} files exceed the artifact file count limit",
                        limits.max_files
                    )));
                }
                out.push((rel, entry.path()));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A writer that hashes and counts what passes through it.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(unix)]
fn is_executable(path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::metadata(path)?.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Writes the archive of `files` to `out` and returns its digest and size.
pub fn write_archive(files: &[(String, PathBuf)], out: File) -> io::Result<Written> {
    let hashing = Hashing {
        inner: BufWriter::new(out),
        hasher: Sha256::new(),
        size: 0,
    };
    let gz = GzEncoder::new(hashing, Compression::default());
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    for (rel, path) in files {
        let mut file = File::open(path)?;
        let len = file.metadata()?.len();
        let mut header = tar::Header::new_gnu();
        header.set_size(len);
        header.set_mode(if is_executable(path)? { 0o755 } else { 0o644 });
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, rel, &mut file)?;
    }
    let gz = tar.into_inner()?;
    let mut hashing = gz.finish()?;
    hashing.flush()?;
    hashing
        .inner
        .into_inner()
        .map_err(|e| e.into_error())?
        .sync_all()?;
    Ok(Written {
        digest: format!("sha256:{}", hex::encode(hashing.hasher.finalize())),
        size: hashing.size,
    })
}
