//! Go's strconv where templates depend on it: quoting (Quote, QuoteRune, CanBackquote),
//! unquoting of string and character literals, and Go-syntax integer and float parsing.

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
/// Without Unicode category tables we exclude what Go excludes that Rust can name: controls,
/// spaces other than U+0020, format characters, private use and noncharacters.
pub(crate) fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = u32::from(c);
    let format = matches!(u,
        0x00AD | 0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F | 0x0890..=0x0891 | 0x08E2
        | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
        | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F);
    let private = matches!(u, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD);
    let nonchar = matches!(u, 0xFDD0..=0xFDEF) || (u & 0xFFFE) == 0xFFFE;
    !(format || private || nonchar)
}

const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";

fn push_escaped(out: &mut String, c: char, quote: char, ascii_only: bool) {
    if c == quote || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    let printable = if ascii_only {
        c.is_ascii() && is_print(c)
    } else {
        is_print(c)
    };
    if printable {
        out.push(c);
        return;
    }
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        _ => {
            let u = u32::from(c);
            if u < 0x20 || u == 0x7f {
                out.push_str("\\x");
                out.push(char::from(LOWER_HEX[(u >> 4) as usize]));
                out.push(char::from(LOWER_HEX[(u & 0xf) as usize]));
            } else if u < 0x10000 {
                out.push_str(&format!("\\u{u:04x}"));
            } else {
                out.push_str(&format!("\\U{u:08x}"));
            }
        }
    }
}

/// `strconv.Quote`, or `strconv.QuoteToASCII` when `ascii_only`.
pub(crate) fn quote_with(s: &str, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c, '"', ascii_only);
    }
    out.push('"');
    out
}

/// Go's `strconv.Quote` (what `%q` prints for a string).
pub fn quote(s: &str) -> String {
    quote_with(s, false)
}

/// `strconv.QuoteRune`, or `QuoteRuneToASCII` when `ascii_only`.
pub(crate) fn quote_rune(c: char, ascii_only: bool) -> String {
    let mut out = String::from("'");
    push_escaped(&mut out, c, '\'', ascii_only);
    out.push('\'');
    out
}

/// `strconv.CanBackquote`.
pub(crate) fn can_backquote(s: &str) -> bool {
    s.chars().all(|c| {
        if c.len_utf8() > 1 {
            return c != '\u{feff}';
        }
        !((c < ' ' && c != '\t') || c == '`' || c == '\u{7f}')
    })
}

/// `fmt`'s `%#U`-style rendering used in lexer errors: `U+0029 ')'`.
pub(crate) fn unicode_sharp(c: char) -> String {
    let u = u32::from(c);
    if is_print(c) {
        format!("U+{u:04X} '{c}'")
    } else {
        format!("U+{u:04X}")
    }
}

/// The error strconv reports for malformed literals.
pub(crate) const ERR_SYNTAX: &str = "invalid syntax";

enum Unquoted {
    Char(char),
    Byte(u8),
}

fn hex_value(b: u8) -> Option<u32> {
    char::from(b).to_digit(16)
}

/// `strconv.UnquoteChar`: decodes the first character or escape of `s`.
fn unquote_char(s: &str, quote: u8) -> Result<(Unquoted, &str), &'static str> {
    let bytes = s.as_bytes();
    let first = *bytes.first().ok_or(ERR_SYNTAX)?;
    if first == quote && (quote == b'\'' || quote == b'"') {
        return Err(ERR_SYNTAX);
    }
    if first != b'\\' {
        let c = s.chars().next().ok_or(ERR_SYNTAX)?;
        return Ok((Unquoted::Char(c), &s[c.len_utf8()..]));
    }
    let esc = *bytes.get(1).ok_or(ERR_SYNTAX)?;
    let rest = &s[2..];
    let simple = match esc {
        b'a' => Some('\u{7}'),
        b'b' => Some('\u{8}'),
        b'f' => Some('\u{c}'),
        b'n' => Some('\n'),
        b'r' => Some('\r'),
        b't' => Some('\t'),
        b'v' => Some('\u{b}'),
        b'\\' => Some('\\'),
        b'\'' | b'"' if esc == quote => Some(char::from(esc)),
        _ => None,
    };
    if let Some(c) = simple {
        return Ok((Unquoted::Char(c), rest));
    }
    numeric_escape(esc, rest)
}

