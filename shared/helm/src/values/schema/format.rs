//! The `format` checks jsonschema v6 knows (date-time, date, time, duration, period, email,
//! hostname, ipv4, ipv6, uri, uri-reference, iri, iri-reference, uri-template, json-pointer,
//! relative-json-pointer, uuid, semver, regex), each returning v6's reason text; unknown
//! formats (idn-email, idn-hostname, ...) always pass, as in v6.

/// The reason `text` is not of format `name`, or None when it is (or the format is unknown).
pub fn check(name: &str, text: &str) -> Option<String> {
    let r = match name {
        "json-pointer" => json_pointer(text),
        "relative-json-pointer" => relative_json_pointer(text),
        "uuid" => uuid(text),
        "duration" => duration(text),
        "period" => period(text),
        "ipv4" => ipv4(text),
        "ipv6" => ipv6(text),
        "hostname" => hostname(text),
        "email" => email(text),
        "date" => date(text),
        "time" => time(text),
        "date-time" => date_time(text),
        "uri" | "iri" => uri(text),
        "uri-reference" | "iri-reference" => uri_reference(text),
        "uri-template" => uri_template(text),
        "semver" => semver(text),
        "regex" => regex(text),
        _ => Ok(()),
    };
    r.err()
}

pub(super) type R = Result<(), String>;

use super::datetime::{date, date_time, duration, period, time};

/// Go's `%q` of a rune.
pub(super) fn rune(c: char) -> String {
    match c {
        '\'' => "'\\''".to_string(),
        '\\' => "'\\\\'".to_string(),
        '\n' => "'\\n'".to_string(),
        '\t' => "'\\t'".to_string(),
        '\r' => "'\\r'".to_string(),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => format!("'\\x{:02x}'", c as u32),
        c => format!("'{c}'"),
    }
}

fn json_pointer(s: &str) -> R {
    if s.is_empty() {
        return Ok(());
    }
    let Some(rest) = s.strip_prefix('/') else {
        return Err("not starting with /".into());
    };
    for tok in rest.split('/') {
        let mut chars = tok.chars();
        while let Some(c) = chars.next() {
            if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
                return Err("~ must be followed by 0 or 1".into());
            }
        }
    }
    Ok(())
}

fn relative_json_pointer(s: &str) -> R {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return Err("must start with non-negative integer".into());
    }
    if digits > 1 && s.starts_with('0') {
        return Err("starts with zero".into());
    }
    let rest = &s[digits..];
    if rest == "#" {
        Ok(())
    } else {
        json_pointer(rest)
    }
}

fn uuid(s: &str) -> R {
    let groups: Vec<&str> = s.split('-').collect();
    let want = [8, 4, 4, 4, 12];
    if groups.len() != want.len() {
        return Err("must have 5 elements".into());
    }
    for (i, g) in groups.iter().enumerate() {
        if g.len() != want[i] {
            return Err(format!(
                "element {} must be {} characters long",
                i + 1,
                want[i]
            ));
        }
        if let Some(c) = g.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Err(format!("non-hex character {}", rune(c)));
        }
    }
    Ok(())
}

/// Go's strconv.Atoi on a decimal group.
pub(super) fn atoi(g: &str) -> Result<i64, String> {
    let digits = g.strip_prefix(['+', '-']).unwrap_or(g);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("strconv.Atoi: parsing \"{g}\": invalid syntax"));
    }
    g.parse::<i64>()
        .map_err(|_| format!("strconv.Atoi: parsing \"{g}\": value out of range"))
}

fn ipv4(s: &str) -> R {
    let groups: Vec<&str> = s.split('.').collect();
    if groups.len() != 4 {
        return Err("expected four decimals".into());
    }
    for g in groups {
        if g.len() > 1 && g.starts_with('0') {
            return Err("leading zeros".into());
        }
        let n = atoi(g)?;
        if !(0..=255).contains(&n) {
            return Err("decimal must be between 0 and 255".into());
        }
    }
    Ok(())
}

fn ipv6(s: &str) -> R {
    if !s.contains(':') {
        return Err("missing colon".into());
    }
    let (addr, zone) = s.split_once('%').unwrap_or((s, ""));
    if s.contains('%') && zone.is_empty() {
        return Err(format!(
            "ParseAddr(\"{s}\"): zone must be a non-empty string"
        ));
    }
    if addr.parse::<std::net::Ipv6Addr>().is_err() {
        return Err(format!("ParseAddr(\"{s}\"): invalid IPv6 address"));
    }
    if !zone.is_empty() {
        return Err("zone id is not a part of ipv6 address".into());
    }
    Ok(())
}

