//! Object metadata rules, as pure functions: uids, timestamps, generated names, name and
//! label validation, and when a write bumps `metadata.generation`.

use rand::Rng;
use serde_json::{Map, Value, json};

use crate::error::FieldError;

/// A random (version 4) UUID.
pub fn new_uid() -> String {
    let b: [u8; 16] = rand::rng().random();
    let mut b = b;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Now, in the RFC 3339 seconds form Kubernetes writes (`2024-01-02T03:04:05Z`).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The random suffix of `generateName` (5 characters of the upstream alphabet).
pub fn name_suffix() -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut rng = rand::rng();
    (0..5)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// `metadata` as a mutable map, created when missing or not an object (and the object made
/// a map when it is not one).
pub fn meta_mut(obj: &mut Value) -> &mut Map<String, Value> {
    if !obj.is_object() {
        *obj = json!({});
    }
    if !obj.get("metadata").is_some_and(Value::is_object) {
        obj["metadata"] = json!({});
    }
    match obj.get_mut("metadata") {
        Some(Value::Object(m)) => m,
        _ => unreachable!("metadata was just made an object"),
    }
}

pub fn meta_str<'a>(obj: &'a Value, field: &str) -> &'a str {
    obj.get("metadata")
        .and_then(|m| m.get(field))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The finalizers of an object.
pub fn finalizers(obj: &Value) -> Vec<String> {
    strings_at(obj, "/metadata/finalizers")
}

/// The strings of the array at a JSON pointer (`/spec/audiences`), skipping non-strings;
/// empty when the field is missing or no array, as the Go structs decode them.
pub fn strings_at(v: &Value, ptr: &str) -> Vec<String> {
    v.pointer(ptr)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns_label)
}

/// How a kind's names are checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NameRule {
    Subdomain,
    Label,
    PathSegment,
}

/// The name rule of a built-in resource (CRD kinds use [`NameRule::Subdomain`]).
pub fn name_rule(group: &str, resource: &str) -> NameRule {
    match (group, resource) {
        ("", "namespaces") | ("", "services") => NameRule::Label,
        ("rbac.authorization.k8s.io", _) => NameRule::PathSegment,
        _ => NameRule::Subdomain,
    }
}

/// Errors of `metadata.name` (an empty name is reported by the caller).
pub fn validate_name(name: &str, rule: NameRule) -> Option<FieldError> {
    let v = json!(name);
    match rule {
        NameRule::Subdomain if !is_dns_subdomain(name) => Some(FieldError::invalid(
            "metadata.name",
            &v,
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        )),
        NameRule::Label if !is_dns_label(name) => Some(FieldError::invalid(
            "metadata.name",
            &v,
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        )),
        NameRule::PathSegment if name == "." || name == ".." => Some(FieldError::invalid(
            "metadata.name",
            &v,
            &format!("may not be '{name}'"),
        )),
        NameRule::PathSegment if name.contains('/') || name.contains('%') => Some(
            FieldError::invalid("metadata.name", &v, "may not contain '/'"),
        ),
        _ => None,
    }
}

fn valid_label_value(v: &str) -> bool {
    v.len() <= 63
        && v.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-_.".contains(&c))
        && v.bytes().next().is_none_or(|c| c.is_ascii_alphanumeric())
        && v.bytes().last().is_none_or(|c| c.is_ascii_alphanumeric())
}

fn valid_qualified_name(k: &str) -> bool {
    let (prefix, name) = match k.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, k),
    };
    prefix.is_none_or(is_dns_subdomain) && !name.is_empty() && valid_label_value(name)
}

/// Errors of `metadata.labels` and annotation keys.
pub fn validate_labels(obj: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (field, check_values) in [("labels", true), ("annotations", false)] {
        let Some(map) = obj.get("metadata").and_then(|m| m.get(field)) else {
            continue;
        };
        let Some(map) = map.as_object() else {
            if !map.is_null() {
                errs.push(FieldError::invalid(
                    format!("metadata.{field}"),
                    map,
                    "must be a map of strings",
                ));
            }
            continue;
        };
        for (k, v) in map {
            if !valid_qualified_name(k) {
                errs.push(FieldError::invalid(
                    format!("metadata.{field}"),
                    &json!(k),
                    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                ));
            }
            match v.as_str() {
                Some(s) if check_values && !valid_label_value(s) => errs.push(FieldError::invalid(
                    format!("metadata.{field}"),
                    v,
                    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
                )),
                Some(_) => {}
                None => errs.push(FieldError::invalid(
                    format!("metadata.{field}"),
                    v,
                    "must be a string",
                )),
            }
        }
    }
    errs
}

/// Whether a write from `old` to `new` changes what `metadata.generation` counts: everything
/// but metadata, and but status when status is a subresource.
pub fn spec_changed(old: &Value, new: &Value, status_subresource: bool) -> bool {
    let strip = |v: &Value| -> Value {
        let mut v = v.clone();
        if let Some(m) = v.as_object_mut() {
            m.remove("metadata");
            m.remove("apiVersion");
            m.remove("kind");
            if status_subresource {
                m.remove("status");
            }
        }
        v
    };
    strip(old) != strip(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_and_suffixes_have_upstream_shape() {
        let u = new_uid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_eq!(name_suffix().len(), 5);
    }

    #[test]
    fn names_and_labels() {
        assert!(validate_name("web-1.example", NameRule::Subdomain).is_none());
        assert!(validate_name("Web", NameRule::Subdomain).is_some());
        assert!(validate_name("a.b", NameRule::Label).is_some());
        assert!(validate_name("system:admin", NameRule::PathSegment).is_none());
        let obj = json!({"metadata": {"labels": {"app.kubernetes.io/name": "x", "bad key": "v", "k": "-x"}}});
        assert_eq!(validate_labels(&obj).len(), 2);
    }

    #[test]
    fn generation_counts_spec_only() {
        let a = json!({"metadata": {"labels": {}}, "spec": {"r": 1}, "status": {"x": 1}});
        let mut b = a.clone();
        b["status"]["x"] = json!(2);
        b["metadata"]["labels"]["a"] = json!("b");
        assert!(!spec_changed(&a, &b, true));
        assert!(spec_changed(&a, &b, false));
        b["spec"]["r"] = json!(2);
        assert!(spec_changed(&a, &b, true));
    }
}
