//! YAML written as sops writes it (go-yaml v3's encoder, indentation 4): document order,
//! sequences indented under their key, compact nesting inside sequence items, v3's quoting.
//! Comments come out as sops prints them: each on its own line, at the indentation of the
//! collection holding it.

use super::yaml_scalar::{self, Style};
use crate::tree::Node;

const INDENT: usize = 4;

/// v3 aligns a nested collection to the next multiple of the indentation.
fn deeper(indent: usize) -> usize {
    INDENT * ((indent + INDENT) / INDENT)
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` with v3's names for infinities and NaN.
fn go_float_g(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    let exp = if f == 0.0 {
        0
    } else {
        f.abs().log10().floor() as i32
    };
    if (-4..21).contains(&exp) && !(6..21).contains(&exp) {
        return format!("{f}");
    }
    let s = format!("{f:e}");
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let (sign, digits) = e.strip_prefix('-').map_or(("+", e), |d| ("-", d));
    format!("{m}e{sign}{digits:0>2}")
}

/// A scalar on the line it starts; `indent` is where a literal block's lines go.
fn scalar(out: &mut String, node: &Node, indent: usize, key: bool) {
    let text = match node {
        Node::Null | Node::Comment(_) => "null".to_string(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::Uint(u) => u.to_string(),
        Node::Float(f) => go_float_g(*f),
        Node::Str(s) => return string(out, s, indent, key),
        Node::Bytes(b) => return string(out, &String::from_utf8_lossy(b), indent, key),
        Node::Seq(_) | Node::Map(_) => return,
    };
    out.push_str(&text);
    if !key {
        out.push('\n');
    }
}

fn string(out: &mut String, s: &str, indent: usize, key: bool) {
    match yaml_scalar::string_style(s, key) {
        Style::Plain => out.push_str(s),
        Style::Single => out.push_str(&yaml_scalar::single_quoted(s)),
        Style::Double => out.push_str(&yaml_scalar::double_quoted(s)),
        Style::Literal => {
            out.push_str(&yaml_scalar::literal(s, indent));
            return;
        }
    }
    if !key {
        out.push('\n');
    }
}

fn comment(out: &mut String, text: &str) {
    out.push('#');
    out.push_str(text);
    out.push('\n');
}

fn is_empty_collection(node: &Node) -> Option<&'static str> {
    match node {
        Node::Map(e) if e.iter().all(|(_, v)| v.is_comment()) => Some("{}"),
        Node::Seq(items) if items.iter().all(Node::is_comment) => Some("[]"),
        _ => None,
    }
}

/// A block mapping whose entries start at `indent`; `inline`: the first entry continues a
/// line already started (after a sequence's `- `).
fn map(out: &mut String, entries: &[(String, Node)], indent: usize, inline: bool) {
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 || !inline {
            out.extend(std::iter::repeat_n(' ', indent));
        }
        if let Node::Comment(text) = v {
            comment(out, text);
            continue;
        }
        string(out, k, 0, true);
        out.push(':');
        if let Some(empty) = is_empty_collection(v) {
            out.push(' ');
            out.push_str(empty);
            out.push('\n');
            continue;
        }
        match v {
            Node::Map(inner) => {
                out.push('\n');
                map(out, inner, deeper(indent), false);
            }
            Node::Seq(items) => {
                out.push('\n');
                seq(out, items, deeper(indent), false);
            }
            leaf => {
                out.push(' ');
                scalar(out, leaf, deeper(indent), false);
            }
        }
    }
}

fn seq(out: &mut String, items: &[Node], indent: usize, inline: bool) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !inline {
            out.extend(std::iter::repeat_n(' ', indent));
        }
        if let Node::Comment(text) = item {
            comment(out, text);
            continue;
        }
        out.push_str("- ");
        if let Some(empty) = is_empty_collection(item) {
            out.push_str(empty);
            out.push('\n');
            continue;
        }
        match item {
            Node::Map(entries) => map(out, entries, indent + 2, true),
            Node::Seq(inner) => seq(out, inner, indent + 2, true),
            leaf => scalar(out, leaf, indent + 2, false),
        }
    }
}

/// Documents separated by `---` as v3's encoder writes a stream.
pub(super) fn documents(branches: &[Node]) -> String {
    let mut out = String::new();
    for (i, branch) in branches.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        match branch {
            Node::Map(entries) if is_empty_collection(branch).is_none() => {
                map(&mut out, entries, 0, false)
            }
            Node::Seq(items) if !items.is_empty() => seq(&mut out, items, 0, false),
            other => {
                if let Some(empty) = is_empty_collection(other) {
                    out.push_str(empty);
                    out.push('\n');
                } else {
                    scalar(&mut out, other, 0, false);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_as_go_g() {
        let cases = [
            (1e6, "1e+06"),
            (1.5e-6, "1.5e-06"),
            (2.5e20, "2.5e+20"),
            (1500.0, "1500"),
            (0.25, "0.25"),
            (-12.0, "-12"),
            (f64::INFINITY, ".inf"),
            (0.0001, "0.0001"),
        ];
        for (f, want) in cases {
            assert_eq!(go_float_g(f), want, "{f}");
        }
    }
}
