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

/// Every regular file under `root` that `ignore` keeps, as sorted relative `/` paths. Symlinks
/// are left out, as Flux does, so none can point outside the artifact.
pub fn collect_files(root: &Path, ignore: &Ignore) -> io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
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
