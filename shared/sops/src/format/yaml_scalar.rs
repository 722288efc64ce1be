//! How go-yaml v3 (the encoder sops prints YAML with) writes one scalar: the style its encoder
//! asks for, the emitter's analysis that may overrule it (libyaml's rules), and the writers.

use fluxion_kustomize::yaml::resolve::{self, Flavor, STR_TAG};

/// The scalar styles the v3 emitter can end up with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// libyaml's `yaml_emitter_analyze_scalar` outcome.
#[derive(Debug, Default)]
struct Analysis {
    multiline: bool,
    block_plain: bool,
    single: bool,
    block: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_printable(c: char) -> bool {
    matches!(c, '\n' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}

fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain: true,
            single: true,
            block: false,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let mut block_ind = s.starts_with("---") || s.starts_with("...");
    let (mut special, mut tabs, mut line_breaks) = (false, false, false);
    let (mut lead_space, mut lead_break, mut trail_space, mut trail_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut prev_space, mut prev_break, mut preceded_ws) = (false, false, true);
    let last = chars.len() - 1;
    for (i, &c) in chars.iter().enumerate() {
        let followed_ws = chars
            .get(i + 1)
            .is_none_or(|&n| n == ' ' || n == '\t' || is_break(n));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_ind = true,
                '?' | ':' | '-' if followed_ws => block_ind = true,
                _ => {}
            }
        } else if (c == ':' && followed_ws) || (c == '#' && preceded_ws) {
            block_ind = true;
        }
        if c == '\t' {
            tabs = true;
        } else if !is_printable(c) {
            special = true;
        }
        if is_break(c) {
            line_breaks = true;
        }
        if c == ' ' {
            lead_space |= i == 0;
            trail_space |= i == last;
            break_space |= prev_break;
            (prev_space, prev_break) = (true, false);
        } else if is_break(c) {
            lead_break |= i == 0;
            trail_break |= i == last;
            space_break |= prev_space;
            (prev_space, prev_break) = (false, true);
        } else {
            (prev_space, prev_break) = (false, false);
        }
        preceded_ws = c == ' ' || c == '\t' || is_break(c);
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain: true,
        single: true,
        block: true,
    };
    if lead_space || lead_break || trail_space || trail_break {
        a.block_plain = false;
    }
    if trail_space {
        a.block = false;
    }
    if break_space {
        a.block_plain = false;
        a.single = false;
    }
    if space_break || tabs || special {
        a.block_plain = false;
        a.single = false;
    }
    if space_break || special {
        a.block = false;
    }
    if line_breaks || block_ind {
        a.block_plain = false;
    }
    a
}

/// v3's `isOldBool`: YAML 1.1 booleans v3 reads as strings but still quotes.
fn is_old_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "off"
            | "Off"
            | "OFF"
    )
}

/// The style a string ends up with; `key`: written as a simple mapping key.
pub(super) fn string_style(s: &str, key: bool) -> Style {
    let requested = if s.contains('\n') {
        Style::Literal
    } else if resolve::resolve_plain(Flavor::V3, s).0 == STR_TAG
        && !resolve::is_base60_float(s)
        && !is_old_bool(s)
    {
        Style::Plain
    } else {
        Style::Double
    };
    let a = analyze(s);
    let mut style = requested;
    if style == Style::Plain && (!a.block_plain || (key && (a.multiline || s.is_empty()))) {
        style = Style::Single;
    }
    if style == Style::Single && (!a.single || a.multiline) {
        // Multi-line single quotes fold lines; rare enough to print double-quoted instead.
        style = Style::Double;
    }
    if style == Style::Literal && (!a.block || key) {
        style = Style::Double;
    }
    style
}

pub(super) fn single_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub(super) fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        let escape = match c {
            '\0' => "\\0",
            '\u{7}' => "\\a",
            '\u{8}' => "\\b",
            '\t' => "\\t",
            '\n' => "\\n",
            '\u{b}' => "\\v",
            '\u{c}' => "\\f",
            '\r' => "\\r",
            '\u{1b}' => "\\e",
            '"' => "\\\"",
            '\\' => "\\\\",
            '\u{85}' => "\\N",
            '\u{a0}' => "\\_",
            '\u{2028}' => "\\L",
            '\u{2029}' => "\\P",
            c if !is_printable(c) || c == '\u{feff}' => {
                let n = c as u32;
                out.push_str(&match n {
                    0..=0xff => format!("\\x{n:02X}"),
                    0x100..=0xffff => format!("\\u{n:04X}"),
                    _ => format!("\\U{n:08X}"),
                });
                continue;
            }
            c => {
                out.push(c);
                continue;
            }
        };
        out.push_str(escape);
    }
    out.push('"');
    out
}

/// A literal block scalar: ` |` with chomping and indentation hints, then the lines at
/// `indent`; always ends with a newline.
pub(super) fn literal(s: &str, indent: usize) -> String {
    let mut out = String::from("|");
    if s.starts_with(' ') || s.starts_with(is_break) {
        out.push('4');
    }
    let mut rev = s.chars().rev();
    match (rev.next(), rev.next()) {
        (Some(l), _) if !is_break(l) => out.push('-'),
        (Some(_), None) => out.push('+'),
        (Some(_), Some(p)) if is_break(p) => out.push('+'),
        _ => {}
    }
    out.push('\n');
    let mut at_line_start = true;
    for c in s.chars() {
        if is_break(c) {
            out.push('\n');
            at_line_start = true;
        } else {
            if at_line_start {
                out.extend(std::iter::repeat_n(' ', indent));
                at_line_start = false;
            }
            out.push(c);
        }
    }
    if !at_line_start {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_as_v3_picks_them() {
        let cases = [
            ("plain words", Style::Plain),
            ("true", Style::Double),
            ("123", Style::Double),
            ("y", Style::Double),
            ("yes", Style::Double),
            ("", Style::Double),
            ("a: b", Style::Single),
            ("#x", Style::Single),
            ("- x", Style::Single),
            ("x ", Style::Single),
            ("a\tb", Style::Double),
            ("@at", Style::Single),
            ("é ü", Style::Plain),
            ("2024-01-01", Style::Double),
            ("multi\nline", Style::Literal),
            ("trail \nx", Style::Double),
            ("1:20", Style::Double),
        ];
        for (s, want) in cases {
            assert_eq!(string_style(s, false), want, "{s:?}");
        }
        assert_eq!(string_style("key with: colon", true), Style::Single);
    }

    #[test]
    fn literal_hints() {
        assert_eq!(literal("a\nb", 4), "|-\n    a\n    b\n");
        assert_eq!(literal("a\n", 4), "|\n    a\n");
        assert_eq!(literal("a\n\n", 4), "|+\n    a\n\n");
        assert_eq!(literal("  lead\nx", 2), "|4-\n    lead\n  x\n");
        assert_eq!(double_quoted("a\tb\"\u{1}"), "\"a\\tb\\\"\\x01\"");
    }
}
