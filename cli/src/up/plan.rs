//! Pure decisions of `fluxion up`: where the GitOps source is and what to sync from it.

use std::path::{Path, PathBuf};

/// Where the GitRepository fetches from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A URL the source-controller reaches itself (http, https, ssh).
    Remote(String),
    /// A repository on this machine, served by `fluxion up` over loopback smart HTTP.
    Local(PathBuf),
}

/// What `up` syncs: the GitRepository's origin and branch, the Kustomization's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sync {
    pub origin: Origin,
    pub branch: String,
    pub path: String,
}

/// The path synced when `up` runs with no `--git`: this repository's example cluster.
pub const EXAMPLES_PATH: &str = "./examples/clusters/local";

/// Decides the sync from the flags. `repo_root` is the git repository around the working
/// directory and `current_branch` its checked-out branch (used when `--git` is a local path
/// or absent).
pub fn decide(
    git: Option<&str>,
    branch: Option<&str>,
    path: Option<&str>,
    repo_root: Option<&Path>,
    current_branch: Option<&str>,
) -> Result<Sync, String> {
    let origin =
        match git {
            Some(url) if is_url(url) => Origin::Remote(url.to_string()),
            Some(url) if url.contains("://") => {
                return Err(format!(
                    "git URL '{url}' not supported: use http, https or ssh, or a local path"
                ));
            }
            Some(dir) => Origin::Local(PathBuf::from(dir)),
            None => Origin::Local(repo_root.map(Path::to_path_buf).ok_or(
                "no --git given and the working directory is not inside a git repository",
            )?),
        };
    let branch = match (branch, &origin) {
        (Some(b), _) => b.to_string(),
        (None, Origin::Local(_)) => current_branch.unwrap_or("main").to_string(),
        (None, Origin::Remote(_)) => "main".to_string(),
    };
    let path = match (path, git) {
        (Some(p), _) => p.to_string(),
        (None, None) => EXAMPLES_PATH.to_string(),
        (None, Some(_)) => "./".to_string(),
    };
    Ok(Sync {
        origin,
        branch,
        path,
    })
}

fn is_url(s: &str) -> bool {
    ["http://", "https://", "ssh://"]
        .iter()
        .any(|p| s.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decides_the_sync() {
        let root = Path::new("/src/fluxion");
        let local = |p: &str| Origin::Local(PathBuf::from(p));
        type Case<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>, Sync);
        let cases: [Case; 4] = [
            (
                None,
                None,
                None,
                Sync {
                    origin: local("/src/fluxion"),
                    branch: "dev".into(),
                    path: EXAMPLES_PATH.into(),
                },
            ),
            (
                Some("https://github.com/org/fleet"),
                None,
                Some("./clusters/prod"),
                Sync {
                    origin: Origin::Remote("https://github.com/org/fleet".into()),
                    branch: "main".into(),
                    path: "./clusters/prod".into(),
                },
            ),
            (
                Some("../fleet"),
                None,
                None,
                Sync {
                    origin: local("../fleet"),
                    branch: "dev".into(),
                    path: "./".into(),
                },
            ),
            (
                Some("ssh://git@host/r"),
                Some("prod"),
                None,
                Sync {
                    origin: Origin::Remote("ssh://git@host/r".into()),
                    branch: "prod".into(),
                    path: "./".into(),
                },
            ),
        ];
        for (git, branch, path, want) in cases {
            assert_eq!(
                decide(git, branch, path, Some(root), Some("dev")),
                Ok(want),
                "{git:?}"
            );
        }
        assert!(decide(Some("ftp://h/r"), None, None, Some(root), None).is_err());
        assert!(decide(None, None, None, None, None).is_err());
    }
}
