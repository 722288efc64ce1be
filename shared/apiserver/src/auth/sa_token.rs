//! Service-account tokens: the TokenRequest subresource
//! (`POST /api/v1/namespaces/NS/serviceaccounts/NAME/token`, `kubectl create token`) issues
//! signed JWTs bound to the service account (and a pod or secret), and the authenticator
//! accepts them while the objects they are bound to live on with the same uid.

use axum::extract::Request;
use axum::http::Method;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::jwt::{self, Claims, Found, Grant, Ref, TokenError};
use super::layer::{error_response, json_answer};
use super::review::read_object;
use super::{Auth, UserInfo, legacy, requested_audiences};
use crate::error::ApiError;
use crate::store::ObjectKey;

const GROUP: &str = "authentication.k8s.io";

/// The namespace and service account a POST path asks a token of.
pub fn endpoint(method: &Method, path: &str) -> Option<(String, String)> {
    if method != Method::POST {
        return None;
    }
    let rest = path
        .trim_end_matches('/')
        .strip_prefix("/api/v1/namespaces/")?;
    match rest.split('/').collect::<Vec<_>>()[..] {
        [ns, "serviceaccounts", name, "token"] if !ns.is_empty() && !name.is_empty() => {
            Some((ns.to_string(), name.to_string()))
        }
        _ => None,
    }
}

/// Reads the TokenRequest and answers it (201 with the token, like a create).
pub async fn answer(auth: &Auth, namespace: &str, name: &str, req: Request) -> Response {
    let out = match read_object(req).await {
        Ok(body) => issue(auth, namespace, name, body),
        Err(e) => Err(e),
    };
    match out {
        Ok(v) => json_answer(201, &v),
        Err(e) => error_response(&e),
    }
}

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// The stored object `resource/name` in `namespace`, if any.
fn stored(auth: &Auth, resource: &str, namespace: &str, name: &str) -> Option<Value> {
    let key = ObjectKey::new("", resource, namespace, name);
    auth.api.store.get(&key).map(|v| (*v).clone())
}

/// Validates the request, finds what the token is bound to, and signs it.
fn issue(auth: &Auth, namespace: &str, name: &str, req: Value) -> Result<Value, ApiError> {
    let body_ns = text(&req, "/metadata/namespace");
    if !body_ns.is_empty() && body_ns != namespace {
        return Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        ));
    }
    let requested = req
        .pointer("/spec/expirationSeconds")
        .and_then(Value::as_i64);
    let expiration = jwt::expiration(requested, auth.sa.max_expiration)
        .map_err(|e| ApiError::invalid(GROUP, "TokenRequest", "", vec![e]))?;
    let sa = stored(auth, "serviceaccounts", namespace, name)
        .ok_or_else(|| ApiError::not_found("", "serviceaccounts", name))?;
    let bound = bound_object(auth, namespace, name, &req)?;
    let audiences = requested_audiences(&req, &auth.sa.audiences);
    let grant = Grant {
        issuer: auth.sa.issuer.clone(),
        namespace: namespace.to_string(),
        service_account: Ref {
            name: name.to_string(),
            uid: text(&sa, "/metadata/uid").to_string(),
        },
        audiences,
        expiration_seconds: expiration,
        pod: bound.pod,
        secret: bound.secret,
        node: bound.node,
        jti: crate::meta::new_uid(),
    };
    let claims = jwt::claims(&grant, chrono::Utc::now().timestamp());
    let token = sign(auth, &claims)?;
    Ok(answered(req, &grant, &token, claims.exp))
}

