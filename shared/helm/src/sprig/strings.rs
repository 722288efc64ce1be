//! Sprig's string functions: trimming, case, substrings and truncation, abbreviation,
//! wrapping, quoting, joining and splitting, and the random string generators.

use rand::Rng;
use rand::seq::SliceRandom;

use super::{err, string_list, strslice, strval};
use crate::template::{Dict, ElemType, FuncError, FuncMap, Param, Signature, Value, limits};

/// The string argument at `i` (the signature guarantees its type).
pub(crate) fn s(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or("")
}

/// The integer argument at `i` (`int` or `int64` parameters).
pub(crate) fn n(args: &[Value], i: usize) -> i64 {
    match args.get(i) {
        Some(Value::Int(v) | Value::Int64(v)) => *v,
        _ => 0,
    }
}

fn str_fn(map: &mut FuncMap, name: &str, f: fn(&str) -> String) {
    map.add(name, Signature::new([Param::String]), move |_, a| {
        Ok(Value::from(f(s(a, 0))))
    });
}

/// `f(a, b)` of two string parameters, returning a string.
fn str2_fn(map: &mut FuncMap, name: &str, f: fn(&str, &str) -> String) {
    map.add(
        name,
        Signature::new([Param::String, Param::String]),
        move |_, a| Ok(Value::from(f(s(a, 0), s(a, 1)))),
    );
}

fn bool2_fn(map: &mut FuncMap, name: &str, f: fn(&str, &str) -> bool) {
    map.add(
        name,
        Signature::new([Param::String, Param::String]),
        move |_, a| Ok(Value::Bool(f(s(a, 0), s(a, 1)))),
    );
}

/// Go's `s[a:b]` on bytes, with Go's panic when out of range.
fn slice_bytes(s: &str, a: i64, b: i64) -> Result<String, FuncError> {
    let len = s.len() as i64;
    if b > len {
        return Err(err(format!(
            "runtime error: slice bounds out of range [:{b}] with length {len}"
        )));
    }
    if a < 0 || a > b {
        return Err(err(format!(
            "runtime error: slice bounds out of range [{a}:{b}]"
        )));
    }
    Ok(String::from_utf8_lossy(&s.as_bytes()[a as usize..b as usize]).into_owned())
}

fn bytes_str(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Go's `strings.Title`.
fn title(s: &str) -> String {
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let sep = if prev.is_ascii() {
                !(prev.is_ascii_alphanumeric() || prev == '_')
            } else {
                !(prev.is_alphabetic() || prev.is_numeric()) && prev.is_whitespace()
            };
            prev = c;
            if sep { to_title(c) } else { c.to_string() }
        })
        .collect()
}

fn to_title(c: char) -> String {
    c.to_uppercase().collect()
}

/// goutils' `Uncapitalize`: the first letter of each space-separated word lowered.
fn untitle(s: &str) -> String {
    let mut after_space = true;
    s.chars()
        .map(|c| {
            let out: String = if after_space {
                c.to_lowercase().collect()
            } else {
                c.to_string()
            };
            after_space = c.is_whitespace();
            out
        })
        .collect()
}

/// goutils' `Initials`: the first letter of each space-separated word.
fn initials(s: &str) -> String {
    s.split(char::is_whitespace)
        .filter_map(|w| w.chars().next())
        .collect()
}

