//! Go `strconv` and `time` parsing and formatting, as go-yaml and encoding/json use them.
//!
//! kustomize's output depends on exactly how Go parses `0o17`, `1_000`, `08` or
//! `2001-12-14` and how it prints floats, so these are reimplemented rule for rule.

/// `strconv.ParseUint(s, 0, 64)`: base from the prefix (`0b`, `0o`, `0x`, leading `0`).
pub fn parse_uint_base0(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let (base, digits): (u64, &[u8]) = if b[0] == b'0' {
        match b.get(1).map(u8::to_ascii_lowercase) {
            Some(b'b') if b.len() >= 3 => (2, &b[2..]),
            Some(b'o') if b.len() >= 3 => (8, &b[2..]),
            Some(b'x') if b.len() >= 3 => (16, &b[2..]),
            _ => (8, &b[1..]),
        }
    } else {
        (10, b)
    };
    let mut n: u64 = 0;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => u64::from(c - b'0'),
            b'a'..=b'z' => u64::from(c - b'a') + 10,
            b'A'..=b'Z' => u64::from(c - b'A') + 10,
            _ => return None,
        };
        if d >= base {
            return None;
        }
        n = n.checked_mul(base)?.checked_add(d)?;
    }
    Some(n)
}

/// `strconv.ParseInt(s, 0, 64)`: an optional sign, then [`parse_uint_base0`].
pub fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint_base0(rest)?;
    if neg {
        if u > 1u64 << 63 {
            return None;
        }
        Some((u as i64).wrapping_neg())
    } else {
        i64::try_from(u).ok()
    }
}

/// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
pub fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `underscoreOK`: underscores only between digits (or after a base prefix).
fn underscore_ok(s: &str) -> bool {
    let mut b = s.as_bytes();
    if matches!(b.first(), Some(b'+' | b'-')) {
        b = &b[1..];
    }
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1].eq_ignore_ascii_case(&b'x');
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// `strconv.ParseFloat(s, 64)` restricted to decimal syntax, failing on overflow as Go does.
pub fn parse_float_decimal(s: &str) -> Option<f64> {
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let cleaned: String = s.chars().filter(|&c| c != '_').collect();
    if !is_yaml_style_float(&cleaned) {
        return None;
    }
    let f: f64 = cleaned.parse().ok()?;
    f.is_finite().then_some(f)
}

/// Shortest round-trip decimal digits of a finite, non-negative float and the
/// position of the decimal point (Go's `decimalSlice` {d, dp}).
fn shortest_digits(f: f64) -> (String, i32) {
    if f == 0.0 {
        return (String::from("0"), 1);
    }
    let e = format!("{:e}", f.abs());
    let (mant, exp) = e.split_once('e').unwrap_or((e.as_str(), "0"));
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp + 1)
}

fn fmt_e(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let exp = if digits == "0" { 0 } else { dp - 1 };
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        out.push('0');
    }
    out.push_str(&a.to_string());
    out
}