/// `\xHH`, `\uHHHH`, `\UHHHHHHHH` and `\OOO` escapes; `rest` follows the escape letter.
fn numeric_escape(esc: u8, rest: &str) -> Result<(Unquoted, &str), &'static str> {
    match esc {
        b'x' | b'u' | b'U' => {
            let n = match esc {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let digits = rest.as_bytes().get(..n).ok_or(ERR_SYNTAX)?;
            let mut v: u32 = 0;
            for &d in digits {
                v = v * 16 + hex_value(d).ok_or(ERR_SYNTAX)?;
            }
            let tail = &rest[n..];
            if esc == b'x' {
                return Ok((
                    Unquoted::Byte(u8::try_from(v).map_err(|_| ERR_SYNTAX)?),
                    tail,
                ));
            }
            let c = char::from_u32(v).ok_or(ERR_SYNTAX)?;
            Ok((Unquoted::Char(c), tail))
        }
        b'0'..=b'7' => {
            let digits = rest.as_bytes().get(..2).ok_or(ERR_SYNTAX)?;
            let mut v = u32::from(esc - b'0');
            for &d in digits {
                if !(b'0'..=b'7').contains(&d) {
                    return Err(ERR_SYNTAX);
                }
                v = v * 8 + u32::from(d - b'0');
            }
            let b = u8::try_from(v).map_err(|_| ERR_SYNTAX)?;
            Ok((Unquoted::Byte(b), &rest[2..]))
        }
        _ => Err(ERR_SYNTAX),
    }
}

/// `strconv.Unquote` for double-quoted, back-quoted and single-quoted literals. Escapes that
/// produce bytes which are not valid UTF-8 become U+FFFD (Rust strings are always UTF-8).
pub(crate) fn unquote(s: &str) -> Result<String, &'static str> {
    let bytes = s.as_bytes();
    if bytes.len() < 2 {
        return Err(ERR_SYNTAX);
    }
    let quote = bytes[0];
    if bytes[bytes.len() - 1] != quote {
        return Err(ERR_SYNTAX);
    }
    let body = &s[1..s.len() - 1];
    if quote == b'`' {
        if body.contains('`') {
            return Err(ERR_SYNTAX);
        }
        return Ok(body.replace('\r', ""));
    }
    if quote != b'"' && quote != b'\'' {
        return Err(ERR_SYNTAX);
    }
    if body.contains('\n') {
        return Err(ERR_SYNTAX);
    }
    let mut out: Vec<u8> = Vec::with_capacity(body.len());
    let mut rest = body;
    let mut count = 0;
    while !rest.is_empty() {
        let (u, tail) = unquote_char(rest, quote)?;
        match u {
            Unquoted::Char(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            Unquoted::Byte(b) => out.push(b),
        }
        rest = tail;
        count += 1;
    }
    if quote == b'\'' && count != 1 {
        return Err(ERR_SYNTAX);
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Parses a character constant body as the template parser does: the rune value and whether
/// the literal ends exactly after it.
pub(crate) fn unquote_char_constant(text: &str) -> Result<u32, String> {
    let body = text.get(1..).ok_or_else(|| ERR_SYNTAX.to_string())?;
    let (u, tail) = unquote_char(body, b'\'').map_err(str::to_string)?;
    if tail != "'" {
        return Err(format!("malformed character constant: {text}"));
    }
    Ok(match u {
        Unquoted::Char(c) => u32::from(c),
        Unquoted::Byte(b) => u32::from(b),
    })
}

/// Go's `underscoreOK`: underscores only between digits, or between a base prefix and a digit.
fn underscore_ok(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1].eq_ignore_ascii_case(&b'x');
    }
    for &c in &b[i..] {
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
    }
    saw != b'_'
}

/// `strconv.ParseUint(s, 0, 64)`: None on syntax error or overflow.
pub(crate) fn parse_uint(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let (base, digits) = if b[0] == b'0' && b.len() >= 3 {
        match b[1].to_ascii_lowercase() {
            b'b' => (2, &s[2..]),
            b'o' => (8, &s[2..]),
            b'x' => (16, &s[2..]),
            _ => (8, &s[1..]),
        }
    } else if b[0] == b'0' {
        (8, &s[1..])
    } else {
        (10, s)
    };
    let mut n: u64 = 0;
    let mut underscores = false;
    for c in digits.chars() {
        if c == '_' {
            underscores = true;
            continue;
        }
        let d = c.to_digit(base)?;
        n = n.checked_mul(u64::from(base))?.checked_add(u64::from(d))?;
    }
    if underscores && !underscore_ok(s) {
        return None;
    }
    Some(n)
}

