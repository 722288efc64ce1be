//! JSON values as CEL sees them: integers as `int` (unsigned only beyond i64), objects as
//! maps with string keys, so `has(self.x)` and `self.x` work on object fields.
//!
//! Given the schema, declared property names are escaped as kube-apiserver escapes them
//! (`x-y` is `self.x__dash__y`, `namespace` is `self.__namespace__`), and properties whose
//! names CEL cannot spell are left out; map keys (`additionalProperties`) stay as written.

use std::collections::HashMap;
use std::sync::Arc;

use cel::objects::{Key, Value as Cel};
use serde_json::Value;

/// CEL's reserved words: a property so named is `__<word>__`.
const RESERVED: &[&str] = &[
    "true",
    "false",
    "null",
    "in",
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

/// kube's escaping of a property name, or `None` when CEL cannot reach it.
pub fn escape(name: &str) -> Option<String> {
    if RESERVED.contains(&name) {
        return Some(format!("__{name}__"));
    }
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || "_.-/".contains(c));
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c)) {
        return None;
    }
    Some(
        name.replace("__", "__underscores__")
            .replace('.', "__dot__")
            .replace('-', "__dash__")
            .replace('/', "__slash__"),
    )
}

/// `v` as CEL sees it at a node of schema `schema`.
pub fn to_cel_at(v: &Value, schema: &Value) -> Cel {
    let props = schema.get("properties").and_then(Value::as_object);
    match (v, props) {
        (Value::Array(a), _) => {
            let items = schema.get("items").unwrap_or(&Value::Null);
            Cel::List(Arc::new(a.iter().map(|x| to_cel_at(x, items)).collect()))
        }
        (Value::Object(o), Some(props)) => {
            // Undeclared fields are pruned before validation unless the schema keeps them.
            let keep =
                schema.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true));
            let map: HashMap<Key, Cel> = o
                .iter()
                .filter(|(k, _)| keep || props.contains_key(*k))
                .filter_map(|(k, x)| {
                    let sub = props.get(k).unwrap_or(&Value::Null);
                    Some((Key::String(Arc::new(escape(k)?)), to_cel_at(x, sub)))
                })
                .collect();
            Cel::Map(map.into())
        }
        (Value::Object(o), None) => {
            let add = schema.get("additionalProperties").unwrap_or(&Value::Null);
            let map: HashMap<Key, Cel> = o
                .iter()
                .map(|(k, x)| (Key::String(Arc::new(k.clone())), to_cel_at(x, add)))
                .collect();
            Cel::Map(map.into())
        }
        (Value::Number(n), _) if schema.get("type").and_then(Value::as_str) == Some("number") => {
            Cel::Float(n.as_f64().unwrap_or(0.0))
        }
        (Value::String(s), _) => typed_string(s, schema).unwrap_or_else(|| to_cel(v)),
        _ => to_cel(v),
    }
}

/// A string whose schema `format` kube gives a CEL type of its own: `date-time` and
/// `date` are timestamps, `duration` a duration, `byte` bytes. `None` when it does not
/// parse (or has no such format): it is then a plain string.
fn typed_string(s: &str, schema: &Value) -> Option<Cel> {
    match schema.get("format").and_then(Value::as_str)? {
        "date-time" => chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(Cel::Timestamp),
        "date" => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| Cel::Timestamp(t.and_utc().fixed_offset())),
        "duration" => go_duration(s).map(Cel::Duration),
        "byte" => {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD
                .decode(s)
                .ok()
                .map(|b| Cel::Bytes(Arc::new(b)))
        }
        _ => None,
    }
}

/// Go's `time.ParseDuration`: `[-+]` then one or more `<decimal><unit>`, units `ns`,
/// `us`, `µs`, `ms`, `s`, `m`, `h`; `0` alone is zero.
pub fn go_duration(s: &str) -> Option<chrono::Duration> {
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(chrono::Duration::zero());
    }
    if rest.is_empty() {
        return None;
    }
    let mut nanos: f64 = 0.0;
    while !rest.is_empty() {
        let num_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let number: f64 = rest[..num_end].parse().ok()?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        nanos += number * scale;
        rest = &rest[unit_end..];
    }
    if nanos > i64::MAX as f64 {
        return None;
    }
    let d = chrono::Duration::nanoseconds(nanos.round() as i64);
    Some(if neg { -d } else { d })
}

pub fn to_cel(v: &Value) -> Cel {
    match v {
        Value::Null => Cel::Null,
        Value::Bool(b) => Cel::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Cel::Int(i),
            (None, Some(u)) => Cel::UInt(u),
            _ => Cel::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => Cel::String(Arc::new(s.clone())),
        Value::Array(a) => Cel::List(Arc::new(a.iter().map(to_cel).collect())),
        Value::Object(o) => {
            let map: HashMap<Key, Cel> = o
                .iter()
                .map(|(k, v)| (Key::String(Arc::new(k.clone())), to_cel(v)))
                .collect();
            Cel::Map(map.into())
        }
    }
}
