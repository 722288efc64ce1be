//! Values with their own decoding in Go, checked with Go's words: quantities
//! (`resource.ParseQuantity`), base64 bytes (`encoding/base64`) and RFC 3339 times
//! (`time.Parse`).

const FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const SUFFIX: &str = "unable to parse quantity's suffix";

fn digits_end(s: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// The suffix of a quantity (`Mi`, `e3`), or the format error, as `parseQuantityString`.
fn quantity_suffix(s: &str) -> Result<&str, &'static str> {
    let b = s.as_bytes();
    let mut pos = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    while pos < b.len() && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= b.len() {
        return Ok("");
    }
    pos = digits_end(b, pos);
    if pos >= b.len() {
        return Ok("");
    }
    if b[pos] == b'.' {
        pos = digits_end(b, pos + 1);
        if pos >= b.len() {
            return Ok("");
        }
    }
    let start = pos;
    while pos < b.len() && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < b.len() && matches!(b[pos], b'-' | b'+') {
        pos += 1;
    }
    if digits_end(b, pos) < b.len() {
        return Err(FORMAT_WRONG);
    }
    Ok(&s[start..])
}

/// Whether `resource.ParseQuantity` accepts `text` (a JSON string's content, or the raw text
/// of any other JSON value); the error is upstream's.
pub(super) fn quantity(text: &str) -> Result<(), &'static str> {
    let s = text.trim();
    if s.is_empty() {
        return Err(FORMAT_WRONG);
    }
    let suffix = quantity_suffix(s)?;
    let known = matches!(
        suffix,
        "" | "Ki"
            | "Mi"
            | "Gi"
            | "Ti"
            | "Pi"
            | "Ei"
            | "n"
            | "u"
            | "m"
            | "k"
            | "M"
            | "G"
            | "T"
            | "P"
            | "E"
    );
    let exponent = suffix.len() > 1
        && matches!(suffix.as_bytes()[0], b'e' | b'E')
        && suffix[1..].parse::<i64>().is_ok();
    if known || exponent {
        Ok(())
    } else {
        Err(SUFFIX)
    }
}

fn base64_value(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

fn is_newline(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

/// Go's `base64.StdEncoding.DecodeString`: where it fails, if it does.
pub(super) fn base64(s: &str) -> Result<(), String> {
    let src = s.as_bytes();
    let bad = |at: usize| Err(format!("illegal base64 data at input byte {at}"));
    let mut si = 0;
    loop {
        let mut j = 0;
        while j < 4 {
            let Some(&c) = src.get(si) else {
                return if j == 0 { Ok(()) } else { bad(si - j) };
            };
            si += 1;
            if base64_value(c) {
                j += 1;
                continue;
            }
            if is_newline(c) {
                continue;
            }
            if c != b'=' || j < 2 {
                return bad(si - 1);
            }
            if j == 2 {
                while si < src.len() && is_newline(src[si]) {
                    si += 1;
                }
                if si == src.len() {
                    return bad(src.len());
                }
                if src[si] != b'=' {
                    return bad(si - 1);
                }
                si += 1;
            }
            while si < src.len() && is_newline(src[si]) {
                si += 1;
            }
            return if si < src.len() { bad(si) } else { Ok(()) };
        }
    }
}

/// Go's `quote` of the time package.
fn time_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if (c as u32) < 0x20 || (c as u32) >= 0x80 {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

/// A number of `width` digits (or 1 or 2 when `width` is 0), as Go's `getnum`.
fn number(v: &str, fixed: bool) -> Option<(u32, &str)> {
    let b = v.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if !b.get(1).is_some_and(u8::is_ascii_digit) {
        return if fixed {
            None
        } else {
            Some((u32::from(b[0] - b'0'), &v[1..]))
        };
    }
    Some((
        u32::from(b[0] - b'0') * 10 + u32::from(b[1] - b'0'),
        &v[2..],
    ))
}

fn days_in(month: u32, year: i64) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `time.Parse(time.RFC3339, s)` (`micro`: `RFC3339Micro`, six fraction digits required).
pub(super) fn rfc3339(s: &str, micro: bool) -> Result<(), String> {
    let layout = if micro {
        "2006-01-02T15:04:05.000000Z07:00"
    } else {
        "2006-01-02T15:04:05Z07:00"
    };
    let message = |elem: &str, rest: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            time_quote(s),
            time_quote(layout),
            time_quote(rest),
            time_quote(elem)
        )
    };
    let fail = |elem: &str, rest: &str| Err(message(elem, rest));
    let range = |what: &str| {
        Err(format!(
            "parsing time {}: {what} out of range",
            time_quote(s)
        ))
    };
    let v = s;
    if v.len() < 4 || !v.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        return fail("2006", v);
    }
    let year: i64 = v[..4].parse().unwrap_or(0);
    let mut v = &v[4..];
    let mut fields = [0u32; 5];
    for (i, (lit, elem, fixed, max, what)) in [
        ("-", "01", true, 12, "month"),
        ("-", "02", true, 99, "day"),
        ("T", "15", false, 23, "hour"),
        (":", "04", true, 59, "minute"),
        (":", "05", true, 59, "second"),
    ]
    .into_iter()
    .enumerate()
    {
        let Some(rest) = v.strip_prefix(lit) else {
            return fail(lit, v);
        };
        let Some((n, rest)) = number(rest, fixed) else {
            return fail(elem, rest);
        };
        if n > max || (n == 0 && i == 0) {
            return range(what);
        }
        fields[i] = n;
        v = rest;
    }
    v = fraction(v, micro).map_err(|rest| message(".000000", rest))?;
    v = zone(v).map_err(|rest| message("Z07:00", rest))?;
    if !v.is_empty() {
        return Err(format!(
            "parsing time {}: extra text: {}",
            time_quote(s),
            time_quote(v)
        ));
    }
    if fields[1] == 0 || fields[1] > days_in(fields[0], year) {
        return range("day");
    }
    Ok(())
}

