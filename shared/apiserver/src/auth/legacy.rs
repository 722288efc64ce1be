//! Legacy service-account token Secrets (`type: kubernetes.io/service-account-token`): like
//! kube-controller-manager's token controller, a task fills each such Secret whose
//! `kubernetes.io/service-account.name` names a stored service account with a signed
//! non-expiring token (issuer `kubernetes/serviceaccount`), `ca.crt` and `namespace`, and the
//! authenticator takes those tokens while the Secret still holds them and the account keeps
//! its uid, as kube's legacy validator does.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;

use super::Auth;
use super::jwt::TokenError;
use crate::store::{EventType, ObjectKey};

/// The issuer of Secret-held tokens.
pub const LEGACY_ISSUER: &str = "kubernetes/serviceaccount";
/// The Secret type the controller fills.
pub const TOKEN_TYPE: &str = "kubernetes.io/service-account-token";
const SA_NAME: &str = "kubernetes.io/service-account.name";
const SA_UID: &str = "kubernetes.io/service-account.uid";

/// The claims of a legacy token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LegacyClaims {
    #[serde(default)]
    pub iss: String,
    #[serde(default)]
    pub sub: String,
    #[serde(rename = "kubernetes.io/serviceaccount/namespace", default)]
    pub namespace: String,
    #[serde(rename = "kubernetes.io/serviceaccount/secret.name", default)]
    pub secret_name: String,
    #[serde(rename = "kubernetes.io/serviceaccount/service-account.name", default)]
    pub service_account_name: String,
    #[serde(rename = "kubernetes.io/serviceaccount/service-account.uid", default)]
    pub service_account_uid: String,
}

/// What the store holds of a Secret or service account a legacy token names.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub uid: String,
    pub deleting: bool,
    /// The Secret's `data.token`, decoded.
    pub token: Vec<u8>,
}

/// kube's legacy validator: claims present, the Secret still holds this very token, and the
/// service account lives with the uid of the claim. `lookup(resource, name)`.
pub fn check(
    c: &LegacyClaims,
    token: &str,
    lookup: impl Fn(&str, &str) -> Option<Held>,
) -> Result<(), TokenError> {
    let missing = |what: &'static str| Err(TokenError::Legacy(what.to_string()));
    for (value, what) in [
        (&c.sub, "sub claim is missing"),
        (&c.namespace, "namespace claim is missing"),
        (&c.secret_name, "secretName claim is missing"),
        (
            &c.service_account_name,
            "serviceAccountName claim is missing",
        ),
        (&c.service_account_uid, "serviceAccountUID claim is missing"),
    ] {
        if value.is_empty() {
            return missing(what);
        }
    }
    let expected_sub = format!(
        "{}{}:{}",
        super::SA_PREFIX,
        c.namespace,
        c.service_account_name
    );
    if c.sub != expected_sub {
        return missing("sub claim is invalid");
    }
    let invalidated = || TokenError::Legacy("Token has been invalidated".into());
    let secret = lookup("secrets", &c.secret_name).ok_or_else(invalidated)?;
    if secret.deleting {
        return Err(invalidated());
    }
    if secret.token != token.as_bytes() {
        return missing("Token does not match server's copy");
    }
    let sa = lookup("serviceaccounts", &c.service_account_name)
        .ok_or_else(|| TokenError::ServiceAccountNotFound(c.service_account_name.clone()))?;
    if sa.deleting {
        return Err(TokenError::Legacy(format!(
            "ServiceAccount {}/{} has been deleted",
            c.namespace, c.service_account_name
        )));
    }
    if sa.uid != c.service_account_uid {
        return Err(TokenError::Legacy(format!(
            "ServiceAccount UID ({}) does not match claim ({})",
            sa.uid, c.service_account_uid
        )));
    }
    Ok(())
}

/// The stored object `resource/name` in `namespace`, as a legacy check reads it.
pub(super) fn held(auth: &Auth, resource: &str, namespace: &str, name: &str) -> Option<Held> {
    let obj = auth
        .api
        .store
        .get(&ObjectKey::new("", resource, namespace, name))?;
    let token = obj
        .pointer("/data/token")
        .and_then(Value::as_str)
        .and_then(|t| STANDARD.decode(t).ok())
        .unwrap_or_default();
    Some(Held {
        uid: text(&obj, "/metadata/uid").to_string(),
        deleting: obj.pointer("/metadata/deletionTimestamp").is_some(),
        token,
    })
}

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// The Secret with its token, CA and namespace filled in, when it is a token Secret of a
/// stored service account that has none yet (and names no other uid of the account).
fn filled(auth: &Auth, ca_pem: Option<&str>, secret: &Value) -> Option<Value> {
    if text(secret, "/type") != TOKEN_TYPE || !text(secret, "/data/token").is_empty() {
        return None;
    }
    let annotations = secret.pointer("/metadata/annotations")?;
    let sa_name = annotations.get(SA_NAME).and_then(Value::as_str)?;
    let ns = text(secret, "/metadata/namespace");
    let sa = auth
        .api
        .store
        .get(&ObjectKey::new("", "serviceaccounts", ns, sa_name))?;
    let sa_uid = text(&sa, "/metadata/uid");
    let named_uid = annotations.get(SA_UID).and_then(Value::as_str);
    if named_uid.is_some_and(|u| u != sa_uid) {
        return None;
    }
    let claims = LegacyClaims {
        iss: LEGACY_ISSUER.into(),
        sub: format!("{}{ns}:{sa_name}", super::SA_PREFIX),
        namespace: ns.into(),
        secret_name: text(secret, "/metadata/name").into(),
        service_account_name: sa_name.into(),
        service_account_uid: sa_uid.into(),
    };
    let token = auth
        .sa
        .signer
        .sign(&serde_json::to_value(&claims).ok()?)
        .ok()?;
    let mut out = secret.clone();
    out["metadata"]["annotations"][SA_UID] = json!(sa_uid);
    if !out.get("data").is_some_and(Value::is_object) {
        out["data"] = json!({});
    }
    out["data"]["token"] = json!(STANDARD.encode(token));
    out["data"]["namespace"] = json!(STANDARD.encode(ns));
    if let Some(ca) = ca_pem {
        out["data"]["ca.crt"] = json!(STANDARD.encode(ca));
    }
    Some(out)
}

