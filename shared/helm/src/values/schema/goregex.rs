//! Go RE2 pattern syntax on top of Rust's regex crate: Go's ASCII-only `\d \w \s \b`, a `{`
//! that starts no valid repetition taken literally, and the patterns Go refuses that Rust
//! accepts (repeat counts over 1000, a repetition of a repetition), with Go's wording.

/// Go's largest repeat count.
const MAX_REPEAT: u32 = 1000;

/// A Go compile failure: its code and the fragment Go shows.
#[derive(Debug, PartialEq, Eq)]
pub struct GoError {
    pub code: &'static str,
    pub frag: String,
}

/// Parses `{n}`, `{n,}` or `{n,m}` at the start of `s`: its length and counts.
fn repeat(s: &str) -> Option<(usize, u32, Option<u32>)> {
    let end = s.find('}')?;
    let body = &s[1..end];
    let num = |t: &str| -> Option<u32> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().unwrap_or(u32::MAX))
    };
    let (min, max) = match body.split_once(',') {
        Some((a, "")) => (num(a)?, None),
        Some((a, b)) => (num(a)?, Some(num(b)?)),
        None => {
            let n = num(body)?;
            (n, Some(n))
        }
    };
    Some((end + 1, min, max))
}

/// Go's ASCII meaning of a Perl class escape (`\\d` and friends), spelled for Rust.
fn perl_class(next: Option<char>, in_class: bool) -> Option<&'static str> {
    match next? {
        'd' => Some("[0-9]"),
        'D' => Some("[^0-9]"),
        'w' => Some("[0-9A-Za-z_]"),
        'W' => Some("[^0-9A-Za-z_]"),
        's' => Some("[\\t\\n\\f\\r ]"),
        'S' => Some("[^\\t\\n\\f\\r ]"),
        'b' if !in_class => Some("(?-u:\\b)"),
        'B' if !in_class => Some("(?-u:\\B)"),
        _ => None,
    }
}

/// Checks a `{n,m}` repetition at `i` (of length `len`) as Go does.
fn check_repeat(
    pattern: &str,
    i: usize,
    len: usize,
    counts: (u32, Option<u32>),
    last_rep: Option<usize>,
) -> Result<(), GoError> {
    let (min, max) = counts;
    if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT || m < min) {
        return Err(GoError {
            code: "invalid repeat count",
            frag: pattern[i..i + len].to_string(),
        });
    }
    if let Some(s) = last_rep {
        return Err(GoError {
            code: "invalid nested repetition operator",
            frag: pattern[s..i + len].to_string(),
        });
    }
    Ok(())
}

/// Rewrites a Go pattern for Rust, or says why Go would refuse it.
pub fn translate(pattern: &str) -> Result<String, GoError> {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = false;
    // Where the previous repetition operator started, when the last token was one.
    let mut last_rep: Option<usize> = None;
    // Whether that repetition already took its lazy `?`.
    let mut lazied = false;
    let mut i = 0;
    while i < pattern.len() {
        let rest = &pattern[i..];
        let c = rest.chars().next().unwrap_or('\0');
        let mut rep_start = None;
        if c == '\\' {
            let next = rest[1..].chars().next();
            let len = 1 + next.map_or(0, char::len_utf8);
            out.push_str(perl_class(next, in_class).unwrap_or(&rest[..len]));
            i += len;
            last_rep = None;
            continue;
        }
        if in_class {
            if c == ']' {
                in_class = false;
            }
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        match c {
            '[' => {
                in_class = true;
                out.push(c);
                // A leading `]` (or `^]`) is a literal member.
                for lead in ["^]", "]", "^"] {
                    if rest[1..].starts_with(lead) {
                        out.push_str(lead);
                        i += lead.len();
                        break;
                    }
                }
            }
            '*' | '+' | '?' => {
                if c == '?' && last_rep.is_some() && !lazied {
                    lazied = true;
                    out.push(c);
                    i += 1;
                    continue;
                }
                if let Some(s) = last_rep {
                    return Err(GoError {
                        code: "invalid nested repetition operator",
                        frag: pattern[s..=i].to_string(),
                    });
                }
                rep_start = Some(i);
                out.push(c);
            }
            '{' => match repeat(rest) {
                Some((len, min, max)) => {
                    check_repeat(pattern, i, len, (min, max), last_rep)?;
                    out.push_str(&rest[..len]);
                    last_rep = Some(i);
                    lazied = false;
                    i += len;
                    continue;
                }
                // Go reads a `{` that starts no repetition as a literal.
                None => out.push_str("\\{"),
            },
            other => out.push(other),
        }
        last_rep = rep_start;
        lazied = false;
        i += c.len_utf8();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_like_go_reads() {
        let ok = [
            (r"^\d+$", "^[0-9]+$"),
            (r"[\d.]", "[[0-9].]"),
            ("a{2", "a\\{2"),
            ("a{2,3}?", "a{2,3}?"),
            ("a*?", "a*?"),
            ("a??", "a??"),
            ("[]a]", "[]a]"),
            (r"\\d", r"\\d"),
        ];
        for (go, rust) in ok {
            assert_eq!(translate(go).as_deref(), Ok(rust), "{go}");
        }
        let bad = [
            ("a**", "invalid nested repetition operator", "**"),
            ("a{2}*", "invalid nested repetition operator", "{2}*"),
            ("a*?*", "invalid nested repetition operator", "*?*"),
            ("x{1001}", "invalid repeat count", "{1001}"),
            ("x{3,2}", "invalid repeat count", "{3,2}"),
        ];
        for (go, code, frag) in bad {
            let err = translate(go).expect_err(go);
            assert_eq!((err.code, err.frag.as_str()), (code, frag), "{go}");
        }
    }
}
