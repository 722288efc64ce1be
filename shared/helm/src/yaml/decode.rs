//! `sigs.k8s.io/yaml.Unmarshal` into `interface{}`, `map[string]interface{}` and
//! `[]interface{}`: go-yaml v2 decoding of the first document, YAML→JSON key conversion,
//! then encoding/json's view of the data (numbers float64).

use std::collections::BTreeMap;

use fluxion_kustomize::yaml::gostr::format_float_g;
use fluxion_kustomize::yaml::resolve::{self, Flavor, Scalar};
use fluxion_kustomize::yaml::{Content, Node, Style};

use super::Error;
use super::syntax::Document;
use crate::template::{Dict, Value};

const CONVERT: &str = "error converting YAML to JSON";
const UNMARSHAL: &str = "error unmarshaling JSON: while decoding JSON";

/// The first document of `text` as Go's `interface{}` (nil for an empty document).
pub fn from_yaml(text: &str) -> Result<Value, Error> {
    let doc = read(text)?;
    match &doc.root {
        None => Ok(Value::Nil),
        Some(n) => {
            let (v, deep) =
                stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || decode(n, doc.deferred))
                    .map_err(|e| Error::new(format!("{CONVERT}: {e}")))?;
            match deep.then(|| too_deep(&v, 1)).flatten() {
                Some(c) => Err(Error::new(format!(
                    "{UNMARSHAL}: invalid character '{c}' exceeded max depth"
                ))),
                None => Ok(v),
            }
        }
    }
}

/// encoding/json's nesting limit, met when sigs.k8s.io/yaml decodes the JSON it made.
const MAX_JSON_DEPTH: usize = 10_000;

/// The opening character of the first container (in JSON text order: sorted keys) nested
/// deeper than encoding/json's limit.
fn too_deep(v: &Value, depth: usize) -> Option<char> {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || too_deep_here(v, depth))
}

fn too_deep_here(v: &Value, depth: usize) -> Option<char> {
    let (open, children): (char, Vec<Value>) = match v {
        Value::List(l) => ('[', l.snapshot()),
        Value::Dict(d) => ('{', d.borrow().values().cloned().collect()),
        _ => return None,
    };
    if depth > MAX_JSON_DEPTH {
        return Some(open);
    }
    children.iter().find_map(|c| too_deep(c, depth + 1))
}

/// sigs.k8s.io/yaml's three steps and the order of their errors: go-yaml v2 decodes the
/// whole node tree (tag, key, merge and alias errors, in document order, even in values a
/// later duplicate key replaces), the decoded maps get JSON keys (a null key fails), then
/// encoding/json marshals what survived (NaN and infinities fail, in sorted-key order).
/// Also says whether containers nest deeper than encoding/json will read back.
fn decode(node: &Node, deferred: Option<String>) -> Result<(Value, bool), String> {
    let mut d = Decoder {
        deferred,
        ..Decoder::default()
    };
    let (v, bad_key) = d.value(node)?;
    if let Some(e) = d.deferred {
        return Err(format!("yaml: {e}"));
    }
    if let Some(e) = bad_key {
        return Err(e);
    }
    if d.non_finite {
        non_finite_error(&v)?;
    }
    Ok((v, d.deepest > MAX_JSON_DEPTH))
}

fn read(text: &str) -> Result<Document, Error> {
    super::syntax::first_document(text).map_err(|e| Error::new(format!("{CONVERT}: yaml: {e}")))
}

/// The first document's node tree, with go-yaml v2's syntax and structure errors.
pub fn first_node(text: &str) -> Result<Option<Node>, Error> {
    let doc = read(text)?;
    match doc.deferred {
        Some(e) => Err(Error::new(format!("{CONVERT}: yaml: {e}"))),
        None => Ok(doc.root),
    }
}

/// A scalar as go-yaml v2 resolves it (tags first, then plain-scalar rules).
pub fn scalar_of(node: &Node, s: &str) -> Scalar {
    resolved(node, s)
}

/// `strconv.FormatFloat(f, 'g', -1, 32)`, as sigs.k8s.io/yaml prints a float where Go
/// wants a string.
pub fn go_float32_text(f: f64) -> String {
    // A float64 beyond float32's range prints as an infinity.
    let f = f32_round(f);
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    format_float_g(f)
}

