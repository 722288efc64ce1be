//! Responses: JSON bodies, Status errors, warnings, the forms an `Accept` header asks for
//! (Table, PartialObjectMetadata) and the chunked stream of a watch.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::table::{self, Include};
use crate::api::{Api, Outcome, Watch};
use crate::error::ApiError;
use crate::registry::ResourceType;

pub fn json_response(code: u16, body: &Value) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    r
}

pub fn status_response(e: &ApiError) -> Response {
    json_response(e.code, &e.status())
}

/// A write's answer, with its warnings as `Warning` headers.
pub fn outcome(o: Outcome) -> Response {
    let mut r = json_response(o.code, &o.body);
    for w in &o.warnings {
        let text = format!("299 - {}", serde_json::to_string(w).unwrap_or_default());
        if let Ok(v) = HeaderValue::from_str(&text) {
            r.headers_mut().append("warning", v);
        }
    }
    r
}

/// The form a client asked for.
#[derive(Debug, Clone)]
pub enum Shape {
    Plain,
    Table { version: String, include: Include },
    Metadata { version: String },
}

impl Shape {
    pub fn from_request(headers: &HeaderMap, q: &super::body::Query) -> Self {
        let accept = headers
            .get("accept")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        for media in accept.split(',') {
            let mut parts = media.split(';').map(str::trim);
            let base = parts.next().unwrap_or("");
            if base != "application/json" && base != "*/*" {
                continue;
            }
            let params: Vec<(&str, &str)> = parts.filter_map(|p| p.split_once('=')).collect();
            let get = |k: &str| params.iter().find(|(pk, _)| *pk == k).map(|(_, v)| *v);
            let version = get("v").unwrap_or("v1").to_string();
            match (get("as"), get("g")) {
                (None, _) => return Shape::Plain,
                (Some("Table"), Some("meta.k8s.io")) => {
                    let include = Include::parse(q.get("includeObject").map(String::as_str));
                    return Shape::Table { version, include };
                }
                (
                    Some("PartialObjectMetadata" | "PartialObjectMetadataList"),
                    Some("meta.k8s.io"),
                ) => {
                    return Shape::Metadata { version };
                }
                _ => continue,
            }
        }
        Shape::Plain
    }
}

/// An object or list in the asked form.
pub fn shaped(rt: &ResourceType, v: Value, shape: &Shape) -> Response {
    json_response(200, &reshape(rt, v, shape, true))
}

fn reshape(rt: &ResourceType, v: Value, shape: &Shape, with_columns: bool) -> Value {
    let is_list = v.get("items").is_some_and(Value::is_array)
        && v.get("kind")
            .and_then(Value::as_str)
            .is_some_and(|k| k.ends_with("List"));
    match shape {
        Shape::Plain => v,
        Shape::Table { version, include } => {
            let (items, meta) = if is_list {
                let meta = v.get("metadata").cloned().unwrap_or_else(|| json!({}));
                (
                    v.get("items")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default(),
                    meta,
                )
            } else {
                let rv = v
                    .pointer("/metadata/resourceVersion")
                    .cloned()
                    .unwrap_or(json!(""));
                (vec![v], json!({"resourceVersion": rv}))
            };
            table::table(rt, &items, meta, *include, version, with_columns)
        }
        Shape::Metadata { version } => {
            let api_version = format!("meta.k8s.io/{version}");
            if is_list {
                let items: Vec<Value> = v
                    .get("items")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|o| table::partial_metadata(o, &api_version))
                    .collect();
                json!({
                    "kind": "PartialObjectMetadataList",
                    "apiVersion": api_version,
                    "metadata": v.get("metadata").cloned().unwrap_or_else(|| json!({})),
                    "items": items,
                })
            } else {
                table::partial_metadata(&v, &api_version)
            }
        }
    }
}

struct StreamState {
    api: Arc<Api>,
    rt: Arc<ResourceType>,
    watch: Watch,
    shape: Shape,
    first: bool,
}

/// A watch as a chunked stream of JSON events, one per line.
pub fn watch_stream(api: Arc<Api>, rt: Arc<ResourceType>, watch: Watch, shape: Shape) -> Response {
    let state = StreamState {
        api,
        rt,
        watch,
        shape,
        first: true,
    };
    let stream = futures::stream::unfold(state, |mut s| async move {
        let mut ev = s.watch.next(&s.api).await?;
        let shaped_kind = matches!(ev["type"].as_str(), Some("ADDED" | "MODIFIED" | "DELETED"));
        if shaped_kind && !matches!(s.shape, Shape::Plain) {
            let obj = ev["object"].take();
            ev["object"] = reshape(&s.rt, obj, &s.shape, s.first);
            s.first = false;
        }
        let mut line = ev.to_string();
        line.push('\n');
        Some((Ok::<Bytes, Infallible>(Bytes::from(line)), s))
    });
    let mut r = Response::new(Body::from_stream(stream));
    r.headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    r
}
