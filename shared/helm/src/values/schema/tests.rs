//! Table-driven tests of whole-schema validation (keyword semantics per draft, references,
//! exact failure text) and of hostile schemas: each ends with a clear error in bounded time.

use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use super::{validate_limited, validate_single};

fn check(schema: &Value, values: Value) -> Result<(), String> {
    let values: Map<String, Value> = match values {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    validate_single(&values, schema.to_string().as_bytes())
}

#[test]
fn keywords_accept_and_reject() {
    let d7 = "http://json-schema.org/draft-07/schema#";
    let cases: Vec<(Value, Value, Result<(), &str>)> = vec![
        (json!({"type": "object"}), json!({"a": 1}), Ok(())),
        (
            json!({"properties": {"a": {"type": "integer"}}}),
            json!({"a": 1.5}),
            Err("- at '/a': got number, want integer\n"),
        ),
        (
            json!({"properties": {"a": {"multipleOf": 0.1}}}),
            json!({"a": 0.3}),
            Ok(()),
        ),
        (
            json!({"properties": {"a": {"if": {"type": "string"}, "then": {"minLength": 3}}}}),
            json!({"a": "ab"}),
            Err("- at '/a': minLength: got 2, want 3\n"),
        ),
        (
            json!({"dependentRequired": {"tls": ["cert", "key"]}}),
            json!({"tls": true, "cert": "c"}),
            Err("- at '': properties 'key' required, if 'tls' exists\n"),
        ),
        (
            json!({"properties": {"l": {"prefixItems": [{"type": "string"}], "items": {"type": "number"}}}}),
            json!({"l": ["a", 1, "b"]}),
            // Items after the prefix are numbered from the end of the prefix, as in v6.
            Err("- at '/l/1': got string, want number\n"),
        ),
        (
            json!({"$schema": d7, "properties": {"a": {"format": "ipv4"}}}),
            json!({"a": "1.2.3"}),
            Err("- at '/a': '1.2.3' is not valid ipv4: expected four decimals\n"),
        ),
        (
            json!({"properties": {"a": {"format": "ipv4"}}}),
            json!({"a": "1.2.3"}),
            Ok(()),
        ),
        (
            json!({"unevaluatedProperties": false, "properties": {"a": {}}}),
            json!({"a": 1, "b": 2}),
            Err("- at '/b': false schema\n"),
        ),
        (
            json!({"properties": {"a": {"oneOf": [{"minimum": 0}, {"maximum": 10}]}}}),
            json!({"a": 5}),
            Err("- at '/a': 'oneOf' failed, subschemas 0, 1 matched\n"),
        ),
        (
            json!({"$defs": {"n": {"$anchor": "n", "type": "null"}}, "properties": {"a": {"$ref": "#n"}}}),
            json!({"a": null}),
            Ok(()),
        ),
    ];
    for (schema, values, want) in cases {
        let got = check(&schema, values);
        assert_eq!(
            got.as_ref().map_err(String::as_str),
            want.as_ref().map_err(|e| *e),
            "{schema}"
        );
    }
}

#[test]
fn compile_errors_name_the_problem() {
    let cases = [
        (
            json!({"$ref": "#/missing"}),
            "json-pointer in \"file:///values.schema.json#/missing\" not found",
        ),
        (
            json!({"$ref": "#nope"}),
            "anchor in \"file:///values.schema.json#nope\" not found in schema \"file:///values.schema.json\"",
        ),
        (
            json!({"$ref": "gopher://x/y"}),
            "failing loading \"gopher://x/y\": no URLLoader registered for \"gopher://x/y\"",
        ),
    ];
    for (schema, want) in cases {
        assert_eq!(check(&schema, json!({})).expect_err("compile error"), want);
    }
}

/// Runs `f` and fails when it took longer than `limit`.
fn bounded<T>(limit: Duration, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(start.elapsed() < limit, "took {:?}", start.elapsed());
    out
}

#[test]
fn exponential_schemas_stop_with_an_error() {
    // Each level tries both branches of the next: 2^40 paths without a budget.
    let mut defs = Map::new();
    for i in 0..40 {
        let next = format!("#/$defs/a{}", i + 1);
        defs.insert(
            format!("a{i}"),
            json!({"anyOf": [{"$ref": next}, {"$ref": next}]}),
        );
    }
    defs.insert("a40".into(), json!({"type": "string"}));
    let schema = json!({"$defs": defs, "properties": {"x": {"$ref": "#/$defs/a0"}}});
    let values = json!({"x": 1});
    let values = values.as_object().expect("map");
    let text = schema.to_string();
    let err = bounded(Duration::from_secs(60), || {
        validate_limited(values, text.as_bytes(), 200_000)
    })
    .expect_err("budget error");
    assert!(
        err.starts_with("unable to validate schema: schema validation stopped"),
        "{err}"
    );
}

#[test]
fn cycles_and_deep_values_end_cleanly() {
    let cyclic =
        json!({"$defs": {"a": {"$ref": "#/$defs/a"}}, "properties": {"x": {"$ref": "#/$defs/a"}}});
    let err = check(&cyclic, json!({"x": 1})).expect_err("cycle");
    assert!(err.contains("causing reference cycle"), "{err}");

    // A recursive schema over a deeply nested value (past serde's own 128-level limit, so
    // built directly): the walk grows its stack instead of overflowing.
    let tree = json!({"$defs": {"t": {"type": "object", "properties": {"c": {"$ref": "#/$defs/t"}}}}, "$ref": "#/$defs/t"});
    let mut value = json!({});
    for _ in 0..400 {
        value = json!({"c": value});
    }
    let res = bounded(Duration::from_secs(60), || check(&tree, value));
    assert_eq!(res, Ok(()));
}

#[test]
fn hostile_patterns_and_nesting_are_refused() {
    let huge = json!({"properties": {"a": {"pattern": "((((a{1000}){1000}){1000}){1000})"}}});
    let err = bounded(Duration::from_secs(30), || check(&huge, json!({"a": "a"})))
        .expect_err("pattern too large");
    assert!(err.contains("is not valid regex"), "{err}");

    let mut deep = String::new();
    for _ in 0..5000 {
        deep.push_str("{\"not\":");
    }
    deep.push_str("true");
    deep.push_str(&"}".repeat(5000));
    let res = validate_single(&Map::new(), deep.as_bytes());
    assert!(res.is_err(), "deep schema refused");
}
