//! Plain data from nodes, the way kustomize prints a resource.
//!
//! kustomize writes a resource as `JSONToYAML(json.Marshal(yaml.v3 decode(node)))`. So
//! what reaches the output is data: v3's decoding of each scalar (tags, timestamps,
//! binary), encoding/json's rules (no NaN, floats in JSON notation) and go-yaml v2's
//! re-reading of that JSON (integral floats become ints, U+0085 folds like a line break).
//! [`to_value`] performs that whole trip without the text in between.

use super::gostr;
use super::node::{Content, Node};
use super::resolve::{self, BINARY_TAG, MERGE_TAG, NULL_TAG, STR_TAG, Scalar};

/// Plain data as kustomize's output sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    String(String),
    Seq(Vec<Value>),
    /// Entries in source order; the emitter sorts them.
    Map(Vec<(String, Value)>),
}

/// Why a node cannot be turned into output data; worded as Go words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("json: unsupported value: {0}")]
    UnsupportedValue(String),
    #[error("json: unsupported type: map[interface {{}}]interface {{}}")]
    NonStringKeys,
    #[error("yaml: line {line}: mapping key {key:?} already defined at line {first}")]
    DuplicateKey { key: String, line: u32, first: u32 },
    #[error("yaml: {0}")]
    Tag(#[from] resolve::TagMismatch),
    #[error("yaml: !!binary value contains invalid base64 data")]
    Binary,
    #[error("yaml: cannot unmarshal {0} into Go value of type string")]
    KeyNotScalar(String),
    /// A null key: kustomize's YAML round trip writes it twice and then rejects it.
    #[error("yaml: mapping key {0:?} already defined")]
    NullKey(String),
    /// Characters encoding/json leaves raw and go-yaml v2 refuses to read back.
    #[error("yaml: control characters are not allowed")]
    ControlCharacters,
}

/// Converts a resource node to the data kustomize prints (see the module doc).
pub fn to_value(node: &Node) -> Result<Value, ValueError> {
    convert(node, true, false)
}

/// `in_flow`: inside a flow-style collection. There go-yaml re-serializes an empty
/// plain null as `''`, so it reads back as an empty string.
fn convert(node: &Node, top: bool, in_flow: bool) -> Result<Value, ValueError> {
    let child_flow = in_flow || node.flow;
    match &node.content {
        Content::Scalar(s) if in_flow && s.is_empty() && !node.tagged && node.is_null() => {
            Ok(Value::String(String::new()))
        }
        Content::Scalar(s) => scalar_value(node, s),
        Content::Sequence(items) => items
            .iter()
            .map(|n| convert(n, false, child_flow))
            .collect::<Result<_, _>>()
            .map(Value::Seq),
        Content::Mapping(entries) => {
            check_duplicates(entries)?;
            if let Some((k, _)) = entries
                .iter()
                .find(|(k, _)| k.tag == NULL_TAG && !k.is_indicated_string())
            {
                return Err(ValueError::NullKey(
                    k.scalar().unwrap_or_default().to_string(),
                ));
            }
            if !top && !is_string_map(entries) {
                return Err(ValueError::NonStringKeys);
            }
            let mut out = Vec::with_capacity(entries.len());
            for (k, v) in entries {
                out.push((key_string(k)?, convert(v, false, child_flow)?));
            }
            Ok(Value::Map(out))
        }
    }
}

fn check_duplicates(entries: &[(Node, Node)]) -> Result<(), ValueError> {
    for (i, (a, _)) in entries.iter().enumerate() {
        for (b, _) in &entries[i + 1..] {
            let same = match (&a.content, &b.content) {
                (Content::Scalar(x), Content::Scalar(y)) => x == y,
                (Content::Mapping(x), Content::Mapping(y)) => x.is_empty() && y.is_empty(),
                (Content::Sequence(x), Content::Sequence(y)) => x.is_empty() && y.is_empty(),
                _ => false,
            };
            if same {
                return Err(ValueError::DuplicateKey {
                    key: a.scalar().unwrap_or_default().to_string(),
                    line: b.line,
                    first: a.line,
                });
            }
        }
    }
    Ok(())
}

/// go-yaml's `isStringMap`: every key is a string (or a merge key).
fn is_string_map(entries: &[(Node, Node)]) -> bool {
    entries.iter().all(|(k, _)| {
        let t = if k.is_indicated_string() {
            STR_TAG
        } else {
            k.tag.as_str()
        };
        t == STR_TAG || t == MERGE_TAG
    })
}

