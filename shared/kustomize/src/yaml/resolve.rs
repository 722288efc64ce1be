//! Implicit and explicit tag resolution of scalars, as go-yaml v3 (input) and v2 (output) do it.

use super::gostr::{self, Timestamp};

pub const NULL_TAG: &str = "!!null";
pub const BOOL_TAG: &str = "!!bool";
pub const STR_TAG: &str = "!!str";
pub const INT_TAG: &str = "!!int";
pub const FLOAT_TAG: &str = "!!float";
pub const TIMESTAMP_TAG: &str = "!!timestamp";
pub const SEQ_TAG: &str = "!!seq";
pub const MAP_TAG: &str = "!!map";
pub const BINARY_TAG: &str = "!!binary";
pub const MERGE_TAG: &str = "!!merge";

const LONG_TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// A scalar's value once its tag is known.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Timestamp(Timestamp),
    Str,
}

/// Which YAML flavour resolves plain scalars: v3 (YAML 1.2 booleans) or v2 (YAML 1.1 `yes`/`on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    V2,
    V3,
}

/// `tag:yaml.org,2002:str` becomes `!!str`; other tags are kept.
pub fn short_tag(tag: &str) -> String {
    match tag.strip_prefix(LONG_TAG_PREFIX) {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_string(),
    }
}

fn lookup(flavor: Flavor, s: &str) -> Option<(&'static str, Scalar)> {
    let item = match s {
        "true" | "True" | "TRUE" => (BOOL_TAG, Scalar::Bool(true)),
        "false" | "False" | "FALSE" => (BOOL_TAG, Scalar::Bool(false)),
        "" | "~" | "null" | "Null" | "NULL" => (NULL_TAG, Scalar::Null),
        ".nan" | ".NaN" | ".NAN" => (FLOAT_TAG, Scalar::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            (FLOAT_TAG, Scalar::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => (FLOAT_TAG, Scalar::Float(f64::NEG_INFINITY)),
        _ if flavor == Flavor::V2 => match s {
            "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
                (BOOL_TAG, Scalar::Bool(true))
            }
            "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
                (BOOL_TAG, Scalar::Bool(false))
            }
            _ => return None,
        },
        _ => return None,
    };
    Some(item)
}

/// The hint table of go-yaml: which resolution a first byte can lead to.
fn hint(s: &str) -> u8 {
    match s.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    }
}

