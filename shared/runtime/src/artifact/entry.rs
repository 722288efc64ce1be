//! Pure checks on tar entries: name validation, entry kinds, mode sanitizing and the lexical
//! symlink check, as fluxcd/pkg/tar decides them (plus links, which Flux drops).

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use super::error::ArtifactError;

/// What the extractor does with an entry of a given tar type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    File,
    Dir,
    Symlink,
    HardLink,
    /// Metadata that describes no file (a PAX global header).
    Skip,
    /// Refused; the name of the kind for the message.
    Unsupported(&'static str),
}

pub(crate) fn classify(entry_type: tar::EntryType) -> Kind {
    use tar::EntryType as T;
    match entry_type {
        T::Regular | T::Continuous => Kind::File,
        T::Directory => Kind::Dir,
        T::Symlink => Kind::Symlink,
        T::Link => Kind::HardLink,
        T::XGlobalHeader => Kind::Skip,
        T::Char => Kind::Unsupported("character device"),
        T::Block => Kind::Unsupported("block device"),
        T::Fifo => Kind::Unsupported("FIFO"),
        T::GNUSparse => Kind::Unsupported("sparse file"),
        _ => Kind::Unsupported("entry of unknown type"),
    }
}

/// Why an entry name was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameProblem {
    Empty,
    Absolute,
    Traversal,
    Backslash,
    Nul,
}

impl NameProblem {
    /// The error for this problem in the name of entry `entry`.
    pub(crate) fn into_error(self, entry: &str) -> ArtifactError {
        let entry = entry.to_string();
        match self {
            NameProblem::Absolute => ArtifactError::AbsolutePath { entry },
            NameProblem::Traversal => ArtifactError::PathTraversal { entry },
            NameProblem::Empty => ArtifactError::InvalidPath {
                entry,
                reason: "the name is empty",
            },
            NameProblem::Backslash => ArtifactError::InvalidPath {
                entry,
                reason: "the name contains a backslash",
            },
            NameProblem::Nul => ArtifactError::InvalidPath {
                entry,
                reason: "the name contains a NUL byte",
            },
        }
    }
}

/// Validates an entry name (or a hard link's target) and returns it relative to the root,
/// with `.` components and repeated slashes removed. The root itself comes back empty.
pub(crate) fn relative_name(raw: &[u8]) -> Result<PathBuf, NameProblem> {
    if raw.is_empty() {
        return Err(NameProblem::Empty);
    }
    if raw.contains(&0) {
        return Err(NameProblem::Nul);
    }
    if raw.contains(&b'\\') {
        return Err(NameProblem::Backslash);
    }
    let text = String::from_utf8_lossy(raw);
    let mut rel = PathBuf::new();
    for component in Path::new(text.as_ref()).components() {
        match component {
            Component::Normal(name) => rel.push(name),
            Component::CurDir => {}
            Component::ParentDir => return Err(NameProblem::Traversal),
            Component::RootDir | Component::Prefix(_) => return Err(NameProblem::Absolute),
        }
    }
    Ok(rel)
}

/// Regular files keep their owner/group/other read and execute bits, lose write for group
/// and other and every setuid/setgid/sticky bit, and are always owner read-write.
pub(crate) fn file_mode(header_mode: u32) -> u32 {
    (header_mode & 0o755) | 0o600
}

/// Directories, like Flux's, are always owner rwx so that nothing blocks writes or cleanup.
pub(crate) fn dir_mode(header_mode: u32) -> u32 {
    (header_mode & 0o755) | 0o700
}

/// Lexical check of a symlink target against the root: `link` is the link's own path relative
/// to the root. This catches the plain cases early; links through other links are checked on
/// disk after they all exist (see `links.rs`).
pub(crate) fn target_stays_inside(link: &Path, target: &Path) -> bool {
    if target.has_root() {
        return false;
    }
    let mut depth: Vec<OsString> = link
        .parent()
        .map(|p| p.iter().map(|c| c.to_os_string()).collect())
        .unwrap_or_default();
    for component in target.components() {
        match component {
            Component::Normal(name) => depth.push(name.to_os_string()),
            Component::CurDir => {}
            Component::ParentDir => {
                if depth.pop().is_none() {
                    return false;
                }
            }
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_table() {
        let cases: &[(&[u8], Result<&str, NameProblem>)] = &[
            (b"a.yaml", Ok("a.yaml")),
            (b"./a/b.yaml", Ok("a/b.yaml")),
            (b"a//b/./c", Ok("a/b/c")),
            (b"dir/", Ok("dir")),
            (b"./", Ok("")),
            (b"a..b/..c", Ok("a..b/..c")),
            (b"", Err(NameProblem::Empty)),
            (b"/etc/passwd", Err(NameProblem::Absolute)),
            (b"//x", Err(NameProblem::Absolute)),
            (b"../x", Err(NameProblem::Traversal)),
            (b"a/../../x", Err(NameProblem::Traversal)),
            (b"a/..", Err(NameProblem::Traversal)),
            (b"..", Err(NameProblem::Traversal)),
            (b"a\\..\\x", Err(NameProblem::Backslash)),
            (b"a\0b", Err(NameProblem::Nul)),
        ];
        for (raw, want) in cases {
            let got = relative_name(raw);
            let want = want.map(PathBuf::from);
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(raw));
        }
    }

    #[test]
    fn kinds_table() {
        use tar::EntryType as T;
        let cases = [
            (T::Regular, Kind::File),
            (T::Continuous, Kind::File),
            (T::Directory, Kind::Dir),
            (T::Symlink, Kind::Symlink),
            (T::Link, Kind::HardLink),
            (T::XGlobalHeader, Kind::Skip),
            (T::Char, Kind::Unsupported("character device")),
            (T::Block, Kind::Unsupported("block device")),
            (T::Fifo, Kind::Unsupported("FIFO")),
            (T::GNUSparse, Kind::Unsupported("sparse file")),
            (T::new(b'Z'), Kind::Unsupported("entry of unknown type")),
        ];
        for (entry_type, kind) in cases {
            assert_eq!(classify(entry_type), kind, "{entry_type:?}");
        }
    }

    #[test]
    fn modes_table() {
        let files = [
            (0o644, 0o644),
            (0o755, 0o755),
            (0o777, 0o755),
            (0o666, 0o644),
            (0o4755, 0o755),
            (0o2755, 0o755),
            (0o1777, 0o755),
            (0o400, 0o600),
            (0o000, 0o600),
            (0o640, 0o640),
        ];
        for (input, want) in files {
            assert_eq!(file_mode(input), want, "file {input:o}");
        }
        let dirs = [
            (0o755, 0o755),
            (0o555, 0o755),
            (0o000, 0o700),
            (0o1777, 0o755),
            (0o750, 0o750),
        ];
        for (input, want) in dirs {
            assert_eq!(dir_mode(input), want, "dir {input:o}");
        }
    }

    #[test]
    fn symlink_targets_table() {
        let cases = [
            ("link", "target", true),
            ("link", ".", true),
            ("link", "./a/../b", true),
            ("a/b/link", "../../c", true),
            ("a/b/link", "../../../c", false),
            ("link", "..", false),
            ("link", "../../x", false),
            ("link", "/etc", false),
            ("link", "/", false),
            ("a/link", "../a/../../x", false),
            ("a/link", "x/../../b", true),
        ];
        for (link, target, inside) in cases {
            assert_eq!(
                target_stays_inside(Path::new(link), Path::new(target)),
                inside,
                "{link} -> {target}"
            );
        }
    }
}
