//! Git checkouts with the real `git` CLI: shallow clones of a branch or tag, a commit, or a full
//! reference name, with credentials passed through the environment (see [`auth`]), a timeout
//! that kills the process, and errors reduced to git's own `fatal:` line.
//!
//! The CLI is the implementation Flux users already trust for protocol coverage (smart HTTP v2,
//! SSH via OpenSSH with strict host key checking, shallow fetches); it keeps this crate free of
//! a second TLS and SSH stack.

pub mod auth;
pub mod verify;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use fluxion_api::source::GitCheckout;

pub use auth::{Credentials, git_env};

/// The commit a checkout ended on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    /// The full SHA-1 hash.
    pub sha: String,
    /// The commit message.
    pub message: String,
    /// The reference the revision names (`main`, `v1.0.0`, `refs/pull/1/head`), if any.
    pub reference: Option<String>,
}

impl Commit {
    /// Flux's revision string, e.g. `main@sha1:<hash>`.
    pub fn revision(&self) -> String {
        crate::plan::git_revision(self.reference.as_deref(), &self.sha)
    }
}

/// Why a checkout failed; the message never holds a credential.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("unable to clone '{url}': {message}")]
    Clone { url: String, message: String },
    #[error("unable to resolve commit object for '{0}': object not found")]
    CommitNotFound(String),
    #[error("unable to run git: {0}")]
    Spawn(String),
}

/// One checkout: where from, what, into which directory, with which environment.
pub struct CheckoutRequest<'a> {
    pub url: &'a str,
    pub checkout: GitCheckout<'a>,
    pub dest: &'a Path,
    pub env: &'a [(String, String)],
    pub timeout: Duration,
    /// `spec.recurseSubmodules`: check out submodules too (shallowly), with the same credentials.
    pub recurse_submodules: bool,
    /// `spec.sparseCheckout`: keep only these directories of the work tree.
    pub sparse_checkout: &'a [String],
}

/// Checks out the request's reference into `dest` (which must not exist or be empty).
pub async fn checkout(req: &CheckoutRequest<'_>) -> Result<Commit, GitError> {
    let dest = req.dest.display().to_string();
    let clone_err = |message: String| GitError::Clone {
        url: req.url.to_string(),
        message,
    };
    let reference = match req.checkout {
        GitCheckout::Branch(name) | GitCheckout::Tag(name) => {
            let args = [
                "clone",
                "--quiet",
                "--depth",
                "1",
                "--single-branch",
                "--no-tags",
            ];
            let mut args: Vec<&str> = args.to_vec();
            args.extend(["--branch", name, "--", req.url, &dest]);
            run(req, None, &args).await.map_err(clone_err)?;
            Some(name.to_string())
        }
        GitCheckout::Commit { sha, branch } => {
            let mut args = vec!["clone", "--quiet", "--no-checkout"];
            if let Some(branch) = branch {
                args.extend(["--single-branch", "--branch", branch]);
            }
            args.extend(["--", req.url, &dest]);
            run(req, None, &args).await.map_err(clone_err)?;
            run(
                req,
                Some(req.dest),
                &["checkout", "--quiet", "--detach", sha],
            )
            .await
            .map_err(|_| GitError::CommitNotFound(sha.to_string()))?;
            branch.map(str::to_string)
        }
        GitCheckout::RefName(name) => {
            run(req, None, &["init", "--quiet", &dest])
                .await
                .map_err(clone_err)?;
            let fetch = [
                "fetch",
                "--quiet",
                "--depth",
                "1",
                "--no-tags",
                "--",
                req.url,
                name,
            ];
            run(req, Some(req.dest), &fetch).await.map_err(clone_err)?;
            run(
                req,
                Some(req.dest),
                &["checkout", "--quiet", "--detach", "FETCH_HEAD"],
            )
            .await
            .map_err(clone_err)?;
            Some(name.to_string())
        }
        GitCheckout::SemVer(range) => {
            let tag = resolve_semver(req, range).await.map_err(clone_err)?;
            let mut args = vec!["clone", "--quiet", "--depth", "1", "--single-branch"];
            args.extend(["--no-tags", "--branch", &tag, "--", req.url, &dest]);
            run(req, None, &args).await.map_err(clone_err)?;
            Some(tag)
        }
    };
    finish(req).await.map_err(clone_err)?;
    let log = run(req, Some(req.dest), &["log", "-1", "--format=%H%x00%B"])
        .await
        .map_err(clone_err)?;
    let (sha, message) = log.split_once('\0').unwrap_or((log.as_str(), ""));
    Ok(Commit {
        sha: sha.trim().to_string(),
        message: message.trim_end().to_string(),
        reference,
    })
}

