//! OpenAPI documents: the v3 index and one document per group-version, whose PATCH
//! operations declare `fieldValidation` (so kubectl relies on server-side field validation)
//! and whose schemas (CRD schemas, built-in kinds from k8s-openapi) serve `kubectl explain`;
//! and a minimal v2 document (JSON or protobuf) for kubectl's fallback to v2.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::AppState;
use super::respond::{json_response, status_response};
use crate::error::ApiError;
use crate::registry::{Registry, ResourceType};

pub(crate) mod builtin;

fn gv_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

/// The schema name of a kind, upstream style: `io.k8s.api.apps.v1.Deployment` for built-ins,
/// reversed group for CRDs (`com.example.v1.Widget`).
pub fn definition_name(rt: &ResourceType) -> String {
    if rt.crd.is_none()
        && let Some(n) = builtin::definition_name(&rt.group, &rt.version, &rt.kind)
    {
        return n;
    }
    let rev: Vec<&str> = rt.group.split('.').rev().collect();
    format!("{}.{}.{}", rev.join("."), rt.version, rt.kind)
}

fn param(name: &str, desc: &str) -> Value {
    json!({"name": name, "in": "query", "description": desc, "schema": {"type": "string", "uniqueItems": true}})
}

fn gvk(rt: &ResourceType) -> Value {
    json!({"group": rt.group, "version": rt.version, "kind": rt.kind})
}

fn operation(rt: &ResourceType, action: &str, def: &str) -> Value {
    let reference = json!({"$ref": format!("#/components/schemas/{def}")});
    let mut op = json!({
        "operationId": format!("{action}{}", rt.kind),
        "x-kubernetes-action": action,
        "x-kubernetes-group-version-kind": gvk(rt),
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": reference.clone()}}}},
    });
    let mut params = vec![param(
        "dryRun",
        "When present, indicates that modifications should not be persisted.",
    )];
    match action {
        "patch" => {
            params.push(param("fieldManager", "fieldManager is a name associated with the actor or entity that is making these changes."));
            params.push(param("fieldValidation", "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields."));
            params.push(param(
                "force",
                "Force is going to \"force\" Apply requests.",
            ));
            let mut content = Map::new();
            for ct in [
                "application/json-patch+json",
                "application/merge-patch+json",
                "application/apply-patch+yaml",
            ] {
                content.insert(ct.into(), json!({"schema": {"type": "object"}}));
            }
            op["requestBody"] = json!({"content": content, "required": true});
        }
        "put" | "post" => {
            params.push(param("fieldManager", "fieldManager is a name associated with the actor or entity that is making these changes."));
            params.push(param("fieldValidation", "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields."));
            op["requestBody"] =
                json!({"content": {"application/json": {"schema": reference}}, "required": true});
        }
        _ => {}
    }
    op["parameters"] = Value::Array(params);
    op
}

fn paths_of(rt: &ResourceType, def: &str, paths: &mut Map<String, Value>) {
    let base = format!("/{}", gv_path(&rt.group, &rt.version));
    let collection = if rt.namespaced {
        format!("{base}/namespaces/{{namespace}}/{}", rt.resource)
    } else {
        format!("{base}/{}", rt.resource)
    };
    paths.insert(
        collection.clone(),
        json!({"get": operation(rt, "list", def), "post": operation(rt, "post", def)}),
    );
    paths.insert(
        format!("{collection}/{{name}}"),
        json!({
            "get": operation(rt, "get", def),
            "put": operation(rt, "put", def),
            "patch": operation(rt, "patch", def),
            "delete": operation(rt, "delete", def),
        }),
    );
    if rt.has_status() {
        paths.insert(
            format!("{collection}/{{name}}/status"),
            json!({"get": operation(rt, "get", def), "put": operation(rt, "put", def), "patch": operation(rt, "patch", def)}),
        );
    }
}

/// The schemas of one group-version, by definition name.
fn schemas_of(types: &[Arc<ResourceType>]) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for rt in types {
        let def = definition_name(rt);
        let schema = match &rt.crd {
            Some(crd) => crd.schema.clone().map(|mut s| {
                s["x-kubernetes-group-version-kind"] = json!([gvk(rt)]);
                s
            }),
            None => builtin::schemas(&rt.group, &rt.version, &rt.kind, &mut out),
        };
        if let Some(s) = schema {
            out.insert(def, s);
        }
    }
    out
}

/// The v3 document of one group-version, if served.
pub fn v3_document(reg: &Registry, group: &str, version: &str) -> Option<Value> {
    let types: Vec<Arc<ResourceType>> = reg
        .all()
        .into_iter()
        .filter(|t| t.group == group && t.version == version)
        .collect();
    if types.is_empty() {
        return None;
    }
    let mut paths = Map::new();
    for rt in &types {
        paths_of(rt, &definition_name(rt), &mut paths);
    }
    let schemas: Map<String, Value> = schemas_of(&types).into_iter().collect();
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.33.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }))
}

fn hash_of(v: &Value) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.to_string().hash(&mut h);
    format!("{:016X}", h.finish())
}

pub async fn v3_index(State(app): State<Arc<AppState>>) -> Response {
    let reg = &app.api.registry;
    let mut paths = Map::new();
    for (group, versions) in reg.groups() {
        for version in versions {
            if let Some(doc) = v3_document(reg, &group, &version) {
                let p = gv_path(&group, &version);
                let url = format!("/openapi/v3/{p}?hash={}", hash_of(&doc));
                paths.insert(p, json!({"serverRelativeURL": url}));
            }
        }
    }
    json_response(200, &json!({"paths": paths}))
}

pub async fn v3_doc(State(app): State<Arc<AppState>>, Path(path): Path<String>) -> Response {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group, version) = match parts.as_slice() {
        ["api", v] => ("", *v),
        ["apis", g, v] => (*g, *v),
        _ => return status_response(&ApiError::no_resource()),
    };
    match v3_document(&app.api.registry, group, version) {
        Some(doc) => json_response(200, &doc),
        None => status_response(&ApiError::no_resource()),
    }
}

/// The v2 document kubectl asks for (as protobuf) when the v3 documents lack a kind: it then
/// decides whether the server validates fields (not for kinds it does not know) and validates
/// client-side against the v2 definitions (skipped for kinds without one). Every kind the
/// server serves is in v3, so a v2 document without paths or definitions gives the same
/// outcome as a real server's: kubectl sends the request and the server reports the error.
pub async fn v2(headers: axum::http::HeaderMap) -> Response {
    let accept = headers
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.contains("protobuf") {
        return protobuf_v2();
    }
    json_response(
        200,
        &json!({
            "swagger": "2.0",
            "info": {"title": "Kubernetes", "version": "v1.33.0"},
            "paths": {},
            "definitions": {},
        }),
    )
}

/// A length-delimited protobuf field.
fn pb_field(number: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![(number << 3) | 2, payload.len() as u8];
    out.extend_from_slice(payload);
    out
}

/// gnostic's `openapi_v2.Document` with `swagger` (1) and `info` (2: title 1, version 2).
fn protobuf_v2() -> Response {
    let info = [pb_field(1, b"Kubernetes"), pb_field(2, b"v1.33.0")].concat();
    let doc = [pb_field(1, b"2.0"), pb_field(2, &info)].concat();
    let mut r = (axum::http::StatusCode::OK, doc).into_response();
    r.headers_mut().insert(
        "content-type",
        axum::http::HeaderValue::from_static(
            "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
        ),
    );
    r
}
