//! Request bodies and query options: JSON or YAML objects, DeleteOptions, and the query
//! parameters of each verb, with the 400/415 answers of a real server for bad input.

use std::collections::HashMap;
use std::time::Duration;

use axum::http::HeaderMap;
use serde_json::Value;

use crate::api::{DeleteOptions, ListOptions, WatchOptions};
use crate::error::ApiError;

/// The media type of a request body, without parameters.
pub fn content_type(headers: &HeaderMap) -> String {
    headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The media types a body may have (415 names them), as upstream's serializers list them.
const BODY_TYPES: &[&str] = &[
    "application/json",
    "application/yaml",
    "application/vnd.kubernetes.protobuf",
];

/// The body's media type must be one a serializer reads (415 otherwise), checked before
/// anything else of a create or update, as upstream negotiates the serializer first.
pub fn check_media(media: &str) -> Result<(), ApiError> {
    match media {
        "application/json"
        | ""
        | "*/*"
        | "application/yaml"
        | "application/x-yaml"
        | "text/yaml"
        | "application/vnd.kubernetes.protobuf" => Ok(()),
        _ => Err(ApiError::unsupported_media_type(BODY_TYPES)),
    }
}

/// Upstream's `summarizeData`: a body's start as text (JSON objects) or hex.
fn summarize(data: &[u8]) -> String {
    let cut = &data[..data.len().min(30)];
    let more = if data.len() > 30 { " ..." } else { "" };
    match data.first() {
        None => "<empty>".into(),
        Some(b'{') => format!("{}{more}", String::from_utf8_lossy(cut)),
        Some(_) => {
            let hex: String = cut.iter().map(|b| format!("{b:02x}")).collect();
            format!("{hex}{more}")
        }
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    }
}

/// What upstream's `Interpret` (reading apiVersion and kind) rejects in a parsed body.
fn interpret(v: &Value) -> Result<(), String> {
    let Value::Object(map) = v else {
        if v.is_null() {
            return Ok(());
        }
        return Err(format!(
            "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}",
            json_kind(v)
        ));
    };
    for field in ["apiVersion", "kind"] {
        match map.get(field) {
            None | Some(Value::Null | Value::String(_)) => {}
            Some(other) => {
                return Err(format!(
                    "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go struct field .{field} of type string",
                    json_kind(other)
                ));
            }
        }
    }
    let gv = map.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    if gv.matches('/').count() > 1 {
        return Err(format!("unexpected GroupVersion string: {gv}"));
    }
    Ok(())
}

/// A body as the codec reads it: the object, and the strict decoding errors of its text
/// (duplicate fields), which `fieldValidation` turns into an error or warnings.
pub type Parsed = (Value, Vec<String>);

/// Parses the body of a create or update as the server's codec does before decoding it into
/// a kind: JSON (with Go's syntax errors), YAML, or protobuf. `kind` is the URL's kind, which
/// the errors name.
pub fn parse_object(bytes: &[u8], media: &str, kind: &str) -> Result<Parsed, ApiError> {
    let unrecognized = |why: String| {
        ApiError::bad_request(format!(
            "the object provided is unrecognized (must be of type {kind}): {why} ({})",
            summarize(bytes)
        ))
    };
    let (v, strict) = match media {
        "application/yaml" | "application/x-yaml" | "text/yaml" => {
            yaml_body(bytes).map_err(|e| unrecognized(format!("yaml: {e}")))?
        }
        "application/json" | "" | "*/*" => {
            let duplicates = super::json_syntax::scan(bytes).map_err(|e| {
                unrecognized(format!("couldn't get version/kind; json parse error: {e}"))
            })?;
            let v = serde_json::from_slice(bytes).map_err(|e| {
                unrecognized(format!("couldn't get version/kind; json parse error: {e}"))
            })?;
            let strict = duplicates
                .iter()
                .map(|p| format!("duplicate field \"{p}\""))
                .collect();
            (v, strict)
        }
        "application/vnd.kubernetes.protobuf" => {
            let v = super::protobuf::decode(bytes).map_err(|e| match e {
                super::protobuf::ProtoError::Unsupported(_) => {
                    ApiError::unsupported_media_type(&["application/json", "application/yaml"])
                }
                super::protobuf::ProtoError::Malformed("missing k8s envelope") => unrecognized(
                    "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]"
                        .into(),
                ),
                other => unrecognized(other.to_string()),
            })?;
            return Ok((v, Vec::new()));
        }
        _ => return Err(ApiError::unsupported_media_type(BODY_TYPES)),
    };
    interpret(&v).map_err(unrecognized)?;
    let v = if v.is_null() {
        Value::Object(Default::default())
    } else {
        v
    };
    Ok((v, strict))
}

fn yaml_options(duplicates: serde_saphyr::DuplicateKeyPolicy) -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.duplicate_keys = duplicates;
    options.with_snippet = false;
    options
}

