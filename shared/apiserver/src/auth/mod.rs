//! Who asks, and whether they may: authentication (client certificates, static bearer
//! tokens, service-account JWTs from the TokenRequest API), impersonation, authorization of
//! every request (RBAC, or allow-all), the review APIs (access, rules, whoami, TokenReview),
//! and TLS with a certificate authority generated at start. All of it off by default.

pub mod attributes;
pub mod client_cert;
pub mod impersonate;
pub mod jwt;
mod layer;
pub mod legacy;
mod oidc;
mod review;
mod sa_token;
pub mod signer;
pub mod tls;
mod token_review;
pub mod tokens;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

pub use client_cert::{CertSpec, ClientCertificate};
pub use layer::{Auth, forbidden_error, guard};
pub use tokens::{TokenFileError, TokenTable, parse_token_file};

/// The group every authenticated user is in.
pub const AUTHENTICATED: &str = "system:authenticated";
/// The group of requests without credentials.
pub const UNAUTHENTICATED: &str = "system:unauthenticated";
/// The user of requests without credentials.
pub const ANONYMOUS: &str = "system:anonymous";
/// The group of every service account.
pub const SERVICE_ACCOUNTS: &str = "system:serviceaccounts";
const SA_PREFIX: &str = "system:serviceaccount:";

/// An identity, as `user.Info` of the real server.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserInfo {
    pub name: String,
    pub uid: String,
    pub groups: Vec<String>,
    pub extra: BTreeMap<String, Vec<String>>,
}

impl UserInfo {
    pub fn new(name: &str, groups: &[&str]) -> Self {
        UserInfo {
            name: name.into(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
            ..Default::default()
        }
    }

    /// The identity a service account's token authenticates as.
    pub fn service_account(namespace: &str, name: &str) -> Self {
        UserInfo {
            name: format!("{SA_PREFIX}{namespace}:{name}"),
            groups: service_account_groups(namespace),
            ..Default::default()
        }
    }

    /// The identity of the default kubeconfig: a member of system:masters.
    pub fn admin() -> Self {
        UserInfo::new("admin", &[crate::rbac::MASTERS, AUTHENTICATED])
    }

    pub fn anonymous() -> Self {
        UserInfo::new(ANONYMOUS, &[UNAUTHENTICATED])
    }

    /// Adds system:authenticated, as the real authenticators do for every user they accept.
    pub fn authenticated(mut self) -> Self {
        if !self.groups.iter().any(|g| g == AUTHENTICATED) {
            self.groups.push(AUTHENTICATED.into());
        }
        self
    }
}

/// `system:serviceaccounts` and `system:serviceaccounts:NS`.
pub fn service_account_groups(namespace: &str) -> Vec<String> {
    vec![
        SERVICE_ACCOUNTS.to_string(),
        format!("{SERVICE_ACCOUNTS}:{namespace}"),
    ]
}

/// The namespace and name of a service account's user name (`SplitUsername`).
pub fn split_service_account(user: &str) -> Option<(&str, &str)> {
    let rest = user.strip_prefix(SA_PREFIX)?;
    let (ns, name) = rest.split_once(':')?;
    let valid = |s: &str| crate::meta::validate_name(s, crate::meta::NameRule::Label).is_none();
    let valid_sa =
        |s: &str| crate::meta::validate_name(s, crate::meta::NameRule::Subdomain).is_none();
    (!name.contains(':') && valid(ns) && valid_sa(name)).then_some((ns, name))
}

/// How the server authenticates and authorizes; everything is off by default.
#[derive(Debug, Clone, Default)]
pub struct AuthConfig {
    /// Serve HTTPS with a certificate authority and serving certificate made at start.
    pub tls: bool,
    /// Require a bearer token (401 without a valid one); the kubeconfig and `client()` carry
    /// a generated token of the `admin` user (system:masters). Without it every request is
    /// `admin`'s.
    pub authenticate: bool,
    /// More tokens (the entries of a static token file).
    pub tokens: Vec<(String, UserInfo)>,
    /// Authorize with RBAC instead of allowing every request.
    pub rbac: bool,
    /// With `tls`: ask clients for a certificate and accept those the server's CA (or
    /// `client_ca_pem`) signed, CN as the user and each O as a group. Implies `authenticate`;
    /// the kubeconfig and `client()` then carry an `admin` certificate (O=system:masters)
    /// instead of a token.
    pub client_certificates: bool,
    /// More CAs whose client certificates are accepted, PEM (kube-apiserver's
    /// `--client-ca-file`); implies `client_certificates`.
    pub client_ca_pem: Option<String>,
    /// `iss` of service-account tokens (`--service-account-issuer`); default
    /// `https://kubernetes.default.svc.cluster.local`.
    pub service_account_issuer: Option<String>,
    /// The audiences the server takes tokens for (`--api-audiences`); default the issuer.
    pub api_audiences: Vec<String>,
    /// The longest token TokenRequest issues, in seconds
    /// (`--service-account-max-token-expiration`); longer requests are shortened.
    pub max_token_expiration: Option<i64>,
}

impl AuthConfig {
    /// Whether clients are asked for certificates.
    pub fn wants_client_certificates(&self) -> bool {
        self.client_certificates || self.client_ca_pem.is_some()
    }
}

/// Why the authentication settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Signer(#[from] signer::SignerError),
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    #[error("client certificates need TLS")]
    CertificatesWithoutTls,
}

tokio::task_local! {
    static REQUESTER: Arc<UserInfo>;
}

/// The user of the request being served, when RBAC checks it: like the real server's request
/// context, for the checks of the write path (escalation). None for the server's own calls.
pub fn requester() -> Option<Arc<UserInfo>> {
    REQUESTER.try_with(Arc::clone).ok()
}

/// The audiences of `spec.audiences` in a TokenRequest or TokenReview, or `server`'s own
/// (`--api-audiences`) when it names none: both APIs default the same way.
fn requested_audiences(body: &Value, server: &[String]) -> Vec<String> {
    let named = crate::meta::strings_at(body, "/spec/audiences");
    if named.is_empty() {
        server.to_vec()
    } else {
        named
    }
}

/// Writes a file only its owner can read (the signing and CA keys), renamed into place so a
/// crash never leaves half a key behind.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}