/// The TokenRequest as the server answers it: defaulted spec, the token and its expiry.
fn answered(mut req: Value, grant: &Grant, token: &str, exp: i64) -> Value {
    let expires = chrono::DateTime::from_timestamp(exp, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (name, namespace) = (&grant.service_account.name, &grant.namespace);
    let spec = req.get("spec").cloned().filter(Value::is_object);
    req["apiVersion"] = json!(format!("{GROUP}/v1"));
    req["kind"] = json!("TokenRequest");
    req["metadata"] = json!({
        "name": name,
        "namespace": namespace,
        "creationTimestamp": crate::meta::now(),
    });
    req["spec"] = spec.unwrap_or_else(|| json!({}));
    req["spec"]["audiences"] = json!(grant.audiences);
    req["spec"]["expirationSeconds"] = json!(grant.expiration_seconds);
    if req["spec"].get("boundObjectRef").is_none() {
        req["spec"]["boundObjectRef"] = Value::Null;
    }
    req["status"] = json!({ "token": token, "expirationTimestamp": expires });
    req
}

impl Auth {
    /// A token of the stored service account `namespace/name`, as TokenRequest issues it.
    pub fn service_account_jwt(
        &self,
        namespace: &str,
        name: &str,
        expiration_seconds: i64,
    ) -> Result<String, ApiError> {
        let req = json!({ "spec": { "expirationSeconds": expiration_seconds } });
        let out = issue(self, namespace, name, req)?;
        out.pointer("/status/token")
            .and_then(Value::as_str)
            .map(String::from)
            .ok_or_else(|| ApiError::internal("no token issued"))
    }
}

fn sign(auth: &Auth, claims: &Claims) -> Result<String, ApiError> {
    let payload = serde_json::to_value(claims).map_err(|e| ApiError::internal(e.to_string()))?;
    auth.sa
        .signer
        .sign(&payload)
        .map_err(|e| ApiError::internal(format!("failed to generate token: {e}")))
}

/// The object a token is bound to, if any.
#[derive(Debug, Default)]
struct Bound {
    pod: Option<Ref>,
    secret: Option<Ref>,
    node: Option<Ref>,
}

/// The pod, secret or node `spec.boundObjectRef` names, checked as kube checks it.
fn bound_object(auth: &Auth, ns: &str, sa: &str, req: &Value) -> Result<Bound, ApiError> {
    let Some(r) = req
        .pointer("/spec/boundObjectRef")
        .filter(|r| r.is_object())
    else {
        return Ok(Bound::default());
    };
    let (kind, api_version) = (text(r, "/kind"), text(r, "/apiVersion"));
    let (name, want_uid) = (text(r, "/name"), text(r, "/uid"));
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let resource = match (group, kind) {
        ("", "Pod") => "pods",
        ("", "Secret") => "secrets",
        ("", "Node") => "nodes",
        _ => {
            return Err(ApiError::bad_request(format!(
                "cannot bind token to object of type {}",
                go_gvk(group, version, kind)
            )));
        }
    };
    let scope = if resource == "nodes" { "" } else { ns };
    let obj = stored(auth, resource, scope, name)
        .ok_or_else(|| ApiError::not_found("", resource, name))?;
    if resource == "pods" {
        let runs_as = text(&obj, "/spec/serviceAccountName");
        if runs_as != sa {
            return Err(ApiError::bad_request(format!(
                "cannot bind token for serviceaccount {sa:?} to pod running with serviceaccount {runs_as:?}"
            )));
        }
    }
    let uid = text(&obj, "/metadata/uid").to_string();
    if !want_uid.is_empty() && want_uid != uid {
        let why = format!(
            "the UID in the bound object reference ({want_uid}) does not match the UID in record ({uid}). The object might have been deleted and then recreated"
        );
        return Err(ApiError::conflict("", kind, name, &why));
    }
    let found = Some(Ref {
        name: name.to_string(),
        uid,
    });
    Ok(match resource {
        "pods" => Bound {
            pod: found,
            ..Bound::default()
        },
        "nodes" => Bound {
            node: found,
            ..Bound::default()
        },
        _ => Bound {
            secret: found,
            ..Bound::default()
        },
    })
}

/// `schema.GroupVersionKind.String()`: `apps/v1, Kind=Deployment`, `/v1, Kind=Node`.
fn go_gvk(group: &str, version: &str, kind: &str) -> String {
    format!("{group}/{version}, Kind={kind}")
}

/// The outcome of a bearer token for the JWT authenticators (bound tokens, and the legacy
/// ones of token Secrets): not one of ours (None), a user with the audiences it is good
/// for, or why it is refused.
pub fn authenticate(
    auth: &Auth,
    token: &str,
    target: &[String],
) -> Result<Option<(UserInfo, Vec<String>)>, TokenError> {
    let Some((input, payload, signature)) = split(token) else {
        return Ok(None);
    };
    let Ok(claims) = serde_json::from_slice::<Claims>(&payload) else {
        return Ok(None);
    };
    let legacy = claims.iss == legacy::LEGACY_ISSUER;
    if claims.iss != auth.sa.issuer && !legacy {
        return Ok(None);
    }
    verify(auth, input, &signature)?;
    // Tokens without an audience (all legacy ones) are good for the server's own.
    let token_auds = if claims.aud.is_empty() {
        auth.sa.audiences.clone()
    } else {
        claims.aud.clone()
    };
    let auds = jwt::check_audience(&token_auds, target)?;
    if legacy {
        let claims: legacy::LegacyClaims =
            serde_json::from_slice(&payload).map_err(|_| TokenError::Signature)?;
        let ns = claims.namespace.clone();
        legacy::check(&claims, token.trim(), |resource, name| {
            legacy::held(auth, resource, &ns, name)
        })?;
        let mut user = UserInfo::service_account(&claims.namespace, &claims.service_account_name);
        user.uid = claims.service_account_uid;
        return Ok(Some((user.authenticated(), auds)));
    }
    let now = chrono::Utc::now().timestamp();
    jwt::check_time(&claims, now)?;
    let ns = claims.kubernetes.namespace.clone();
    jwt::check_bound(&claims, now, |resource, name| {
        let scope = if resource == "nodes" { "" } else { &ns };
        let obj = stored(auth, resource, scope, name)?;
        Some(Found {
            uid: text(&obj, "/metadata/uid").to_string(),
            deleting_since: obj
                .pointer("/metadata/deletionTimestamp")
                .and_then(Value::as_str)
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.timestamp()),
        })
    })?;
    Ok(Some((user_of(&claims), auds)))
}

