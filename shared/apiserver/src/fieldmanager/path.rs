//! Path elements of a field path (`f:`, `k:`, `v:`, `i:`), their total order, their FieldsV1
//! key encoding and the human form used in conflict messages (`.spec.ports[port=80]`).

use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;

use super::FieldsError;

/// One step of a field path: a struct field or map key, a list-map item selected by its keys,
/// a set item selected by its value, or a list index.
#[derive(Debug, Clone)]
pub enum PathElement {
    /// `f:<name>`: a field of an object.
    Field(String),
    /// `k:{...}`: the list-map item whose key fields have these values, sorted by name.
    Key(Vec<(String, Value)>),
    /// `v:<json>`: the set item with this value.
    Value(Value),
    /// `i:<n>`: the item at this index.
    Index(usize),
}

/// A field path from the root of an object.
pub type Path = Vec<PathElement>;

impl PathElement {
    /// A field element.
    pub fn field(name: &str) -> PathElement {
        PathElement::Field(name.to_string())
    }

    /// A key element from `(name, value)` pairs, sorted by name as upstream keeps them.
    pub fn key(fields: Vec<(String, Value)>) -> PathElement {
        let mut fields = fields;
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        PathElement::Key(fields)
    }

    fn rank(&self) -> u8 {
        match self {
            PathElement::Field(_) => 0,
            PathElement::Key(_) => 1,
            PathElement::Value(_) => 2,
            PathElement::Index(_) => 3,
        }
    }

    /// The FieldsV1 key of this element, e.g. `f:data` or `k:{"name":"app"}`.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        match self {
            PathElement::Field(name) => {
                out.push_str("f:");
                out.push_str(name);
            }
            PathElement::Key(fields) => {
                out.push_str("k:{");
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_go_string(name, &mut out);
                    out.push(':');
                    write_go_json(value, &mut out);
                }
                out.push('}');
            }
            PathElement::Value(value) => {
                out.push_str("v:");
                write_go_json(value, &mut out);
            }
            PathElement::Index(i) => {
                out.push_str("i:");
                out.push_str(&i.to_string());
            }
        }
        out
    }

    /// Parses a FieldsV1 key; `Ok(None)` for an element type this server does not know
    /// (upstream drops those rather than fail).
    pub fn decode(key: &str) -> Result<Option<PathElement>, FieldsError> {
        let bad = |why: &str| FieldsError::BadKey {
            key: key.to_string(),
            reason: why.to_string(),
        };
        let mut chars = key.chars();
        let (Some(kind), Some(sep)) = (chars.next(), chars.next()) else {
            return Err(bad("key must be 2 characters long"));
        };
        if sep != ':' {
            return Err(bad("missing colon"));
        }
        let rest = chars.as_str();
        let element = match kind {
            'f' => PathElement::Field(rest.to_string()),
            'v' => PathElement::Value(serde_json::from_str(rest).map_err(|e| bad(&e.to_string()))?),
            'k' => {
                let fields: serde_json::Map<String, Value> =
                    serde_json::from_str(rest).map_err(|e| bad(&e.to_string()))?;
                PathElement::key(fields.into_iter().collect())
            }
            'i' => PathElement::Index(rest.parse().map_err(|_| bad("invalid index"))?),
            _ => return Ok(None),
        };
        Ok(Some(element))
    }
}

impl Ord for PathElement {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (PathElement::Field(a), PathElement::Field(b)) => a.cmp(b),
            (PathElement::Key(a), PathElement::Key(b)) => compare_fields(a, b),
            (PathElement::Value(a), PathElement::Value(b)) => compare_values(a, b),
            (PathElement::Index(a), PathElement::Index(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for PathElement {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for PathElement {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for PathElement {}

impl fmt::Display for PathElement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathElement::Field(name) => write!(f, ".{name}"),
            PathElement::Key(fields) => {
                let parts: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{k}={}", human_value(v)))
                    .collect();
                write!(f, "[{}]", parts.join(","))
            }
            PathElement::Value(v) => write!(f, "[={}]", human_value(v)),
            PathElement::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// The human form of a path, as conflict messages print it: `.spec.containers[name="app"].image`.
pub fn path_string(path: &[PathElement]) -> String {
    path.iter().map(|pe| pe.to_string()).collect()
}

fn compare_fields(a: &[(String, Value)], b: &[(String, Value)]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let c = x.0.cmp(&y.0).then_with(|| compare_values(&x.1, &y.1));
        if c != Ordering::Equal {
            return c;
        }
    }
    a.len().cmp(&b.len())
}

fn value_rank(v: &Value) -> u8 {
    match v {
        Value::Number(_) => 0,
        Value::String(_) => 1,
        Value::Bool(_) => 2,
        Value::Array(_) => 3,
        Value::Object(_) => 4,
        Value::Null => 5,
    }
}

/// The total order upstream gives values: numbers (compared numerically), strings, bools,
/// lists, maps, null.
pub(crate) fn compare_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i.cmp(&j),
            _ => {
                let (p, q) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
                p.total_cmp(&q)
            }
        },
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Array(x), Value::Array(y)) => {
            for (p, q) in x.iter().zip(y) {
                let c = compare_values(p, q);
                if c != Ordering::Equal {
                    return c;
                }
            }
            x.len().cmp(&y.len())
        }
        (Value::Object(x), Value::Object(y)) => {
            for ((k1, v1), (k2, v2)) in x.iter().zip(y) {
                let c = k1.cmp(k2).then_with(|| compare_values(v1, v2));
                if c != Ordering::Equal {
                    return c;
                }
            }
            x.len().cmp(&y.len())
        }
        _ => value_rank(a).cmp(&value_rank(b)),
    }
}

