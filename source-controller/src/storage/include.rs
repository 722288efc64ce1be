//! Copies the files of a stored artifact (or of one of its directories) into a work tree, for
//! GitRepository includes: regular files only, every path checked to stay under the target.

use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The relative path under `from` of an archive entry, or `None` when the entry is outside
/// `from` or its path is not a plain relative one.
fn relative_to(entry: &Path, from: &str) -> Option<PathBuf> {
    let from = Path::new(from.trim_matches('/'));
    let rest = match from.as_os_str().is_empty() {
        true => entry,
        false => entry.strip_prefix(from).ok()?,
    };
    let plain = rest.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && !rest.as_os_str().is_empty()).then(|| rest.to_path_buf())
}

/// Extracts the regular files of the tar.gz at `archive` below `from` into `dest`.
pub fn copy_to_path(archive: &Path, from: &str, dest: &Path) -> io::Result<()> {
    let file = File::open(archive)?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    std::fs::create_dir_all(dest)?;
    for entry in tar.entries()? {
        let mut entry = entry?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        let path = entry.path()?.into_owned();
        let Some(rel) = relative_to(&path, from) else {
            continue;
        };
        let target = dest.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut out = File::create(&target)?;
        io::copy(&mut entry, &mut out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_below_from() {
        fn p(s: &str) -> &Path {
            Path::new(s)
        }
        assert_eq!(
            relative_to(p("a/b.yaml"), ""),
            Some(PathBuf::from("a/b.yaml"))
        );
        assert_eq!(
            relative_to(p("a/b.yaml"), "a"),
            Some(PathBuf::from("b.yaml"))
        );
        assert_eq!(
            relative_to(p("a/b.yaml"), "/a/"),
            Some(PathBuf::from("b.yaml"))
        );
        assert_eq!(relative_to(p("c/b.yaml"), "a"), None);
        assert_eq!(relative_to(p("a/../../x"), "a"), None);
        assert_eq!(relative_to(p("/etc/passwd"), ""), None);
    }
}
