//! Key/value pairs of configMap and secret generators, read as kustomize's kv loader
//! reads them: env files first, then literals, then files.

use crate::build::StepContext;
use crate::loader::LoadError;

/// One data entry; values are bytes because a file may not be UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub key: String,
    pub value: Vec<u8>,
}

/// Why generator data cannot be read, worded as kustomize words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KvError {
    #[error("invalid literal source {0}, expected key=value")]
    Literal(String),
    #[error("missing key name for file path {path:?} in source {spec:?}")]
    MissingKey { path: String, spec: String },
    #[error("missing file path for key name {key:?} in source {spec:?}")]
    MissingPath { key: String, spec: String },
    #[error("source {0:?} key name or file path contains '='")]
    TooManySeparators(String),
    #[error("line {0} has invalid utf8 bytes")]
    InvalidUtf8(usize),
    #[error("{0}")]
    Load(#[from] LoadError),
    #[error("configmap {name} illegally repeats the key `{key}`")]
    Repeated { name: String, key: String },
}

/// The sources of one generator entry.
pub struct Sources<'a> {
    pub envs: &'a [String],
    pub literals: &'a [String],
    pub files: &'a [String],
}

/// Loads every pair, in kustomize's order, refusing repeated keys.
pub fn load(ctx: &StepContext<'_>, name: &str, src: &Sources<'_>) -> Result<Vec<Pair>, KvError> {
    let mut all = Vec::new();
    for path in src.envs {
        let content = ctx.loader.load(ctx.fs, path)?;
        all.extend(env_pairs(&content)?);
    }
    for lit in src.literals {
        all.push(literal_pair(lit)?);
    }
    for source in src.files {
        let (key, path) = parse_file_source(source)?;
        let value = ctx.loader.load(ctx.fs, &path)?;
        all.push(Pair { key, value });
    }
    for (i, p) in all.iter().enumerate() {
        if all[..i].iter().any(|q| q.key == p.key) {
            return Err(KvError::Repeated {
                name: name.to_string(),
                key: p.key.clone(),
            });
        }
    }
    Ok(all)
}

/// `key=value`; surrounding matching quotes are removed from the value.
pub fn literal_pair(source: &str) -> Result<Pair, KvError> {
    let Some((key, value)) = source.split_once('=') else {
        return Err(KvError::Literal(source.to_string()));
    };
    if key.is_empty() {
        return Err(KvError::Literal(source.to_string()));
    }
    Ok(Pair {
        key: key.to_string(),
        value: remove_quotes(value).as_bytes().to_vec(),
    })
}

fn remove_quotes(s: &str) -> &str {
    let b = s.as_bytes();
    if b.len() < 2 || b[0] != b[b.len() - 1] {
        return s;
    }
    if b[0] == b'"' || b[0] == b'\'' {
        return &s[1..s.len() - 1];
    }
    s
}

/// kustomize's `ParseFileSource`: `path` (key is its base name) or `key=path`.
pub fn parse_file_source(source: &str) -> Result<(String, String), KvError> {
    let seps = source.matches('=').count();
    match seps {
        0 => Ok((go_path_base(source), source.to_string())),
        1 if source.starts_with('=') => Err(KvError::MissingKey {
            path: source[1..].to_string(),
            spec: source.to_string(),
        }),
        1 if source.ends_with('=') => Err(KvError::MissingPath {
            key: source[..source.len() - 1].to_string(),
            spec: source.to_string(),
        }),
        1 => {
            let (k, p) = source.split_once('=').unwrap_or_default();
            Ok((k.to_string(), p.to_string()))
        }
        _ => Err(KvError::TooManySeparators(source.to_string())),
    }
}

/// Go's `path.Base`.
fn go_path_base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

/// An env file: `KEY=value` lines; blank lines and `#` comments skipped; a line
/// without `=` gives an empty value. Lines split as Go's `bufio.ScanLines`.
pub fn env_pairs(content: &[u8]) -> Result<Vec<Pair>, KvError> {
    let mut out = Vec::new();
    let mut lines: Vec<&[u8]> = content.split(|b| *b == b'\n').collect();
    if content.ends_with(b"\n") || content.is_empty() {
        lines.pop();
    }
    for (n, raw) in lines.into_iter().enumerate() {
        let mut line = raw.strip_suffix(b"\r").unwrap_or(raw);
        let Ok(mut text) = std::str::from_utf8(line) else {
            return Err(KvError::InvalidUtf8(n));
        };
        if n == 0 {
            text = text.strip_prefix('\u{feff}').unwrap_or(text);
        }
        text = text.trim_start();
        line = text.as_bytes();
        if line.is_empty() || line[0] == b'#' {
            continue;
        }
        let (key, value) = text.split_once('=').unwrap_or((text, ""));
        out.push(Pair {
            key: key.to_string(),
            value: value.as_bytes().to_vec(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            ("a=b", Some(("a", "b"))),
            ("a=b=c", Some(("a", "b=c"))),
            ("a='q'", Some(("a", "q"))),
            ("a=\"q'", Some(("a", "\"q'"))),
            ("a=", Some(("a", ""))),
            ("=b", None),
            ("ab", None),
        ];
        for (src, want) in cases {
            let got = literal_pair(src).ok();
            let got = got
                .as_ref()
                .map(|p| (p.key.as_str(), std::str::from_utf8(&p.value).unwrap_or("")));
            assert_eq!(got, *want, "{src}");
        }
    }

    #[test]
    fn file_sources() {
        assert_eq!(
            parse_file_source("dir/a.txt").ok(),
            Some(("a.txt".into(), "dir/a.txt".into()))
        );
        assert_eq!(
            parse_file_source("k=dir/a.txt").ok(),
            Some(("k".into(), "dir/a.txt".into()))
        );
        assert!(parse_file_source("=a").is_err());
        assert!(parse_file_source("a=").is_err());
        assert!(parse_file_source("a=b=c").is_err());
    }

    #[test]
    fn env_files() {
        let pairs = env_pairs(b"\xef\xbb\xbfA=1\r\n  # c\n\nB\n C=x=y ").expect("parses");
        let got: Vec<(String, String)> = pairs
            .into_iter()
            .map(|p| (p.key, String::from_utf8(p.value).unwrap_or_default()))
            .collect();
        assert_eq!(
            got,
            [
                ("A".to_string(), "1".to_string()),
                ("B".into(), "".into()),
                ("C".into(), "x=y ".into())
            ]
        );
        assert!(env_pairs(b"A=\xff\n").is_err());
    }
}