/// Go's `%v` of a value as upstream's `value.ToString` prints it: strings quoted with `%q`.
fn human_value(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::String(s) => go_quote(s),
        Value::Number(n) => go_number(n),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(human_value).collect();
            format!("[{}]", parts.join(","))
        }
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{k}={}", human_value(v)))
            .collect(),
    }
}

/// Go's `%q`: a double-quoted string with Go escapes.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if !c.is_control() => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

fn go_number(n: &serde_json::Number) -> String {
    if let Some(f) = n.as_f64().filter(|_| n.is_f64())
        && f.fract() == 0.0
        && f.abs() < 1e21
    {
        return format!("{f:.0}");
    }
    n.to_string()
}

/// Writes `s` as a JSON string the way Go's encoder does (HTML-safe escapes included).
pub(crate) fn write_go_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes a value as compact JSON the way Go's encoder does: sorted keys, HTML-safe strings.
pub(crate) fn write_go_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&go_number(n)),
        Value::String(s) => write_go_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json(item, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_string(k, out);
                out.push(':');
                if let Some(value) = m.get(k) {
                    write_go_json(value, out);
                }
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn key(pairs: &[(&str, Value)]) -> PathElement {
        PathElement::key(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn encodes_and_decodes_every_kind() {
        let cases = [
            (PathElement::field("data"), "f:data"),
            (key(&[("name", json!("app"))]), r#"k:{"name":"app"}"#),
            (
                key(&[("protocol", json!("TCP")), ("containerPort", json!(80))]),
                r#"k:{"containerPort":80,"protocol":"TCP"}"#,
            ),
            (
                PathElement::Value(json!("finalizers.fluxcd.io")),
                r#"v:"finalizers.fluxcd.io""#,
            ),
            (PathElement::Value(json!(3)), "v:3"),
            (PathElement::Value(json!("a<b")), r#"v:"a\u003cb""#),
            (PathElement::Index(2), "i:2"),
        ];
        for (pe, text) in cases {
            assert_eq!(pe.encode(), text);
            assert_eq!(PathElement::decode(text).unwrap(), Some(pe));
        }
    }

    #[test]
    fn decode_rejects_garbage_and_skips_unknown_kinds() {
        assert!(PathElement::decode("f").is_err());
        assert!(PathElement::decode("fx").is_err());
        assert!(PathElement::decode("k:{oops").is_err());
        assert!(PathElement::decode("v:1 2").is_err());
        assert!(PathElement::decode("i:x").is_err());
        assert_eq!(PathElement::decode("z:whatever").unwrap(), None);
    }

    #[test]
    fn orders_like_upstream() {
        let mut items = [
            PathElement::Index(0),
            PathElement::Value(json!("b")),
            key(&[("port", json!(10))]),
            PathElement::Value(json!(2)),
            key(&[("port", json!(9))]),
            PathElement::field("b"),
            PathElement::field("a"),
        ];
        items.sort();
        let encoded: Vec<String> = items.iter().map(PathElement::encode).collect();
        assert_eq!(
            encoded,
            [
                "f:a",
                "f:b",
                r#"k:{"port":9}"#,
                r#"k:{"port":10}"#,
                "v:2",
                r#"v:"b""#,
                "i:0"
            ]
        );
    }

    #[test]
    fn prints_paths_for_humans() {
        let path = vec![
            PathElement::field("spec"),
            PathElement::field("containers"),
            key(&[("name", json!("app"))]),
            PathElement::field("ports"),
            key(&[("containerPort", json!(80)), ("protocol", json!("TCP"))]),
        ];
        assert_eq!(
            path_string(&path),
            r#".spec.containers[name="app"].ports[containerPort=80,protocol="TCP"]"#
        );
        let set_item = vec![
            PathElement::field("finalizers"),
            PathElement::Value(json!("x")),
        ];
        assert_eq!(path_string(&set_item), r#".finalizers[="x"]"#);
        assert_eq!(path_string(&[PathElement::Index(1)]), "[1]");
    }
}
