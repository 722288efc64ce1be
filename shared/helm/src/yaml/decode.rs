//! `sigs.k8s.io/yaml.Unmarshal` into `interface{}`, `map[string]interface{}` and
//! `[]interface{}`: go-yaml v2 decoding of the first document, YAML→JSON key conversion,
//! then encoding/json's view of the data (numbers float64).

use fluxion_kustomize::yaml::gostr::format_float_g;
use fluxion_kustomize::yaml::resolve::{self, Flavor, Scalar};
use fluxion_kustomize::yaml::{Content, Node, Style, YamlError, parse_first};

use super::Error;
use crate::template::{Dict, Value};

const CONVERT: &str = "error converting YAML to JSON";
const UNMARSHAL: &str = "error unmarshaling JSON: while decoding JSON";

/// The first document of `text` as Go's `interface{}` (nil for an empty document).
pub fn from_yaml(text: &str) -> Result<Value, Error> {
    match first_node(text)? {
        None => Ok(Value::Nil),
        Some(n) => stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || node_value(&n))
            .map_err(|e| Error::new(format!("{CONVERT}: {e}"))),
    }
}

/// The first document's node tree, with go-yaml v2's syntax errors.
pub fn first_node(text: &str) -> Result<Option<Node>, Error> {
    // go-yaml's own syntax check decides what is an error and how it reads; the tree
    // comes from a parser whose error texts differ.
    let end =
        super::syntax::check(text).map_err(|e| Error::new(format!("{CONVERT}: yaml: {e}")))?;
    // go-yaml never reads past the first document; neither may a later error count.
    parse_first(text)
        .or_else(|e| text.get(..end).map_or(Err(e), parse_first))
        .map_err(|e| Error::new(format!("{CONVERT}: yaml: {}", go_yaml_error(&e, text))))
}

/// A scalar as go-yaml v2 resolves it (tags first, then plain-scalar rules).
pub fn scalar_of(node: &Node, s: &str) -> Scalar {
    resolved(node, s)
}

/// `strconv.FormatFloat(f, 'g', -1, 32)`, as sigs.k8s.io/yaml prints a float where Go
/// wants a string.
pub fn go_float32_text(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    format_float_g(f32_round(f))
}

/// A syntax error worded as go-yaml v2 (libyaml) words it: the problem without its
/// context, and the line only when libyaml's 0-based mark is past the first line (scanner
/// errors count lines from one, parser errors from zero).
fn go_yaml_error(e: &YamlError, text: &str) -> String {
    let msg = e.message.as_str();
    let (context, problem) = match msg.strip_suffix(" while parsing a quoted scalar") {
        Some(p) => ("while parsing a quoted scalar", p),
        None if msg.starts_with("while ") => msg.split_once(", ").unwrap_or(("", msg)),
        None => ("", msg),
    };
    if problem == "found unknown anchor" {
        return unknown_anchor(text, e.line);
    }
    let scanner = context.is_empty()
        || context.starts_with("while scanning")
        || context == "while parsing a quoted scalar";
    let problem = match problem {
        "expected ',' or ']'" => "did not find expected ',' or ']'",
        "tabs disallowed within this context (block indentation)" => {
            "found character that cannot start any token"
        }
        other => other,
    };
    let line = if scanner {
        e.line
    } else {
        e.line.saturating_sub(1)
    };
    if e.line > 1 && line > 0 {
        format!("line {line}: {problem}")
    } else {
        problem.to_string()
    }
}

