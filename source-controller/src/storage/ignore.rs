//! Which files of a checkout go into an artifact: Flux's default excludes, the `.sourceignore`
//! file at the root of the repository, and `spec.ignore`, all in gitignore syntax (the last
//! matching pattern wins, `!` re-includes, a trailing `/` matches directories only).

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
}

impl Pattern {
    fn parse(line: &str) -> Option<Self> {
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
        })
    }

    fn matches(&self, path: &str, is_dir: bool) -> bool {
        if self.dir_only && !is_dir {
            return false;
        }
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
            ignore.add(line);
        }
        for text in extra {
            for line in text.lines() {
                ignore.add(line);
            }
        }
        ignore
    }

    /// Only the given sources of patterns, without Flux's defaults (as OCIRepository's).
    pub fn from_sources<'a>(sources: impl IntoIterator<Item = &'a str>) -> Self {
        let mut ignore = Self::default();
        sources
            .into_iter()
            .flat_map(str::lines)
            .for_each(|l| ignore.add(l));
        ignore
    }

    fn add(&mut self, line: &str) {
        self.patterns.extend(Pattern::parse(line));
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
    fn classes_and_stars_stay_in_a_segment() {
        let ignore = Ignore::with_defaults(["file[0-9].txt\nlogs/*.log\n"]);
        assert!(ignore.is_ignored("x/file3.txt", false));
        assert!(!ignore.is_ignored("x/filea.txt", false));
        assert!(ignore.is_ignored("logs/a.log", false));
        assert!(!ignore.is_ignored("logs/sub/a.log", false));
    }
}
