//! BurntSushi/toml's scalar values: integers and floats (underscores, leading zeroes,
//! range), escapes in basic strings, and multi-line strings' newline rules.

use crate::template::strconv::quote;

fn underscores_ok(s: &str) -> bool {
    if matches!(s, "nan" | "+nan" | "-nan" | "inf" | "-inf" | "+inf") {
        return true;
    }
    let mut accept = false;
    for r in s.chars() {
        if r == '_' && !accept {
            return false;
        }
        accept = r.is_ascii_hexdigit();
    }
    accept
}

fn leading_zero(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() > 1 && b[0] == b'0' && !matches!(b[1], b'b' | b'o' | b'x'))
        || (b.len() > 2 && matches!(b[0], b'-' | b'+') && b[1] == b'0')
}

/// `valueInteger`: Go's `strconv.ParseInt(v, 0, 64)` after TOML's own checks.
pub(super) fn integer(v: &str) -> Result<i64, String> {
    if !underscores_ok(v) {
        return Err(format!(
            "Invalid integer {}: underscores must be surrounded by digits",
            quote(v)
        ));
    }
    if leading_zero(v) {
        return Err(format!(
            "Invalid integer {}: cannot have leading zeroes",
            quote(v)
        ));
    }
    let (neg, body) = match v.as_bytes().first() {
        Some(b'-') => (true, &v[1..]),
        Some(b'+') => (false, &v[1..]),
        _ => (false, v),
    };
    let (radix, digits) = match body.get(..2) {
        Some("0x" | "0X") => (16, &body[2..]),
        Some("0o" | "0O") => (8, &body[2..]),
        Some("0b" | "0B") => (2, &body[2..]),
        _ => (10, body),
    };
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    match u128::from_str_radix(&clean, radix) {
        Ok(n) => {
            let limit = if neg { 1u128 << 63 } else { (1u128 << 63) - 1 };
            let n = i128::try_from(n)
                .ok()
                .filter(|_| n <= limit)
                .ok_or_else(|| format!("{v} is out of range for int64"))?;
            // In range by the limit above.
            Ok(i64::try_from(if neg { -n } else { n }).unwrap_or_default())
        }
        Err(_) if !clean.is_empty() && clean.chars().all(|c| c.is_digit(radix)) => {
            Err(format!("{v} is out of range for int64"))
        }
        // Anything else the lexer let through is a bug report in Go, not a parse error.
        Err(_) => Ok(0),
    }
}

/// `valueFloat`: TOML's checks, then Go's `strconv.ParseFloat` (`-nan` keeps its sign).
pub(super) fn float(v: &str) -> Result<f64, String> {
    let parts: Vec<&str> = v.split(['.', 'e', 'E']).filter(|p| !p.is_empty()).collect();
    if parts.iter().any(|p| !underscores_ok(p)) {
        return Err(format!(
            "Invalid float {}: underscores must be surrounded by digits",
            quote(v)
        ));
    }
    if parts.first().is_some_and(|p| leading_zero(p)) {
        return Err(format!(
            "Invalid float {}: cannot have leading zeroes",
            quote(v)
        ));
    }
    let mut period = false;
    for r in v.chars() {
        if period && !r.is_ascii_digit() {
            return Err(format!(
                "Invalid float {}: '.' must be followed by one or more digits",
                quote(v)
            ));
        }
        period = r == '.';
    }
    if period {
        return Err(format!(
            "Invalid float {}: '.' must be followed by one or more digits",
            quote(v)
        ));
    }
    let clean: String = v.chars().filter(|c| *c != '_').collect();
    let negative_nan = clean == "-nan";
    let clean = match clean.as_str() {
        "+nan" | "-nan" => "nan".to_string(),
        _ => clean,
    };
    let go_syntax = clean
        .trim_start_matches(['+', '-'])
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        || matches!(clean.trim_start_matches(['+', '-']), "inf" | "nan");
    match clean.parse::<f64>() {
        Ok(f) if go_syntax => {
            if f.is_infinite() && !clean.contains("inf") {
                return Err(format!("{v} is out of range for float64"));
            }
            Ok(if negative_nan { -f64::NAN } else { f })
        }
        _ => Err(format!("Invalid float value: {}", quote(v))),
    }
}

/// Escapes BurntSushi accepts from the lexer but refuses when decoding: a backslash
/// before a space or tab, and `\u`/`\U` of something that is not a Unicode scalar value.
pub(super) fn check_escapes(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let n = match b.get(i + 1) {
            Some(&c @ (b' ' | b'\t')) => {
                return Err(format!("invalid escape: '\\{}'", char::from(c)));
            }
            Some(b'u') => 4,
            Some(b'U') => 8,
            _ => {
                i += 2;
                continue;
            }
        };
        let hex = s.get(i + 2..i + 2 + n).unwrap_or("");
        let ok = u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .is_some();
        if !ok {
            return Err(format!("Escaped character '\\u{hex}' is not valid UTF-8."));
        }
        i += 2 + n;
    }
    Ok(())
}

/// A basic string's value (for keys), escapes decoded.
pub(super) fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let take =
            |chars: &mut std::str::Chars<'_>, n: usize| -> String { chars.take(n).collect() };
        match chars.next() {
            Some('b') => out.push('\u{8}'),
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('f') => out.push('\u{c}'),
            Some('r') => out.push('\r'),
            Some('e') => out.push('\u{1b}'),
            Some(n @ ('x' | 'u' | 'U')) => {
                let len = match n {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex = take(&mut chars, len);
                if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// A multi-line string's value starts after the newline that follows its opening quotes.
pub(super) fn strip_first_newline(s: &str) -> &str {
    s.strip_prefix('\n')
        .or_else(|| s.strip_prefix("\r\n"))
        .unwrap_or(s)
}

/// A backslash that ends a line (only whitespace up to the newline) removes itself and all
/// whitespace after it; other backslashes are escapes, left for `unescape`.
pub(super) fn strip_escaped_newlines(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut from, mut i) = (0, 0);
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        if b.get(i + 1) == Some(&b'\\') {
            i += 2;
            continue;
        }
        let j = i
            + 1
            + b[i + 1..]
                .iter()
                .take_while(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
                .count();
        if j == i + 1 || !b[i..j].contains(&b'\n') {
            i += 1;
            continue;
        }
        out.push_str(&s[from..i]);
        (from, i) = (j, j);
    }
    out.push_str(&s[from..]);
    out
}
