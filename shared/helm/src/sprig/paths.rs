//! Sprig's slash-path functions over Go's `path` package: base, dir, clean, ext, isAbs.

use super::strings::s;
use crate::template::{FuncMap, Param, Signature, Value};

/// Go's `path.Clean`: lexical, `.` and `..` resolved, duplicate slashes dropped.
pub(crate) fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// Go's `path.Base`.
fn base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

/// Go's `path.Dir`.
fn dir(p: &str) -> String {
    let cut = p.rfind('/').map_or(0, |i| i + 1);
    clean(&p[..cut])
}

/// Go's `path.Ext`.
fn ext(p: &str) -> String {
    for (i, c) in p.char_indices().rev() {
        match c {
            '/' => break,
            '.' => return p[i..].to_string(),
            _ => {}
        }
    }
    String::new()
}

type PathFn = fn(&str) -> String;

pub(super) fn register(map: &mut FuncMap) {
    let fns: [(&str, PathFn); 4] = [("base", base), ("dir", dir), ("clean", clean), ("ext", ext)];
    for (name, f) in fns {
        map.add(
            &format!("os{}{}", name[..1].to_uppercase(), &name[1..]),
            Signature::new([Param::String]),
            move |_, a| Ok(Value::from(f(s(a, 0)))),
        );
        map.add(name, Signature::new([Param::String]), move |_, a| {
            Ok(Value::from(f(s(a, 0))))
        });
    }
    for name in ["isAbs", "osIsAbs"] {
        map.add(name, Signature::new([Param::String]), |_, a| {
            Ok(Value::Bool(s(a, 0).starts_with('/')))
        });
    }
}
