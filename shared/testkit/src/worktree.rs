//! A scratch git work tree that builds history for fixtures: commits from path→content
//! maps, branches, lightweight/annotated/signed tags, and a push of every ref to a remote.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

use crate::error::{Error, Result};
use crate::process::run;
use crate::signing::Signer;

/// Author and committer of fixture commits.
pub const AUTHOR_NAME: &str = "Fluxion Test";
/// Author e-mail of fixture commits (also the identity of generated signing keys).
pub const AUTHOR_EMAIL: &str = "test@fluxion.invalid";

/// A non-bare repository in a temp dir, on branch `main`.
#[derive(Debug)]
pub struct WorkTree {
    dir: TempDir,
}

impl WorkTree {
    /// `git init` on `main` with a fixed identity and signing off by default.
    pub fn new() -> Result<Self> {
        crate::process::require("git", "--version")?;
        let dir = tempfile::Builder::new()
            .prefix("fluxion-wt-")
            .tempdir()
            .map_err(Error::io("creating work tree"))?;
        let tree = Self { dir };
        tree.git(&["init", "--quiet", "--initial-branch=main"])?;
        for (key, value) in [
            ("user.name", AUTHOR_NAME),
            ("user.email", AUTHOR_EMAIL),
            ("commit.gpgsign", "false"),
            ("tag.gpgsign", "false"),
            ("core.autocrlf", "false"),
        ] {
            tree.git(&["config", key, value])?;
        }
        Ok(tree)
    }

    /// The work tree's directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new("git");
        cmd.arg("-C").arg(self.path());
        cmd
    }

    /// Runs `git <args>` in the work tree and returns trimmed stdout.
    pub fn git(&self, args: &[&str]) -> Result<String> {
        run(self.command().args(args))
    }

    /// Writes `files` (path relative to the root → content), creating parent directories.
    pub fn write_files(&self, files: &[(&str, &str)]) -> Result<()> {
        for (rel, content) in files {
            let path = self.path().join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(Error::io("creating directories"))?;
            }
            std::fs::write(&path, content)
                .map_err(Error::io(format!("writing {}", path.display())))?;
        }
        Ok(())
    }

    /// Writes raw bytes at `rel` (binary or huge files).
    pub fn write_bytes(&self, rel: &str, content: &[u8]) -> Result<()> {
        let path = self.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io("creating directories"))?;
        }
        std::fs::write(&path, content).map_err(Error::io(format!("writing {}", path.display())))
    }

    /// Creates a symlink at `rel` pointing to `target` (which may point outside the tree).
    pub fn write_symlink(&self, rel: &str, target: &str) -> Result<()> {
        let path = self.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io("creating directories"))?;
        }
        std::os::unix::fs::symlink(target, &path)
            .map_err(Error::io(format!("symlinking {}", path.display())))
    }

    /// Adds the repository at `url` (a path or URL) as a submodule at `rel`; commit afterwards.
    /// File-protocol submodules are allowed for this one command.
    pub fn add_submodule(&self, url: &str, rel: &str) -> Result<()> {
        self.git(&[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "--quiet",
            "add",
            url,
            rel,
        ])
        .map(|_| ())
    }

    /// Removes `paths` from the work tree (and from the next commit).
    pub fn remove_files(&self, paths: &[&str]) -> Result<()> {
        let mut args = vec!["rm", "-r", "-q", "--"];
        args.extend_from_slice(paths);
        self.git(&args).map(|_| ())
    }

    /// Writes `files`, stages everything and commits; returns the commit id.
    pub fn commit(&self, files: &[(&str, &str)], message: &str) -> Result<String> {
        self.commit_inner(files, message, None)
    }

    /// Like [`WorkTree::commit`], signed by `signer` (GPG or SSH).
    pub fn commit_signed(
        &self,
        files: &[(&str, &str)],
        message: &str,
        signer: &dyn Signer,
    ) -> Result<String> {
        self.commit_inner(files, message, Some(signer))
    }

    fn commit_inner(
        &self,
        files: &[(&str, &str)],
        message: &str,
        signer: Option<&dyn Signer>,
    ) -> Result<String> {
        self.write_files(files)?;
        self.git(&["add", "-A"])?;
        let mut cmd = self.signing_command(signer);
        cmd.args(["commit", "--quiet", "--allow-empty", "-m", message]);
        if signer.is_some() {
            cmd.arg("-S");
        }
        run(&mut cmd)?;
        self.head()
    }

    fn signing_command(&self, signer: Option<&dyn Signer>) -> Command {
        let mut cmd = self.command();
        if let Some(signer) = signer {
            for (key, value) in signer.git_config() {
                cmd.arg("-c").arg(format!("{key}={value}"));
            }
            cmd.envs(signer.envs());
        }
        cmd
    }

    /// The commit id of HEAD.
    pub fn head(&self) -> Result<String> {
        self.git(&["rev-parse", "HEAD"])
    }

    /// Creates branch `name` at HEAD (without switching).
    pub fn branch(&self, name: &str) -> Result<()> {
        self.git(&["branch", name]).map(|_| ())
    }

    /// Switches to an existing branch, or creates it at HEAD and switches.
    pub fn checkout(&self, name: &str) -> Result<()> {
        if self
            .git(&["rev-parse", "--verify", "--quiet", name])
            .is_ok()
        {
            self.git(&["checkout", "--quiet", name]).map(|_| ())
        } else {
            self.git(&["checkout", "--quiet", "-b", name]).map(|_| ())
        }
    }

    /// A lightweight tag at HEAD; returns the commit id it points to.
    pub fn tag(&self, name: &str) -> Result<String> {
        self.git(&["tag", name])?;
        self.head()
    }

    /// An annotated tag at HEAD; returns the tag object's id.
    pub fn annotated_tag(&self, name: &str, message: &str) -> Result<String> {
        self.git(&["tag", "-a", name, "-m", message])?;
        self.git(&["rev-parse", &format!("refs/tags/{name}")])
    }

    /// An annotated tag at HEAD signed by `signer`; returns the tag object's id.
    pub fn signed_tag(&self, name: &str, message: &str, signer: &dyn Signer) -> Result<String> {
        let mut cmd = self.signing_command(Some(signer));
        run(cmd.args(["tag", "-s", name, "-m", message]))?;
        self.git(&["rev-parse", &format!("refs/tags/{name}")])
    }

    /// Force-pushes every branch and tag to `remote` (a path of a bare repository or a URL).
    pub fn push(&self, remote: impl AsRef<OsStr>) -> Result<()> {
        self.push_with_env(remote, &[])
    }

    /// Like [`WorkTree::push`] with extra environment (e.g. `GIT_SSH_COMMAND`, `GIT_SSL_CAINFO`).
    pub fn push_with_env(&self, remote: impl AsRef<OsStr>, env: &[(&str, &str)]) -> Result<()> {
        let mut cmd = self.command();
        cmd.args(["push", "--quiet", "--force"])
            .arg(remote)
            .args(["refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"])
            .envs(env.iter().copied());
        run(&mut cmd).map(|_| ())
    }
}