/// The first document as `map[string]interface{}` (empty for an empty or null document), as
/// Helm's values files and `fromYaml` read it.
pub fn from_yaml_map(text: &str) -> Result<Dict, Error> {
    match from_yaml(text)? {
        Value::Nil => Ok(Dict::new()),
        Value::Dict(d) => Ok(d),
        other => Err(type_error(&other, "map[string]interface {}")),
    }
}

/// The first document as `[]interface{}` (Helm's `fromYamlArray`).
pub fn from_yaml_array(text: &str) -> Result<Vec<Value>, Error> {
    match from_yaml(text)? {
        Value::Nil => Ok(Vec::new()),
        Value::List(l) => Ok(l.snapshot()),
        other => Err(type_error(&other, "[]interface {}")),
    }
}

/// encoding/json's `UnmarshalTypeError` for a document of the wrong shape, after
/// sigs.k8s.io/yaml's prefix.
fn type_error(found: &Value, target: &str) -> Error {
    let json = super::json_decode::type_error(found, target);
    Error::new(format!("{UNMARSHAL}: {}", json.0))
}

/// A scalar's value by go-yaml v2's rules: its explicit tag, else plain-scalar resolution
/// (quoted scalars are strings).
fn resolved(node: &Node, s: &str) -> Scalar {
    if node.tagged {
        return resolve::resolve_tagged_as(Flavor::V2, &node.tag, s)
            .map(|r| r.1)
            .unwrap_or(Scalar::Str);
    }
    if node.style != Style::Plain {
        return Scalar::Str;
    }
    resolve::resolve_plain(Flavor::V2, s).1
}

/// go-yaml v2's decoding into `interface{}`, with the errors of the later steps noted.
#[derive(Default)]
struct Decoder {
    /// The structure error the composer stopped at: raised unless the part of the document
    /// decoded before it holds an error.
    deferred: Option<String>,
    non_finite: bool,
    /// Containers open around the node being decoded, and the most ever.
    depth: usize,
    deepest: usize,
}

impl Decoder {
    /// A node's value, with the first key in it that JSON cannot have (sigs.k8s.io/yaml
    /// converts only what decoding left: a value a later duplicate key replaced is gone).
    fn value(&mut self, node: &Node) -> Result<(Value, Option<String>), String> {
        if let Content::Scalar(s) = &node.content {
            return Ok((self.scalar(node, s)?, None));
        }
        self.depth += 1;
        self.deepest = self.deepest.max(self.depth);
        let out = stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.collection(node));
        self.depth -= 1;
        out
    }

    fn collection(&mut self, node: &Node) -> Result<(Value, Option<String>), String> {
        match &node.content {
            Content::Scalar(s) => Ok((self.scalar(node, s)?, None)),
            Content::Sequence(items) => {
                let mut bad = None;
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    let (v, b) = self.value(item)?;
                    bad = bad.or(b);
                    values.push(v);
                }
                Ok((Value::list(values), bad))
            }
            Content::Mapping(entries) => self.mapping(entries),
        }
    }

    fn mapping(&mut self, entries: &[(Node, Node)]) -> Result<(Value, Option<String>), String> {
        let d = Dict::new();
        let mut bad_inside: BTreeMap<String, String> = BTreeMap::new();
        let mut bad_key = None;
        for (k, v) in entries {
            let key = self.key(k, v)?;
            let (value, bad) = self.value(v)?;
            match key {
                // go-yaml v2 keeps the last of duplicate keys.
                Ok(key) => {
                    match bad {
                        Some(b) => bad_inside.insert(key.clone(), b),
                        None => bad_inside.remove(&key),
                    };
                    d.insert(key, value);
                }
                Err(e) => bad_key = Some(e),
            }
        }
        let bad = bad_key.or_else(|| bad_inside.into_values().next());
        Ok((Value::Dict(d), bad))
    }

    fn scalar(&mut self, node: &Node, s: &str) -> Result<Value, String> {
        tag_check(node, s)?;
        if node.tagged && node.tag == resolve::BINARY_TAG {
            let Some(text) = binary_text(s) else {
                let e = "yaml: !!binary value contains invalid base64 data".to_string();
                return Err(e);
            };
            return Ok(Value::from(text));
        }
        Ok(match resolved(node, s) {
            Scalar::Null => Value::Nil,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Int(i) => Value::Float(i as f64),
            Scalar::Uint(u) => Value::Float(u as f64),
            Scalar::Float(f) => {
                self.non_finite |= !f.is_finite();
                Value::Float(f)
            }
            Scalar::Timestamp(_) | Scalar::Str => Value::from(s),
        })
    }

    /// A key as JSON text; `None` for a null key, whose error comes after decoding.
    /// A key as JSON text, or (inner `Err`) sigs.k8s.io/yaml's error for a key JSON cannot
    /// have, which only counts if the entry survives decoding.
    fn key(&mut self, k: &Node, v: &Node) -> Result<Result<String, String>, String> {
        match k.scalar() {
            Some(s) => tag_check(k, s)?,
            // go-yaml decodes a collection key (and meets its errors) before refusing it.
            None => drop(self.value(k)?),
        }
        match key(k, v) {
            Ok(key) => Ok(Ok(key)),
            Err(KeyError::Invalid(e)) => Err(e),
            Err(KeyError::Unsupported(e)) => Ok(Err(e)),
        }
    }
}

