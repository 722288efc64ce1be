//! Service-account issuer discovery, as kube-apiserver serves it for an `https://` issuer:
//! `/.well-known/openid-configuration` and the key set `/openid/v1/jwks`, so that other
//! parties can verify the tokens TokenRequest issues.

use axum::http::Method;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::Auth;
use super::layer::json_answer;

/// The discovery document a GET path asks for, if any.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Document {
    Configuration,
    Keys,
}

/// The document of a GET path; none unless the issuer is an https URL (kube serves discovery
/// only then).
pub fn endpoint(auth: &Auth, method: &Method, path: &str) -> Option<Document> {
    if method != Method::GET || !auth.sa.issuer.starts_with("https://") {
        return None;
    }
    match path.trim_end_matches('/') {
        "/.well-known/openid-configuration" => Some(Document::Configuration),
        "/openid/v1/jwks" => Some(Document::Keys),
        _ => None,
    }
}

/// The document's JSON (`application/jwk-set+json` is JSON too).
pub fn answer(auth: &Auth, doc: Document) -> Response {
    let body = match doc {
        Document::Configuration => configuration(&auth.sa.issuer),
        Document::Keys => keys(auth),
    };
    json_answer(200, &body)
}

/// The OpenID provider configuration: the issuer, where its keys are, what it signs with.
fn configuration(issuer: &str) -> Value {
    json!({
        "issuer": issuer,
        "jwks_uri": format!("{}/openid/v1/jwks", issuer.trim_end_matches('/')),
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
    })
}

/// The signing key as a JWK set (P-256: the x and y coordinates of the point).
fn keys(auth: &Auth) -> Value {
    let point = auth.sa.signer.public_key();
    // An uncompressed P-256 point: 0x04, then 32 bytes of x and 32 of y.
    let (x, y) = point
        .get(1..)
        .unwrap_or_default()
        .split_at(point.len().saturating_sub(1) / 2);
    json!({ "keys": [{
        "use": "sig",
        "kty": "EC",
        "kid": auth.sa.signer.key_id,
        "crv": "P-256",
        "alg": "ES256",
        "x": URL_SAFE_NO_PAD.encode(x),
        "y": URL_SAFE_NO_PAD.encode(y),
    }]})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configuration_points_at_the_key_set() {
        let c = configuration("https://kubernetes.default.svc.cluster.local");
        assert_eq!(
            c["jwks_uri"],
            "https://kubernetes.default.svc.cluster.local/openid/v1/jwks"
        );
        assert_eq!(c["id_token_signing_alg_values_supported"], json!(["ES256"]));
    }
}