fn hostname(s: &str) -> R {
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.len() > 253 {
        return Err("more than 253 characters long".into());
    }
    for label in s.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("label must be 1 to 63 characters long".into());
        }
        if label.starts_with('-') {
            return Err("label starts with hyphen".into());
        }
        if label.ends_with('-') {
            return Err("label ends with hyphen".into());
        }
        if let Some(c) = label
            .chars()
            .find(|c| !c.is_ascii_alphanumeric() && *c != '-')
        {
            return Err(format!("invalid character {}", rune(c)));
        }
    }
    Ok(())
}

fn email(s: &str) -> R {
    if s.len() > 254 {
        return Err("more than 255 characters long".into());
    }
    let Some(at) = s.rfind('@') else {
        return Err("missing @".into());
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.len() > 64 {
        return Err("local part more than 64 characters long".into());
    }
    if local.len() > 1 && local.starts_with('"') {
        let inner = &local[1..local.len() - 1];
        if inner.contains(['\\', '"']) {
            return Err("backslash and quote are not allowed within quoted local part".into());
        }
    } else {
        if local.starts_with('.') {
            return Err("starts with dot".into());
        }
        if local.ends_with('.') {
            return Err("ends with dot".into());
        }
        if local.contains("..") {
            return Err("consecutive dots".into());
        }
        let ok = |c: char| c.is_ascii_alphanumeric() || ".!#$%&'*+-/=?^_`{|}~".contains(c);
        if let Some(c) = local.chars().find(|c| !ok(*c)) {
            return Err(format!("invalid character {}", rune(c)));
        }
    }
    if let Some(inner) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        if let Some(v6) = inner.strip_prefix("IPv6:") {
            return ipv6(v6).map_err(|e| format!("invalid ipv6 address: {e}"));
        }
        return ipv4(inner).map_err(|e| format!("invalid ipv4 address: {e}"));
    }
    hostname(domain).map_err(|e| format!("invalid domain: {e}"))
}

/// Go's url.Parse failures that matter for schemas, and whether the URL has a scheme.
fn parse_url(s: &str) -> Result<bool, String> {
    if s.chars().any(|c| (c as u32) < 0x20 || c as u32 == 0x7f) {
        return Err(format!(
            "parse \"{s}\": net/url: invalid control character in URL"
        ));
    }
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)));
    match end {
        Some(0) if s.starts_with(':') => Err(format!("parse \"{s}\": missing protocol scheme")),
        Some(i) if s[i..].starts_with(':') && s.as_bytes()[0].is_ascii_alphabetic() => Ok(true),
        _ => Ok(false),
    }
}

fn uri(s: &str) -> R {
    if !parse_url(s)? {
        return Err("relative url".into());
    }
    Ok(())
}

fn uri_reference(s: &str) -> R {
    if s.contains('\\') {
        return Err("contains \\".into());
    }
    parse_url(s).map(|_| ())
}

fn uri_template(s: &str) -> R {
    parse_url(s)?;
    for tok in s.split('/') {
        let mut want = true;
        for c in tok.chars() {
            let got = match c {
                '{' => true,
                '}' => false,
                _ => continue,
            };
            if got != want {
                return Err("nested curly braces".into());
            }
            want = !want;
        }
        if !want {
            return Err("no matching closing brace".into());
        }
    }
    Ok(())
}

fn semver(s: &str) -> R {
    let mut s = s;
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '-';
    if let Some((core, build)) = s.split_once('+') {
        if build.is_empty() {
            return Err("build is empty".into());
        }
        for id in build.split('.') {
            if id.is_empty() {
                return Err("build identifier is empty".into());
            }
            if let Some(c) = id.chars().find(|c| !ident(*c)) {
                return Err(format!("invalid character {} in build identifier", rune(c)));
            }
        }
        s = core;
    }
    if let Some((core, pre)) = s.split_once('-') {
        for id in pre.split('.') {
            if id.is_empty() {
                return Err("pre-release identifier is empty".into());
            }
            if let Some(c) = id.chars().find(|c| !ident(*c)) {
                return Err(format!(
                    "invalid character {} in pre-release identifier",
                    rune(c)
                ));
            }
            if id.len() > 1 && id.starts_with('0') && id.chars().all(|c| c.is_ascii_digit()) {
                return Err("pre-release numeric identifier starts with zero".into());
            }
        }
        s = core;
    }
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 3 {
        return Err("versionCore must have 3 numbers separated by dot".into());
    }
    for (name, v) in ["major", "minor", "patch"].iter().zip(parts) {
        if v.is_empty() {
            return Err(format!("{name} is empty"));
        }
        if v.len() > 1 && v.starts_with('0') {
            return Err(format!("{name} starts with zero"));
        }
        if !v.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("{name} contains non-digit"));
        }
    }
    Ok(())
}

