//! On-disk symlink checks: resolve a path inside the extraction root the way the kernel
//! would, following links already created, and report whether it ever leaves the root.

use std::ffi::OsString;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Linux's own limit on links followed while resolving one path.
const MAX_LINK_HOPS: usize = 40;

/// Where a path inside the root ends up once every link on the way is followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resolution {
    /// At the root or below it (or dangling below it).
    Inside,
    /// Above the root, or at an absolute location.
    Escapes,
    /// More than [`MAX_LINK_HOPS`] links: the kernel would answer ELOOP.
    Loops,
}

enum Step {
    Up,
    Name(OsString),
}

/// The steps of a relative path, last step first (so that `pop` yields them in order).
/// `None` for an absolute path.
fn steps_reversed(path: &Path) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(name) => steps.push(Step::Name(name.to_os_string())),
            Component::ParentDir => steps.push(Step::Up),
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    steps.reverse();
    Some(steps)
}

/// Resolves `rel` (relative to `root`), following symlinks found on disk. Components that do
/// not exist are taken lexically: nothing can be reached through them.
pub(crate) fn resolve_in_root(root: &Path, rel: &Path) -> Resolution {
    let Some(mut pending) = steps_reversed(rel) else {
        return Resolution::Escapes;
    };
    let mut resolved = PathBuf::new();
    let mut hops = 0;
    while let Some(step) = pending.pop() {
        match step {
            Step::Up => {
                if !resolved.pop() {
                    return Resolution::Escapes;
                }
            }
            Step::Name(name) => {
                resolved.push(&name);
                let Some(target) = link_target(&root.join(&resolved)) else {
                    continue;
                };
                hops += 1;
                if hops > MAX_LINK_HOPS {
                    return Resolution::Loops;
                }
                resolved.pop();
                match steps_reversed(&target) {
                    Some(steps) => pending.extend(steps),
                    None => return Resolution::Escapes,
                }
            }
        }
    }
    Resolution::Inside
}

/// The target of `path` if it is a symlink; `None` when it is anything else or absent.
fn link_target(path: &Path) -> Option<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::read_link(path).ok(),
        // Absent, or under a regular file (ENOTDIR): nothing is reached through it.
        Ok(_) | Err(_) => None,
    }
}

/// Whether any existing ancestor of `rel` below the root is a symlink: writing there would
/// go through it.
pub(crate) fn parent_has_symlink(root: &Path, rel: &Path) -> bool {
    let Some(parent) = rel.parent() else {
        return false;
    };
    let mut current = root.to_path_buf();
    for component in parent.components() {
        current.push(component);
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn root_with(links: &[(&str, &str)], dirs: &[&str]) -> tempfile::TempDir {
        let root = tempfile::tempdir().expect("tempdir");
        for dir in dirs {
            fs::create_dir_all(root.path().join(dir)).expect("mkdir");
        }
        for (link, target) in links {
            symlink(target, root.path().join(link)).expect("symlink");
        }
        root
    }

    #[test]
    fn resolution_table() {
        use Resolution::*;
        type Links = &'static [(&'static str, &'static str)];
        let cases: &[(Links, &[&str], &str, Resolution)] = &[
            (&[("l", "sub")], &["sub"], "l", Inside),
            (&[("l", ".")], &[], "l", Inside),
            (&[("l", "missing/x")], &[], "l", Inside),
            (&[("l", "..")], &[], "l", Escapes),
            (&[("l", "/etc")], &[], "l", Escapes),
            (&[("sub/l", "../../x")], &["sub"], "sub/l", Escapes),
            (&[("sub/l", "../x")], &["sub"], "sub/l", Inside),
            // Lexically inside, but `a` is the root itself, so `a/..` is above it.
            (&[("a", "."), ("b", "a/../x")], &[], "b", Escapes),
            (
                &[("a", "sub/deeper"), ("b", "a/../../x")],
                &["sub/deeper"],
                "b",
                Inside,
            ),
            (&[("a", "b"), ("b", "a")], &[], "a", Loops),
            (&[("a", "a")], &[], "a", Loops),
        ];
        for (links, dirs, path, want) in cases {
            let root = root_with(links, dirs);
            assert_eq!(
                resolve_in_root(root.path(), Path::new(path)),
                *want,
                "{links:?} {path}"
            );
        }
    }

    #[test]
    fn symlinked_parents_are_found() {
        let root = root_with(&[("l", "sub")], &["sub", "real"]);
        assert!(parent_has_symlink(root.path(), Path::new("l/x")));
        assert!(!parent_has_symlink(root.path(), Path::new("real/x")));
        assert!(!parent_has_symlink(root.path(), Path::new("x")));
        assert!(!parent_has_symlink(
            root.path(),
            Path::new("missing/deeper/x")
        ));
    }
}