/// A key decoded into a Go string: its text (binary decoded, null as "").
fn key_string(k: &Node) -> Result<String, ValueError> {
    match &k.content {
        Content::Scalar(s) if k.tag == NULL_TAG && !k.is_indicated_string() => {
            Err(ValueError::NullKey(s.clone()))
        }
        Content::Scalar(s) if k.tag == BINARY_TAG => json_string(&decode_base64(s)?),
        Content::Scalar(s) => json_string(s.as_bytes()),
        Content::Mapping(_) => Err(ValueError::KeyNotScalar("!!map".into())),
        Content::Sequence(_) => Err(ValueError::KeyNotScalar("!!seq".into())),
    }
}

fn scalar_value(node: &Node, s: &str) -> Result<Value, ValueError> {
    if node.is_indicated_string() {
        return Ok(Value::String(json_string(s.as_bytes())?));
    }
    let (tag, resolved) = resolve::resolve_tagged(&node.tag, s)?;
    Ok(match resolved {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Int(i) => Value::Int(i),
        Scalar::Uint(u) => Value::Uint(u),
        Scalar::Float(f) => json_float(f)?,
        Scalar::Timestamp(ts) => Value::String(ts.rfc3339_nano()),
        Scalar::Str if tag == BINARY_TAG => Value::String(json_string(&decode_base64(s)?)?),
        Scalar::Str => Value::String(json_string(s.as_bytes())?),
    })
}

/// A float through encoding/json and back through go-yaml v2: integral ones become ints.
fn json_float(f: f64) -> Result<Value, ValueError> {
    if f.is_nan() {
        return Err(ValueError::UnsupportedValue("NaN".into()));
    }
    if f.is_infinite() {
        let s = if f > 0.0 { "+Inf" } else { "-Inf" };
        return Err(ValueError::UnsupportedValue(s.into()));
    }
    let text = gostr::format_float_json(f);
    if let Some(i) = gostr::parse_int_base0(&text) {
        return Ok(Value::Int(i));
    }
    if let Some(u) = gostr::parse_uint_base0(&text) {
        return Ok(Value::Uint(u));
    }
    Ok(Value::Float(f))
}

/// A Go string through encoding/json and back through go-yaml v2: invalid UTF-8 bytes
/// become U+FFFD, and U+0085 (left raw by encoding/json) folds as a YAML line break
/// inside the double-quoted scalar go-yaml v2 reads. DEL, C1 controls and U+FFFE/U+FFFF
/// stay raw in the JSON too, and go-yaml v2's reader refuses them.
pub fn json_string(bytes: &[u8]) -> Result<String, ValueError> {
    let s = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => go_lossy(bytes),
    };
    let refused =
        |c: char| matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}');
    if s.chars().any(refused) {
        return Err(ValueError::ControlCharacters);
    }
    Ok(if s.contains('\u{85}') {
        fold_nel(&s)
    } else {
        s
    })
}

fn go_lossy(mut bytes: &[u8]) -> String {
    let mut out = String::new();
    while !bytes.is_empty() {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push('\u{fffd}');
                bytes = &rest[1..];
            }
        }
    }
    out
}

/// Line folding of a double-quoted scalar where U+0085 is the only raw break: a run of
/// spaces and breaks with one break becomes a space, with n breaks n-1 newlines.
fn fold_nel(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != ' ' && chars[i] != '\u{85}' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\u{85}') {
            i += 1;
        }
        let breaks = chars[start..i].iter().filter(|c| **c == '\u{85}').count();
        match breaks {
            0 => out.extend(&chars[start..i]),
            1 => out.push(' '),
            n => out.push_str(&"\n".repeat(n - 1)),
        }
    }
    out
}