/// `strconv.ParseInt(s, 0, 64)`.
pub(crate) fn parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint(body)?;
    if neg {
        if u > i64::MAX as u64 + 1 {
            return None;
        }
        Some((u as i64).wrapping_neg())
    } else {
        i64::try_from(u).ok()
    }
}

/// `strconv.ParseFloat(s, 64)`: decimal and hexadecimal (p exponent) syntax, underscores
/// between digits; None on syntax error or when the value overflows.
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    let (neg, body) = match clean.as_bytes().first() {
        Some(b'+') => (false, &clean[1..]),
        Some(b'-') => (true, &clean[1..]),
        _ => (false, clean.as_str()),
    };
    let lower = body.to_ascii_lowercase();
    let v = if matches!(lower.as_str(), "inf" | "infinity") {
        f64::INFINITY
    } else if lower == "nan" {
        f64::NAN
    } else if let Some(hex) = lower.strip_prefix("0x") {
        parse_hex_float(hex)?
    } else {
        if !body
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
        {
            return None;
        }
        let v: f64 = body.parse().ok()?;
        if v.is_infinite() {
            return None;
        }
        v
    };
    Some(if neg { -v } else { v })
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let (mantissa, exp) = s.split_once('p')?;
    let exp: i32 = exp.parse().ok()?;
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut m = 0f64;
    for c in int_part.chars().chain(frac_part.chars()) {
        m = m * 16.0 + f64::from(c.to_digit(16)?);
    }
    let shift = exp - 4 * i32::try_from(frac_part.len()).ok()?;
    let v = m * 2f64.powi(shift);
    if v.is_infinite() { None } else { Some(v) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_matches_go() {
        let cases = [
            ("abc", "\"abc\""),
            ("a\"b\\c", "\"a\\\"b\\\\c\""),
            ("tab\there\n", "\"tab\\there\\n\""),
            ("\u{1}\u{7f}", "\"\\x01\\x7f\""),
            ("é", "\"é\""),
            ("\u{a0}", "\"\\u00a0\""),
            ("\u{feff}", "\"\\ufeff\""),
        ];
        for (input, want) in cases {
            assert_eq!(quote(input), want, "quote({input:?})");
        }
        assert_eq!(quote_with("é", true), "\"\\u00e9\"");
        assert_eq!(quote_rune('a', false), "'a'");
        assert_eq!(quote_rune('\'', false), "'\\''");
        assert_eq!(unicode_sharp(')'), "U+0029 ')'");
    }

    #[test]
    fn unquoting_matches_go() {
        let ok = [
            ("\"a\\tb\"", "a\tb"),
            ("`raw\\n`", "raw\\n"),
            ("`a\r\nb`", "a\nb"),
            ("\"\\u00e9\\x41\\101\"", "éAA"),
            ("\"\\xc3\\xa9\"", "é"),
            ("'x'", "x"),
        ];
        for (input, want) in ok {
            assert_eq!(unquote(input).as_deref(), Ok(want), "unquote({input:?})");
        }
        for bad in ["\"\\q\"", "\"a", "'ab'", "\"\\'\"", "\"\\400\""] {
            assert_eq!(unquote(bad), Err(ERR_SYNTAX), "unquote({bad:?})");
        }
        assert_eq!(unquote_char_constant("'a'"), Ok(97));
        assert_eq!(unquote_char_constant("'\\n'"), Ok(10));
    }

    #[test]
    fn numbers_parse_with_go_syntax() {
        let ints = [
            ("42", Some(42)),
            ("-7", Some(-7)),
            ("0x1F", Some(31)),
            ("0o17", Some(15)),
            ("017", Some(15)),
            ("0b101", Some(5)),
            ("1_000", Some(1000)),
            ("1__0", None),
            ("089", None),
            ("9223372036854775808", None),
            ("-9223372036854775808", Some(i64::MIN)),
        ];
        for (input, want) in ints {
            assert_eq!(parse_int(input), want, "parse_int({input:?})");
        }
        assert_eq!(parse_uint("-1"), None);
        assert_eq!(parse_uint("18446744073709551615"), Some(u64::MAX));
        let floats = [
            ("1.5", Some(1.5)),
            (".5", Some(0.5)),
            ("1e3", Some(1000.0)),
            ("0x1p-2", Some(0.25)),
            ("1_0.5", Some(10.5)),
            ("1e400", None),
            ("1.2.3", None),
        ];
        for (input, want) in floats {
            assert_eq!(parse_float(input), want, "parse_float({input:?})");
        }
    }
}
