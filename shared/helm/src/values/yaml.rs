//! YAML text to values, as Helm reads it (sigs.k8s.io/yaml: YAML to JSON, then JSON into
//! `interface{}`, so every number is a Go `float64`).

use serde_json::{Map, Value};

use crate::strvals::float_numbers;

/// Parses one YAML document into its JSON form (numbers as float64).
pub fn parse_document(text: &str) -> Result<Value, String> {
    let docs = parse_documents(text)?;
    Ok(docs.into_iter().next().unwrap_or(Value::Null))
}

/// Parses every YAML document of a stream.
pub fn parse_documents(text: &str) -> Result<Vec<Value>, String> {
    let docs: Vec<Value> = serde_saphyr::from_multiple(text).map_err(|e| yaml_error(&e))?;
    Ok(docs.into_iter().map(float_numbers).collect())
}

fn yaml_error(e: &serde_saphyr::Error) -> String {
    let text = e.to_string();
    let first = text.lines().next().unwrap_or("invalid YAML");
    format!("error converting YAML to JSON: yaml: {first}")
}

/// Helm's `LoadValues`: every document must be a map (or empty); later documents merge over
/// earlier ones with [`merge_maps`].
pub fn load_values(text: &str) -> Result<Map<String, Value>, String> {
    let mut out = Map::new();
    for doc in parse_documents(text)? {
        match doc {
            Value::Null => {}
            Value::Object(m) => out = merge_maps(out, m),
            other => {
                return Err(format!(
                    "cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                    json_kind(&other)
                ));
            }
        }
    }
    Ok(out)
}

/// The JSON type name Go's decoder reports.
pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Helm's `MergeMaps`: maps merge recursively, anything else in `b` replaces.
pub fn merge_maps(mut a: Map<String, Value>, b: Map<String, Value>) -> Map<String, Value> {
    for (k, v) in b {
        match (a.remove(&k), v) {
            (Some(Value::Object(old)), Value::Object(new)) => {
                a.insert(k, Value::Object(merge_maps(old, new)));
            }
            (_, v) => {
                a.insert(k, v);
            }
        }
    }
    a
}