/// The repetition operator at the start of `rest` (`*`, `+`, `?` or `{n,m}`).
fn operator(rest: &str) -> &str {
    if rest.starts_with('{') {
        return rest.find('}').map_or(rest, |i| &rest[..=i]);
    }
    rest.char_indices().nth(1).map_or(rest, |(i, _)| &rest[..i])
}

/// Go's regexp.Compile verdict, worded as Go words its failures (code and fragment).
pub fn regex(s: &str) -> R {
    use regex_syntax::ast::ErrorKind as K;
    if let Err(e) = super::goregex::translate(s) {
        return Err(format!("error parsing regexp: {}: `{}`", e.code, e.frag));
    }
    if super::scalar::compile(s).is_some() {
        return Ok(());
    }
    let Err(err) = regex_syntax::ast::parse::Parser::new().parse(s) else {
        return Err(format!(
            "error parsing regexp: invalid or unsupported Perl syntax: `{s}`"
        ));
    };
    let span = err.span();
    let frag = s.get(span.start.offset..span.end.offset).unwrap_or(s);
    let rest = s.get(span.start.offset..).unwrap_or(s);
    let (code, shown) = match err.kind() {
        K::GroupUnclosed => ("missing closing )", s),
        K::GroupUnopened => ("unexpected )", s),
        K::ClassUnclosed => ("missing closing ]", rest),
        K::ClassRangeInvalid => ("invalid character class range", frag),
        K::EscapeUnrecognized | K::EscapeHexInvalid | K::EscapeHexEmpty => {
            ("invalid escape sequence", frag)
        }
        K::EscapeUnexpectedEof => ("trailing backslash at end of expression", ""),
        K::RepetitionMissing => ("missing argument to repetition operator", operator(rest)),
        K::RepetitionCountInvalid | K::RepetitionCountDecimalEmpty => {
            ("invalid repeat count", frag)
        }
        // Go shows a bad group flag from the group's opening `(?`.
        _ => {
            let open = s[..span.start.offset]
                .rfind("(?")
                .unwrap_or(span.start.offset);
            (
                "invalid or unsupported Perl syntax",
                s.get(open..span.end.offset).unwrap_or(frag),
            )
        }
    };
    Err(format!("error parsing regexp: {code}: `{shown}`"))
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn formats_give_v6_reasons() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("email", "a@b.co", None),
            ("email", "foo", Some("missing @")),
            ("email", "a..b@c", Some("consecutive dots")),
            ("hostname", "-bad", Some("label starts with hyphen")),
            ("hostname", "a_b", Some("invalid character '_'")),
            (
                "ipv4",
                "1.2.3.256",
                Some("decimal must be between 0 and 255"),
            ),
            ("ipv4", "01.2.3.4", Some("leading zeros")),
            ("ipv6", "::1", None),
            ("ipv6", "1.2.3.4", Some("missing colon")),
            ("date", "2024-02-29", None),
            (
                "date",
                "2023-02-29",
                Some("parsing time \"2023-02-29\": day out of range"),
            ),
            (
                "date",
                "2024-13-01",
                Some("parsing time \"2024-13-01\": month out of range"),
            ),
            ("date-time", "2024-01-01T10:00:00Z", None),
            (
                "date-time",
                "2024-01-01 10:00:00Z",
                Some("11th character must be t or T"),
            ),
            ("time", "25:00:00Z", Some("hour/min/sec out of range")),
            ("duration", "P1D", None),
            ("duration", "PT", Some("no time elements")),
            ("duration", "P1M1Y", Some("unit 'Y' out of order")),
            ("uuid", "123", Some("must have 5 elements")),
            ("uri", "http://x", None),
            ("uri", "x/y", Some("relative url")),
            ("uri-reference", "a\\b", Some("contains \\")),
            ("json-pointer", "a", Some("not starting with /")),
            ("json-pointer", "/a~2", Some("~ must be followed by 0 or 1")),
            ("relative-json-pointer", "0#", None),
            (
                "semver",
                "1.2",
                Some("versionCore must have 3 numbers separated by dot"),
            ),
            ("semver", "1.02.3", Some("minor starts with zero")),
            (
                "regex",
                "((",
                Some("error parsing regexp: missing closing ): `((`"),
            ),
            ("idn-email", "anything", None),
        ];
        for (format, text, want) in cases {
            assert_eq!(check(format, text).as_deref(), *want, "{format} {text}");
        }
    }
}
