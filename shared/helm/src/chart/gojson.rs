//! YAML into Helm's Go structs (Chart.yaml, requirements.yaml, Chart.lock) as
//! `sigs.k8s.io/yaml.Unmarshal` does it: scalars become strings where the Go field is a
//! string (numbers printed as Go prints them), then encoding/json fills the struct, and its
//! first type mismatch is the error, named by Go struct and field path.
//!
//! The result is the JSON those steps produce, ready for serde; the point is the error text,
//! which Helm prints verbatim.

use fluxion_kustomize::yaml::{Content, Node};
use serde_json::{Map, Value as Json};

use crate::yaml::{Scalar, first_node, go_float32_text, scalar_of};

/// The Go type of a struct field, as far as Helm's chart structs need.
#[derive(Debug, Clone, Copy)]
pub enum GoType {
    Str,
    Bool,
    StrList,
    StrMap,
    AnyList,
    /// `time.Time` (RFC 3339 text).
    Time,
    Struct(&'static GoStruct),
    /// A slice of pointers to a struct.
    StructList(&'static GoStruct),
}

/// A Go struct: its name as `%T` prints it (package `v2`) and its JSON fields.
#[derive(Debug)]
pub struct GoStruct {
    pub name: &'static str,
    pub fields: &'static [(&'static str, GoType)],
}

pub const MAINTAINER: GoStruct = GoStruct {
    name: "Maintainer",
    fields: &[
        ("name", GoType::Str),
        ("email", GoType::Str),
        ("url", GoType::Str),
    ],
};

pub const DEPENDENCY: GoStruct = GoStruct {
    name: "Dependency",
    fields: &[
        ("name", GoType::Str),
        ("version", GoType::Str),
        ("repository", GoType::Str),
        ("condition", GoType::Str),
        ("tags", GoType::StrList),
        ("enabled", GoType::Bool),
        ("import-values", GoType::AnyList),
        ("alias", GoType::Str),
    ],
};

pub const METADATA: GoStruct = GoStruct {
    name: "Metadata",
    fields: &[
        ("name", GoType::Str),
        ("home", GoType::Str),
        ("sources", GoType::StrList),
        ("version", GoType::Str),
        ("description", GoType::Str),
        ("keywords", GoType::StrList),
        ("maintainers", GoType::StructList(&MAINTAINER)),
        ("icon", GoType::Str),
        ("apiVersion", GoType::Str),
        ("condition", GoType::Str),
        ("tags", GoType::Str),
        ("appVersion", GoType::Str),
        ("deprecated", GoType::Bool),
        ("annotations", GoType::StrMap),
        ("kubeVersion", GoType::Str),
        ("dependencies", GoType::StructList(&DEPENDENCY)),
        ("type", GoType::Str),
    ],
};

pub const LOCK: GoStruct = GoStruct {
    name: "Lock",
    fields: &[
        ("generated", GoType::Time),
        ("digest", GoType::Str),
        ("dependencies", GoType::StructList(&DEPENDENCY)),
    ],
};

impl GoType {
    fn name(self) -> String {
        match self {
            GoType::Str => "string".into(),
            GoType::Bool => "bool".into(),
            GoType::StrList => "[]string".into(),
            GoType::StrMap => "map[string]string".into(),
            GoType::AnyList => "[]interface {}".into(),
            GoType::Time => "time.Time".into(),
            GoType::Struct(s) => format!("v2.{}", s.name),
            GoType::StructList(s) => format!("[]*v2.{}", s.name),
        }
    }
}

const CONVERT: &str = "error converting YAML to JSON";
const UNMARSHAL: &str = "error unmarshaling JSON: while decoding JSON";

/// Decodes the first YAML document of `text` into `target`'s shape.
pub fn decode(text: &str, target: &'static GoStruct) -> Result<Json, String> {
    let node = first_node(text).map_err(|e| e.0)?;
    let Some(node) = node else {
        return Ok(Json::Null);
    };
    let mut dec = Decoder { first_error: None };
    let out = dec.value(&node, GoType::Struct(target), target.name, "")?;
    match dec.first_error {
        Some(e) => Err(format!("{UNMARSHAL}: {e}")),
        None => Ok(out),
    }
}

struct Decoder {
    /// encoding/json keeps going after a type mismatch and reports the first one.
    first_error: Option<String>,
}

/// The JSON kind encoding/json names in its errors.
fn json_kind(node: &Node) -> &'static str {
    match &node.content {
        Content::Mapping(_) => "object",
        Content::Sequence(_) => "array",
        Content::Scalar(s) => match scalar_of(node, s) {
            Scalar::Bool(_) => "bool",
            Scalar::Int(_) | Scalar::Uint(_) | Scalar::Float(_) => "number",
            _ => "string",
        },
    }
}

impl Decoder {
    fn mismatch(&mut self, node: &Node, ty: GoType, owner: &str, path: &str) -> Json {
        if self.first_error.is_none() {
            let kind = json_kind(node);
            self.first_error = Some(format!(
                "json: cannot unmarshal {kind} into Go struct field {owner}.{path} of type {}",
                ty.name()
            ));
        }
        Json::Null
    }

