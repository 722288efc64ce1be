//! Service-account JWTs as pure data: kube's claims (`iss`, `sub`, `aud`, `exp`, `iat`,
//! `nbf`, `jti` and the private `kubernetes.io` claim), the expiration a TokenRequest gets,
//! and the checks of a presented token (time, audience, the objects it is bound to), each
//! failing with the message kube-apiserver gives.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::FieldError;

/// The issuer kube-apiserver is usually started with (`--service-account-issuer`).
pub const DEFAULT_ISSUER: &str = "https://kubernetes.default.svc.cluster.local";
/// `expirationSeconds` when a TokenRequest names none.
pub const DEFAULT_EXPIRATION: i64 = 3600;
/// The shortest token kube issues.
pub const MIN_EXPIRATION: i64 = 600;
/// The longest: 2^32 seconds.
pub const MAX_EXPIRATION: i64 = 1 << 32;
/// Clock skew tolerated on `exp` and `nbf` (go-jose's default leeway).
pub const LEEWAY: i64 = 60;

/// A name and uid in the private claim.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ref {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

/// The `kubernetes.io` claim.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KubeClaims {
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub serviceaccount: Ref,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod: Option<Ref>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Ref>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<Ref>,
}

/// `aud` is a string or a list of them (RFC 7519); kube writes a list.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

fn audiences<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Option::<Audience>::deserialize(d)? {
        None => Vec::new(),
        Some(Audience::One(a)) => vec![a],
        Some(Audience::Many(a)) => a,
    })
}

/// The claims of a service-account token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    #[serde(default)]
    pub iss: String,
    #[serde(default)]
    pub sub: String,
    #[serde(default, deserialize_with = "audiences")]
    pub aud: Vec<String>,
    #[serde(default)]
    pub exp: i64,
    #[serde(default)]
    pub iat: i64,
    #[serde(default)]
    pub nbf: i64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub jti: String,
    #[serde(rename = "kubernetes.io", default)]
    pub kubernetes: KubeClaims,
}

/// What a token is issued for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grant {
    pub issuer: String,
    pub namespace: String,
    pub service_account: Ref,
    pub audiences: Vec<String>,
    pub expiration_seconds: i64,
    pub pod: Option<Ref>,
    pub secret: Option<Ref>,
    pub node: Option<Ref>,
    pub jti: String,
}

/// The claims of a token granted at `now` (Unix seconds).
pub fn claims(g: &Grant, now: i64) -> Claims {
    Claims {
        iss: g.issuer.clone(),
        sub: format!(
            "{}{}:{}",
            super::SA_PREFIX,
            g.namespace,
            g.service_account.name
        ),
        aud: g.audiences.clone(),
        exp: now + g.expiration_seconds,
        iat: now,
        nbf: now,
        jti: g.jti.clone(),
        kubernetes: KubeClaims {
            namespace: g.namespace.clone(),
            serviceaccount: g.service_account.clone(),
            pod: g.pod.clone(),
            secret: g.secret.clone(),
            node: g.node.clone(),
        },
    }
}

/// The `expirationSeconds` a TokenRequest gets: kube's default, its validation, and the
/// server's maximum (`--service-account-max-token-expiration` shortens longer requests).
pub fn expiration(requested: Option<i64>, max: Option<i64>) -> Result<i64, FieldError> {
    let secs = requested.unwrap_or(DEFAULT_EXPIRATION);
    let field = "spec.expirationSeconds";
    if secs < MIN_EXPIRATION {
        return Err(FieldError::invalid(
            field,
            &json!(secs),
            "may not specify a duration less than 10 minutes",
        ));
    }
    if secs > MAX_EXPIRATION {
        return Err(FieldError::invalid(
            field,
            &json!(secs),
            "may not specify a duration larger than 2^32 seconds",
        ));
    }
    Ok(max.map_or(secs, |m| secs.min(m)))
}

