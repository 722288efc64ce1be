//! Request bodies and query options: JSON or YAML objects, DeleteOptions, and the query
//! parameters of each verb, with the 400/415 answers of a real server for bad input.

use std::collections::HashMap;
use std::time::Duration;

use axum::http::HeaderMap;
use serde_json::Value;

use crate::api::{DeleteOptions, ListOptions, WatchOptions, WriteOptions};
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

/// Parses a body as JSON, or YAML when the content type says so.
pub fn parse_object(bytes: &[u8], media: &str) -> Result<Value, ApiError> {
    let v = match media {
        "application/yaml"
        | "application/x-yaml"
        | "text/yaml"
        | "application/apply-patch+yaml" => parse_yaml(bytes)?,
        "application/json" | "" | "*/*" => serde_json::from_slice(bytes).map_err(|e| {
            ApiError::bad_request(format!("couldn't get version/kind; json parse error: {e}"))
        })?,
        "application/vnd.kubernetes.protobuf" => {
            super::protobuf::decode(bytes).map_err(|e| match e {
                super::protobuf::ProtoError::Unsupported(_) => {
                    ApiError::unsupported_media_type(&["application/json", "application/yaml"])
                }
                other => ApiError::bad_request(other.to_string()),
            })?
        }
        _ => {
            return Err(ApiError::unsupported_media_type(&[
                "application/json",
                "application/yaml",
            ]));
        }
    };
    Ok(v)
}

/// YAML into JSON values (numbers, booleans and nulls as YAML 1.2 reads them).
pub fn parse_yaml(bytes: &[u8]) -> Result<Value, ApiError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ApiError::bad_request("error converting YAML to JSON: invalid UTF-8"))?;
    serde_saphyr::from_str::<Value>(text)
        .map_err(|e| ApiError::bad_request(format!("error converting YAML to JSON: yaml: {e}")))
}

/// Query parameters of a request.
pub type Query = HashMap<String, String>;

fn flag(q: &Query, k: &str) -> bool {
    q.get(k).is_some_and(|v| v == "true" || v == "1")
}

fn dry_run(q: &Query) -> Result<bool, ApiError> {
    match q.get("dryRun").map(String::as_str) {
        None | Some("") => Ok(false),
        Some("All") => Ok(true),
        Some(other) => Err(ApiError::bad_request(format!(
            "Invalid dry run value: {other:?}: supported values: \"All\""
        ))),
    }
}

pub fn write_options(q: &Query, headers: &HeaderMap) -> Result<WriteOptions, ApiError> {
    let validation = q.get("fieldValidation").cloned();
    if let Some(v) = validation.as_deref()
        && !matches!(v, "Strict" | "Warn" | "Ignore" | "")
    {
        return Err(ApiError::bad_request(format!(
            "fieldValidation: Unsupported value: {v:?}: supported values: \"Ignore\", \"Strict\", \"Warn\""
        )));
    }
    Ok(WriteOptions {
        dry_run: dry_run(q)?,
        field_manager: q.get("fieldManager").cloned(),
        field_validation: validation,
        user_agent: headers
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
        applied: false,
    })
}

pub fn list_options(q: &Query) -> Result<ListOptions, ApiError> {
    let limit = match q.get("limit") {
        Some(l) if !l.is_empty() => Some(
            l.parse::<i64>()
                .map_err(|_| ApiError::bad_request(format!("invalid limit {l:?}")))?
                .max(0) as usize,
        ),
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
        Some(t) if !t.is_empty() => {
            Some(Duration::from_secs(t.parse::<u64>().map_err(|_| {
                ApiError::bad_request(format!("invalid timeoutSeconds {t:?}"))
            })?))
        }
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
        parse_object(body, media)?
    };
    let text = |v: &Value| v.as_str().map(str::to_string);
    let body_dry = b
        .get("dryRun")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|x| x == "All"));
    Ok(DeleteOptions {
        dry_run: body_dry || dry_run(q)?,
        propagation_policy: b
            .get("propagationPolicy")
            .and_then(text)
            .or_else(|| q.get("propagationPolicy").cloned()),
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
        assert_eq!(
            parse_object(b"{", "application/json")
                .map_err(|e| e.code)
                .err(),
            Some(400)
        );
        assert_eq!(
            parse_object(b"{}", "text/plain").map_err(|e| e.code).err(),
            Some(415)
        );
    }
}