/// The key id and signature of a token of our issuer.
fn verify(auth: &Auth, input: &str, signature: &[u8]) -> Result<(), TokenError> {
    let header = input.split('.').next().unwrap_or("");
    let kid = URL_SAFE_NO_PAD
        .decode(header)
        .ok()
        .and_then(|h| serde_json::from_slice::<Value>(&h).ok())
        .and_then(|h| h.get("kid").and_then(Value::as_str).map(String::from));
    if kid.is_some_and(|k| k != auth.sa.signer.key_id) {
        return Err(TokenError::NoKeys);
    }
    if !auth.sa.signer.verify(input, signature) {
        return Err(TokenError::Signature);
    }
    Ok(())
}

/// `header.payload`, the decoded payload and signature of a compact JWS.
fn split(token: &str) -> Option<(&str, Vec<u8>, Vec<u8>)> {
    let token = token.trim();
    let (input, sig) = token.rsplit_once('.')?;
    let (_, payload) = input.split_once('.')?;
    if payload.contains('.') {
        return None;
    }
    let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
    Some((input, payload, sig))
}

/// The user a valid token authenticates as (`ServiceAccountInfo.UserInfo()`).
fn user_of(c: &Claims) -> UserInfo {
    let k = &c.kubernetes;
    let mut user = UserInfo::service_account(&k.namespace, &k.serviceaccount.name);
    user.uid = k.serviceaccount.uid.clone();
    let mut extra = |key: &str, value: &str| {
        user.extra.insert(
            format!("authentication.kubernetes.io/{key}"),
            vec![value.to_string()],
        );
    };
    if !c.jti.is_empty() {
        extra("credential-id", &format!("JTI={}", c.jti));
    }
    if let Some(p) = &k.pod {
        extra("pod-name", &p.name);
        extra("pod-uid", &p.uid);
    }
    if let Some(n) = &k.node {
        extra("node-name", &n.name);
        extra("node-uid", &n.uid);
    }
    user.authenticated()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_paths() {
        let post = Method::POST;
        assert_eq!(
            endpoint(&post, "/api/v1/namespaces/a/serviceaccounts/robot/token"),
            Some(("a".into(), "robot".into()))
        );
        assert_eq!(
            endpoint(
                &Method::GET,
                "/api/v1/namespaces/a/serviceaccounts/robot/token"
            ),
            None
        );
        assert_eq!(
            endpoint(&post, "/api/v1/namespaces/a/serviceaccounts/robot"),
            None
        );
        assert_eq!(
            endpoint(&post, "/api/v1/namespaces/a/secrets/robot/token"),
            None
        );
        assert_eq!(
            go_gvk("apps", "v1", "Deployment"),
            "apps/v1, Kind=Deployment"
        );
        assert!(split("a.b").is_none());
        assert!(split("not a token").is_none());
    }
}
