//! The string functions of `${var<op>args}` (bash parameter expansion as envsubst has
//! it), on bytes as Go's strings are, and Go's `path.Match` for `#`, `##`, `%`, `%%`.

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Applies the function named by `op` to `v`.
pub fn apply(op: &str, v: &str, args: &[String]) -> String {
    match op {
        "," => first_char(v, |c| c.to_lowercase().collect()),
        ",," => v.to_lowercase(),
        "^" => first_char(v, |c| c.to_uppercase().collect()),
        "^^" => v.to_uppercase(),
        "#" if args.is_empty() => v.len().to_string(),
        "#" => trim_prefix(v, &args[0], false),
        "##" => trim_prefix(v, args.first().map_or("", |s| s), true),
        "%" => trim_suffix(v, args.first().map_or("", |s| s), false),
        "%%" => trim_suffix(v, args.first().map_or("", |s| s), true),
        ":" => substr(v, args),
        "/#" => match args {
            [pat, rep] if v.starts_with(pat.as_str()) => v.replacen(pat.as_str(), rep, 1),
            _ => v.to_string(),
        },
        "/%" => match args {
            [pat, rep] if v.ends_with(pat.as_str()) => {
                format!("{}{rep}", &v[..v.len() - pat.len()])
            }
            _ => v.to_string(),
        },
        "/" => replace(v, args, 1),
        "//" => replace(v, args, usize::MAX),
        _ => {
            if v.is_empty() && !args.is_empty() {
                args.concat()
            } else {
                v.to_string()
            }
        }
    }
}

fn first_char(v: &str, f: impl Fn(char) -> String) -> String {
    let mut chars = v.chars();
    match chars.next() {
        Some(c) => f(c) + chars.as_str(),
        None => String::new(),
    }
}

fn replace(v: &str, args: &[String], n: usize) -> String {
    match args {
        [] => v.to_string(),
        [pat] => go_replace(v, pat, "", n),
        [pat, rep, ..] => go_replace(v, pat, rep, n),
    }
}

/// Go's `strings.Replace`: an empty pattern matches before every character.
fn go_replace(v: &str, pat: &str, rep: &str, n: usize) -> String {
    if pat.is_empty() {
        let mut out = String::new();
        let mut done = 0;
        for c in v.chars() {
            if done < n {
                out.push_str(rep);
                done += 1;
            }
            out.push(c);
        }
        if done < n {
            out.push_str(rep);
        }
        return out;
    }
    v.replacen(pat, rep, n)
}

fn substr(v: &str, args: &[String]) -> String {
    let b = v.as_bytes();
    let len = b.len() as i64;
    let Some(Ok(mut pos)) = args.first().map(|a| a.parse::<i64>()) else {
        return v.to_string();
    };
    if pos < 0 {
        pos = (len + pos).max(0);
    }
    let Some(l) = args.get(1) else {
        return if pos < len {
            lossy(&b[pos as usize..])
        } else {
            String::new()
        };
    };
    let Ok(length) = l.parse::<i64>() else {
        return v.to_string();
    };
    if length < 0 {
        let end = len + length;
        return if end < pos {
            String::new()
        } else {
            lossy(&b[pos as usize..end as usize])
        };
    }
    if pos + length >= len {
        return if pos < len {
            lossy(&b[pos as usize..])
        } else {
            String::new()
        };
    }
    lossy(&b[pos as usize..(pos + length) as usize])
}

/// Removes the shortest (or longest) prefix matching the glob.
fn trim_prefix(v: &str, pat: &str, longest: bool) -> String {
    let b = v.as_bytes();
    let mut found: Option<usize> = None;
    for i in 0..b.len() {
        let end = b.len() - i;
        match glob(pat.as_bytes(), &b[..end]) {
            Err(()) => return v.to_string(),
            Ok(true) => {
                found = Some(end);
                if longest {
                    break;
                }
            }
            Ok(false) => {}
        }
    }
    match found {
        Some(end) if end > 0 => lossy(&b[end..]),
        _ => v.to_string(),
    }
}

fn trim_suffix(v: &str, pat: &str, longest: bool) -> String {
    let rev = |s: &str| s.chars().rev().collect::<String>();
    rev(&trim_prefix(&rev(v), &rev(pat), longest))
}

/// Go's `path.Match` on bytes: `*`, `?`, `[...]` classes, `\` escapes; `Err` for a
/// malformed pattern.
fn glob(pat: &[u8], name: &[u8]) -> Result<bool, ()> {
    match pat.split_first() {
        None => Ok(name.is_empty()),
        Some((b'*', rest)) => {
            for i in 0..=name.len() {
                if name[..i].contains(&b'/') {
                    break;
                }
                if glob(rest, &name[i..])? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Some((b'?', rest)) => match name.split_first() {
            Some((c, tail)) if *c != b'/' => glob(rest, tail),
            _ => Ok(false),
        },
        Some((b'[', rest)) => {
            let (matched, after) = class(rest, name.first().copied())?;
            if matched {
                glob(after, &name[1..])
            } else {
                Ok(false)
            }
        }
        Some((b'\\', rest)) => match (rest.split_first(), name.split_first()) {
            (None, _) => Err(()),
            (Some((p, prest)), Some((c, tail))) if p == c => glob(prest, tail),
            _ => Ok(false),
        },
        Some((p, rest)) => match name.split_first() {
            Some((c, tail)) if c == p => glob(rest, tail),
            _ => Ok(false),
        },
    }
}

/// A `[...]` class (after the `[`): whether `c` is in it, and the pattern after `]`.
fn class(pat: &[u8], c: Option<u8>) -> Result<(bool, &[u8]), ()> {
    let (negate, mut p) = match pat.split_first() {
        Some((b'^', rest)) => (true, rest),
        _ => (false, pat),
    };
    let mut matched = false;
    let mut first = true;
    loop {
        match p.split_first() {
            None => return Err(()),
            Some((b']', rest)) if !first => {
                p = rest;
                break;
            }
            _ => {}
        }
        first = false;
        let (lo, rest) = class_char(p)?;
        let (hi, rest) = match rest.split_first() {
            Some((b'-', r)) => class_char(r)?,
            _ => (lo, rest),
        };
        if let Some(c) = c {
            matched |= lo <= c && c <= hi;
        }
        p = rest;
    }
    Ok((c.is_some() && c != Some(b'/') && matched != negate, p))
}

fn class_char(p: &[u8]) -> Result<(u8, &[u8]), ()> {
    match p {
        [b'\\', c, rest @ ..] => Ok((*c, rest)),
        [b'-' | b']', ..] | [] | [b'\\'] => Err(()),
        [c, rest @ ..] => Ok((*c, rest)),
    }
}