/// Submodules and sparse checkout, on a work tree already at the wanted commit.
async fn finish(req: &CheckoutRequest<'_>) -> Result<(), String> {
    let dir = Some(req.dest);
    if req.recurse_submodules {
        let update = [
            "submodule",
            "update",
            "--init",
            "--recursive",
            "--depth",
            "1",
        ];
        run(req, dir, &update).await?;
    }
    if req.sparse_checkout.is_empty() {
        return Ok(());
    }
    let patterns: Vec<String> = req
        .sparse_checkout
        .iter()
        .map(|d| format!("/{}/", d.trim_matches('/')))
        .collect();
    let mut args = vec!["sparse-checkout", "set", "--no-cone", "--"];
    args.extend(patterns.iter().map(String::as_str));
    run(req, dir, &args).await?;
    // Flux refuses directories that the commit does not have.
    for d in req.sparse_checkout {
        if !req.dest.join(d.trim_matches('/')).is_dir() {
            return Err(format!(
                "failed to sparse checkout directories : path '{d}' not found in the repository"
            ));
        }
    }
    Ok(())
}

/// The remote's tags, then the highest that the range accepts (Flux: "no match found for
/// semver: <range>" when none does).
async fn resolve_semver(req: &CheckoutRequest<'_>, range: &str) -> Result<String, String> {
    let listing = run(req, None, &["ls-remote", "--tags", "--", req.url]).await?;
    let tags: Vec<&str> = listing
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(_, r)| r.strip_prefix("refs/tags/"))
        .map(|t| t.strip_suffix("^{}").unwrap_or(t))
        .collect();
    crate::plan::semver::latest_matching(range, tags.iter().copied())?
        .map(str::to_string)
        .ok_or_else(|| format!("no match found for semver: {range}"))
}

/// Runs git with the request's environment and timeout; stdout on success, git's error line
/// on failure.
async fn run(
    req: &CheckoutRequest<'_>,
    dir: Option<&Path>,
    args: &[&str],
) -> Result<String, String> {
    let mut cmd = tokio::process::Command::new("git");
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(req.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let child = cmd.spawn().map_err(|e| format!("unable to run git: {e}"))?;
    let output = match tokio::time::timeout(req.timeout, child.wait_with_output()).await {
        Ok(output) => output.map_err(|e| format!("unable to run git: {e}"))?,
        Err(_) => return Err(format!("timeout waiting for git after {:?}", req.timeout)),
    };
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    Err(error_line(&String::from_utf8_lossy(&output.stderr)))
}

/// git's most telling error line, without its `fatal: ` prefix and without any userinfo an
/// URL in it may carry.
pub fn error_line(stderr: &str) -> String {
    // git's generic wrap-up after an ssh failure says less than ssh's own line before it.
    const GENERIC: &[&str] = &[
        "Cloning into",
        "warning:",
        "fatal: Could not read from remote repository.",
        "Please make sure you have the correct access rights",
        "and the repository exists.",
    ];
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let telling: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !GENERIC.iter().any(|g| l.starts_with(g)))
        .collect();
    // OpenSSH prints banners before its verdict; its verdict is the line that matters.
    const SSH_VERDICTS: &[&str] = &[
        "Host key verification failed",
        "Permission denied",
        "Connection refused",
        "Could not resolve hostname",
        "Connection timed out",
        "No route to host",
    ];
    let line = telling
        .iter()
        .find(|l| SSH_VERDICTS.iter().any(|v| l.contains(v)))
        .or_else(|| {
            telling
                .iter()
                .find(|l| l.starts_with("fatal:") || l.starts_with("error:"))
        })
        .or_else(|| telling.first())
        .or_else(|| lines.last())
        .copied()
        .unwrap_or("git exited with an error");
    let line = line
        .trim_start_matches("fatal:")
        .trim_start_matches("error:")
        .trim();
    // git asks for a user name when the server refuses the credentials it was given (or none);
    // say what happened rather than that no prompt was possible.
    if line.contains("could not read Username") || line.contains("could not read Password") {
        return "authentication required".to_string();
    }
    if line.starts_with("Authentication failed") {
        return format!("authentication required: {}", redact_userinfo(line));
    }
    redact_userinfo(line)
}

/// `scheme://user:pass@host` -> `scheme://host`, wherever it appears.
fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| c == '/' || c.is_whitespace() || c == '\'')
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        out.push_str(
            authority
                .rsplit_once('@')
                .map_or(authority, |(_, host)| host),
        );
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_lines_are_gits_and_redacted() {
        let stderr = "Cloning into 'x'...\nfatal: Authentication failed for 'http://u:secret@127.0.0.1:1/r.git/'\n";
        assert_eq!(
            error_line(stderr),
            "authentication required: Authentication failed for 'http://127.0.0.1:1/r.git/'"
        );
        let prompt = "fatal: could not read Username for 'http://h': terminal prompts disabled\n";
        assert_eq!(error_line(prompt), "authentication required");
        assert_eq!(error_line(""), "git exited with an error");
        assert_eq!(error_line("warning: x\nsomething odd\n"), "something odd");
        let ssh = "Cloning into 'r'...\nHost key verification failed.\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n";
        assert_eq!(error_line(ssh), "Host key verification failed.");
    }
}