/// Fills every token Secret of `namespace` (all namespaces: None) that needs it. A write
/// that loses a race is left to the event it causes.
fn sweep(auth: &Auth, ca_pem: Option<&str>, namespace: Option<&str>) {
    let store = &auth.api.store;
    let Ok(listing) = store.list("", "secrets", namespace, None, None) else {
        return;
    };
    for secret in listing.items {
        let Some(out) = filled(auth, ca_pem, &secret) else {
            continue;
        };
        let key = ObjectKey::new(
            "",
            "secrets",
            text(&secret, "/metadata/namespace"),
            text(&secret, "/metadata/name"),
        );
        let rv = crate::store::object_rv(&secret);
        if let Err(e) = store.update(key, out, rv) {
            tracing::debug!(error = %e, "filling a service account token secret");
        }
    }
}

/// Whether a change may leave a token Secret to fill: a token Secret written, or a service
/// account created.
fn wakes(ev: &crate::store::Event) -> bool {
    if !ev.key.group.is_empty() {
        return false;
    }
    match (ev.key.resource.as_str(), ev.kind) {
        ("secrets", EventType::Added | EventType::Modified) => {
            text(&ev.object, "/type") == TOKEN_TYPE
        }
        ("serviceaccounts", EventType::Added) => true,
        _ => false,
    }
}

/// The token controller: a sweep at start, then one of the namespace of each change that
/// [`wakes`] it, until the store goes away.
pub fn spawn(auth: Arc<Auth>, ca_pem: Option<String>) -> tokio::task::JoinHandle<()> {
    let (_, mut events) = auth.api.store.snapshot_and_watch("", "secrets", None);
    tokio::spawn(async move {
        sweep(&auth, ca_pem.as_deref(), None);
        loop {
            match events.recv().await {
                Ok(ev) if wakes(&ev) => sweep(&auth, ca_pem.as_deref(), Some(&ev.key.namespace)),
                Ok(_) => {}
                Err(RecvError::Lagged(_)) => sweep(&auth, ca_pem.as_deref(), None),
                Err(RecvError::Closed) => return,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_tokens_need_their_secret_and_account() {
        let c = LegacyClaims {
            iss: LEGACY_ISSUER.into(),
            sub: "system:serviceaccount:ns:robot".into(),
            namespace: "ns".into(),
            secret_name: "robot-token".into(),
            service_account_name: "robot".into(),
            service_account_uid: "u1".into(),
        };
        let held = |uid: &str, deleting: bool, token: &str| {
            Some(Held {
                uid: uid.into(),
                deleting,
                token: token.as_bytes().to_vec(),
            })
        };
        type Case = (Option<Held>, Option<Held>, Result<(), &'static str>);
        let cases: Vec<Case> = vec![
            (held("s", false, "T"), held("u1", false, ""), Ok(())),
            (
                None,
                held("u1", false, ""),
                Err("Token has been invalidated"),
            ),
            (
                held("s", true, "T"),
                held("u1", false, ""),
                Err("Token has been invalidated"),
            ),
            (
                held("s", false, "other"),
                held("u1", false, ""),
                Err("Token does not match server's copy"),
            ),
            (
                held("s", false, "T"),
                None,
                Err("serviceaccounts \"robot\" not found"),
            ),
            (
                held("s", false, "T"),
                held("u2", false, ""),
                Err("ServiceAccount UID (u2) does not match claim (u1)"),
            ),
            (
                held("s", false, "T"),
                held("u1", true, ""),
                Err("ServiceAccount ns/robot has been deleted"),
            ),
        ];
        for (secret, sa, want) in cases {
            let got = check(&c, "T", |resource, _| match resource {
                "secrets" => secret.clone(),
                _ => sa.clone(),
            })
            .map_err(|e| e.to_string());
            assert_eq!(got, want.map_err(String::from), "{secret:?} {sa:?}");
        }
        let no_sub = LegacyClaims {
            sub: String::new(),
            ..c.clone()
        };
        let err = check(&no_sub, "T", |_, _| None).map_err(|e| e.to_string());
        assert_eq!(err, Err("sub claim is missing".to_string()));
        let wrong_sub = LegacyClaims {
            sub: "system:serviceaccount:ns:other".into(),
            ..c
        };
        let err = check(&wrong_sub, "T", |_, _| None).map_err(|e| e.to_string());
        assert_eq!(err, Err("sub claim is invalid".to_string()));
    }
}
