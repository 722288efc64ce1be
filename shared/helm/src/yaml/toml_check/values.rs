//! BurntSushi/toml's checks on scalar values: integers and floats (underscores, leading
//! zeroes, range), datetimes (its seven layouts), and escapes in basic strings.

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

pub(super) fn check_integer(v: &str) -> Result<(), String> {
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
    // Anything else the lexer let through is a bug report in Go, not a parse error.
    if let Ok(n) = u128::from_str_radix(&clean, radix) {
        let limit = if neg { 1u128 << 63 } else { (1u128 << 63) - 1 };
        if n > limit {
            return Err(format!("{v} is out of range for int64"));
        }
    } else if !clean.is_empty() && clean.chars().all(|c| c.is_digit(radix)) {
        return Err(format!("{v} is out of range for int64"));
    }
    Ok(())
}

pub(super) fn check_float(v: &str) -> Result<(), String> {
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
            Ok(())
        }
        _ => Err(format!("Invalid float value: {}", quote(v))),
    }
}

/// Reads `n` digits as a number, if they are all digits.
fn num(s: &str, n: usize) -> Option<(u32, &str)> {
    let d = s.get(..n)?;
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((d.parse().ok()?, &s[n..]))
}

fn date(s: &str) -> Option<&str> {
    let (y, s) = num(s, 4)?;
    let (m, s) = num(s.strip_prefix('-')?, 2)?;
    let (d, s) = num(s.strip_prefix('-')?, 2)?;
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    (1..=days).contains(&d).then_some(s)
}

/// `15:04` or `15:04:05.999999999`.
fn time(s: &str, seconds: bool) -> Option<&str> {
    let (h, s) = num(s, 2)?;
    let (m, mut s) = num(s.strip_prefix(':')?, 2)?;
    if h > 23 || m > 59 {
        return None;
    }
    if seconds {
        let (sec, rest) = num(s.strip_prefix(':')?, 2)?;
        if sec > 59 {
            return None;
        }
        s = rest;
        if let Some(frac) = s.strip_prefix('.') {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            if n > 0 {
                s = &frac[n..];
            }
        }
    }
    Some(s)
}

fn zone(s: &str) -> Option<&str> {
    if let Some(r) = s.strip_prefix('Z') {
        return Some(r);
    }
    let rest = s.strip_prefix(['+', '-'])?;
    let (h, rest) = num(rest, 2)?;
    let (m, rest) = num(rest.strip_prefix(':')?, 2)?;
    (h <= 24 && m <= 60).then_some(rest)
}

pub(super) fn check_datetime(v: &str) -> Result<(), String> {
    let v: String = v
        .chars()
        .map(|c| match c {
            'z' => 'Z',
            't' | ' ' => 'T',
            c => c,
        })
        .collect();
    let full = |s: &str, secs: bool, tz: bool| -> bool {
        let Some(rest) = date(s)
            .and_then(|r| r.strip_prefix('T'))
            .and_then(|r| time(r, secs))
        else {
            return false;
        };
        if tz {
            zone(rest) == Some("")
        } else {
            rest.is_empty()
        }
    };
    let ok = full(&v, true, true)
        || full(&v, true, false)
        || date(&v) == Some("")
        || time(&v, true) == Some("")
        || full(&v, false, true)
        || full(&v, false, false)
        || time(&v, false) == Some("");
    if ok {
        Ok(())
    } else {
        Err(format!("invalid datetime: {}", quote(&v)))
    }
}

/// Escapes BurntSushi accepts from the lexer but refuses when decoding: `\u`/`\U` of
/// something that is not a Unicode scalar value.
pub(super) fn check_escapes(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let n = match b.get(i + 1) {
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