fn swapcase(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_uppercase() {
                c.to_lowercase().collect::<String>()
            } else if c.is_lowercase() {
                c.to_uppercase().collect()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// goutils' `AbbreviateFull` (byte offsets, as in Go).
fn abbreviate_full(s: &str, offset: i64, width: i64) -> String {
    let b = s.as_bytes();
    let len = b.len() as i64;
    if s.is_empty() || width < 4 || len <= width {
        return s.to_string();
    }
    let mut offset = offset.min(len);
    if len - offset < width - 3 {
        offset = len - (width - 3);
    }
    if offset <= 4 {
        return format!("{}...", bytes_str(&b[..(width - 3) as usize]));
    }
    if width < 7 {
        return s.to_string();
    }
    if offset + width - 3 < len {
        let rest = bytes_str(&b[offset as usize..]);
        return format!("...{}", abbreviate_full(&rest, 0, width - 3));
    }
    format!("...{}", bytes_str(&b[(len - (width - 3)) as usize..]))
}

/// goutils' `WrapCustom` (byte offsets, as in Go).
pub(crate) fn wrap_custom(s: &str, width: i64, newline: &str, long_words: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let nl = if newline.is_empty() { "\n" } else { newline };
    let w = width.max(1) as usize;
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut off = 0usize;
    while b.len() - off > w {
        if b[off] == b' ' {
            off += 1;
            continue;
        }
        let end = (w + off + 1).min(b.len());
        if let Some(sp) = b[off..end].iter().rposition(|&c| c == b' ') {
            out.extend_from_slice(&b[off..off + sp]);
            out.extend_from_slice(nl.as_bytes());
            off += sp + 1;
        } else if long_words {
            out.extend_from_slice(&b[off..off + w]);
            out.extend_from_slice(nl.as_bytes());
            off += w;
        } else {
            let end = w + off;
            match b[end..].iter().position(|&c| c == b' ') {
                None => {
                    out.extend_from_slice(&b[off..]);
                    off = b.len();
                }
                Some(i) => {
                    out.extend_from_slice(&b[off..end + i]);
                    out.extend_from_slice(nl.as_bytes());
                    off = end + i + 1;
                }
            }
        }
    }
    out.extend_from_slice(&b[off..]);
    bytes_str(&out)
}

fn random_from(alphabet: &[char], count: i64) -> String {
    let mut rng = rand::rng();
    (0..count.max(0))
        .map(|_| alphabet[rng.random_range(0..alphabet.len())])
        .collect()
}

fn alphabet(kind: &str) -> Vec<char> {
    let mut v: Vec<char> = Vec::new();
    if kind.contains('a') {
        v.extend('A'..='Z');
        v.extend('a'..='z');
    }
    if kind.contains('n') {
        v.extend('0'..='9');
    }
    if kind == "ascii" {
        v = (32u8..=126).map(char::from).collect();
    }
    v
}

fn register_simple(map: &mut FuncMap) {
    str_fn(map, "trim", |x| {
        x.trim_matches(char::is_whitespace).to_string()
    });
    str_fn(map, "upper", str::to_uppercase);
    str_fn(map, "lower", str::to_lowercase);
    str_fn(map, "title", title);
    str_fn(map, "untitle", untitle);
    str_fn(map, "initials", initials);
    str_fn(map, "swapcase", swapcase);
    str_fn(map, "nospace", |x| {
        x.chars().filter(|c| !c.is_whitespace()).collect()
    });
    for name in ["trimAll", "trimall"] {
        str2_fn(map, name, |cut, x| {
            x.trim_matches(|c| cut.contains(c)).to_string()
        });
    }
    str2_fn(map, "trimPrefix", |p, x| {
        x.strip_prefix(p).unwrap_or(x).to_string()
    });
    str2_fn(map, "trimSuffix", |p, x| {
        x.strip_suffix(p).unwrap_or(x).to_string()
    });
    bool2_fn(map, "contains", |sub, x| x.contains(sub));
    bool2_fn(map, "hasPrefix", |sub, x| x.starts_with(sub));
    bool2_fn(map, "hasSuffix", |sub, x| x.ends_with(sub));
    map.add("shuffle", Signature::new([Param::String]), |_, a| {
        let mut chars: Vec<char> = s(a, 0).chars().collect();
        chars.shuffle(&mut rand::rng());
        Ok(Value::from(chars.into_iter().collect::<String>()))
    });
    for (name, kind) in [
        ("randAlphaNum", "an"),
        ("randAlpha", "a"),
        ("randNumeric", "n"),
        ("randAscii", "ascii"),
    ] {
        let chars = alphabet(kind);
        map.add(name, Signature::new([Param::Int]), move |_, a| {
            limits::check_string(n(a, 0).max(0) as u128)?;
            Ok(Value::from(random_from(&chars, n(a, 0))))
        });
    }
}

fn register_sized(map: &mut FuncMap) {
    map.add(
        "repeat",
        Signature::new([Param::Int, Param::String]),
        |_, a| {
            let count = n(a, 0);
            if count < 0 {
                return Err(err("strings: negative Repeat count"));
            }
            limits::check_string(count as u128 * s(a, 1).len() as u128)?;
            Ok(Value::from(s(a, 1).repeat(count as usize)))
        },
    );
    map.add(
        "substr",
        Signature::new([Param::Int, Param::Int, Param::String]),
        |_, a| {
            let (start, end, x) = (n(a, 0), n(a, 1), s(a, 2));
            let len = x.len() as i64;
            let r = if start < 0 {
                slice_bytes(x, 0, end)?
            } else if end < 0 || end > len {
                slice_bytes(x, start, len)?
            } else {
                slice_bytes(x, start, end)?
            };
            Ok(Value::from(r))
        },
    );
    map.add(
        "trunc",
        Signature::new([Param::Int, Param::String]),
        |_, a| {
            let (c, x) = (n(a, 0), s(a, 1));
            let len = x.len() as i64;
            let r = if c < 0 && len + c > 0 {
                bytes_str(&x.as_bytes()[(len + c) as usize..])
            } else if c >= 0 && len > c {
                bytes_str(&x.as_bytes()[..c as usize])
            } else {
                x.to_string()
            };
            Ok(Value::from(r))
        },
    );
    map.add(
        "abbrev",
        Signature::new([Param::Int, Param::String]),
        |_, a| Ok(Value::from(abbreviate_full(s(a, 1), 0, n(a, 0)))),
    );
    map.add(
        "abbrevboth",
        Signature::new([Param::Int, Param::Int, Param::String]),
        |_, a| {
            let (left, right, x) = (n(a, 0), n(a, 1), s(a, 2));
            if right < 4 || (left > 0 && right < 7) {
                return Ok(Value::from(x));
            }
            Ok(Value::from(abbreviate_full(x, left, right)))
        },
    );
    map.add(
        "wrap",
        Signature::new([Param::Int, Param::String]),
        |_, a| Ok(Value::from(wrap_custom(s(a, 1), n(a, 0), "", false))),
    );
    map.add(
        "wrapWith",
        Signature::new([Param::Int, Param::String, Param::String]),
        |_, a| Ok(Value::from(wrap_custom(s(a, 2), n(a, 0), s(a, 1), true))),
    );
    map.add(
        "indent",
        Signature::new([Param::Int, Param::String]),
        |_, a| Ok(Value::from(indent(n(a, 0), s(a, 1))?)),
    );
    map.add(
        "nindent",
        Signature::new([Param::Int, Param::String]),
        |_, a| Ok(Value::from(format!("\n{}", indent(n(a, 0), s(a, 1))?))),
    );
    map.add(
        "plural",
        Signature::new([Param::String, Param::String, Param::Int]),
        |_, a| Ok(Value::from(if n(a, 2) == 1 { s(a, 0) } else { s(a, 1) })),
    );
    map.add(
        "replace",
        Signature::new([Param::String, Param::String, Param::String]),
        |_, a| Ok(Value::from(go_replace(s(a, 2), s(a, 0), s(a, 1)))),
    );
}

/// Go's `strings.Replace(s, old, new, -1)`: an empty `old` inserts between every rune.
fn go_replace(x: &str, old: &str, new: &str) -> String {
    if !old.is_empty() {
        return x.replace(old, new);
    }
    let mut out = String::from(new);
    for c in x.chars() {
        out.push(c);
        out.push_str(new);
    }
    out
}

fn indent(spaces: i64, v: &str) -> Result<String, FuncError> {
    let lines = v.bytes().filter(|b| *b == b'\n').count() as u128 + 1;
    limits::check_string(spaces.max(0) as u128 * lines + v.len() as u128)?;
    let pad = " ".repeat(spaces.max(0) as usize);
    Ok(format!("{pad}{}", v.replace('\n', &format!("\n{pad}"))))
}

fn register_lists(map: &mut FuncMap) {
    let any_var = || Signature::new([]).variadic(Param::Any);
    map.add("quote", any_var(), |_, a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !v.is_nil())
            .map(|v| crate::template::quote(&strval(v)))
            .collect();
        Ok(Value::from(parts.join(" ")))
    });
    map.add("squote", any_var(), |_, a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !v.is_nil())
            .map(|v| format!("'{}'", strval(v)))
            .collect();
        Ok(Value::from(parts.join(" ")))
    });
    map.add("cat", any_var(), |_, a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !v.is_nil())
            .map(|v| crate::template::fmt::sprint(std::slice::from_ref(v)))
            .collect();
        Ok(Value::from(parts.join(" ")))
    });
    map.add(
        "splitList",
        Signature::new([Param::String, Param::String]),
        |_, a| Ok(string_list(go_split(s(a, 1), s(a, 0), -1))),
    );
    map.add(
        "split",
        Signature::new([Param::String, Param::String]),
        |_, a| Ok(indexed(go_split(s(a, 1), s(a, 0), -1))),
    );
    map.add(
        "splitn",
        Signature::new([Param::String, Param::Int, Param::String]),
        |_, a| Ok(indexed(go_split(s(a, 2), s(a, 0), n(a, 1)))),
    );
    map.add(
        "join",
        Signature::new([Param::String, Param::Any]),
        |_, a| {
            let v = a.get(1).cloned().unwrap_or_default();
            Ok(Value::from(strslice(&v).join(s(a, 0))))
        },
    );
    map.add("sortAlpha", Signature::new([Param::Any]), |_, a| {
        let v = a.first().cloned().unwrap_or_default();
        let mut items = match super::list_items(&v) {
            Some(_) => strslice(&v),
            None => vec![strval(&v)],
        };
        items.sort();
        Ok(string_list(items))
    });
}

/// Go's `strings.SplitN(s, sep, n)` (n < 0: all).
pub(crate) fn go_split(x: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let chars: Vec<String> = x.chars().map(String::from).collect();
        if n < 0 || chars.len() as i64 <= n {
            return chars;
        }
        let head = (n - 1) as usize;
        let rest: String = chars[head..].concat();
        let mut out = chars[..head].to_vec();
        out.push(rest);
        return out;
    }
    if n < 0 {
        return x.split(sep).map(String::from).collect();
    }
    x.splitn(n as usize, sep).map(String::from).collect()
}

fn indexed(parts: Vec<String>) -> Value {
    let d = Dict::typed(ElemType::String, Default::default());
    for (i, p) in parts.into_iter().enumerate() {
        d.insert(format!("_{i}"), Value::from(p));
    }
    Value::Dict(d)
}

pub(super) fn register(map: &mut FuncMap) {
    register_simple(map);
    register_sized(map);
    register_lists(map);
}
