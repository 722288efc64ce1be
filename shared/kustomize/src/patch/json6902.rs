//! JSON patch (RFC 6902) as kustomize applies it: the object goes to JSON, the
//! operations run on it, and it comes back as Go's JSON decoding leaves it (every
//! number a float64, printed as Go prints floats).

use serde_json::Value as J;

use crate::yaml::{self, Node, Value};

/// Why a JSON patch cannot be read or applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonPatchError {
    #[error("{0}")]
    Decode(String),
    #[error("{0}")]
    Apply(String),
}

fn apply_err(s: impl Into<String>) -> JsonPatchError {
    JsonPatchError::Apply(s.into())
}

/// Reads patch text: JSON when it starts with `[`, YAML otherwise.
pub fn decode(text: &str) -> Result<Vec<J>, JsonPatchError> {
    if text.is_empty() {
        return Err(JsonPatchError::Decode("empty json patch operations".into()));
    }
    let json = if text.starts_with('[') {
        serde_json::from_str::<J>(text).map_err(|e| JsonPatchError::Decode(e.to_string()))?
    } else {
        let node = yaml::parse_first(text)
            .map_err(|e| JsonPatchError::Decode(e.to_string()))?
            .unwrap_or_else(Node::null);
        yaml::to_json_v2(&node).map_err(JsonPatchError::Decode)?
    };
    match floats(json) {
        J::Array(ops) => Ok(ops),
        _ => Err(JsonPatchError::Decode(
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch".into(),
        )),
    }
}

/// Every number as a float64, as Go's JSON decoding makes it on both sides.
fn floats(j: J) -> J {
    match j {
        J::Number(n) => {
            serde_json::Number::from_f64(n.as_f64().unwrap_or_default()).map_or(J::Null, J::Number)
        }
        J::Array(a) => J::Array(a.into_iter().map(floats).collect()),
        J::Object(m) => J::Object(m.into_iter().map(|(k, v)| (k, floats(v))).collect()),
        other => other,
    }
}

/// Applies decoded operations to a resource node.
pub fn apply(node: &Node, ops: &[J]) -> Result<Node, JsonPatchError> {
    let value = yaml::to_value(node).map_err(|e| apply_err(e.to_string()))?;
    let mut doc = to_json(&value);
    for op in ops {
        apply_op(&mut doc, op)?;
    }
    Ok(from_json(&doc).to_node())
}

fn to_json(v: &Value) -> J {
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i as f64),
        Value::Uint(u) => J::from(*u as f64),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::String(s) => J::String(s.clone()),
        Value::Seq(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
    }
}

/// JSON as Go decodes it into `interface{}`: every number a float64.
pub(crate) fn from_json(j: &J) -> Value {
    match j {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Float(n.as_f64().unwrap_or_default()),
        J::String(s) => Value::String(s.clone()),
        J::Array(a) => Value::Seq(a.iter().map(from_json).collect()),
        J::Object(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), from_json(v))).collect()),
    }
}

fn field<'a>(op: &'a J, name: &str) -> Option<&'a J> {
    op.as_object().and_then(|m| m.get(name))
}

fn str_field(op: &J, name: &str) -> Result<String, JsonPatchError> {
    match field(op, name) {
        Some(J::String(s)) => Ok(s.clone()),
        _ => Err(apply_err(format!("operation missing {name} field"))),
    }
}

fn apply_op(doc: &mut J, op: &J) -> Result<(), JsonPatchError> {
    let kind = str_field(op, "op").unwrap_or_default();
    let path = str_field(op, "path")?;
    let value = || {
        field(op, "value")
            .cloned()
            .ok_or_else(|| apply_err(format!("missing value for {kind} operation")))
    };
    match kind.as_str() {
        "add" => add(doc, &path, value()?),
        "remove" => remove(doc, &path).map(|_| ()),
        "replace" => {
            let v = value()?;
            let slot = get_mut(doc, &path)?;
            *slot = v;
            Ok(())
        }
        "move" => {
            let from = str_field(op, "from")?;
            let v = remove(doc, &from)?;
            add(doc, &path, v)
        }
        "copy" => {
            let from = str_field(op, "from")?;
            let v = get_mut(doc, &from)?.clone();
            add(doc, &path, v)
        }
        "test" => {
            let want = value()?;
            match get_mut(doc, &path) {
                Ok(got) if *got == want => Ok(()),
                _ => Err(apply_err(format!("testing value {path} failed"))),
            }
        }
        other => Err(apply_err(format!("Unexpected kind: {other}"))),
    }
}

fn tokens(path: &str) -> Result<Vec<String>, JsonPatchError> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(apply_err(format!("invalid path {path}")));
    };
    Ok(rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect())
}