/// A YAML body: the last of duplicate keys wins (as upstream's non-strict conversion), and
/// the first duplicate is a strict error in go-yaml's words.
fn yaml_body(bytes: &[u8]) -> Result<Parsed, String> {
    use serde_saphyr::{DuplicateKeyPolicy, Error};
    let text = std::str::from_utf8(bytes).map_err(|_| "invalid UTF-8".to_string())?;
    let strict = match serde_saphyr::from_str_with_options::<Value>(
        text,
        yaml_options(DuplicateKeyPolicy::Error),
    ) {
        Ok(v) => return Ok((v, Vec::new())),
        Err(Error::DuplicateMappingKey { key, location }) => vec![format!(
            "yaml: unmarshal errors:\n  line {}: key {} already set in map",
            location.line(),
            crate::fieldmanager::go_quote(key.as_deref().unwrap_or(""))
        )],
        Err(_) => Vec::new(),
    };
    let v = serde_saphyr::from_str_with_options::<Value>(
        text,
        yaml_options(DuplicateKeyPolicy::LastWins),
    )
    .map_err(|e| e.to_string())?;
    Ok((v, strict))
}

/// YAML into JSON values (numbers, booleans and nulls as YAML 1.2 reads them).
pub fn parse_yaml(bytes: &[u8]) -> Result<Value, ApiError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ApiError::bad_request("error converting YAML to JSON: invalid UTF-8"))?;
    serde_saphyr::from_str_with_options::<Value>(
        text,
        yaml_options(serde_saphyr::DuplicateKeyPolicy::LastWins),
    )
    .map_err(|e| ApiError::bad_request(format!("error converting YAML to JSON: yaml: {e}")))
}

/// Query parameters of a request.
pub type Query = HashMap<String, String>;

fn flag(q: &Query, k: &str) -> bool {
    q.get(k).is_some_and(|v| v == "true" || v == "1")
}

/// An integer query parameter, failing with Go's `strconv.ParseInt` words as upstream's
/// parameter conversion does.
fn parse_int(s: &str) -> Result<i64, ApiError> {
    s.parse::<i64>().map_err(|e| {
        let why = match e.kind() {
            std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
                "value out of range"
            }
            _ => "invalid syntax",
        };
        ApiError::bad_request(format!(
            "strconv.ParseInt: parsing {}: {why}",
            crate::fieldmanager::go_quote(s)
        ))
    })
}

pub fn list_options(q: &Query) -> Result<ListOptions, ApiError> {
    let limit = match q.get("limit") {
        Some(l) if !l.is_empty() => Some(parse_int(l)?.max(0) as usize),
        _ => None,
    };
    Ok(ListOptions {
        label_selector: q.get("labelSelector").cloned(),
        field_selector: q.get("fieldSelector").cloned(),
        limit,
        continue_token: q.get("continue").cloned(),
        resource_version: q.get("resourceVersion").cloned(),
        resource_version_match: q.get("resourceVersionMatch").cloned(),
    })
}

pub fn watch_options(q: &Query, bookmark_interval: Duration) -> Result<WatchOptions, ApiError> {
    let timeout = match q.get("timeoutSeconds") {
        Some(t) if !t.is_empty() => Some(Duration::from_secs(parse_int(t)?.max(0) as u64)),
        _ => None,
    };
    Ok(WatchOptions {
        resource_version: q.get("resourceVersion").cloned(),
        label_selector: q.get("labelSelector").cloned(),
        field_selector: q.get("fieldSelector").cloned(),
        allow_bookmarks: flag(q, "allowWatchBookmarks"),
        send_initial_events: q.get("sendInitialEvents").map(|v| v == "true"),
        timeout,
        bookmark_interval,
    })
}

/// DeleteOptions from the body (if any) and the query.
pub fn delete_options(q: &Query, body: &[u8], media: &str) -> Result<DeleteOptions, ApiError> {
    let b = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        parse_object(body, media, "DeleteOptions")?.0
    };
    let text = |v: &Value| v.as_str().map(str::to_string);
    let body_dry: Vec<String> = b
        .get("dryRun")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(text).collect())
        .unwrap_or_default();
    let policy = b
        .get("propagationPolicy")
        .and_then(text)
        .or_else(|| q.get("propagationPolicy").cloned());
    Ok(DeleteOptions {
        dry_run: super::options::check_delete(q, policy.as_deref(), &body_dry)?,
        propagation_policy: policy,
        precondition_uid: b.pointer("/preconditions/uid").and_then(text),
        precondition_rv: b.pointer("/preconditions/resourceVersion").and_then(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_json_and_yaml() {
        let y = parse_yaml(b"a: 1\nb: [x, true]\nc: null\n").expect("yaml");
        assert_eq!(y, serde_json::json!({"a": 1, "b": ["x", true], "c": null}));
        let e = |b: &[u8], media: &str| {
            parse_object(b, media, "ConfigMap")
                .map(|_| ())
                .err()
                .map(|e| (e.code, e.message))
                .unwrap_or_default()
        };
        assert_eq!(
            e(b"{", "application/json"),
            (400, "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of JSON input ({)".into())
        );
        assert_eq!(
            e(b"[]", "application/json").1,
            "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" } (5b5d)"
        );
        assert_eq!(
            e(br#"{"kind": 1}"#, "application/json").1,
            r#"the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string ({"kind": 1})"#
        );
        assert_eq!(
            e(br#"{"apiVersion": "a/b/c"}"#, "application/json").1,
            r#"the object provided is unrecognized (must be of type ConfigMap): unexpected GroupVersion string: a/b/c ({"apiVersion": "a/b/c"})"#
        );
        assert_eq!(e(b"{}", "text/plain").0, 415);
        assert_eq!(
            e(b"", "application/json").1,
            "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)"
        );
    }
}
