//! Which files of a checkout go into an artifact: Flux's default excludes, every directory's
//! `.sourceignore` (applying to the paths under that directory, as Flux's
//! `sourceignore.LoadIgnorePatterns`), and `spec.ignore`, all in gitignore syntax (the last
//! matching pattern wins, `!` re-includes, a trailing `/` matches directories only).

use std::path::Path;

/// Flux's `sourceignore` defaults: VCS files, binary and archive extensions, CI files, extras.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    ".git/",
    ".gitignore",
    ".gitmodules",
    ".gitattributes",
    "*.jpg",
    "*.jpeg",
    "*.gif",
    "*.png",
    "*.wmv",
    "*.flv",
    "*.tar.gz",
    "*.zip",
    ".github/",
    ".circleci/",
    ".travis.yml",
    ".gitlab-ci.yml",
    "appveyor.yml",
    ".drone.yml",
    "cloudbuild.yaml",
    "codeship-services.yml",
    "codeship-steps.yml",
    "**/.goreleaser.yml",
    "**/.sops.yaml",
    "**/.flux.yaml",
];

/// The name of the ignore file Flux reads from the repository.
pub const IGNORE_FILE: &str = ".sourceignore";

#[derive(Clone, Debug, PartialEq, Eq)]
struct Pattern {
    glob: String,
    negate: bool,
    dir_only: bool,
    anchored: bool,
    /// The directory (relative, `/`-separated, `""` for the root) whose `.sourceignore` the
    /// pattern came from; it matches only below it, relative to it.
    domain: String,
}

impl Pattern {
    fn parse(line: &str, domain: &str) -> Option<Self> {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let (negate, line) = match line.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, line.strip_prefix('\\').unwrap_or(line)),
        };
        let (dir_only, line) = match line.strip_suffix('/') {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let anchored = line.contains('/');
        let glob = line.trim_start_matches('/').to_string();
        (!glob.is_empty()).then_some(Self {
            glob,
            negate,
            dir_only,
            anchored,
            domain: domain.to_string(),
        })
    }

    fn matches(&self, path: &str, is_dir: bool) -> bool {
        if self.dir_only && !is_dir {
            return false;
        }
        let path = match self.domain.as_str() {
            "" => path,
            domain => match path.strip_prefix(domain).and_then(|p| p.strip_prefix('/')) {
                Some(rest) => rest,
                None => return false,
            },
        };
        let subject = match self.anchored {
            true => path,
            false => path.rsplit('/').next().unwrap_or(path),
        };
        glob(self.glob.as_bytes(), subject.as_bytes())
    }
}

/// An ordered list of gitignore patterns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ignore {
    patterns: Vec<Pattern>,
}

impl Ignore {
    /// Flux's defaults followed by `extra` sources of patterns, each in gitignore syntax.
    pub fn with_defaults<'a>(extra: impl IntoIterator<Item = &'a str>) -> Self {
        let mut ignore = Self::default();
        for line in DEFAULT_EXCLUDES {
            ignore.patterns.extend(Pattern::parse(line, ""));
        }
        for text in extra {
            ignore.add_patterns(text, "");
        }
        ignore
    }

    /// Adds the patterns of one ignore file found in directory `domain` (`""` for the root).
    pub fn add_patterns(&mut self, text: &str, domain: &str) {
        for line in text.lines() {
            self.patterns.extend(Pattern::parse(line, domain));
        }
    }

    /// Flux's rules for a checkout: the defaults, each directory's `.sourceignore` (parents
    /// before children, siblings in name order; `.git` not entered), then `spec`. Only regular
    /// files are read, so a `.sourceignore` symlink cannot pull in a file from elsewhere.
    pub fn load(root: &Path, spec: Option<&str>) -> std::io::Result<Self> {
        let mut ignore = Self::with_defaults([]);
        let mut stack = vec![(String::new(), root.to_path_buf())];
        while let Some((domain, dir)) = stack.pop() {
            let file = dir.join(IGNORE_FILE);
            if std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file()) {
                let text = std::fs::read(&file)?;
                ignore.add_patterns(&String::from_utf8_lossy(&text), &domain);
            }
            let mut subdirs = Vec::new();
            for entry in std::fs::read_dir(&dir)? {
                let entry = entry?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if entry.file_type()?.is_dir() && name != ".git" {
                    let rel = match domain.is_empty() {
                        true => name,
                        false => format!("{domain}/{name}"),
                    };
                    subdirs.push((rel, entry.path()));
                }
            }
            // Depth first in name order: pushed in reverse so the first name pops first.
            subdirs.sort();
            stack.extend(subdirs.into_iter().rev());
        }
        if let Some(spec) = spec {
            ignore.add_patterns(spec, "");
        }
        Ok(ignore)
    }

    /// Only the given sources of patterns, without Flux's defaults (as OCIRepository's).
    pub fn from_sources<'a>(sources: impl IntoIterator<Item = &'a str>) -> Self {
        let mut ignore = Self::default();
        for text in sources {
            ignore.add_patterns(text, "");
        }
        ignore
    }

    /// Whether `path` (relative, `/`-separated) is left out of the artifact.
    pub fn is_ignored(&self, path: &str, is_dir: bool) -> bool {
        self.patterns
            .iter()
            .rev()
            .find(|p| p.matches(path, is_dir))
            .is_some_and(|p| !p.negate)
    }
}

