//! Validation of a custom resource against its OpenAPI v3 schema: type, nullable, enum,
//! required, pattern, numeric bounds, lengths and item/property counts, worded as the
//! apiextensions server words them.

use serde_json::{Value, json};

use crate::error::FieldError;

/// The field errors of `obj` under `schema` (the root's metadata is not checked here).
pub fn validate(obj: &Value, schema: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    check(obj, schema, "", true, &mut errs);
    errs
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_ok(v: &Value, want: &str, schema: &Value) -> bool {
    if schema
        .get("x-kubernetes-int-or-string")
        .and_then(Value::as_bool)
        == Some(true)
    {
        return matches!(type_name(v), "integer" | "string");
    }
    match want {
        "" => true,
        "number" => v.is_number(),
        t => type_name(v) == t,
    }
}

fn sub_path(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

fn check(v: &Value, schema: &Value, path: &str, root: bool, errs: &mut Vec<FieldError>) {
    let shown = if path.is_empty() { "body" } else { path };
    if v.is_null() {
        if schema.get("nullable").and_then(Value::as_bool) != Some(true)
            && let Some(t) = schema.get("type").and_then(Value::as_str)
        {
            errs.push(FieldError::invalid(
                shown,
                &json!("null"),
                &format!("{shown} in body must be of type {t}: \"null\""),
            ));
        }
        return;
    }
    let want = schema.get("type").and_then(Value::as_str).unwrap_or("");
    if !type_ok(v, want, schema) {
        errs.push(FieldError::invalid(
            shown,
            v,
            &format!(
                "{shown} in body must be of type {want}: \"{}\"",
                type_name(v)
            ),
        ));
        return;
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(v)
    {
        errs.push(FieldError::not_supported(shown, v, allowed));
    }
    match v {
        Value::String(s) => check_string(s, v, schema, shown, errs),
        Value::Number(n) => check_number(n.as_f64().unwrap_or(0.0), v, schema, shown, errs),
        Value::Array(items) => {
            check_counts(items.len(), v, schema, shown, "items", errs);
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check(item, item_schema, &format!("{path}[{i}]"), false, errs);
                }
            }
        }
        Value::Object(map) => {
            check_counts(map.len(), v, schema, shown, "properties", errs);
            for req in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !map.contains_key(req) {
                    errs.push(FieldError::required(sub_path(path, req), ""));
                }
            }
            let props = schema.get("properties").and_then(Value::as_object);
            let extra = schema.get("additionalProperties").filter(|a| a.is_object());
            for (k, item) in map {
                if root && k == "metadata" {
                    continue;
                }
                if let Some(sub) = props.and_then(|p| p.get(k)).or(extra) {
                    check(item, sub, &sub_path(path, k), false, errs);
                }
            }
        }
        _ => {}
    }
}

fn check_string(s: &str, v: &Value, schema: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let len = s.chars().count() as u64;
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
        && len > max
    {
        errs.push(FieldError::too_long(path, max));
    }
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
        && len < min
    {
        errs.push(FieldError::invalid(
            path,
            v,
            &format!("{path} in body should be at least {min} chars long"),
        ));
    }
    if let Some(p) = schema.get("pattern").and_then(Value::as_str) {
        // An invalid pattern is the CRD author's error; it matches nothing, as upstream.
        let ok = regex::Regex::new(p).is_ok_and(|re| re.is_match(s));
        if !ok {
            errs.push(FieldError::invalid(
                path,
                v,
                &format!("{path} in body should match '{p}'"),
            ));
        }
    }
}

fn check_number(n: f64, v: &Value, schema: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let excl = |k: &str| schema.get(k).and_then(Value::as_bool) == Some(true);
    if let Some(min) = schema.get("minimum") {
        let m = min.as_f64().unwrap_or(f64::MIN);
        let (bad, words) = if excl("exclusiveMinimum") {
            (n <= m, "greater than")
        } else {
            (n < m, "greater than or equal to")
        };
        if bad {
            errs.push(FieldError::invalid(
                path,
                v,
                &format!("{path} in body should be {words} {min}"),
            ));
        }
    }
    if let Some(max) = schema.get("maximum") {
        let m = max.as_f64().unwrap_or(f64::MAX);
        let (bad, words) = if excl("exclusiveMaximum") {
            (n >= m, "less than")
        } else {
            (n > m, "less than or equal to")
        };
        if bad {
            errs.push(FieldError::invalid(
                path,
                v,
                &format!("{path} in body should be {words} {max}"),
            ));
        }
    }
}

fn check_counts(
    len: usize,
    v: &Value,
    schema: &Value,
    path: &str,
    what: &str,
    errs: &mut Vec<FieldError>,
) {
    let (max_key, min_key) = if what == "items" {
        ("maxItems", "minItems")
    } else {
        ("maxProperties", "minProperties")
    };
    if let Some(max) = schema.get(max_key).and_then(Value::as_u64)
        && len as u64 > max
    {
        if what == "items" {
            errs.push(FieldError::too_many(path, len, max));
        } else {
            errs.push(FieldError::invalid(
                path,
                v,
                &format!("{path} in body should have at most {max} properties"),
            ));
        }
    }
    if let Some(min) = schema.get(min_key).and_then(Value::as_u64)
        && (len as u64) < min
    {
        errs.push(FieldError::invalid(
            path,
            &json!(len),
            &format!("{path} in body should have at least {min} {what}"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_like_upstream() {
        let schema = json!({
            "type": "object",
            "properties": {"spec": {"type": "object", "required": ["url"], "properties": {
                "url": {"type": "string", "pattern": "^https?://"},
                "replicas": {"type": "integer", "minimum": 0, "maximum": 5},
                "mode": {"type": "string", "enum": ["a", "b"]},
                "name": {"type": "string", "maxLength": 3},
                "port": {"x-kubernetes-int-or-string": true},
                "list": {"type": "array", "maxItems": 1, "items": {"type": "string"}}
            }}}
        });
        let obj = json!({"metadata": {"name": 1}, "spec": {"replicas": "x", "mode": "c", "name": "abcd", "port": "http", "list": ["a", 1]}});
        let lines: Vec<String> = validate(&obj, &schema)
            .iter()
            .map(FieldError::line)
            .collect();
        assert_eq!(
            lines,
            [
                "spec.url: Required value",
                "spec.list: Too many: 2: must have at most 1 items",
                "spec.list[1]: Invalid value: 1: spec.list[1] in body must be of type string: \"integer\"",
                "spec.mode: Unsupported value: \"c\": supported values: \"a\", \"b\"",
                "spec.name: Too long: may not be more than 3 bytes",
                "spec.replicas: Invalid value: \"x\": spec.replicas in body must be of type integer: \"string\"",
            ]
        );
        let ok = json!({"spec": {"url": "http://x", "replicas": 2, "port": 80}});
        assert!(validate(&ok, &schema).is_empty());
        let bad = json!({"spec": {"url": "ftp://x", "replicas": 9}});
        let lines: Vec<String> = validate(&bad, &schema)
            .iter()
            .map(FieldError::line)
            .collect();
        assert_eq!(
            lines[0],
            "spec.replicas: Invalid value: 9: spec.replicas in body should be less than or equal to 5"
        );
        assert_eq!(
            lines[1],
            "spec.url: Invalid value: \"ftp://x\": spec.url in body should match '^https?://'"
        );
    }
}