fn resolve_number(s: &str, try_timestamp: bool) -> Option<(&'static str, Scalar)> {
    if try_timestamp && let Some(ts) = gostr::parse_timestamp(s) {
        return Some((TIMESTAMP_TAG, Scalar::Timestamp(ts)));
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    if let Some(i) = gostr::parse_int_base0(&plain) {
        return Some((INT_TAG, Scalar::Int(i)));
    }
    if let Some(u) = gostr::parse_uint_base0(&plain) {
        return Some((INT_TAG, Scalar::Uint(u)));
    }
    if gostr::is_yaml_style_float(&plain)
        && let Some(f) = gostr::parse_float_decimal(&plain)
    {
        return Some((FLOAT_TAG, Scalar::Float(f)));
    }
    None
}

/// Resolves an untagged plain scalar (`resolve("", s)`).
pub fn resolve_plain(flavor: Flavor, s: &str) -> (&'static str, Scalar) {
    let h = hint(s);
    if h == 0 {
        return (STR_TAG, Scalar::Str);
    }
    if let Some(item) = lookup(flavor, s) {
        return item;
    }
    let found = match h {
        b'.' => gostr::parse_float_decimal(s).map(|f| (FLOAT_TAG, Scalar::Float(f))),
        b'D' | b'S' => resolve_number(s, true),
        _ => None,
    };
    found.unwrap_or((STR_TAG, Scalar::Str))
}

/// Error of an explicit tag that does not fit its value, worded as go-yaml words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot decode {found} `{value}` as a {tag}")]
pub struct TagMismatch {
    pub found: String,
    pub value: String,
    pub tag: String,
}

/// `resolve(tag, s)` of go-yaml v3 for a node whose tag is already short.
pub fn resolve_tagged(tag: &str, s: &str) -> Result<(String, Scalar), TagMismatch> {
    resolve_tagged_as(Flavor::V3, tag, s)
}

/// `resolve(tag, s)` of go-yaml v2 or v3: they differ only in the words they read as
/// booleans (v2 takes YAML 1.1's `yes`/`on`/... under an explicit `!!bool` too).
pub fn resolve_tagged_as(
    flavor: Flavor,
    tag: &str,
    s: &str,
) -> Result<(String, Scalar), TagMismatch> {
    match tag {
        "" => {
            let (t, v) = resolve_plain(flavor, s);
            Ok((t.to_string(), v))
        }
        STR_TAG => Ok((STR_TAG.to_string(), Scalar::Str)),
        BINARY_TAG => Ok((BINARY_TAG.to_string(), Scalar::Str)),
        BOOL_TAG | INT_TAG | FLOAT_TAG | NULL_TAG | TIMESTAMP_TAG => {
            let (rtag, val) = resolve_explicit(flavor, tag, s);
            if rtag == tag {
                return Ok((rtag.to_string(), val));
            }
            match (tag, &val) {
                (FLOAT_TAG, Scalar::Int(i)) => {
                    Ok((FLOAT_TAG.to_string(), Scalar::Float(*i as f64)))
                }
                _ => Err(TagMismatch {
                    found: rtag.to_string(),
                    value: s.to_string(),
                    tag: tag.to_string(),
                }),
            }
        }
        other => Ok((other.to_string(), Scalar::Str)),
    }
}

fn resolve_explicit(flavor: Flavor, tag: &str, s: &str) -> (&'static str, Scalar) {
    let h = hint(s);
    if h == 0 {
        return (STR_TAG, Scalar::Str);
    }
    if let Some(item) = lookup(flavor, s) {
        return item;
    }
    let found = match h {
        b'.' => gostr::parse_float_decimal(s).map(|f| (FLOAT_TAG, Scalar::Float(f))),
        b'D' | b'S' => resolve_number(s, tag == TIMESTAMP_TAG),
        _ => None,
    };
    found.unwrap_or((STR_TAG, Scalar::Str))
}

/// go-yaml v2's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
pub fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    match b.first() {
        Some(b'+' | b'-' | b'0'..=b'9') if s.contains(':') => {}
        _ => return false,
    }
    let mut i = usize::from(matches!(b[0], b'+' | b'-'));
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 2 {
            i += 1;
        }
        let n = i - start;
        let ok = match n {
            1 => true,
            2 => b[start] <= b'5',
            _ => false,
        };
        if !ok {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// Whether go-yaml v2 may write this string unquoted as far as tags go
/// (`resolve("", s) == !!str && !isBase60Float(s)`).
pub fn v2_plain_is_string(s: &str) -> bool {
    resolve_plain(Flavor::V2, s).0 == STR_TAG && !is_base60_float(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_plain_resolution() {
        let cases: &[(&str, &str)] = &[
            ("yes", STR_TAG),
            ("true", BOOL_TAG),
            ("~", NULL_TAG),
            ("", NULL_TAG),
            ("012", INT_TAG),
            ("08", FLOAT_TAG),
            ("1_000", INT_TAG),
            ("1e3", FLOAT_TAG),
            (".5", FLOAT_TAG),
            ("2001-12-14", TIMESTAMP_TAG),
            ("0o17", INT_TAG),
            ("-.inf", FLOAT_TAG),
            ("<<", STR_TAG),
            ("1e400", STR_TAG),
            ("abc", STR_TAG),
            ("-", STR_TAG),
        ];
        for (s, tag) in cases {
            assert_eq!(resolve_plain(Flavor::V3, s).0, *tag, "{s}");
        }
    }

    #[test]
    fn v2_quoting_decision() {
        for s in [
            "y",
            "on",
            "NO",
            "1:20",
            "12",
            "1e3",
            "0x1F",
            "null",
            "",
            "2001-12-14",
            ".5",
        ] {
            assert!(!v2_plain_is_string(s), "{s}");
        }
        for s in ["hello", "yes please", "1:60", "a1", "-", "1.2.3"] {
            assert!(v2_plain_is_string(s), "{s}");
        }
    }

    #[test]
    fn explicit_tags() {
        assert_eq!(
            resolve_tagged(INT_TAG, "12").ok().map(|x| x.1),
            Some(Scalar::Int(12))
        );
        assert_eq!(
            resolve_tagged(FLOAT_TAG, "1").ok().map(|x| x.1),
            Some(Scalar::Float(1.0))
        );
        assert!(resolve_tagged(INT_TAG, "abc").is_err());
        assert_eq!(
            resolve_tagged(STR_TAG, "12").ok().map(|x| x.1),
            Some(Scalar::Str)
        );
    }
}
