//! The HTTP front (axum): health and version endpoints, discovery, OpenAPI, and the
//! resource paths, each request mapped to a verb of [`crate::api::Api`].

mod body;
pub use body::parse_yaml;
mod discovery;
mod json_syntax;
pub(crate) use json_syntax::scan as scan_json;
pub mod openapi;
mod options;
pub mod path;
pub(crate) mod protobuf;
mod respond;
pub mod table;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use crate::api::{Api, Target};
use crate::error::ApiError;
use path::{ApiPath, ResourcePath};
use respond::{Shape, json_response, status_response};

/// What the HTTP front needs besides the API.
pub struct AppState {
    pub api: Arc<Api>,
    /// The address clients reach the server at, for `/api`'s serverAddressByClientCIDRs.
    pub address: String,
    /// How often watches that allow bookmarks get one.
    pub bookmark_interval: Duration,
}

/// The router of the whole server.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/version", get(version))
        .route("/healthz", get(ok))
        .route("/readyz", get(ok))
        .route("/livez", get(ok))
        .route("/openapi/v2", get(openapi::v2))
        .route("/openapi/v3", get(openapi::v3_index))
        .route("/openapi/v3/{*path}", get(openapi::v3_doc))
        .fallback(dispatch)
        .with_state(state)
}

async fn ok() -> &'static str {
    "ok"
}

async fn version() -> Response {
    json_response(
        200,
        &json!({
            "major": "1",
            "minor": "33",
            "gitVersion": "v1.33.0-fluxion",
            "gitCommit": "0000000000000000000000000000000000000000",
            "gitTreeState": "clean",
            "buildDate": "2025-01-01T00:00:00Z",
            "goVersion": "go1.24.0",
            "compiler": "gc",
            "platform": "linux/amd64",
        }),
    )
}

async fn dispatch(
    State(app): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    Query(query): Query<body::Query>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let Some(p) = path::parse(uri.path()) else {
        return (StatusCode::NOT_FOUND, "404 page not found\n").into_response();
    };
    let reg = &app.api.registry;
    let doc = match p {
        ApiPath::Resource(rp) => {
            return match serve_resource(&app, &method, rp, &query, &headers, &bytes).await {
                Ok(r) => r,
                Err(e) => status_response(&e),
            };
        }
        _ if method != Method::GET => return status_response(&ApiError::method_not_allowed()),
        ApiPath::CoreVersions => Some(discovery::core_versions(&app.address)),
        ApiPath::Groups => Some(discovery::groups(reg)),
        ApiPath::Group(g) => discovery::group(reg, &g),
        ApiPath::Resources { group, version } => discovery::resources(reg, &group, &version),
    };
    match doc {
        Some(d) => json_response(200, &d),
        None => status_response(&ApiError::no_resource()),
    }
}

/// Resolves the resource type and checks scope and subresource.
fn target(api: &Api, rp: &ResourcePath) -> Result<Target, ApiError> {
    let rt = api
        .registry
        .lookup(&rp.group, &rp.version, &rp.resource)
        .ok_or_else(ApiError::no_resource)?;
    if !rt.namespaced && rp.namespace.is_some() {
        return Err(ApiError::no_resource());
    }
    if rt.namespaced && rp.namespace.is_none() && rp.name.is_some() {
        return Err(ApiError::no_resource());
    }
    if let Some(sub) = &rp.subresource
        && (rp.name.is_none()
            || !matches!(sub.as_str(), "status" | "finalize")
            || !rt.subresources.contains(sub))
    {
        return Err(ApiError::no_resource());
    }
    Ok(Target {
        rt,
        namespace: rp.namespace.clone(),
        name: rp.name.clone(),
        subresource: rp.subresource.clone(),
    })
}

fn verb_of(method: &Method, rp: &ResourcePath, q: &body::Query) -> Result<&'static str, ApiError> {
    let watch = rp.watch || q.get("watch").is_some_and(|v| v == "true" || v == "1");
    let named = rp.name.is_some();
    Ok(match (method.as_str(), named) {
        ("GET", _) if watch => "watch",
        ("GET", true) => "get",
        ("GET", false) => "list",
        ("POST", false) => "create",
        ("PUT", true) => "update",
        ("PATCH", true) => "patch",
        ("DELETE", true) => "delete",
        ("DELETE", false) => "deletecollection",
        _ => return Err(ApiError::method_not_allowed()),
    })
}

async fn serve_resource(
    app: &Arc<AppState>,
    method: &Method,
    rp: ResourcePath,
    q: &body::Query,
    headers: &HeaderMap,
    bytes: &Bytes,
) -> Result<Response, ApiError> {
    let api = &app.api;
    let t = target(api, &rp)?;
    let verb = verb_of(method, &rp, q)?;
    let sub_verb_ok = t.subresource.is_none() || matches!(verb, "get" | "update" | "patch");
    if !t.rt.allows(verb) || !sub_verb_ok {
        return Err(ApiError::method_not_allowed());
    }
    if verb == "create" && t.rt.namespaced && t.namespace.is_none() {
        return Err(ApiError::method_not_allowed());
    }
    let shape = Shape::from_request(headers, q);
    let media = body::content_type(headers);
    let out = match verb {
        "get" => respond::shaped(&t.rt, api.get(&t)?, &shape),
        "list" => respond::shaped(&t.rt, api.list(&t, &body::list_options(q)?)?, &shape),
        "watch" => {
            let w = api.watch(&t, &body::watch_options(q, app.bookmark_interval)?)?;
            return Ok(respond::watch_stream(api.clone(), t.rt.clone(), w, shape));
        }
        "create" => {
            body::check_media(&media)?;
            let mut opts = options::write_options(q, headers, options::Verb::Create)?;
            let (obj, strict) = body::parse_object(bytes, &media, &t.rt.kind)?;
            opts.strict_errors = strict;
            respond::outcome(api.create(&t, obj, &opts)?)
        }
        "update" => {
            body::check_media(&media)?;
            let mut opts = options::write_options(q, headers, options::Verb::Update)?;
            let (obj, strict) = body::parse_object(bytes, &media, &t.rt.kind)?;
            opts.strict_errors = strict;
            respond::outcome(api.update(&t, obj, &opts)?)
        }
        "patch" => {
            crate::api::check_patch_type(&t, &media)?;
            let apply = media == "application/apply-patch+yaml";
            let opts = options::write_options(q, headers, options::Verb::Patch(apply))?;
            let force = q.get("force").is_some_and(|f| f == "true");
            respond::outcome(api.patch(&t, &media, bytes, force, &opts)?)
        }
        "delete" => respond::outcome(api.delete(&t, &body::delete_options(q, bytes, &media)?)?),
        _ => {
            let del = body::delete_options(q, bytes, &media)?;
            json_response(
                200,
                &api.delete_collection(&t, &body::list_options(q)?, &del)?,
            )
        }
    };
    Ok(out)
}