/// go-yaml's composer error for an alias without an anchor, named from the source line.
fn unknown_anchor(text: &str, line: usize) -> String {
    let src = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let name: String = src
        .split_once('*')
        .map(|(_, rest)| {
            rest.chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
                .collect()
        })
        .unwrap_or_default();
    format!("unknown anchor '{name}' referenced")
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

/// Node tags hold go-yaml v3's resolution; v2 resolves untagged plain scalars again.
fn resolved(node: &Node, s: &str) -> Scalar {
    if node.tagged {
        return resolve::resolve_tagged(&node.tag, s)
            .map(|r| r.1)
            .unwrap_or(Scalar::Str);
    }
    if node.style != Style::Plain {
        return Scalar::Str;
    }
    resolve::resolve_plain(Flavor::V2, s).1
}

fn node_value(node: &Node) -> Result<Value, String> {
    match &node.content {
        Content::Scalar(s) => scalar(node, s),
        Content::Sequence(items) => items
            .iter()
            .map(node_value)
            .collect::<Result<Vec<_>, _>>()
            .map(Value::list),
        Content::Mapping(entries) => {
            let d = Dict::new();
            for (k, v) in entries {
                // go-yaml v2 keeps the last of duplicate keys.
                d.insert(key(k, v)?, node_value(v)?);
            }
            Ok(Value::Dict(d))
        }
    }
}

fn scalar(node: &Node, s: &str) -> Result<Value, String> {
    if node.tagged
        && let Err(m) = resolve::resolve_tagged(&node.tag, s)
    {
        return Err(format!("yaml: {m}"));
    }
    if node.tagged && node.tag == resolve::BINARY_TAG {
        let clean: String = s.chars().filter(|c| *c != '\n' && *c != '\r').collect();
        let bytes = crate::sprig::b64_decode(&clean)
            .ok_or("yaml: !!binary value contains invalid base64 data")?;
        return Ok(Value::from(String::from_utf8_lossy(&bytes).into_owned()));
    }
    Ok(match resolved(node, s) {
        Scalar::Null => Value::Nil,
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Int(i) => Value::Float(i as f64),
        Scalar::Uint(u) => Value::Float(u as f64),
        Scalar::Float(f) if f.is_nan() => return Err("json: unsupported value: NaN".into()),
        Scalar::Float(f) if f.is_infinite() => {
            let sign = if f > 0.0 { "+" } else { "-" };
            return Err(format!("json: unsupported value: {sign}Inf"));
        }
        Scalar::Float(f) => Value::Float(f),
        Scalar::Timestamp(_) | Scalar::Str => Value::from(s),
    })
}

/// sigs.k8s.io/yaml's key conversion: booleans, numbers and strings become JSON keys.
fn key(k: &Node, v: &Node) -> Result<String, String> {
    let Some(s) = k.scalar() else {
        return Err(format!("yaml: invalid map key: {}", go_sharp_v(k)));
    };
    Ok(match resolved(k, s) {
        Scalar::Null => {
            return Err(format!(
                "unsupported map key of type: %!s(<nil>), key: <nil>, value: {}",
                match &v.content {
                    // A nil interface prints bare at the top level.
                    Content::Scalar(vs) if matches!(resolved(v, vs), Scalar::Null) => {
                        "<nil>".to_string()
                    }
                    _ => go_sharp_v(v),
                }
            ));
        }
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Uint(u) => u.to_string(),
        Scalar::Float(f) => format_float_g(f32_round(f)),
        Scalar::Timestamp(_) | Scalar::Str => s.to_string(),
    })
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
        Content::Scalar(s) => match resolved(node, s) {
            Scalar::Null => format!("{ANY}(nil)"),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Uint(u) => u.to_string(),
            Scalar::Float(f) => format_float_g(f),
            Scalar::Timestamp(_) | Scalar::Str => crate::template::strconv::quote(s),
        },
        Content::Sequence(items) => {
            let inner: Vec<String> = items.iter().map(go_sharp_v).collect();
            format!("[]{ANY}{{{}}}", inner.join(", "))
        }
        Content::Mapping(entries) => {
            // Later duplicates win, as in go-yaml's map.
            let inner: std::collections::BTreeMap<String, String> = entries
                .iter()
                .map(|(k, v)| (go_sharp_v(k), go_sharp_v(v)))
                .collect();
            let parts: Vec<String> = inner.iter().map(|(k, v)| format!("{k}:{v}")).collect();
            format!("map[{ANY}]{ANY}{{{}}}", parts.join(", "))
        }
    }
}
