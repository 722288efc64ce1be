//! The review APIs, answered from the authorizer and never stored: SelfSubjectAccessReview
//! (`kubectl auth can-i`), SelfSubjectRulesReview (`kubectl auth can-i --list`),
//! SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectReview (`kubectl auth whoami`)
//! and TokenReview (see `token_review`).

use std::collections::BTreeMap;

use axum::extract::Request;
use axum::http::Method;
use axum::response::Response;
use k8s_openapi::api::rbac::v1::PolicyRule;
use serde_json::{Value, json};

use super::layer::{error_response, json_answer};
use super::{Auth, UserInfo};
use crate::error::{ApiError, FieldError};
use crate::rbac::{Attributes, Decision};

const AUTHZ: &str = "authorization.k8s.io";

/// Which review a request creates.
#[derive(Debug, Clone, PartialEq)]
pub enum Review {
    SelfAccess,
    SelfRules,
    Access,
    /// A LocalSubjectAccessReview in this namespace.
    LocalAccess(String),
    SelfSubject,
    Token,
}

/// The review a POST path names, if any.
pub fn endpoint(method: &Method, path: &str) -> Option<Review> {
    if method != Method::POST {
        return None;
    }
    match path.trim_end_matches('/') {
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews" => Some(Review::SelfAccess),
        "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews" => Some(Review::SelfRules),
        "/apis/authorization.k8s.io/v1/subjectaccessreviews" => Some(Review::Access),
        "/apis/authentication.k8s.io/v1/selfsubjectreviews" => Some(Review::SelfSubject),
        "/apis/authentication.k8s.io/v1/tokenreviews" => Some(Review::Token),
        other => {
            let rest = other.strip_prefix("/apis/authorization.k8s.io/v1/namespaces/")?;
            let ns = rest.strip_suffix("/localsubjectaccessreviews")?;
            (!ns.is_empty() && !ns.contains('/')).then(|| Review::LocalAccess(ns.to_string()))
        }
    }
}

/// Reads the body of a review or TokenRequest: JSON, YAML or protobuf, an object.
pub(super) async fn read_object(req: Request) -> Result<Value, ApiError> {
    let protobuf = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/vnd.kubernetes.protobuf"));
    let bytes = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let parsed = if protobuf {
        crate::http::protobuf::decode(&bytes).map_err(|e| ApiError::bad_request(e.to_string()))
    } else {
        // JSON is YAML too.
        crate::http::parse_yaml(&bytes)
    }?;
    if !parsed.is_object() {
        return Err(ApiError::bad_request("the body must be an object"));
    }
    Ok(parsed)
}

/// Reads the review and answers it (201 with its status, like a create).
pub async fn answer(auth: &Auth, user: &UserInfo, kind: Review, req: Request) -> Response {
    let review = match read_object(req).await {
        Ok(v) => v,
        Err(e) => return error_response(&e),
    };
    let out = match kind {
        Review::SelfAccess => access(auth, user, review, "SelfSubjectAccessReview"),
        Review::Access => {
            subject_of(&review).and_then(|u| access(auth, &u, review, "SubjectAccessReview"))
        }
        Review::LocalAccess(ns) => local_access(auth, &ns, review),
        Review::SelfRules => rules(auth, user, review),
        Review::SelfSubject => Ok(whoami(user)),
        Review::Token => super::token_review::review(auth, review),
    };
    match out {
        Ok(v) => json_answer(201, &v),
        Err(e) => error_response(&e),
    }
}

/// A LocalSubjectAccessReview: a SubjectAccessReview kept to the namespace of its URL.
fn local_access(auth: &Auth, ns: &str, mut review: Value) -> Result<Value, ApiError> {
    const KIND: &str = "LocalSubjectAccessReview";
    let body_ns = review
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !body_ns.is_empty() && body_ns != ns {
        return Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        ));
    }
    if !review.get("metadata").is_some_and(Value::is_object) {
        review["metadata"] = json!({});
    }
    review["metadata"]["namespace"] = json!(ns);
    let spec = review.get("spec").cloned().unwrap_or(json!({}));
    let mut errors = Vec::new();
    if let Some(r) = spec.get("resourceAttributes") {
        let attr_ns = text(r, "namespace");
        if attr_ns != ns {
            errors.push(FieldError::invalid(
                "spec.resourceAttributes.namespace",
                &json!(attr_ns),
                "must match metadata.namespace",
            ));
        }
    }
    if spec.get("nonResourceAttributes").is_some() {
        errors.push(FieldError::invalid(
            "spec.nonResourceAttributes",
            &json!("{}"),
            "disallowed on this kind of request",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(AUTHZ, KIND, "", errors));
    }
    let subject = subject_of(&review).map_err(|_| {
        invalid(
            KIND,
            "spec.user",
            "at least one of user or group must be specified",
        )
    })?;
    access(auth, &subject, review, KIND)
}

