//! The guard in front of every route, in the real server's filter order: authenticate (401),
//! impersonate (each target an `impersonate` check, 403), authorize the request (403 with the
//! real message), then answer the self-review APIs or hand the request on.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::tokens::{TokenTable, random_token};
use super::{AuthConfig, REQUESTER, UserInfo, attributes, impersonate, review};
use crate::api::Api;
use crate::error::ApiError;
use crate::rbac::{self, Attributes, Decision, PolicyCache};

/// Paths anyone may read without credentials (system:public-info-viewer's).
const PUBLIC_PATHS: &[&str] = &["/healthz", "/livez", "/readyz", "/version", "/version/"];

/// The state of the guard: the settings, the tokens, and the policy of the store.
pub struct Auth {
    authenticate: bool,
    rbac: bool,
    pub tokens: TokenTable,
    /// The `admin` user's token, when tokens are required.
    pub admin_token: Option<String>,
    policy: PolicyCache,
    api: Arc<Api>,
}

impl Auth {
    pub fn new(config: &AuthConfig, api: Arc<Api>) -> Self {
        let tokens = TokenTable::default();
        for (token, user) in &config.tokens {
            tokens.insert(token, user.clone());
        }
        let admin_token = config.authenticate.then(|| {
            let t = random_token();
            tokens.insert(&t, UserInfo::admin());
            t
        });
        Auth {
            authenticate: config.authenticate,
            rbac: config.rbac,
            tokens,
            admin_token,
            policy: PolicyCache::default(),
            api,
        }
    }

    pub fn rbac(&self) -> bool {
        self.rbac
    }

    /// The decision of the configured authorizer (allow-all unless RBAC is on).
    pub fn authorize(&self, user: &UserInfo, attrs: &Attributes) -> Decision {
        decide(self.policy().as_deref(), user, attrs)
    }

    /// The current RBAC policy, when RBAC is on.
    pub fn policy(&self) -> Option<Arc<rbac::Policy>> {
        self.rbac.then(|| self.policy.get(&self.api.store))
    }

    fn authenticate(&self, headers: &HeaderMap, path: &str) -> Result<UserInfo, ApiError> {
        if !self.authenticate {
            return Ok(UserInfo::admin());
        }
        let bearer = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|t| !t.is_empty());
        match bearer {
            Some(token) => self.tokens.lookup(token).ok_or_else(unauthorized),
            None if PUBLIC_PATHS.contains(&path) => Ok(UserInfo::anonymous()),
            None => Err(unauthorized()),
        }
    }

    fn impersonate(
        &self,
        policy: Option<&rbac::Policy>,
        user: UserInfo,
        headers: &HeaderMap,
        path: &str,
    ) -> Result<UserInfo, Box<Response>> {
        let targets = impersonate::targets(headers).map_err(|e| {
            let text = format!("Internal Server Error: {path:?}: {e}\n");
            Box::new((StatusCode::INTERNAL_SERVER_ERROR, text).into_response())
        })?;
        if targets.is_empty() {
            return Ok(user);
        }
        for t in &targets {
            let check = t.check();
            if let Decision::Deny(reason) = decide(policy, &user, &check) {
                return Err(Box::new(error_response(&forbidden_error(
                    &user, &check, &reason,
                ))));
            }
        }
        Ok(impersonate::identity(&targets))
    }

    /// The identity of a request, once it may go on; the answer to send otherwise.
    fn admit(&self, req: &Request) -> Result<UserInfo, Box<Response>> {
        let path = req.uri().path();
        let user = self
            .authenticate(req.headers(), path)
            .map_err(|e| Box::new(error_response(&e)))?;
        let policy = self.policy();
        let user = self.impersonate(policy.as_deref(), user, req.headers(), path)?;
        let query: HashMap<String, String> = Query::try_from_uri(req.uri())
            .map(|q| q.0)
            .unwrap_or_default();
        let attrs = attributes::of_request(req.method(), path, &query);
        match decide(policy.as_deref(), &user, &attrs) {
            Decision::Allow(_) => Ok(user),
            Decision::Deny(reason) => Err(Box::new(error_response(&forbidden_error(
                &user, &attrs, &reason,
            )))),
        }
    }
}

/// The middleware: see the module docs.
pub async fn guard(State(auth): State<Arc<Auth>>, req: Request, next: Next) -> Response {
    let user = match auth.admit(&req) {
        Ok(u) => u,
        Err(r) => return *r,
    };
    if let Some(kind) = review::endpoint(req.method(), req.uri().path()) {
        return review::answer(&auth, &user, kind, req).await;
    }
    if auth.rbac {
        REQUESTER.scope(Arc::new(user), next.run(req)).await
    } else {
        next.run(req).await
    }
}

/// Allow-all without a policy, RBAC with one.
fn decide(policy: Option<&rbac::Policy>, user: &UserInfo, attrs: &Attributes) -> Decision {
    match policy {
        None => Decision::Allow(String::new()),
        Some(p) => rbac::authorize(p, user, attrs),
    }
}

fn unauthorized() -> ApiError {
    ApiError::new(401, "Unauthorized", "Unauthorized")
}

/// The 403 of a denied request, worded as `responsewriters.Forbidden` words it.
pub fn forbidden_error(user: &UserInfo, a: &Attributes, reason: &str) -> ApiError {
    let who = &user.name;
    let mut msg = match &a.path {
        Some(path) => format!("User {who:?} cannot {} path {path:?}", a.verb),
        None if a.namespace.is_empty() => format!(
            "User {who:?} cannot {} resource {:?} in API group {:?} at the cluster scope",
            a.verb,
            a.combined_resource(),
            a.api_group
        ),
        None => format!(
            "User {who:?} cannot {} resource {:?} in API group {:?} in the namespace {:?}",
            a.verb,
            a.combined_resource(),
            a.api_group,
            a.namespace
        ),
    };
    if !reason.is_empty() {
        msg = format!("{msg}: {reason}");
    }
    let qualified = crate::error::qualified(&a.api_group, &a.resource);
    let message = match (a.resource.is_empty(), a.name.is_empty()) {
        (true, _) => format!("forbidden: {msg}"),
        (false, true) => format!("{qualified} is forbidden: {msg}"),
        (false, false) => format!("{qualified} {:?} is forbidden: {msg}", a.name),
    };
    let mut details = json!({});
    for (k, v) in [
        ("name", &a.name),
        ("group", &a.api_group),
        ("kind", &a.resource),
    ] {
        if !v.is_empty() {
            details[k] = json!(v);
        }
    }
    ApiError {
        details: Some(details),
        ..ApiError::forbidden(message)
    }
}

/// A Status answer (the http module's responder is private to it).
pub(super) fn error_response(e: &ApiError) -> Response {
    json_answer(e.code, &e.status())
}

pub(super) fn json_answer(code: u16, body: &serde_json::Value) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    r
}
