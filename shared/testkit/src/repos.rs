//! A temp directory of bare repositories that a git server (HTTP or SSH) serves.

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use crate::error::{Error, Result};
use crate::process::run;

/// Bare repositories under a temp root; `org/app` lives at `<root>/org/app.git`.
#[derive(Debug)]
pub struct BareRepos {
    dir: TempDir,
}

impl BareRepos {
    /// A fresh, empty root.
    pub fn new() -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("fluxion-git-")
            .tempdir()
            .map_err(Error::io("creating git root"))?;
        Ok(Self { dir })
    }

    /// The root every repository lives under.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The path inside the root for `name`, with `.git` appended unless present.
    pub fn relative(name: &str) -> String {
        let name = name.trim_matches('/');
        if name.ends_with(".git") {
            name.to_string()
        } else {
            format!("{name}.git")
        }
    }

    /// Where the bare repository `name` lives (it may not exist yet).
    pub fn path(&self, name: &str) -> PathBuf {
        self.root().join(Self::relative(name))
    }

    /// Creates the bare repository `name` (default branch `main`) and returns its path.
    pub fn create(&self, name: &str) -> Result<PathBuf> {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io("creating repo parent"))?;
        }
        run(Command::new("git")
            .args(["init", "--quiet", "--bare", "--initial-branch=main"])
            .arg(&path))?;
        run(Command::new("git")
            .arg("-C")
            .arg(&path)
            .args(["config", "http.receivepack", "true"]))?;
        Ok(path)
    }

    /// Points the bare repository's HEAD (its default branch) at `branch`.
    pub fn set_default_branch(&self, name: &str, branch: &str) -> Result<()> {
        run(Command::new("git").arg("-C").arg(self.path(name)).args([
            "symbolic-ref",
            "HEAD",
            &format!("refs/heads/{branch}"),
        ]))
        .map(|_| ())
    }
}
