//! The filesystem a build reads through: a small trait, an on-disk jail and an in-memory tree.
//!
//! Paths are virtual, absolute and `/`-separated (`/`, `/base/deploy.yaml`). The on-disk
//! implementation maps them under a root directory and refuses anything whose real path
//! (symlinks resolved) leaves that root, so no build can read outside its artifact.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// A filesystem error, naming the virtual path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FsError {
    #[error("'{0}' doesn't exist")]
    NotFound(String),
    #[error("'{0}' is a directory")]
    IsDir(String),
    #[error("'{0}' is not a directory")]
    NotDir(String),
    #[error("security; path '{0}' resolves outside the filesystem root")]
    Escape(String),
    #[error("'{path}': {message}")]
    Io { path: String, message: String },
    #[error("'{path}' is larger than the limit of {limit} bytes")]
    TooLarge { path: String, limit: u64 },
}

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub is_dir: bool,
}

/// What a build needs from a filesystem.
pub trait FileSystem {
    /// The bytes of a regular file (following symlinks).
    fn read_file(&self, path: &str) -> Result<Vec<u8>, FsError>;
    /// Entries of a directory, sorted by name.
    fn read_dir(&self, path: &str) -> Result<Vec<DirEntry>, FsError>;
    /// The real path: cleaned, symlinks resolved; an error if it leaves the root.
    fn real_path(&self, path: &str) -> Result<String, FsError>;

    fn is_dir(&self, path: &str) -> bool {
        self.read_dir(path).is_ok()
    }

    fn exists(&self, path: &str) -> bool {
        self.real_path(path)
            .is_ok_and(|p| self.is_dir(&p) || self.read_file(&p).is_ok())
    }
}

/// Go's `filepath.Clean` for absolute virtual paths (`..` above `/` stays at `/`).
pub fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Joins a relative path to a directory; an absolute `rel` replaces it.
pub fn join(dir: &str, rel: &str) -> String {
    if rel.starts_with('/') {
        clean(rel)
    } else {
        clean(&format!("{dir}/{rel}"))
    }
}

/// The directory part of a cleaned path.
pub fn parent(path: &str) -> String {
    match path.rfind('/') {
        Some(0) | None => "/".to_string(),
        Some(i) => path[..i].to_string(),
    }
}

/// `dir` is `root` or below it.
pub fn is_within(dir: &str, root: &str) -> bool {
    root == "/" || dir == root || dir.starts_with(&format!("{root}/"))
}

/// Default bound on one file read through [`DiskFs`]: 64 MiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 << 20;

/// Files under a real directory; virtual paths map below it.
#[derive(Debug, Clone)]
pub struct DiskFs {
    root: PathBuf,
    max_file_bytes: u64,
}

impl DiskFs {
    /// A filesystem jailed in `root`, which must exist.
    pub fn new(root: impl AsRef<Path>) -> Result<DiskFs, FsError> {
        let shown = root.as_ref().display().to_string();
        let root = std::fs::canonicalize(root.as_ref()).map_err(|e| FsError::Io {
            path: shown,
            message: e.to_string(),
        })?;
        Ok(DiskFs {
            root,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
        })
    }

    /// Refuses to read files larger than `limit` bytes.
    pub fn with_max_file_bytes(mut self, limit: u64) -> DiskFs {
        self.max_file_bytes = limit;
        self
    }

    fn host(&self, path: &str) -> PathBuf {
        self.root.join(clean(path).trim_start_matches('/'))
    }

    fn checked(&self, path: &str) -> Result<PathBuf, FsError> {
        let real = self.real_path(path)?;
        Ok(self.host(&real))
    }
}

fn io_err(path: &str, e: &std::io::Error) -> FsError {
    match e.kind() {
        std::io::ErrorKind::NotFound => FsError::NotFound(path.to_string()),
        _ => FsError::Io {
            path: path.to_string(),
            message: e.to_string(),
        },
    }
}