/// Fractional seconds: exactly six digits after `.` for RFC3339Micro, any after `.` or `,`
/// otherwise; `Err(rest)` when missing where required.
fn fraction(v: &str, micro: bool) -> Result<&str, &str> {
    let b = v.as_bytes();
    let starts = b.first().is_some_and(|c| *c == b'.' || *c == b',');
    if micro {
        if v.len() < 7 || !starts || !b[1..7].iter().all(u8::is_ascii_digit) {
            return Err(v);
        }
        return Ok(&v[7..]);
    }
    if starts && b.get(1).is_some_and(u8::is_ascii_digit) {
        return Ok(&v[digits_end(b, 1)..]);
    }
    Ok(v)
}

/// `Z` or `±hh:mm`; `Err(rest)` when neither.
fn zone(v: &str) -> Result<&str, &str> {
    if let Some(rest) = v.strip_prefix('Z') {
        return Ok(rest);
    }
    let b = v.as_bytes();
    if v.len() < 6 || b[3] != b':' || !matches!(b[0], b'+' | b'-') {
        return Err(v);
    }
    match (number(&v[1..3], true), number(&v[4..6], true)) {
        (Some(_), Some(_)) => Ok(&v[6..]),
        _ => Err(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_as_parse_quantity() {
        for ok in [
            "1", "0", "100m", "1.5Gi", "2e3", "-1", "+1k", ".5", "1E", "512Mi", "1.",
        ] {
            assert_eq!(quantity(ok), Ok(()), "{ok}");
        }
        assert_eq!(quantity("1 core"), Err(FORMAT_WRONG));
        assert_eq!(quantity("true"), Err(FORMAT_WRONG));
        assert_eq!(quantity(""), Err(FORMAT_WRONG));
        assert_eq!(quantity("1Gb"), Err(FORMAT_WRONG));
        assert_eq!(quantity("1iM"), Err(SUFFIX));
        assert_eq!(quantity("1mi"), Err(SUFFIX));
    }

    #[test]
    fn base64_errors_at_go_offsets() {
        assert_eq!(base64("aGVsbG8="), Ok(()));
        assert_eq!(base64("aGVs\nbG8="), Ok(()));
        assert_eq!(base64(""), Ok(()));
        let at = |s: &str| base64(s).err().unwrap_or_default();
        assert_eq!(at("hunter2"), "illegal base64 data at input byte 4");
        assert_eq!(at("abc"), "illegal base64 data at input byte 0");
        assert_eq!(at("ab$d"), "illegal base64 data at input byte 2");
        assert_eq!(at("a==="), "illegal base64 data at input byte 1");
        assert_eq!(at("ab="), "illegal base64 data at input byte 3");
        assert_eq!(at("ab==x"), "illegal base64 data at input byte 4");
    }

    #[test]
    fn times_as_time_parse() {
        assert_eq!(rfc3339("2024-01-02T03:04:05Z", false), Ok(()));
        assert_eq!(rfc3339("2024-01-02T03:04:05.123+01:00", false), Ok(()));
        assert_eq!(rfc3339("2024-01-02T03:04:05.123456Z", true), Ok(()));
        let e = |s: &str, m: bool| rfc3339(s, m).err().unwrap_or_default();
        assert_eq!(
            e("now", false),
            r#"parsing time "now" as "2006-01-02T15:04:05Z07:00": cannot parse "now" as "2006""#
        );
        assert_eq!(
            e("2024-01-02", false),
            r#"parsing time "2024-01-02" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T""#
        );
        assert_eq!(
            e("2024-13-02T00:00:00Z", false),
            r#"parsing time "2024-13-02T00:00:00Z": month out of range"#
        );
        assert_eq!(
            e("2024-02-30T00:00:00Z", false),
            r#"parsing time "2024-02-30T00:00:00Z": day out of range"#
        );
        assert_eq!(
            e("2024-01-02T03:04:05Z", true),
            r#"parsing time "2024-01-02T03:04:05Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000""#
        );
        assert_eq!(
            e("2024-01-02T03:04:05Zjunk", false),
            r#"parsing time "2024-01-02T03:04:05Zjunk": extra text: "junk""#
        );
    }
}