/// gitignore globbing: `*` and `?` stay within a path segment, `**` crosses them, `[...]` is a
/// character class.
fn glob(p: &[u8], s: &[u8]) -> bool {
    match p {
        [] => s.is_empty(),
        [b'*', b'*', b'/', rest @ ..] => {
            glob(rest, s) || (0..s.len()).any(|i| s[i] == b'/' && glob(rest, &s[i + 1..]))
        }
        [b'*', b'*', rest @ ..] => (0..=s.len()).any(|i| glob(rest, &s[i..])),
        [b'*', rest @ ..] => {
            for i in 0..=s.len() {
                if glob(rest, &s[i..]) {
                    return true;
                }
                if s.get(i) == Some(&b'/') {
                    break;
                }
            }
            false
        }
        [b'?', rest @ ..] => matches!(s, [c, tail @ ..] if *c != b'/' && glob(rest, tail)),
        [b'[', rest @ ..] => match (class(rest, s.first().copied()), s) {
            (Some((true, after)), [_, tail @ ..]) => glob(after, tail),
            (Some(_), _) => false,
            (None, _) => matches!(s, [b'[', tail @ ..] if glob(rest, tail)),
        },
        [b'\\', c, rest @ ..] | [c, rest @ ..] => {
            matches!(s, [x, tail @ ..] if x == c && glob(rest, tail))
        }
    }
}

/// Matches `c` against the class starting after `[`; returns whether it matched and the pattern
/// after `]`, or `None` when the class is not closed.
fn class(p: &[u8], c: Option<u8>) -> Option<(bool, &[u8])> {
    let end = p.iter().skip(1).position(|b| *b == b']')? + 1;
    let (body, after) = (&p[..end], &p[end + 1..]);
    let (negate, body) = match body {
        [b'!' | b'^', rest @ ..] => (true, rest),
        _ => (false, body),
    };
    let c = c.filter(|c| *c != b'/')?;
    let mut hit = false;
    let mut i = 0;
    while i < body.len() {
        if i + 2 < body.len() && body[i + 1] == b'-' {
            hit |= (body[i]..=body[i + 2]).contains(&c);
            i += 3;
        } else {
            hit |= body[i] == c;
            i += 1;
        }
    }
    Some((hit != negate, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_exclude_vcs_ci_and_binaries() {
        let ignore = Ignore::with_defaults([]);
        for (path, dir) in [
            (".git", true),
            (".github", true),
            ("img/logo.png", false),
            ("deep/dir/.sops.yaml", false),
            (".sops.yaml", false),
            ("a.tar.gz", false),
        ] {
            assert!(ignore.is_ignored(path, dir), "{path}");
        }
        for (path, dir) in [
            ("deploy/app.yaml", false),
            ("deploy", true),
            (".git", false),
        ] {
            assert!(!ignore.is_ignored(path, dir), "{path}");
        }
    }

    #[test]
    fn user_patterns_anchor_negate_and_glob() {
        let ignore =
            Ignore::with_defaults(["/*\n!/deploy/\n# comment\n*.md\n", "deploy/**/secret?.yaml"]);
        assert!(ignore.is_ignored("README.txt", false));
        assert!(!ignore.is_ignored("deploy", true));
        assert!(!ignore.is_ignored("deploy/app.yaml", false));
        assert!(ignore.is_ignored("deploy/notes.md", false));
        assert!(ignore.is_ignored("deploy/a/b/secret1.yaml", false));
        assert!(ignore.is_ignored("deploy/secret2.yaml", false));
        assert!(!ignore.is_ignored("deploy/secret10.yaml", false));
    }

    #[test]
    fn nested_files_apply_below_their_directory() {
        let mut ignore = Ignore::with_defaults(["*.md\n"]);
        ignore.add_patterns("/local.yaml\n*.txt\n!keep.md\n", "apps/web");
        let cases = [
            ("apps/web/local.yaml", false, true),
            ("local.yaml", false, false),
            ("apps/local.yaml", false, false),
            ("apps/web/sub/local.yaml", false, false),
            ("apps/web/sub/a.txt", false, true),
            ("a.txt", false, false),
            ("apps/web/keep.md", false, false),
            ("apps/keep.md", false, true),
            ("apps/webx/a.txt", false, false),
        ];
        for (path, dir, ignored) in cases {
            assert_eq!(ignore.is_ignored(path, dir), ignored, "{path}");
        }
    }

    #[test]
    fn load_walks_every_directory() {
        let root = tempfile::tempdir().expect("tmp");
        let write = |rel: &str, text: &str| {
            let path = root.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        };
        write(".sourceignore", "*.log\n");
        write("a/.sourceignore", "!keep.log\n");
        write("a/b/.sourceignore", "secret.yaml\n");
        write(".git/.sourceignore", "*.yaml\n");
        let ignore = Ignore::load(root.path(), Some("/top.yaml\n")).expect("load");
        let cases = [
            ("x.log", true),
            ("a/keep.log", false),
            ("keep.log", true),
            ("a/b/secret.yaml", true),
            ("a/secret.yaml", false),
            ("top.yaml", true),
            ("a/top.yaml", false),
        ];
        for (path, ignored) in cases {
            assert_eq!(ignore.is_ignored(path, false), ignored, "{path}");
        }
    }

    #[test]
    fn classes_and_stars_stay_in_a_segment() {
        let ignore = Ignore::with_defaults(["file[0-9].txt\nlogs/*.log\n"]);
        assert!(ignore.is_ignored("x/file3.txt", false));
        assert!(!ignore.is_ignored("x/filea.txt", false));
        assert!(ignore.is_ignored("logs/a.log", false));
        assert!(!ignore.is_ignored("logs/sub/a.log", false));
    }
}