fn invalid(kind: &str, field: &str, detail: &str) -> ApiError {
    ApiError::invalid(
        AUTHZ,
        kind,
        "",
        vec![FieldError::invalid(field, &json!("null"), detail)],
    )
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

/// The user a SubjectAccessReview asks about.
fn subject_of(review: &Value) -> Result<UserInfo, ApiError> {
    let spec = &review["spec"];
    let strings = |key: &str| -> Vec<String> {
        spec.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let user = UserInfo {
        name: text(spec, "user"),
        uid: text(spec, "uid"),
        groups: strings("groups"),
        extra: serde_json::from_value(spec.get("extra").cloned().unwrap_or(json!({})))
            .unwrap_or_default(),
    };
    if user.name.is_empty() && user.groups.is_empty() {
        return Err(invalid(
            "SubjectAccessReview",
            "spec.user",
            "at least one of user or group must be specified",
        ));
    }
    Ok(user)
}

/// An access review: the attributes it names, decided for `user`.
fn access(auth: &Auth, user: &UserInfo, mut review: Value, kind: &str) -> Result<Value, ApiError> {
    let spec = review.get("spec").cloned().unwrap_or(json!({}));
    let attrs = match (
        spec.get("resourceAttributes"),
        spec.get("nonResourceAttributes"),
    ) {
        (Some(r), None) => {
            let mut a = Attributes::resource(
                &text(r, "verb"),
                &text(r, "group"),
                &text(r, "resource"),
                &text(r, "namespace"),
            )
            .named(&text(r, "name"))
            .with_subresource(&text(r, "subresource"));
            a.api_version = text(r, "version");
            a
        }
        (None, Some(n)) => Attributes::non_resource(&text(n, "verb"), &text(n, "path")),
        _ => {
            return Err(invalid(
                kind,
                "spec.resourceAttributes",
                "exactly one of nonResourceAttributes or resourceAttributes must be specified",
            ));
        }
    };
    let decision = auth.authorize(user, &attrs);
    let mut status = json!({ "allowed": decision.allowed() });
    if let Decision::Allow(r) | Decision::Deny(r) = &decision
        && !r.is_empty()
    {
        status["reason"] = json!(r);
    }
    review["status"] = status;
    Ok(stamped(review, kind))
}

/// `apiVersion`, `kind` and the metadata a real server answers reviews with.
pub(super) fn stamped(mut review: Value, kind: &str) -> Value {
    let group = if matches!(kind, "SelfSubjectReview" | "TokenReview") {
        "authentication.k8s.io"
    } else {
        AUTHZ
    };
    review["apiVersion"] = json!(format!("{group}/v1"));
    review["kind"] = json!(kind);
    if review.get("metadata").is_none_or(|m| !m.is_object()) {
        review["metadata"] = json!({});
    }
    review["metadata"]["creationTimestamp"] = Value::Null;
    review
}

/// The rules of the requester in a namespace.
fn rules(auth: &Auth, user: &UserInfo, mut review: Value) -> Result<Value, ApiError> {
    let ns = review
        .pointer("/spec/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    if ns.is_empty() {
        return Err(ApiError::invalid(
            AUTHZ,
            "SelfSubjectRulesReview",
            "",
            vec![FieldError::required("spec.namespace", "")],
        ));
    }
    let (list, errors) = match auth.policy() {
        Some(p) => p.rules_for(user, ns),
        None => (vec![everything(), everything_non_resource()], Vec::new()),
    };
    let (resource, non_resource): (Vec<&PolicyRule>, Vec<&PolicyRule>) = list
        .iter()
        .partition(|r| r.non_resource_urls.as_ref().is_none_or(Vec::is_empty));
    let mut status = json!({
        "resourceRules": resource.iter().map(|r| json!({
            "verbs": r.verbs,
            "apiGroups": r.api_groups.clone().unwrap_or_default(),
            "resources": r.resources.clone().unwrap_or_default(),
            "resourceNames": r.resource_names.clone().unwrap_or_default(),
        })).collect::<Vec<_>>(),
        "nonResourceRules": non_resource.iter().map(|r| json!({
            "verbs": r.verbs,
            "nonResourceURLs": r.non_resource_urls.clone().unwrap_or_default(),
        })).collect::<Vec<_>>(),
        "incomplete": !errors.is_empty(),
    });
    if !errors.is_empty() {
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        status["evaluationError"] = json!(text.join(", "));
    }
    review["status"] = status;
    Ok(stamped(review, "SelfSubjectRulesReview"))
}

fn everything() -> PolicyRule {
    let all = || Some(vec!["*".to_string()]);
    PolicyRule {
        verbs: vec!["*".into()],
        api_groups: all(),
        resources: all(),
        ..Default::default()
    }
}

fn everything_non_resource() -> PolicyRule {
    PolicyRule {
        verbs: vec!["*".into()],
        non_resource_urls: Some(vec!["*".into()]),
        ..Default::default()
    }
}

/// SelfSubjectReview: who the server thinks the requester is.
fn whoami(user: &UserInfo) -> Value {
    let mut info = json!({ "username": user.name, "groups": user.groups });
    if !user.uid.is_empty() {
        info["uid"] = json!(user.uid);
    }
    if !user.extra.is_empty() {
        info["extra"] = json!(user.extra.iter().collect::<BTreeMap<_, _>>());
    }
    stamped(
        json!({ "status": { "userInfo": info } }),
        "SelfSubjectReview",
    )
}
