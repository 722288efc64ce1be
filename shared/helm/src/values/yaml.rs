//! YAML text to values, as Helm reads it (sigs.k8s.io/yaml: YAML to JSON, then JSON into
//! `interface{}`, so every number is a Go `float64`).

use serde_json::{Map, Value};

use crate::template::Value as TValue;

/// Parses the first YAML document into its JSON form (numbers as float64), as
/// sigs.k8s.io/yaml does.
pub fn parse_document(text: &str) -> Result<Value, String> {
    let v = crate::yaml::from_yaml(text).map_err(|e| e.0)?;
    Ok(to_json(&v))
}

/// Splits a YAML stream at `---` lines (k8s.io/apimachinery's `YAMLReader`): a line that
/// starts with `---` separates documents when only blanks or a comment follow, and is an
/// error otherwise. Its line reader ends every line, the last one included, with a bare
/// `\n` (a `\r\n` ending loses its `\r`).
pub fn split_documents(text: &str) -> Result<Vec<String>, String> {
    let mut docs = Vec::new();
    let mut cur = String::new();
    for raw in text.split_inclusive('\n') {
        let line = match raw.strip_suffix('\n') {
            Some(l) => l.strip_suffix('\r').unwrap_or(l),
            None => raw,
        };
        let line = &format!("{line}\n");
        if let Some(after) = line.strip_prefix("---") {
            let rest = after.trim();
            if !rest.is_empty() && !rest.starts_with('#') {
                return Err(format!("invalid Yaml document separator: {rest}"));
            }
            if !cur.is_empty() {
                docs.push(std::mem::take(&mut cur));
            }
            continue;
        }
        cur.push_str(line);
    }
    if !cur.is_empty() {
        docs.push(cur);
    }
    Ok(docs)
}

/// Parses every document of a YAML stream.
pub fn parse_documents(text: &str) -> Result<Vec<Value>, String> {
    split_documents(text)?
        .iter()
        .map(|d| parse_document(d))
        .collect()
}

/// A template value as JSON: Go float64 stays a float, int64 an integer.
pub fn to_json(v: &TValue) -> Value {
    match v {
        TValue::Nil | TValue::Object(_) => Value::Null,
        TValue::Bool(b) => Value::Bool(*b),
        TValue::Int(i) | TValue::Int64(i) => Value::from(*i),
        TValue::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        TValue::String(s) => Value::from(&**s),
        TValue::Bytes(b) => Value::from(String::from_utf8_lossy(b).into_owned()),
        TValue::List(l) => Value::Array(l.borrow().iter().map(to_json).collect()),
        TValue::Dict(d) => Value::Object(
            d.borrow()
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
    }
}

/// Helm's `LoadValues`: every document must be a map (or empty); later documents merge over
/// earlier ones with [`merge_maps`].
pub fn load_values(text: &str) -> Result<Map<String, Value>, String> {
    const WRAP: &str = "cannot unmarshal yaml document";
    let mut out = Map::new();
    let docs = split_documents(text).map_err(|e| format!("error reading yaml document: {e}"))?;
    for doc in docs {
        match parse_document(&doc).map_err(|e| format!("{WRAP}: {e}"))? {
            Value::Null => {}
            Value::Object(m) => out = merge_maps(out, m),
            other => {
                return Err(format!(
                    "{WRAP}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
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
