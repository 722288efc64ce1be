//! JSON written as sops writes it (Go's `json.MarshalIndent` with a tab): HTML-safe string
//! escapes, Go's float notation, document order; so a decrypted generator file has the bytes
//! Flux would put in the Secret.

use fluxion_kustomize::yaml::gostr::go_json_quote;

use crate::tree::{Node, go_format_float};

/// Go's encoding/json float notation: `f` between 1e-6 and 1e21, else `e` with a short exponent.
fn float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{f:e}");
        return match s.split_once('e') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
            _ => s,
        };
    }
    go_format_float(f)
}

/// encoding/json's string form, HTML-safe as `json.Marshal` writes it.
fn string(out: &mut String, s: &str) {
    go_json_quote(out, s, true);
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    out.extend(std::iter::repeat_n('\t', depth));
}

fn value(out: &mut String, node: &Node, depth: usize) {
    match node {
        Node::Null | Node::Comment(_) => out.push_str("null"),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Int(i) => out.push_str(&i.to_string()),
        Node::Uint(u) => out.push_str(&u.to_string()),
        Node::Float(f) => out.push_str(&float(*f)),
        Node::Str(s) => string(out, s),
        Node::Bytes(b) => string(out, &String::from_utf8_lossy(b)),
        Node::Seq(items) if items.iter().all(Node::is_comment) => out.push_str("[]"),
        Node::Seq(items) => {
            let items: Vec<_> = items.iter().filter(|i| !i.is_comment()).collect();
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                value(out, item, depth + 1);
            }
            newline(out, depth);
            out.push(']');
        }
        Node::Map(entries) => {
            let entries: Vec<_> = entries.iter().filter(|(_, v)| !v.is_comment()).collect();
            if entries.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                string(out, k);
                out.push_str(": ");
                value(out, v, depth + 1);
            }
            newline(out, depth);
            out.push('}');
        }
    }
}

/// One document, ending with a newline as sops' JSON store writes it.
pub(super) fn to_string(node: &Node) -> String {
    let mut out = String::new();
    value(&mut out, node, 0);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_as_go() {
        let cases = [
            (2.5, "2.5"),
            (1e21, "1e+21"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (-0.0, "-0"),
        ];
        for (f, want) in cases {
            assert_eq!(float(f), want, "{f}");
        }
    }

    #[test]
    fn layout_and_escapes() {
        let n = Node::Map(vec![
            (
                "b".into(),
                Node::Seq(vec![
                    Node::Int(1),
                    Node::Str("<a&b>\u{2028}\n\u{1}é".into()),
                ]),
            ),
            ("e".into(), Node::Map(vec![])),
            ("f".into(), Node::Seq(vec![])),
        ]);
        assert_eq!(
            to_string(&n),
            "{\n\t\"b\": [\n\t\t1,\n\t\t\"\\u003ca\\u0026b\\u003e\\u2028\\n\\u0001é\"\n\t],\n\t\"e\": {},\n\t\"f\": []\n}\n"
        );
    }
}