/// Why a token that carries our issuer does not authenticate; the texts are kube's.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TokenError {
    #[error("invalid signature, no keys found")]
    NoKeys,
    #[error("go-jose/go-jose: error in cryptographic primitive")]
    Signature,
    #[error("service account token has expired")]
    Expired,
    #[error("service account token is not valid yet")]
    NotYetValid,
    #[error("token audiences {} is invalid for the target audiences {}", go_quoted(.token), go_quoted(.target))]
    Audience {
        token: Vec<String>,
        target: Vec<String>,
    },
    #[error("serviceaccounts {0:?} not found")]
    ServiceAccountNotFound(String),
    #[error("service account {0}/{1} has been deleted")]
    ServiceAccountDeleted(String, String),
    #[error("service account UID ({0}) does not match claim ({1})")]
    ServiceAccountUid(String, String),
    #[error("service account token has been invalidated")]
    Invalidated,
    #[error("secret UID ({0}) does not match service account secret ref claim ({1})")]
    SecretUid(String, String),
    #[error("pod UID ({0}) does not match service account pod ref claim ({1})")]
    PodUid(String, String),
    #[error("node UID ({0}) does not match service account node ref claim ({1})")]
    NodeUid(String, String),
    /// The legacy validator's own texts.
    #[error("{0}")]
    Legacy(String),
}

/// A string list as Go's `%q` prints it: `["a" "b"]`.
fn go_quoted(list: &[String]) -> String {
    let items: Vec<String> = list.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", items.join(" "))
}

/// The time checks, with go-jose's leeway.
pub fn check_time(c: &Claims, now: i64) -> Result<(), TokenError> {
    if c.exp != 0 && now > c.exp + LEEWAY {
        return Err(TokenError::Expired);
    }
    if c.nbf != 0 && now + LEEWAY < c.nbf {
        return Err(TokenError::NotYetValid);
    }
    Ok(())
}

/// The audiences both the token and the server (or the reviewer) accept; none is an error.
pub fn check_audience(token: &[String], target: &[String]) -> Result<Vec<String>, TokenError> {
    let both: Vec<String> = token
        .iter()
        .filter(|a| target.contains(a))
        .cloned()
        .collect();
    if both.is_empty() && !target.is_empty() {
        return Err(TokenError::Audience {
            token: token.to_vec(),
            target: target.to_vec(),
        });
    }
    Ok(both)
}

/// What the store holds of an object a token names: its uid and whether (and when, Unix
/// seconds) its deletion started.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub uid: String,
    pub deleting_since: Option<i64>,
}

/// The checks of the objects a token is bound to (its service account, and its secret or
/// pod, or node), as kube's validator makes them. `lookup(resource, name)` reads the
/// namespace of the token (nodes: the cluster scope).
pub fn check_bound(
    c: &Claims,
    now: i64,
    lookup: impl Fn(&str, &str) -> Option<Found>,
) -> Result<(), TokenError> {
    let k = &c.kubernetes;
    // Things deleted before now - leeway are gone; a deletion just begun still counts.
    let gone = |f: &Found| f.deleting_since.is_some_and(|t| t < now - LEEWAY);
    let sa_name = &k.serviceaccount.name;
    let sa = lookup("serviceaccounts", sa_name)
        .ok_or_else(|| TokenError::ServiceAccountNotFound(sa_name.clone()))?;
    if gone(&sa) {
        return Err(TokenError::ServiceAccountDeleted(
            k.namespace.clone(),
            sa_name.clone(),
        ));
    }
    if sa.uid != k.serviceaccount.uid {
        return Err(TokenError::ServiceAccountUid(
            sa.uid,
            k.serviceaccount.uid.clone(),
        ));
    }
    if let Some(r) = &k.secret {
        let s = lookup("secrets", &r.name).ok_or(TokenError::Invalidated)?;
        if gone(&s) {
            return Err(TokenError::Invalidated);
        }
        if s.uid != r.uid {
            return Err(TokenError::SecretUid(s.uid, r.uid.clone()));
        }
    }
    if let Some(r) = &k.pod {
        let p = lookup("pods", &r.name).ok_or(TokenError::Invalidated)?;
        if gone(&p) {
            return Err(TokenError::Invalidated);
        }
        if p.uid != r.uid {
            return Err(TokenError::PodUid(p.uid, r.uid.clone()));
        }
    }
    if let Some(r) = &k.node {
        let n = lookup("nodes", &r.name).ok_or(TokenError::Invalidated)?;
        if gone(&n) {
            return Err(TokenError::Invalidated);
        }
        if n.uid != r.uid {
            return Err(TokenError::NodeUid(n.uid, r.uid.clone()));
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "jwt_tests.rs"]
mod tests;