/// A `!!binary` scalar's bytes (base64 across lines) as the string go-yaml v2 makes of them.
fn binary_text(s: &str) -> Option<String> {
    let clean: String = s.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    let bytes = crate::sprig::b64_decode(&clean)?;
    // encoding/json replaces each byte that is not UTF-8 with U+FFFD.
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        out.extend(std::iter::repeat_n('\u{FFFD}', chunk.invalid().len()));
    }
    Some(out)
}

/// go-yaml v2's error for a scalar whose explicit tag does not fit its text.
fn tag_check(node: &Node, s: &str) -> Result<(), String> {
    if node.tagged
        && let Err(m) = resolve::resolve_tagged_as(Flavor::V2, &node.tag, s)
    {
        return Err(format!("yaml: {m}"));
    }
    Ok(())
}

/// encoding/json's refusal of NaN and infinities, for the first one it meets: maps in
/// sorted key order, lists in order.
fn non_finite_error(v: &Value) -> Result<(), String> {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || non_finite_here(v))
}

fn non_finite_here(v: &Value) -> Result<(), String> {
    match v {
        Value::Float(f) if f.is_nan() => Err("json: unsupported value: NaN".into()),
        Value::Float(f) if f.is_infinite() => {
            let sign = if *f > 0.0 { "+" } else { "-" };
            Err(format!("json: unsupported value: {sign}Inf"))
        }
        Value::List(l) => l.snapshot().iter().try_for_each(non_finite_error),
        Value::Dict(d) => d.borrow().values().try_for_each(non_finite_error),
        _ => Ok(()),
    }
}

enum KeyError {
    /// go-yaml's decode error for a collection as a key.
    Invalid(String),
    /// sigs.k8s.io/yaml's conversion error for a key JSON cannot have (null, uint64).
    Unsupported(String),
}

/// sigs.k8s.io/yaml's key conversion: booleans, numbers and strings become JSON keys.
fn key(k: &Node, v: &Node) -> Result<String, KeyError> {
    let Some(s) = k.scalar() else {
        return Err(KeyError::Invalid(format!(
            "yaml: invalid map key: {}",
            go_sharp_v(k)
        )));
    };
    if k.tagged && k.tag == resolve::BINARY_TAG {
        return binary_text(s).ok_or_else(|| {
            KeyError::Invalid("yaml: !!binary value contains invalid base64 data".into())
        });
    }
    Ok(match resolved(k, s) {
        Scalar::Null => return Err(unsupported_key("%!s(<nil>)", "<nil>", v)),
        // go-yaml v2 decodes integers beyond int64 as uint64, a key type the conversion
        // to JSON does not take.
        Scalar::Uint(u) => return Err(unsupported_key("uint64", &format!("{u:#x}"), v)),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Float(f) => match go_float32_text(f).as_str() {
            "+Inf" => ".inf".to_string(),
            "-Inf" => "-.inf".to_string(),
            "NaN" => ".nan".to_string(),
            text => text.to_string(),
        },
        Scalar::Timestamp(_) | Scalar::Str => s.to_string(),
    })
}