fn fmt_f(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let nd = digits.len() as i32;
    if dp <= 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat((-dp) as usize));
        out.push_str(digits);
    } else if dp >= nd {
        out.push_str(digits);
        out.push_str(&"0".repeat((dp - nd) as usize));
    } else {
        out.push_str(&digits[..dp as usize]);
        out.push('.');
        out.push_str(&digits[dp as usize..]);
    }
    out
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` for finite floats.
pub fn format_float_g(f: f64) -> String {
    let neg = f.is_sign_negative();
    let (digits, dp) = shortest_digits(f);
    let exp = if digits == "0" { 0 } else { dp - 1 };
    if !(-4..6).contains(&exp) {
        fmt_e(neg, &digits, dp)
    } else {
        fmt_f(neg, &digits, dp)
    }
}

/// How encoding/json writes a float64: `%f` style within [1e-6, 1e21), else `%e` with
/// a one-digit negative exponent shortened (`e-07` becomes `e-7`).
pub fn format_float_json(f: f64) -> String {
    let neg = f.is_sign_negative();
    let (digits, dp) = shortest_digits(f);
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let mut s = fmt_e(neg, &digits, dp);
        let n = s.len();
        let b = s.as_bytes();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
        s
    } else {
        fmt_f(neg, &digits, dp)
    }
}

/// A timestamp as go-yaml's `parseTimestamp` accepts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub nanos: u32,
    /// Offset east of UTC in seconds.
    pub offset: i32,
}

/// Go's `getnum(s, false)`: one or two digits.
fn getnum(s: &[u8]) -> Option<(u32, &[u8])> {
    let d0 = *s.first().filter(|c| c.is_ascii_digit())?;
    match s.get(1).filter(|c| c.is_ascii_digit()) {
        Some(&d1) => Some((u32::from(d0 - b'0') * 10 + u32::from(d1 - b'0'), &s[2..])),
        None => Some((u32::from(d0 - b'0'), &s[1..])),
    }
}

fn expect(s: &[u8], c: u8) -> Option<&[u8]> {
    (s.first() == Some(&c)).then(|| &s[1..])
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses `YYYY-M-D`, returning the rest.
fn parse_date(s: &[u8]) -> Option<(u32, u32, u32, &[u8])> {
    if s.len() < 4 || !s[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let year = s[..4]
        .iter()
        .fold(0u32, |a, c| a * 10 + u32::from(c - b'0'));
    let s = expect(&s[4..], b'-')?;
    let (month, s) = getnum(s)?;
    let s = expect(s, b'-')?;
    let (day, s) = getnum(s)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return None;
    }
    Some((year, month, day, s))
}

/// Parses `15:4:5` with an optional fraction, returning (h, m, s, nanos, rest).
fn parse_clock(s: &[u8]) -> Option<(u32, u32, u32, u32, &[u8])> {
    let (hour, s) = getnum(s)?;
    let s = expect(s, b':')?;
    let (minute, s) = getnum(s)?;
    let s = expect(s, b':')?;
    let (second, mut s) = getnum(s)?;
    if hour >= 24 || minute >= 60 || second >= 60 {
        return None;
    }
    let mut nanos = 0;
    if s.len() >= 2 && matches!(s[0], b'.' | b',') && s[1].is_ascii_digit() {
        let n = 1 + s[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        let frac = &s[1..n.min(10)];
        let mut v = frac.iter().fold(0u32, |a, c| a * 10 + u32::from(c - b'0'));
        for _ in frac.len()..9 {
            v *= 10;
        }
        nanos = v;
        s = &s[n..];
    }
    Some((hour, minute, second, nanos, s))
}

/// Parses `Z` or `±hh:mm`.
fn parse_zone(s: &[u8]) -> Option<i32> {
    if s == b"Z" {
        return Some(0);
    }
    if s.len() != 6 || s[3] != b':' || !s[1..3].iter().chain(&s[4..6]).all(u8::is_ascii_digit) {
        return None;
    }
    let hh = i32::from(s[1] - b'0') * 10 + i32::from(s[2] - b'0');
    let mm = i32::from(s[4] - b'0') * 10 + i32::from(s[5] - b'0');
    if hh > 24 || mm > 60 {
        return None;
    }
    let off = (hh * 60 + mm) * 60;
    match s[0] {
        b'+' => Some(off),
        b'-' => Some(-off),
        _ => None,
    }
}

/// go-yaml's `parseTimestamp`: the four layouts it tries, with Go's `time.Parse` rules.
pub fn parse_timestamp(s: &str) -> Option<Timestamp> {
    let (year, month, day, rest) = parse_date(s.as_bytes())?;
    let mut ts = Timestamp {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
        offset: 0,
    };
    if rest.is_empty() {
        return Some(ts);
    }
    let (clock, zoned) = match rest[0] {
        b'T' | b't' => (&rest[1..], true),
        b' ' => (trim_spaces(rest), false),
        _ => return None,
    };
    let (hour, minute, second, nanos, rest) = parse_clock(clock)?;
    ts.hour = hour;
    ts.minute = minute;
    ts.second = second;
    ts.nanos = nanos;
    if zoned {
        ts.offset = parse_zone(rest)?;
    } else if !rest.is_empty() {
        return None;
    }
    Some(ts)
}

fn trim_spaces(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|c| **c == b' ').count();
    &s[n..]
}

impl Timestamp {
    /// `time.Time.Format(time.RFC3339Nano)`, which is also how encoding/json writes it.
    pub fn rfc3339_nano(&self) -> String {
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        );
        if self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        if self.offset == 0 {
            out.push('Z');
        } else {
            let sign = if self.offset < 0 { '-' } else { '+' };
            let m = self.offset.unsigned_abs() / 60;
            out.push_str(&format!("{sign}{:02}:{:02}", m / 60, m % 60));
        }
        out
    }
}

/// encoding/json's string form: `<`, `>`, `&` escaped when `html`, U+2028/U+2029 always.
pub fn go_json_quote(out: &mut String, x: &str, html: bool) {
    out.push('"');
    for c in x.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if html => out.push_str(&format!("\\u{:04x}", c as u32)),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_follow_go_base0() {
        let cases: &[(&str, Option<i64>)] = &[
            ("0", Some(0)),
            ("012", Some(10)),
            ("08", None),
            ("0x1F", Some(31)),
            ("0o17", Some(15)),
            ("0b101", Some(5)),
            ("-0b101", Some(-5)),
            ("+5", Some(5)),
            ("-9223372036854775808", Some(i64::MIN)),
            ("9223372036854775808", None),
            ("0x", None),
            ("", None),
            ("1e3", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse_int_base0(s), *want, "{s}");
        }
        assert_eq!(
            parse_uint_base0("12345678901234567890"),
            Some(12345678901234567890)
        );
        assert_eq!(parse_uint_base0("+1"), None);
    }

    #[test]
    fn floats_format_like_go() {
        let cases: &[(f64, &str, &str)] = &[
            (1000000.5, "1.0000005e+06", "1000000.5"),
            (1e20, "1e+20", "100000000000000000000"),
            (1e21, "1e+21", "1e+21"),
            (1e-7, "1e-07", "1e-7"),
            (0.000001, "1e-06", "0.000001"),
            (1.5, "1.5", "1.5"),
            (-0.0, "-0", "-0"),
            (0.0001, "0.0001", "0.0001"),
            (
                1.2345678901234568e29,
                "1.2345678901234568e+29",
                "1.2345678901234568e+29",
            ),
            (123456.0, "123456", "123456"),
        ];
        for (f, g, j) in cases {
            assert_eq!(format_float_g(*f), *g, "g {f}");
            assert_eq!(format_float_json(*f), *j, "json {f}");
        }
    }

    #[test]
    fn yaml_float_syntax() {
        for s in ["1.", ".5", "1e3", "-1.5E-3", "08", "+.5"] {
            assert!(is_yaml_style_float(s), "{s}");
        }
        for s in ["", ".", "e3", "1e", "1.5.5", "0x1"] {
            assert!(!is_yaml_style_float(s), "{s}");
        }
    }

    #[test]
    fn timestamps_follow_go_layouts() {
        let cases: &[(&str, Option<&str>)] = &[
            ("2001-12-14", Some("2001-12-14T00:00:00Z")),
            ("2001-1-2", Some("2001-01-02T00:00:00Z")),
            ("2001-12-14 21:59:43.10", Some("2001-12-14T21:59:43.1Z")),
            ("2001-12-14  1:2:3", Some("2001-12-14T01:02:03Z")),
            (
                "2001-12-14t21:59:43.10-05:00",
                Some("2001-12-14T21:59:43.1-05:00"),
            ),
            ("2001-12-14T21:59:43Z", Some("2001-12-14T21:59:43Z")),
            ("2001-12-14T21:59:43+00:00", Some("2001-12-14T21:59:43Z")),
            ("2001-02-29", None),
            ("2000-02-29", Some("2000-02-29T00:00:00Z")),
            ("2001-12-14T21:59:43", None),
            ("2001-12-14 21:59:43 -5", None),
            ("20011-12-14", None),
            ("2001-13-01", None),
        ];
        for (s, want) in cases {
            let got = parse_timestamp(s).map(|t| t.rfc3339_nano());
            assert_eq!(got.as_deref(), *want, "{s}");
        }
    }
}
