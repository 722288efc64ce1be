//! kustomize's file loader: which files and directories a kustomization may read.
//!
//! Files are checked by the load restrictor: with `RootOnly` (kustomize's default) a file
//! must resolve, symlinks included, inside the kustomization's directory. Directories of
//! other kustomizations may be anywhere the filesystem reaches (`../base` is fine), but
//! never absolute, never a directory already on the path (a cycle), never remote.

use crate::fs::{self, FileSystem, FsError};

/// Which files a kustomization may load (kustomize's `--load-restrictor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LoadRestrictor {
    /// Files must be in or below the kustomization's directory (kustomize's default).
    #[default]
    RootOnly,
    /// Any file the filesystem reaches (Flux's kustomize-controller uses this, within
    /// the artifact it extracted).
    None,
}

/// Loader errors, worded as kustomize's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("security; file '{path}' is not in or below '{root}'")]
    OutsideRoot { path: String, root: String },
    #[error("'{0}' must resolve to a file")]
    NotAFile(String),
    #[error("new root '{0}' cannot be absolute")]
    AbsoluteRoot(String),
    #[error("new root cannot be empty")]
    EmptyRoot,
    #[error("must build at directory: not a valid directory: {0}")]
    NotADirectory(String),
    #[error("cycle detected: candidate root '{candidate}' contains visited root '{visited}'")]
    Cycle { candidate: String, visited: String },
    #[error(
        "remote resource '{0}' refused: remote bases and URLs are not supported (as with --no-remote-bases)"
    )]
    Remote(String),
    #[error(transparent)]
    Fs(#[from] FsError),
}

/// Whether kustomize would fetch this reference from the network instead of the disk:
/// an http(s) URL, or anything its git repo-spec parser accepts.
pub fn is_remote(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    const PREFIXES: &[&str] = &[
        "http://",
        "https://",
        "ssh://",
        "git::",
        "git@",
        "git://",
        "file://",
        "github.com/",
        "gitlab.com/",
        "bitbucket.org/",
    ];
    PREFIXES.iter().any(|p| lower.starts_with(p))
        || lower.contains("://")
        || lower.contains("?ref=")
}

/// A loader rooted at one kustomization directory (a real path of the filesystem).
#[derive(Debug, Clone)]
pub struct Loader {
    root: String,
    restrictor: LoadRestrictor,
    /// Roots of the kustomizations that led here, nearest first.
    referrers: Vec<String>,
}

impl Loader {
    /// A loader at `dir`, which must be a directory.
    pub fn new(
        fsys: &dyn FileSystem,
        dir: &str,
        restrictor: LoadRestrictor,
    ) -> Result<Loader, LoadError> {
        let root = confirm_dir(fsys, dir)?;
        Ok(Loader {
            root,
            restrictor,
            referrers: Vec::new(),
        })
    }

    /// The directory this loader reads from.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The real path of a file this loader may read, after the load restrictor.
    pub fn resolve_file(&self, fsys: &dyn FileSystem, path: &str) -> Result<String, LoadError> {
        if is_remote(path) {
            return Err(LoadError::Remote(path.to_string()));
        }
        let joined = fs::join(&self.root, path);
        let real = fsys.real_path(&joined)?;
        if fsys.is_dir(&real) {
            return Err(LoadError::NotAFile(joined));
        }
        if self.restrictor == LoadRestrictor::RootOnly
            && !fs::is_within(&fs::parent(&real), &self.root)
        {
            return Err(LoadError::OutsideRoot {
                path: joined,
                root: self.root.clone(),
            });
        }
        Ok(real)
    }

    /// Reads a file relative to this loader's root.
    pub fn load(&self, fsys: &dyn FileSystem, path: &str) -> Result<Vec<u8>, LoadError> {
        let real = self.resolve_file(fsys, path)?;
        Ok(fsys.read_file(&real)?)
    }

    /// A loader for another kustomization directory referenced from this one.
    pub fn child(&self, fsys: &dyn FileSystem, path: &str) -> Result<Loader, LoadError> {
        if path.is_empty() {
            return Err(LoadError::EmptyRoot);
        }
        if is_remote(path) {
            return Err(LoadError::Remote(path.to_string()));
        }
        if path.starts_with('/') {
            return Err(LoadError::AbsoluteRoot(path.to_string()));
        }
        let root = confirm_dir(fsys, &fs::join(&self.root, path))?;
        for visited in std::iter::once(&self.root).chain(&self.referrers) {
            if fs::is_within(visited, &root) {
                return Err(LoadError::Cycle {
                    candidate: root,
                    visited: visited.clone(),
                });
            }
        }
        let mut referrers = vec![self.root.clone()];
        referrers.extend(self.referrers.iter().cloned());
        Ok(Loader {
            root,
            restrictor: self.restrictor,
            referrers,
        })
    }
}

fn confirm_dir(fsys: &dyn FileSystem, dir: &str) -> Result<String, LoadError> {
    let real = fsys
        .real_path(dir)
        .map_err(|e| LoadError::NotADirectory(e.to_string()))?;
    if !fsys.is_dir(&real) {
        return Err(LoadError::NotADirectory(format!(
            "'{dir}' is not a directory"
        )));
    }
    Ok(real)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemFs;

    fn fixture() -> MemFs {
        let mut m = MemFs::new();
        m.add_file("/repo/app/kustomization.yaml", "resources: []")
            .add_file("/repo/app/sub/cm.yaml", "x")
            .add_file("/repo/base/kustomization.yaml", "resources: []")
            .add_file("/repo/secret.yaml", "s")
            .add_symlink("/repo/app/link.yaml", "../secret.yaml");
        m
    }

    #[test]
    fn root_only_restricts_files_not_bases() {
        let fsys = fixture();
        let l = Loader::new(&fsys, "/repo/app", LoadRestrictor::RootOnly).expect("loader");
        assert!(l.load(&fsys, "sub/cm.yaml").is_ok());
        assert!(matches!(
            l.load(&fsys, "../secret.yaml"),
            Err(LoadError::OutsideRoot { .. })
        ));
        assert!(matches!(
            l.load(&fsys, "link.yaml"),
            Err(LoadError::OutsideRoot { .. })
        ));
        assert!(matches!(l.load(&fsys, "sub"), Err(LoadError::NotAFile(_))));
        assert!(l.child(&fsys, "../base").is_ok());
        assert!(matches!(
            l.child(&fsys, "/repo/base"),
            Err(LoadError::AbsoluteRoot(_))
        ));
        assert!(matches!(l.child(&fsys, ".."), Err(LoadError::Cycle { .. })));
        assert!(matches!(
            l.child(&fsys, "https://example.com/x"),
            Err(LoadError::Remote(_))
        ));
        let free = Loader::new(&fsys, "/repo/app", LoadRestrictor::None).expect("loader");
        assert!(free.load(&fsys, "../secret.yaml").is_ok());
    }

    #[test]
    fn remote_detection() {
        for r in [
            "https://x/y.yaml",
            "github.com/org/repo",
            "git@github.com:org/repo",
            "ssh://git@h/r",
            "./x?ref=v1",
        ] {
            assert!(is_remote(r), "{r}");
        }
        for l in ["base", "../base", "x.yaml", "a/b/c"] {
            assert!(!is_remote(l), "{l}");
        }
    }
}
