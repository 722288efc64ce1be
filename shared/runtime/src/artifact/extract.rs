//! Safe tar.gz extraction with fluxcd/pkg/tar's limits: into a destination that appears whole
//! or not at all, or into a fresh temporary directory deleted with its guard.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::error::ArtifactError;
use super::unpack::unpack;

/// Flux's `tar.DefaultMaxUntarSize`: 100 MiB of entry data.
pub const DEFAULT_MAX_UNTAR_SIZE: u64 = 100 << 20;

/// Entries (files, directories, links) allowed in one archive by default.
pub const DEFAULT_MAX_ENTRIES: u64 = 100_000;

/// Bounds on what one archive may unpack to; `None` disables a bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtractLimits {
    /// Sum of the sizes of all entries, as their headers announce them.
    pub max_untar_size: Option<u64>,
    /// Number of entries.
    pub max_entries: Option<u64>,
}

impl Default for ExtractLimits {
    fn default() -> Self {
        ExtractLimits {
            max_untar_size: Some(DEFAULT_MAX_UNTAR_SIZE),
            max_entries: Some(DEFAULT_MAX_ENTRIES),
        }
    }
}

impl ExtractLimits {
    /// No size or count bound (what Flux's kustomize-controller configures). Per-entry
    /// metadata stays bounded.
    pub fn unlimited() -> Self {
        ExtractLimits {
            max_untar_size: None,
            max_entries: None,
        }
    }
}

/// What an extraction wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExtractStats {
    pub files: u64,
    pub dirs: u64,
    pub symlinks: u64,
    pub hard_links: u64,
    /// Bytes of regular-file data written.
    pub bytes: u64,
}

/// Extracts a gzip-compressed tar stream into `dest`, which must be absent or an empty
/// directory. The archive is unpacked into a sibling staging directory first and renamed into
/// place only when every entry passed, so a refused archive leaves nothing behind.
pub fn extract_tar_gz(
    reader: impl Read,
    dest: &Path,
    limits: &ExtractLimits,
) -> Result<ExtractStats, ArtifactError> {
    let parent = parent_dir(dest);
    fs::create_dir_all(&parent).map_err(|e| ArtifactError::io("creating directory", &parent, e))?;
    let existing = check_destination(dest)?;
    let staging = tempfile::Builder::new()
        .prefix(".artifact-extract-")
        .tempdir_in(&parent)
        .map_err(|e| ArtifactError::io("creating a staging directory in", &parent, e))?;
    let stats = unpack(reader, staging.path(), limits)?;
    if let Some(permissions) = existing {
        fs::set_permissions(staging.path(), permissions)
            .map_err(|e| ArtifactError::io("setting the mode of", staging.path(), e))?;
    }
    fs::rename(staging.path(), dest).map_err(|e| match e.kind() {
        io::ErrorKind::DirectoryNotEmpty | io::ErrorKind::AlreadyExists => {
            ArtifactError::DestinationNotEmpty {
                path: dest.to_path_buf(),
            }
        }
        _ => ArtifactError::io("moving the extracted files to", dest, e),
    })?;
    // The staging path is gone (it is `dest` now): nothing left for the guard to delete.
    let _ = staging.keep();
    Ok(stats)
}

/// Extracts a gzip-compressed tar stream into a new directory under `parent`. The directory
/// is deleted when the returned guard is dropped, and at once if extraction fails.
pub fn extract_tar_gz_to_temp_dir(
    reader: impl Read,
    parent: &Path,
    limits: &ExtractLimits,
) -> Result<ExtractedDir, ArtifactError> {
    fs::create_dir_all(parent).map_err(|e| ArtifactError::io("creating directory", parent, e))?;
    let dir = tempfile::Builder::new()
        .prefix("artifact-")
        .tempdir_in(parent)
        .map_err(|e| ArtifactError::io("creating a temporary directory in", parent, e))?;
    let stats = unpack(reader, dir.path(), limits)?;
    Ok(ExtractedDir { dir, stats })
}

/// An extracted artifact in a temporary directory, deleted (with everything in it) on drop.
#[derive(Debug)]
pub struct ExtractedDir {
    dir: tempfile::TempDir,
    stats: ExtractStats,
}

impl ExtractedDir {
    /// The directory holding the archive's contents.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// What the extraction wrote.
    pub fn stats(&self) -> ExtractStats {
        self.stats
    }

    /// Keeps the directory past the guard; the caller deletes it.
    pub fn keep(self) -> PathBuf {
        self.dir.keep()
    }

    /// Deletes the directory now, reporting a failure that drop would ignore.
    pub fn close(self) -> Result<(), ArtifactError> {
        let path = self.dir.path().to_path_buf();
        self.dir
            .close()
            .map_err(|e| ArtifactError::io("deleting directory", path, e))
    }
}

impl AsRef<Path> for ExtractedDir {
    fn as_ref(&self) -> &Path {
        self.path()
    }
}

/// The directory that holds `path` (`.` for a bare relative name).
pub(crate) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `dest` must be absent or an empty directory (not a symlink to one); returns the
/// permissions of an existing one so the result keeps them.
fn check_destination(dest: &Path) -> Result<Option<fs::Permissions>, ArtifactError> {
    let meta = match fs::symlink_metadata(dest) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ArtifactError::io("inspecting", dest, e)),
    };
    let not_empty = || ArtifactError::DestinationNotEmpty {
        path: dest.to_path_buf(),
    };
    if !meta.is_dir() {
        return Err(not_empty());
    }
    let mut entries =
        fs::read_dir(dest).map_err(|e| ArtifactError::io("reading directory", dest, e))?;
    if entries.next().is_some() {
        return Err(not_empty());
    }
    Ok(Some(meta.permissions()))
}
