//! Chart directories (Helm's `LoadDir`): a sorted walk honouring .helmignore, Helm's per-file
//! size limit, and ours: total size, file count, and no symlink leading out of the chart.

use std::path::{Path, PathBuf};

use super::ignore::{HELM_IGNORE, Rules};
use super::load::io_message;
use super::{Chart, File, LoadError, MAX_CHART_SIZE, MAX_FILE_SIZE, MAX_FILES};

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];
const MAX_DEPTH: usize = 64;

/// Loads a chart from a directory.
pub fn load_dir(dir: &Path) -> Result<Chart, LoadError> {
    let root = dir
        .canonicalize()
        .map_err(|e| LoadError(io_message(dir, &e)))?;
    let mut rules = Rules::default();
    let ignore_file = root.join(HELM_IGNORE);
    if ignore_file.is_file() {
        let text = std::fs::read_to_string(&ignore_file)
            .map_err(|e| LoadError(io_message(&ignore_file, &e)))?;
        rules = Rules::parse(&text).map_err(LoadError)?;
    }
    rules.add_defaults();
    let mut walk = Walk {
        root: root.clone(),
        rules,
        files: Vec::new(),
        total: 0,
    };
    walk.dir(&root, "")?;
    super::load_files(walk.files)
}

struct Walk {
    root: PathBuf,
    rules: Rules,
    files: Vec<File>,
    total: u64,
}

impl Walk {
    fn dir(&mut self, path: &Path, rel: &str) -> Result<(), LoadError> {
        // A backstop against symlink cycles the ancestor check cannot see.
        if rel.matches('/').count() >= MAX_DEPTH {
            return Err(LoadError(format!(
                "chart directory {rel:?} is nested deeper than {MAX_DEPTH} levels"
            )));
        }
        let mut names: Vec<String> = std::fs::read_dir(path)
            .map_err(|e| LoadError(io_message(path, &e)))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let n = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            self.entry(&path.join(&name), &n)?;
        }
        Ok(())
    }

    fn entry(&mut self, path: &Path, n: &str) -> Result<(), LoadError> {
        // Symlinks are followed only while they stay inside the chart (resolved path).
        let real = path
            .canonicalize()
            .map_err(|e| LoadError(io_message(path, &e)))?;
        if !real.starts_with(&self.root) {
            return Err(LoadError(format!(
                "chart file {n:?} is a symlink that points outside the chart directory"
            )));
        }
        let meta = std::fs::metadata(&real).map_err(|e| LoadError(io_message(path, &e)))?;
        if meta.is_dir() {
            if self.rules.ignore(n, true) {
                return Ok(());
            }
            // A link back to an enclosing directory would loop forever.
            if real != path && path.starts_with(&real) {
                return Ok(());
            }
            return self.dir(path, n);
        }
        if self.rules.ignore(n, false) {
            return Ok(());
        }
        if !meta.is_file() {
            return Err(LoadError(format!(
                "cannot load irregular file {} as it has file mode type bits set",
                path.display()
            )));
        }
        let base = n.rsplit('/').next().unwrap_or(n);
        if meta.len() > MAX_FILE_SIZE {
            return Err(LoadError(format!(
                "chart file {base:?} is larger than the maximum file size {MAX_FILE_SIZE}"
            )));
        }
        self.total += meta.len();
        if self.total > MAX_CHART_SIZE {
            return Err(LoadError(format!(
                "chart directory is larger than the maximum size {MAX_CHART_SIZE}"
            )));
        }
        if self.files.len() >= MAX_FILES {
            return Err(LoadError(format!(
                "chart has more than the maximum of {MAX_FILES} files"
            )));
        }
        let data = std::fs::read(&real).map_err(|e| LoadError(io_message(path, &e)))?;
        let data = data
            .strip_prefix(UTF8_BOM)
            .map(<[u8]>::to_vec)
            .unwrap_or(data);
        self.files.push(File {
            name: n.to_string(),
            data,
        });
        Ok(())
    }
}