impl FileSystem for DiskFs {
    fn read_file(&self, path: &str) -> Result<Vec<u8>, FsError> {
        let host = self.checked(path)?;
        let meta = std::fs::metadata(&host).map_err(|e| io_err(path, &e))?;
        if meta.is_dir() {
            return Err(FsError::IsDir(path.to_string()));
        }
        if meta.len() > self.max_file_bytes {
            return Err(FsError::TooLarge {
                path: path.to_string(),
                limit: self.max_file_bytes,
            });
        }
        std::fs::read(&host).map_err(|e| io_err(path, &e))
    }

    fn read_dir(&self, path: &str) -> Result<Vec<DirEntry>, FsError> {
        let host = self.checked(path)?;
        if !host.is_dir() {
            return Err(FsError::NotDir(path.to_string()));
        }
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&host).map_err(|e| io_err(path, &e))? {
            let entry = entry.map_err(|e| io_err(path, &e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            out.push(DirEntry {
                is_dir: entry.path().is_dir(),
                name,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    fn real_path(&self, path: &str) -> Result<String, FsError> {
        let host = self.host(path);
        let real = std::fs::canonicalize(&host).map_err(|e| io_err(path, &e))?;
        let rel = real
            .strip_prefix(&self.root)
            .map_err(|_| FsError::Escape(path.to_string()))?;
        let mut out = String::new();
        for c in rel.components() {
            if let Component::Normal(s) = c {
                out.push('/');
                out.push_str(&s.to_string_lossy());
            }
        }
        Ok(if out.is_empty() { "/".to_string() } else { out })
    }
}

#[derive(Debug, Clone)]
enum MemEntry {
    File(Vec<u8>),
    Dir,
    Link(String),
}

/// An in-memory tree for tests; symlinks hold virtual targets.
#[derive(Debug, Clone, Default)]
pub struct MemFs {
    entries: BTreeMap<String, MemEntry>,
}

impl MemFs {
    pub fn new() -> MemFs {
        let mut fs = MemFs::default();
        fs.entries.insert("/".into(), MemEntry::Dir);
        fs
    }

    fn add_parents(&mut self, path: &str) {
        let mut p = parent(path);
        loop {
            self.entries.entry(p.clone()).or_insert(MemEntry::Dir);
            if p == "/" {
                break;
            }
            p = parent(&p);
        }
    }

    /// Adds a file (and its parent directories).
    pub fn add_file(&mut self, path: &str, content: impl Into<Vec<u8>>) -> &mut MemFs {
        let path = clean(path);
        self.add_parents(&path);
        self.entries.insert(path, MemEntry::File(content.into()));
        self
    }

    /// Adds an empty directory.
    pub fn add_dir(&mut self, path: &str) -> &mut MemFs {
        let path = clean(path);
        self.add_parents(&path);
        self.entries.insert(path, MemEntry::Dir);
        self
    }

    /// Adds a symlink whose target is relative to the link's directory or absolute.
    pub fn add_symlink(&mut self, path: &str, target: &str) -> &mut MemFs {
        let path = clean(path);
        self.add_parents(&path);
        self.entries
            .insert(path, MemEntry::Link(target.to_string()));
        self
    }

    /// Resolves every symlink of a path, at most 40 hops as Linux does.
    fn resolve(&self, path: &str) -> Result<String, FsError> {
        let mut pending: Vec<String> = clean(path)
            .split('/')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .rev()
            .collect();
        let mut cur = String::from("/");
        let mut hops = 0;
        while let Some(part) = pending.pop() {
            let next = join(&cur, &part);
            match self.entries.get(&next) {
                Some(MemEntry::Link(target)) => {
                    hops += 1;
                    if hops > 40 {
                        return Err(FsError::Io {
                            path: path.into(),
                            message: "too many links".into(),
                        });
                    }
                    let t = join(&cur, target);
                    pending.extend(
                        t.split('/')
                            .filter(|s| !s.is_empty())
                            .map(String::from)
                            .rev(),
                    );
                    cur = "/".into();
                }
                Some(_) => cur = next,
                None => return Err(FsError::NotFound(path.to_string())),
            }
        }
        Ok(cur)
    }
}

impl FileSystem for MemFs {
    fn read_file(&self, path: &str) -> Result<Vec<u8>, FsError> {
        match self.entries.get(&self.resolve(path)?) {
            Some(MemEntry::File(b)) => Ok(b.clone()),
            Some(_) => Err(FsError::IsDir(path.to_string())),
            None => Err(FsError::NotFound(path.to_string())),
        }
    }

    fn read_dir(&self, path: &str) -> Result<Vec<DirEntry>, FsError> {
        let real = self.resolve(path)?;
        if !matches!(self.entries.get(&real), Some(MemEntry::Dir)) {
            return Err(FsError::NotDir(path.to_string()));
        }
        let mut out = Vec::new();
        for (p, _) in self.entries.iter() {
            if p != "/" && parent(p) == real {
                let name = p.rsplit('/').next().unwrap_or_default().to_string();
                let is_dir = self
                    .resolve(p)
                    .is_ok_and(|r| matches!(self.entries.get(&r), Some(MemEntry::Dir)));
                out.push(DirEntry { name, is_dir });
            }
        }
        Ok(out)
    }

    fn real_path(&self, path: &str) -> Result<String, FsError> {
        self.resolve(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_and_join() {
        assert_eq!(clean("/a/./b/../c/"), "/a/c");
        assert_eq!(clean("/../.."), "/");
        assert_eq!(join("/a/b", "../c.yaml"), "/a/c.yaml");
        assert_eq!(join("/a", "/x"), "/x");
        assert_eq!(parent("/a/b"), "/a");
        assert_eq!(parent("/a"), "/");
        assert!(is_within("/a/b", "/a"));
        assert!(!is_within("/ab", "/a"));
        assert!(is_within("/x", "/"));
    }

    #[test]
    fn memfs_files_dirs_links() {
        let mut fs = MemFs::new();
        fs.add_file("/app/a.yaml", "a")
            .add_symlink("/app/l.yaml", "../other/b.yaml")
            .add_file("/other/b.yaml", "b");
        assert_eq!(fs.read_file("/app/l.yaml").ok(), Some(b"b".to_vec()));
        assert_eq!(
            fs.real_path("/app/l.yaml").ok().as_deref(),
            Some("/other/b.yaml")
        );
        let names: Vec<String> = fs
            .read_dir("/app")
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["a.yaml", "l.yaml"]);
        assert!(fs.is_dir("/other"));
        assert!(!fs.exists("/nope"));
    }

    #[test]
    fn diskfs_refuses_symlink_escape() {
        let outer = tempfile::tempdir().expect("tempdir");
        let root = outer.path().join("root");
        std::fs::create_dir_all(root.join("sub")).expect("mkdir");
        std::fs::write(outer.path().join("secret"), "s").expect("write");
        std::fs::write(root.join("sub/ok.yaml"), "ok").expect("write");
        #[cfg(unix)]
        std::os::unix::fs::symlink(outer.path().join("secret"), root.join("leak"))
            .expect("symlink");
        let fs = DiskFs::new(&root).expect("diskfs");
        assert_eq!(fs.read_file("/sub/ok.yaml").ok(), Some(b"ok".to_vec()));
        assert_eq!(
            fs.read_file("/../secret").err(),
            Some(FsError::NotFound("/../secret".into()))
        );
        #[cfg(unix)]
        assert!(matches!(fs.read_file("/leak"), Err(FsError::Escape(_))));
        assert_eq!(fs.read_dir("/").map(|v| v.len()).ok(), Some(2));
        let small = DiskFs::new(&root).expect("diskfs").with_max_file_bytes(1);
        assert!(matches!(
            small.read_file("/sub/ok.yaml"),
            Err(FsError::TooLarge { .. })
        ));
    }
}