/// An array index as evanphx/json-patch reads it: negative ones count from the end
/// (for `add`, from one past the end).
fn index(tok: &str, len: usize, insert: bool) -> Result<usize, JsonPatchError> {
    let bad = || apply_err(format!("Unable to access invalid index: {tok}"));
    let i: i64 = tok.parse().map_err(|_| bad())?;
    let size = len as i64 + i64::from(insert);
    if i >= size || i < -size {
        return Err(bad());
    }
    let i = if i < 0 { i + size } else { i };
    usize::try_from(i).map_err(|_| bad())
}

fn get_mut<'a>(doc: &'a mut J, path: &str) -> Result<&'a mut J, JsonPatchError> {
    let mut cur = doc;
    for tok in tokens(path)? {
        cur = match cur {
            J::Object(m) => m
                .get_mut(&tok)
                .ok_or_else(|| apply_err(format!("doc is missing path: {path}")))?,
            J::Array(a) => {
                let i = index(&tok, a.len(), false)?;
                &mut a[i]
            }
            _ => return Err(apply_err(format!("doc is missing path: {path}"))),
        };
    }
    Ok(cur)
}

fn split(path: &str) -> Result<(String, String), JsonPatchError> {
    let mut toks = tokens(path)?;
    let last = toks
        .pop()
        .ok_or_else(|| apply_err("cannot operate on the whole document"))?;
    let parent = toks
        .iter()
        .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
        .collect();
    Ok((parent, last))
}

fn add(doc: &mut J, path: &str, value: J) -> Result<(), JsonPatchError> {
    let (parent, last) = split(path)?;
    match get_mut(doc, &parent)? {
        J::Object(m) => {
            m.insert(last, value);
            Ok(())
        }
        J::Array(a) => {
            let i = if last == "-" {
                a.len()
            } else {
                index(&last, a.len(), true)?
            };
            a.insert(i, value);
            Ok(())
        }
        _ => Err(apply_err(format!(
            "add operation does not apply: doc is missing path: \"{path}\""
        ))),
    }
}

fn remove(doc: &mut J, path: &str) -> Result<J, JsonPatchError> {
    let (parent, last) = split(path)?;
    let missing = || {
        apply_err(format!(
            "remove operation does not apply: doc is missing path: \"{path}\""
        ))
    };
    match get_mut(doc, &parent)? {
        J::Object(m) => m.remove(&last).ok_or_else(missing),
        J::Array(a) => {
            let i = index(&last, a.len(), false)?;
            Ok(a.remove(i))
        }
        _ => Err(missing()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(doc: &str, ops: &str) -> Result<String, JsonPatchError> {
        let node = yaml::parse_first(doc).expect("doc").expect("one");
        let ops = decode(ops)?;
        let out = apply(&node, &ops)?;
        Ok(yaml::node_to_yaml(&out).expect("prints"))
    }

    #[test]
    fn operations() {
        let doc = "a: 1\nl: [x, y]\nm: {k: v}\n";
        let cases: &[(&str, Result<&str, ()>)] = &[
            (
                r#"[{"op":"add","path":"/b","value":2}]"#,
                Ok("a: 1\nb: 2\nl:\n- x\n- \"y\"\nm:\n  k: v\n"),
            ),
            (
                "- {op: add, path: /l/-, value: z}",
                Ok("a: 1\nl:\n- x\n- \"y\"\n- z\nm:\n  k: v\n"),
            ),
            (
                "- {op: add, path: /l/-1, value: z}",
                Ok("a: 1\nl:\n- x\n- \"y\"\n- z\nm:\n  k: v\n"),
            ),
            (
                "- {op: add, path: /l/0, value: z}",
                Ok("a: 1\nl:\n- z\n- x\n- \"y\"\nm:\n  k: v\n"),
            ),
            (
                "- {op: remove, path: /l/-1}",
                Ok("a: 1\nl:\n- x\nm:\n  k: v\n"),
            ),
            (
                "- {op: replace, path: /m/k, value: w}",
                Ok("a: 1\nl:\n- x\n- \"y\"\nm:\n  k: w\n"),
            ),
            (
                "- {op: move, from: /m/k, path: /k}",
                Ok("a: 1\nk: v\nl:\n- x\n- \"y\"\nm: {}\n"),
            ),
            (
                "- {op: copy, from: /l, path: /c}",
                Ok("a: 1\nc:\n- x\n- \"y\"\nl:\n- x\n- \"y\"\nm:\n  k: v\n"),
            ),
            (
                "- {op: test, path: /a, value: 1}",
                Ok("a: 1\nl:\n- x\n- \"y\"\nm:\n  k: v\n"),
            ),
            ("- {op: m~1k, path: /a}", Err(())),
            ("- {op: test, path: /a, value: 2}", Err(())),
            ("- {op: replace, path: /nope, value: 2}", Err(())),
            ("- {op: add, path: /l/5, value: z}", Err(())),
            ("- {op: add, path: /m/k/deeper, value: z}", Err(())),
            ("{op: add}", Err(())),
        ];
        for (ops, want) in cases {
            let got = run(doc, ops).map_err(|_| ());
            assert_eq!(got.as_deref(), want.as_deref(), "{ops}");
        }
    }
}
