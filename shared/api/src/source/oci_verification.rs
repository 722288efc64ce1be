//! Signature verification of OCI artifacts (Flux's api/v1 ociverification_types.go): the
//! verifier, its trusted keys and the keyless identities accepted.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::meta::LocalObjectReference;

/// The tool whose signatures are verified.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OciVerificationProvider {
    /// Sigstore cosign, with keys or keyless (Fulcio/Rekor).
    #[default]
    Cosign,
    /// Notary Project notation.
    Notation,
}

impl OciVerificationProvider {
    /// Flux's string for the provider.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cosign => "cosign",
            Self::Notation => "notation",
        }
    }
}

/// An accepted keyless signing identity: Go regular expressions over the certificate's OIDC
/// issuer and subject.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct OIDCIdentityMatch {
    /// Regular expression the OIDC issuer must match.
    pub issuer: String,
    /// Regular expression the identity subject must match.
    pub subject: String,
}

/// How an OCIRepository's artifact signature is verified.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
// Flux marks `provider` both required and defaulted; keep it required in the schema while
// still accepting manifests that rely on the default.
#[schemars(extend("required" = ["provider"]))]
pub struct OCIRepositoryVerification {
    /// The signing technology; `cosign` when unset.
    #[serde(default)]
    pub provider: OciVerificationProvider,
    /// Secret with the trusted public keys; keyless verification when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// Keyless identities of which one must match the signing certificate.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        rename = "matchOIDCIdentity"
    )]
    pub match_oidc_identity: Vec<OIDCIdentityMatch>,
    /// Secret with a Sigstore `trusted_root.json`, for self-hosted Fulcio and Rekor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trusted_root_secret_ref: Option<LocalObjectReference>,
}

impl OCIRepositoryVerification {
    /// Whether verification is keyless: cosign without a key Secret.
    pub fn is_keyless(&self) -> bool {
        self.provider == OciVerificationProvider::Cosign && self.secret_ref.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_defaults_to_cosign() {
        let verify: OCIRepositoryVerification = serde_json::from_str("{}").expect("parse");
        assert_eq!(verify.provider, OciVerificationProvider::Cosign);
        assert_eq!(verify.provider.as_str(), "cosign");
        assert!(verify.is_keyless());
        let json = serde_json::to_value(&verify).expect("json");
        assert_eq!(json, serde_json::json!({"provider": "cosign"}));
    }

    #[test]
    fn notation_with_keys_is_not_keyless() {
        let verify: OCIRepositoryVerification = serde_json::from_value(serde_json::json!({
            "provider": "notation",
            "secretRef": {"name": "trust"},
        }))
        .expect("parse");
        assert_eq!(verify.provider.as_str(), "notation");
        assert!(!verify.is_keyless());
    }

    #[test]
    fn oidc_identities_use_fluxs_field_name() {
        let verify: OCIRepositoryVerification = serde_json::from_value(serde_json::json!({
            "matchOIDCIdentity": [{"issuer": "^https://token.actions.githubusercontent.com$", "subject": ".*"}],
        }))
        .expect("parse");
        assert_eq!(verify.match_oidc_identity[0].subject, ".*");
    }
}