    /// `owner` is the innermost Go struct, `path` the JSON field path from the root.
    fn value(&mut self, node: &Node, ty: GoType, owner: &str, path: &str) -> Result<Json, String> {
        if let Content::Scalar(s) = &node.content
            && matches!(scalar_of(node, s), Scalar::Null)
        {
            return Ok(Json::Null);
        }
        Ok(match (ty, &node.content) {
            (GoType::Str, Content::Scalar(s)) => match as_string(node, s) {
                Some(text) => Json::String(text),
                None => return Err(format!("{CONVERT}: json: unsupported value")),
            },
            (GoType::Bool, Content::Scalar(s)) => match scalar_of(node, s) {
                Scalar::Bool(b) => Json::Bool(b),
                _ => self.mismatch(node, ty, owner, path),
            },
            (GoType::Time, Content::Scalar(s)) => match scalar_of(node, s) {
                Scalar::Str | Scalar::Timestamp(_) => {
                    if self.first_error.is_none()
                        && let Err(e) = super::gotime::parse_rfc3339(s)
                    {
                        self.first_error = Some(e);
                    }
                    Json::String(s.clone())
                }
                _ => {
                    if self.first_error.is_none() {
                        self.first_error =
                            Some("Time.UnmarshalJSON: input is not a JSON string".into());
                    }
                    Json::Null
                }
            },
            (
                GoType::StrList | GoType::AnyList | GoType::StructList(_),
                Content::Sequence(items),
            ) => {
                let (elem, elem_owner) = match ty {
                    GoType::StrList => (GoType::Str, owner),
                    GoType::StructList(s) => (GoType::Struct(s), owner),
                    _ => return Ok(Json::Array(items.iter().map(any_json).collect())),
                };
                let mut out = Vec::new();
                for item in items {
                    let v = self.value(item, elem, elem_owner, path)?;
                    out.push(zero_if_null(v, elem));
                }
                Json::Array(out)
            }
            (GoType::StrMap, Content::Mapping(entries)) => {
                let mut out = Map::new();
                for (k, v) in sorted(entries) {
                    let val = self.value(v, GoType::Str, owner, path)?;
                    out.insert(k, zero_if_null(val, GoType::Str));
                }
                Json::Object(out)
            }
            (GoType::Struct(s), Content::Mapping(entries)) => self.object(s, entries, path)?,
            _ => self.mismatch(node, ty, owner, path),
        })
    }

    fn object(
        &mut self,
        s: &'static GoStruct,
        entries: &[(Node, Node)],
        path: &str,
    ) -> Result<Json, String> {
        let mut out = Map::new();
        for (key, v) in sorted(entries) {
            // encoding/json prefers an exact field name, then a case-insensitive one.
            let field = s
                .fields
                .iter()
                .find(|(n, _)| *n == key)
                .or_else(|| s.fields.iter().find(|(n, _)| n.eq_ignore_ascii_case(&key)));
            let Some((name, ty)) = field else { continue };
            let sub = if path.is_empty() {
                name.to_string()
            } else {
                format!("{path}.{name}")
            };
            let val = self.value(v, *ty, s.name, &sub)?;
            out.insert(name.to_string(), val);
        }
        Ok(Json::Object(out))
    }
}

/// JSON null leaves a Go string element at "" (a struct pointer stays nil).
fn zero_if_null(v: Json, ty: GoType) -> Json {
    match (v, ty) {
        (Json::Null, GoType::Str) => Json::String(String::new()),
        (v, _) => v,
    }
}

/// A mapping's entries by key as sigs.k8s.io/yaml hands them to encoding/json: keys as
/// strings, the last duplicate winning, in sorted order (json.Marshal sorts map keys).
fn sorted(entries: &[(Node, Node)]) -> Vec<(String, &Node)> {
    let mut map = std::collections::BTreeMap::new();
    for (k, v) in entries {
        let key = match &k.content {
            Content::Scalar(s) => as_string(k, s).unwrap_or_else(|| s.clone()),
            _ => continue,
        };
        map.insert(key, v);
    }
    map.into_iter().collect()
}

/// sigs.k8s.io/yaml's scalar-to-string conversion for string fields.
fn as_string(node: &Node, s: &str) -> Option<String> {
    Some(match scalar_of(node, s) {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Uint(u) => u.to_string(),
        Scalar::Float(f) => go_float32_text(f),
        Scalar::Null => return None,
        Scalar::Timestamp(_) | Scalar::Str => s.to_string(),
    })
}

/// An `interface{}` value: what encoding/json makes of the JSON.
fn any_json(node: &Node) -> Json {
    match &node.content {
        Content::Scalar(s) => match scalar_of(node, s) {
            Scalar::Null => Json::Null,
            Scalar::Bool(b) => Json::Bool(b),
            Scalar::Int(i) => {
                serde_json::Number::from_f64(i as f64).map_or(Json::Null, Json::Number)
            }
            Scalar::Uint(u) => {
                serde_json::Number::from_f64(u as f64).map_or(Json::Null, Json::Number)
            }
            Scalar::Float(f) => serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number),
            Scalar::Timestamp(_) | Scalar::Str => Json::String(s.clone()),
        },
        Content::Sequence(items) => Json::Array(items.iter().map(any_json).collect()),
        Content::Mapping(entries) => Json::Object(
            sorted(entries)
                .into_iter()
                .map(|(k, v)| (k, any_json(v)))
                .collect(),
        ),
    }
}
