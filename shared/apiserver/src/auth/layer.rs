//! The guard in front of every route, in the real server's filter order: authenticate (401:
//! client certificate, static token, service-account JWT), impersonate (each target an
//! `impersonate` check, 403), authorize the request (403 with the real message), then answer
//! the review APIs and TokenRequest or hand the request on.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::client_cert::{CertAuthenticator, PeerCertificates};
use super::signer::Signer;
use super::tokens::{TokenTable, random_token};
use super::{
    AuthConfig, AuthError, REQUESTER, UserInfo, attributes, impersonate, jwt, oidc, review,
    sa_token, tls,
};
use crate::api::Api;
use crate::error::ApiError;
use crate::rbac::{self, Attributes, Decision, PolicyCache};

/// Paths anyone may read without credentials (system:public-info-viewer's).
const PUBLIC_PATHS: &[&str] = &["/healthz", "/livez", "/readyz", "/version", "/version/"];

/// What service-account tokens are signed with and good for.
pub(super) struct ServiceAccounts {
    pub signer: Signer,
    pub issuer: String,
    /// The server's audiences: tokens must name one of them.
    pub audiences: Vec<String>,
    pub max_expiration: Option<i64>,
}

/// The state of the guard: the settings, the tokens, and the policy of the store.
pub struct Auth {
    authenticate: bool,
    rbac: bool,
    pub tokens: TokenTable,
    /// The `admin` user's token, when tokens are required.
    pub admin_token: Option<String>,
    policy: PolicyCache,
    pub(super) api: Arc<Api>,
    pub(super) sa: ServiceAccounts,
    certs: Option<CertAuthenticator>,
}

/// Why a bearer token does not authenticate: the errors of the authenticators that
/// recognised it (none: nobody did).
#[derive(Debug, Default)]
pub(super) struct TokenRefused(pub Vec<String>);

impl TokenRefused {
    /// The text kube's union of authenticators gives (`[invalid bearer token, why]`).
    pub fn message(&self) -> String {
        if self.0.is_empty() {
            return "invalid bearer token".into();
        }
        format!("[invalid bearer token, {}]", self.0.join(", "))
    }
}

impl Auth {
    /// The guard's state. The signing key of service-account tokens is kept in `data_dir`
    /// when there is one; `ca_der` is the server's CA, trusted for client certificates.
    pub fn new(
        config: &AuthConfig,
        api: Arc<Api>,
        data_dir: Option<&Path>,
        ca_der: Option<&[u8]>,
    ) -> Result<Self, AuthError> {
        let tokens = TokenTable::default();
        for (token, user) in &config.tokens {
            tokens.insert(token, user.clone());
        }
        let authenticate = config.authenticate || config.wants_client_certificates();
        let admin_token = authenticate.then(|| {
            let t = random_token();
            tokens.insert(&t, UserInfo::admin());
            t
        });
        let certs = match (config.wants_client_certificates(), ca_der) {
            (false, _) => None,
            (true, None) => return Err(AuthError::CertificatesWithoutTls),
            (true, Some(ca)) => {
                let mut trusted = vec![ca.to_vec()];
                if let Some(pem) = &config.client_ca_pem {
                    trusted.extend(tls::pem_certificates(pem)?);
                }
                Some(CertAuthenticator::new(&trusted)?)
            }
        };
        let signer = match data_dir {
            Some(dir) => Signer::load_or_create(dir)?,
            None => Signer::generate()?,
        };
        let issuer = config
            .service_account_issuer
            .clone()
            .unwrap_or_else(|| jwt::DEFAULT_ISSUER.to_string());
        let audiences = if config.api_audiences.is_empty() {
            vec![issuer.clone()]
        } else {
            config.api_audiences.clone()
        };
        Ok(Auth {
            authenticate,
            rbac: config.rbac,
            tokens,
            admin_token,
            policy: PolicyCache::default(),
            api,
            sa: ServiceAccounts {
                signer,
                issuer,
                audiences,
                max_expiration: config.max_token_expiration,
            },
            certs,
        })
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

    /// The bearer token authenticators in kube's order (the static table, then
    /// service-account JWTs) for a request or a review that targets `audiences`: the user
    /// and the audiences the token is good for.
    pub(super) fn authenticate_token(
        &self,
        token: &str,
        audiences: &[String],
    ) -> Result<(UserInfo, Vec<String>), TokenRefused> {
        // Static tokens know no audience: they are good for the server's own.
        let implicit: Vec<String> = audiences
            .iter()
            .filter(|a| self.sa.audiences.contains(a))
            .cloned()
            .collect();
        if !implicit.is_empty()
            && let Some(user) = self.tokens.lookup(token)
        {
            return Ok((user, implicit));
        }
        match sa_token::authenticate(self, token, audiences) {
            Ok(Some(found)) => Ok(found),
            Ok(None) => Err(TokenRefused::default()),
            Err(e) => Err(TokenRefused(vec![e.to_string()])),
        }
    }

    /// A client certificate first, then a bearer token, as kube's union of authenticators.
    fn authenticate(&self, req: &Request) -> Result<UserInfo, ApiError> {
        if !self.authenticate {
            return Ok(UserInfo::admin());
        }
        let path = req.uri().path();
        let mut presented = false;
        if let Some(certs) = &self.certs
            && let Some(chain) = req.extensions().get::<PeerCertificates>()
        {
            match certs.authenticate(&chain.0) {
                Some(Ok(user)) => return Ok(user),
                Some(Err(e)) => {
                    tracing::debug!(error = %e, "client certificate refused");
                    presented = true;
                }
                None => {}
            }
        }
        let bearer = req
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|t| !t.is_empty());
        match bearer {
            Some(token) => self
                .authenticate_token(token, &self.sa.audiences)
                .map(|(user, _)| user)
                .map_err(|refused| {
                    tracing::debug!(error = %refused.message(), "bearer token refused");
                    unauthorized()
                }),
            None if !presented && PUBLIC_PATHS.contains(&path) => Ok(UserInfo::anonymous()),
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
            .authenticate(req)
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
    if let Some((ns, name)) = sa_token::endpoint(req.method(), req.uri().path()) {
        return sa_token::answer(&auth, &ns, &name, req).await;
    }
    if let Some(doc) = oidc::endpoint(&auth, req.method(), req.uri().path()) {
        return oidc::answer(&auth, doc);
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
