//! Helm's `toYamlPretty` (go-yaml v3's Encoder with `SetIndent(2)` on the Go values, not on
//! their JSON): numbers keep their Go types (float64 `1234567` prints `1.234567e+06`) and
//! block sequences are indented under their key, and long lines are never folded. The
//! go-yaml v2 emitter of fluxion-kustomize writes the text: long one-line strings go in as
//! placeholders and come back written alone and unfolded, and the sequence indentation is
//! added afterwards.

use fluxion_kustomize::yaml::Value as Data;

use crate::template::Value;

/// Strings long enough that the emitter might fold them, set aside behind placeholders.
#[derive(Default)]
struct Long(Vec<String>);

impl Long {
    fn placeholder(i: usize) -> String {
        format!("fluxionlongstring{i}x")
    }

    fn hold(&mut self, s: &str) -> Data {
        if s.len() < 40 || !s.contains(' ') || s.contains('\n') {
            return Data::String(s.to_string());
        }
        self.0.push(s.to_string());
        Data::String(Self::placeholder(self.0.len() - 1))
    }

    /// The scalar as the emitter writes it as a mapping value, with its folds undone.
    fn unfolded(s: &str) -> String {
        let text = fluxion_kustomize::yaml::to_yaml(&Data::Map(vec![(
            "k".to_string(),
            Data::String(s.to_string()),
        )]));
        let mut lines = text.lines();
        let mut out = lines
            .next()
            .unwrap_or("")
            .trim_start_matches("k: ")
            .to_string();
        for cont in lines {
            // A fold replaced one space; a double-quoted `\ ` keeps the space after it.
            let cont = cont.trim_start();
            out.push(' ');
            out.push_str(
                cont.strip_prefix('\\')
                    .filter(|r| r.starts_with(' '))
                    .unwrap_or(cont),
            );
        }
        out
    }

    fn restore(&self, text: String) -> String {
        let mut text = text;
        for (i, s) in self.0.iter().enumerate().rev() {
            text = text.replace(&Self::placeholder(i), &Self::unfolded(s));
        }
        text
    }
}

fn data(v: &Value, depth: usize, long: &mut Long) -> Result<Data, String> {
    if depth > 1000 {
        return Err("yaml: value nested too deeply (a cycle?)".into());
    }
    Ok(match v.deref_object() {
        Value::Nil => Data::Null,
        Value::Bool(b) => Data::Bool(b),
        Value::Int(i) | Value::Int64(i) => Data::Int(i),
        Value::Float(f) => Data::Float(f),
        Value::String(s) => long.hold(&s),
        Value::Bytes(b) => Data::Seq(b.iter().map(|x| Data::Int(i64::from(*x))).collect()),
        Value::List(l) => Data::Seq(
            l.snapshot()
                .iter()
                .map(|x| data(x, depth + 1, long))
                .collect::<Result<_, _>>()?,
        ),
        Value::Dict(d) => {
            let mut entries = Vec::with_capacity(d.len());
            for (k, x) in d.snapshot() {
                entries.push((k, data(&x, depth + 1, long)?));
            }
            Data::Map(entries)
        }
        Value::Object(o) => match o.json_struct() {
            Some(fields) => {
                let mut entries = Vec::with_capacity(fields.len());
                for (k, x) in fields {
                    entries.push((k.to_lowercase(), data(&x, depth + 1, long)?));
                }
                Data::Map(entries)
            }
            None => Data::Map(Vec::new()),
        },
    })
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The column of the node a line starts after its `- ` sequence indicators.
fn node_column(line: &str) -> (usize, &str) {
    let mut col = indent_of(line);
    let mut rest = &line[col..];
    while let Some(r) = rest.strip_prefix("- ") {
        rest = r;
        col += 2;
    }
    (col, rest)
}

fn opens_block_scalar(rest: &str) -> bool {
    let last = rest.rsplit(' ').next().unwrap_or("");
    let mut chars = last.chars();
    matches!(chars.next(), Some('|' | '>')) && chars.all(|c| matches!(c, '-' | '+' | '1'..='9'))
}

/// Indents every block sequence that is a mapping value by two more columns (v3 with
/// `SetIndent(2)`), shifting its whole subtree.
fn indent_sequences(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    // Open shifted sequences: the v2 column of their `- ` items.
    let mut open: Vec<usize> = Vec::new();
    // While inside a block scalar: the column its content must exceed.
    let mut scalar_parent: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        let r = indent_of(line);
        let blank = line.trim().is_empty();
        if let Some(p) = scalar_parent {
            if blank || r > p {
                out.push_str(&" ".repeat(2 * open.len()));
                out.push_str(line);
                out.push('\n');
                continue;
            }
            scalar_parent = None;
        }
        while let Some(&n) = open.last() {
            if r < n || (r == n && !line[r..].starts_with('-')) {
                open.pop();
            } else {
                break;
            }
        }
        if !blank {
            out.push_str(&" ".repeat(2 * open.len()));
        }
        out.push_str(line);
        out.push('\n');
        let (col, rest) = node_column(line);
        if opens_block_scalar(rest) {
            scalar_parent = Some(col);
        } else if rest.ends_with(':')
            && let Some(next) = lines.get(i + 1)
            && indent_of(next) == col
            && next[col..].starts_with('-')
        {
            open.push(col);
        }
    }
    out
}

/// `toYamlPretty`: "" when the value cannot be encoded, as Helm swallows the error.
pub(super) fn to_yaml_pretty(v: &Value) -> String {
    let mut long = Long::default();
    let Ok(d) = data(v, 0, &mut long) else {
        return String::new();
    };
    let mut text = fluxion_kustomize::yaml::to_yaml(&d);
    if text.ends_with("\n...\n") {
        text.truncate(text.len() - "...\n".len());
    }
    let text = long.restore(indent_sequences(&text));
    text.strip_suffix('\n').map(str::to_string).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences_are_indented_under_keys() {
        let v2 = "l:\n- a\n- b:\n  - 1\n  - 2\n  c: |-\n    x\n    - y\n  d: e\nm:\n  k:\n  - - 1\n    - 2\n  - []\nz: 1\n";
        let v3 = "l:\n  - a\n  - b:\n      - 1\n      - 2\n    c: |-\n      x\n      - y\n    d: e\nm:\n  k:\n    - - 1\n      - 2\n    - []\nz: 1\n";
        assert_eq!(indent_sequences(v2), v3);
        assert_eq!(
            indent_sequences("- - 1\n  - 2\n- a:\n  - x\n"),
            "- - 1\n  - 2\n- a:\n    - x\n"
        );
    }
}