/// sigs.k8s.io/yaml's error for a key JSON cannot have (`%s`, `%+#v`, `%+#v` of the key's
/// type, the key and its value).
fn unsupported_key(go_type: &str, key: &str, v: &Node) -> KeyError {
    let value = match &v.content {
        // A nil interface prints bare at the top level.
        Content::Scalar(vs) if matches!(resolved(v, vs), Scalar::Null) => "<nil>".to_string(),
        _ => go_sharp_v(v),
    };
    KeyError::Unsupported(format!(
        "unsupported map key of type: {go_type}, key: {key}, value: {value}"
    ))
}

/// `strconv.FormatFloat(f, 'g', -1, 32)` prints the float32 nearest to `f`.
fn f32_round(f: f64) -> f64 {
    let s = format!("{}", f as f32);
    s.parse().unwrap_or(f)
}

/// Go's `%#v` of a node as go-yaml v2 decodes it into `interface{}` (for its invalid map
/// key error): maps print with sorted keys, scalars with their Go types.
fn go_sharp_v(node: &Node) -> String {
    const ANY: &str = "interface {}";
    match &node.content {
        Content::Scalar(s) if node.tagged && node.tag == resolve::BINARY_TAG => {
            crate::template::strconv::quote(&binary_text(s).unwrap_or_default())
        }
        Content::Scalar(s) => match resolved(node, s) {
            Scalar::Null => format!("{ANY}(nil)"),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Uint(u) => format!("{u:#x}"),
            Scalar::Float(f) if f.is_nan() => "NaN".to_string(),
            Scalar::Float(f) if f.is_infinite() => {
                if f > 0.0 { "+Inf" } else { "-Inf" }.to_string()
            }
            Scalar::Float(f) => format_float_g(f),
            Scalar::Timestamp(_) | Scalar::Str => crate::template::strconv::quote(s),
        },
        Content::Sequence(items) => {
            let inner: Vec<String> = items.iter().map(go_sharp_v).collect();
            format!("[]{ANY}{{{}}}", inner.join(", "))
        }
        Content::Mapping(entries) => {
            // Later duplicates win, as in go-yaml's map.
            let mut inner: BTreeMap<String, (MapKey, String)> = BTreeMap::new();
            for (k, v) in entries {
                inner.insert(go_sharp_v(k), (MapKey::of(k), go_sharp_v(v)));
            }
            let mut parts: Vec<(MapKey, String, String)> =
                inner.into_iter().map(|(k, (o, v))| (o, k, v)).collect();
            parts.sort_by(|a, b| a.0.cmp(&b.0));
            let parts: Vec<String> = parts.iter().map(|(_, k, v)| format!("{k}:{v}")).collect();
            format!("map[{ANY}]{ANY}{{{}}}", parts.join(", "))
        }
    }
}

/// How fmt orders `map[interface{}]interface{}` keys: nil first, then by concrete type in
/// the order of the type descriptors in helm's binary (string, uint64, int, float64, bool,
/// as measured on helm v4), then by value.
#[derive(Debug, Clone, PartialEq)]
enum MapKey {
    Nil,
    Str(String),
    Uint(u64),
    Int(i64),
    Float(f64),
    Bool(bool),
    Other,
}

impl MapKey {
    fn of(node: &Node) -> MapKey {
        let Some(s) = node.scalar() else {
            return MapKey::Other;
        };
        match resolved(node, s) {
            Scalar::Null => MapKey::Nil,
            Scalar::Bool(b) => MapKey::Bool(b),
            Scalar::Int(i) => MapKey::Int(i),
            Scalar::Uint(u) => MapKey::Uint(u),
            Scalar::Float(f) => MapKey::Float(f),
            Scalar::Timestamp(_) | Scalar::Str => MapKey::Str(s.to_string()),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            MapKey::Nil => 0,
            MapKey::Str(_) => 1,
            MapKey::Uint(_) => 2,
            MapKey::Int(_) => 3,
            MapKey::Float(_) => 4,
            MapKey::Bool(_) => 5,
            MapKey::Other => 6,
        }
    }

    fn cmp(&self, other: &MapKey) -> std::cmp::Ordering {
        match (self, other) {
            (MapKey::Str(a), MapKey::Str(b)) => a.cmp(b),
            (MapKey::Uint(a), MapKey::Uint(b)) => a.cmp(b),
            (MapKey::Int(a), MapKey::Int(b)) => a.cmp(b),
            (MapKey::Float(a), MapKey::Float(b)) => a.total_cmp(b),
            (MapKey::Bool(a), MapKey::Bool(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}