/// Go's `base64.StdEncoding.DecodeString`, which skips `\r` and `\n`.
fn decode_base64(s: &str) -> Result<Vec<u8>, ValueError> {
    let clean: Vec<u8> = s.bytes().filter(|b| *b != b'\r' && *b != b'\n').collect();
    if !clean.len().is_multiple_of(4) {
        return Err(ValueError::Binary);
    }
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    let chunks = clean.chunks(4).collect::<Vec<_>>();
    for (ci, chunk) in chunks.iter().enumerate() {
        let pad = chunk.iter().rev().take_while(|c| **c == b'=').count();
        if pad > 2 || (pad > 0 && ci + 1 != chunks.len()) {
            return Err(ValueError::Binary);
        }
        let mut acc = 0u32;
        for &c in &chunk[..4 - pad] {
            acc = (acc << 6) | val(c).ok_or(ValueError::Binary)?;
        }
        acc <<= 6 * pad as u32;
        let bytes = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Ok(out)
}

impl Value {
    /// Builds a node tree from data, as kyaml's `FromMap` would (strings stay strings).
    pub fn to_node(&self) -> Node {
        match self {
            Value::Null => Node::null(),
            Value::Bool(b) => Node::plain(b.to_string()),
            Value::Int(i) => Node::plain(i.to_string()),
            Value::Uint(u) => Node::plain(u.to_string()),
            Value::Float(f) => Node::plain(gostr::format_float_g(*f)),
            Value::String(s) => Node::string(s.clone()),
            Value::Seq(items) => {
                let mut n = Node::sequence();
                n.content = Content::Sequence(items.iter().map(Value::to_node).collect());
                n
            }
            Value::Map(entries) => {
                let mut n = Node::mapping();
                n.content = Content::Mapping(
                    entries
                        .iter()
                        .map(|(k, v)| (Node::string(k.clone()), v.to_node()))
                        .collect(),
                );
                n
            }
        }
    }
}

impl From<&Value> for serde_json::Value {
    fn from(v: &Value) -> serde_json::Value {
        use serde_json::Value as J;
        match v {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Uint(u) => J::from(*u),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(J::from).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), J::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<&serde_json::Value> for Value {
    fn from(v: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        match v {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => Value::Int(i),
                (None, Some(u), _) => Value::Uint(u),
                (_, _, f) => Value::Float(f.unwrap_or(0.0)),
            },
            J::String(s) => Value::String(s.clone()),
            J::Array(items) => Value::Seq(items.iter().map(Value::from).collect()),
            J::Object(m) => {
                Value::Map(m.iter().map(|(k, v)| (k.clone(), Value::from(v))).collect())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::parse_first;

    fn val(src: &str) -> Result<Value, ValueError> {
        let node = parse_first(src).ok().flatten().unwrap_or_else(Node::null);
        to_value(&node)
    }

    fn field(src: &str) -> Value {
        match val(src) {
            Ok(Value::Map(mut e)) if !e.is_empty() => e.remove(0).1,
            other => panic!("{src}: {other:?}"),
        }
    }

    #[test]
    fn scalars_follow_the_json_trip() {
        let cases: &[(&str, Value)] = &[
            ("a: 1.0", Value::Int(1)),
            ("a: 1e3", Value::Int(1000)),
            ("a: 1.5", Value::Float(1.5)),
            ("a: 1e20", Value::Float(1e20)),
            ("a: -0.0", Value::Int(0)),
            ("a: 012", Value::Int(10)),
            ("a: 08", Value::Int(8)),
            ("a: yes", Value::String("yes".into())),
            (
                "a: 2001-12-14",
                Value::String("2001-12-14T00:00:00Z".into()),
            ),
            ("a: !!binary aGVsbG8=", Value::String("hello".into())),
            ("a: \"x\\x85y\"", Value::String("x y".into())),
            ("a: \"x\\x85\\x85y\"", Value::String("x\ny".into())),
            ("a: ~", Value::Null),
            ("a: 12345678901234567890", Value::Uint(12345678901234567890)),
        ];
        for (src, want) in cases {
            assert_eq!(&field(src), want, "{src}");
        }
    }

    #[test]
    fn json_failures() {
        assert!(matches!(
            val("a: .nan"),
            Err(ValueError::UnsupportedValue(_))
        ));
        assert!(matches!(val("a: {1: x}"), Err(ValueError::NonStringKeys)));
        assert!(matches!(
            val("a: 1\na: 2"),
            Err(ValueError::DuplicateKey { .. })
        ));
        assert!(matches!(val("a: !!int x"), Err(ValueError::Tag(_))));
        assert!(val("1: x\ntrue: y").is_ok());
        assert!(matches!(val("a: {~: x}"), Err(ValueError::NullKey(_))));
        assert!(matches!(
            val("a: \"\\x7f\""),
            Err(ValueError::ControlCharacters)
        ));
        assert!(matches!(
            val("a: \"\\uffff\""),
            Err(ValueError::ControlCharacters)
        ));
    }

    #[test]
    fn base64_decoding() {
        assert_eq!(decode_base64("aGk=").ok(), Some(b"hi".to_vec()));
        assert_eq!(decode_base64("aGVs\nbG8=").ok(), Some(b"hello".to_vec()));
        assert!(decode_base64("a").is_err());
    }
}
