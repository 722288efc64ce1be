//! Table-driven tests of whole-schema validation: keyword semantics per draft, references,
//! and the exact failure text.

use serde_json::{Map, Value, json};

use super::validate_single;

fn check(schema: Value, values: Value) -> Result<(), String> {
    let values: Map<String, Value> = match values {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    validate_single(&values, schema.to_string().as_bytes())
}

#[test]
fn smoke() {
    assert!(check(json!({"type": "object"}), json!({"a": 1})).is_ok());
}
