//! Receiver (notification.toolkit.fluxcd.io/v1): a webhook that triggers reconciles.

use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::flux_string_enum;
use super::reference::CrossNamespaceObjectReference;
use crate::meta::{Condition, LocalObjectReference};

/// The prefix of every Receiver webhook path.
pub const RECEIVER_WEBHOOK_PATH_PREFIX: &str = "/hook/";
/// The reconcile interval of a Receiver when `spec.interval` is unset.
pub const DEFAULT_RECEIVER_INTERVAL: Duration = Duration::from_secs(600);
/// The expected `aud` claim of a generic-oidc token when the provider sets no audience.
pub const DEFAULT_OIDC_AUDIENCE: &str = "notification-controller";
/// The key of the Receiver's Secret that holds the token.
pub const TOKEN_SECRET_KEY: &str = "token";

/// Receiver exposes a webhook path (derived from a secret token) that, when called by a Git
/// host, registry or CI, asks for a reconcile of the listed Flux objects.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[kube(
    group = "notification.toolkit.fluxcd.io",
    version = "v1",
    kind = "Receiver",
    plural = "receivers",
    category = "all",
    category = "fluxcd",
    category = "fluxcd-notifications",
    namespaced,
    status = "ReceiverStatus",
    annotation("kustomize.toolkit.fluxcd.io/substitute", "disabled"),
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Status","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].message"}"#
)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [
    {
        "rule": "self.type != 'generic-oidc' || (has(self.oidcProviders) && size(self.oidcProviders) > 0)",
        "message": "generic-oidc receivers must define at least one oidcProvider"
    },
    {
        "rule": "self.type == 'generic-oidc' || !has(self.oidcProviders) || size(self.oidcProviders) == 0",
        "message": "oidcProviders can only be set when type is generic-oidc"
    },
    {
        "rule": "self.type != 'generic-oidc' || !has(self.secretRef)",
        "message": "secretRef cannot be set when type is generic-oidc"
    },
    {
        "rule": "self.type == 'generic-oidc' || has(self.secretRef)",
        "message": "secretRef is required when type is not generic-oidc"
    }
]))]
pub struct ReceiverSpec {
    /// Event types of the sender to act on (e.g. `push` for GitHub); all when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<String>,
    /// How often the Receiver is reconciled with its Secret; 10m when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "receiver_interval_schema")]
    pub interval: Option<String>,
    /// The OIDC issuers trusted by a `generic-oidc` Receiver, one per issuer URL.
    #[serde(
        default,
        rename = "oidcProviders",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[schemars(extend("x-kubernetes-list-type" = "map", "x-kubernetes-list-map-keys" = ["issuerURL"]))]
    pub oidc_providers: Vec<OidcProvider>,
    /// CEL expression over `res` (the object), `req` (the request body) and, for generic-oidc,
    /// `claims`; objects for which it is false are not reconciled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_filter: Option<String>,
    /// The objects to reconcile when the webhook is called.
    pub resources: Vec<ReceiverResource>,
    /// Secret with the `token` that authenticates calls (and, for gcr, `email` and `audience`);
    /// required unless the type is `generic-oidc`, which must not set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// Stops handling webhook calls for this Receiver.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspend: bool,
    /// The kind of sender, which decides how calls are authenticated and parsed.
    #[serde(rename = "type")]
    pub type_: ReceiverType,
}

fn receiver_interval_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "pattern": crate::duration::DURATION_PATTERN, "default": "10m" })
}

flux_string_enum! {
    /// The webhook senders a Receiver understands.
    ReceiverType {
        Generic = "generic",
        GenericHmac = "generic-hmac",
        GenericOidc = "generic-oidc",
        GitHub = "github",
        GitLab = "gitlab",
        Bitbucket = "bitbucket",
        Harbor = "harbor",
        DockerHub = "dockerhub",
        Quay = "quay",
        Gcr = "gcr",
        Nexus = "nexus",
        Acr = "acr",
        CdEvents = "cdevents",
    }
}

impl ReceiverType {
    /// Whether calls are authenticated with a token from `secretRef` (all types but generic-oidc).
    pub fn uses_secret_token(self) -> bool {
        self != Self::GenericOidc
    }
}

/// An object (or all matching objects) to reconcile, with an optional CEL filter of its own.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, JsonSchema)]
pub struct ReceiverResource {
    /// Which objects.
    #[serde(flatten)]
    pub reference: CrossNamespaceObjectReference,
    /// CEL expression (like `resourceFilter`, and in addition to it) for this reference only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
}

/// An OIDC issuer trusted by a `generic-oidc` Receiver, with the checks its tokens must pass.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct OidcProvider {
    /// Expected `aud` claim; `notification-controller` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// Issuer URL used for discovery; must equal the token's `iss` claim.
    #[serde(rename = "issuerURL")]
    #[schemars(regex(pattern = r"^https?://"))]
    pub issuer_url: String,
    /// CEL checks over `claims` and `vars`; a token is accepted only when all are true.
    #[schemars(length(min = 1))]
    pub validations: Vec<OidcValidation>,
    /// Named CEL expressions evaluated in order and exposed as `vars.<name>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<OidcVariable>,
}

impl OidcProvider {
    /// The expected audience: `audience`, or `notification-controller` when unset or empty.
    pub fn audience(&self) -> &str {
        match self.audience.as_deref() {
            None | Some("") => DEFAULT_OIDC_AUDIENCE,
            Some(audience) => audience,
        }
    }
}

/// A named CEL expression over the token claims.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct OidcVariable {
    /// The CEL expression.
    pub expression: String,
    /// The variable name, a CEL identifier.
    pub name: String,
}

/// A CEL check over the token claims, with the message returned when it fails.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct OidcValidation {
    /// The CEL expression, which must return a boolean.
    pub expression: String,
    /// Returned to the caller when the expression is false.
    pub message: String,
}

/// The observed state of a Receiver.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("default" = {"observedGeneration": -1}))]
pub struct ReceiverStatus {
    /// The observations of the Receiver's current state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "crate::schema::conditions")]
    pub conditions: Vec<Condition>,
    /// The last handled `reconcile.fluxcd.io/requestedAt` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_reconcile_at: Option<String>,
    /// The generation of the spec last reconciled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// The path the webhook is served at: `/hook/<sha256 hex of token + name + namespace>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_path: Option<String>,
}

crate::impl_flux_status!(ReceiverStatus);

impl Receiver {
    /// The webhook path for `token` as Flux computes it: `/hook/` followed by the hex SHA-256
    /// of token, name and namespace concatenated. generic-oidc Receivers have no token: pass "".
    pub fn webhook_path(&self, token: &str) -> String {
        let name = self.metadata.name.as_deref().unwrap_or_default();
        let namespace = self.metadata.namespace.as_deref().unwrap_or_default();
        let digest = hex::encode(sha2::Sha256::digest(
            format!("{token}{name}{namespace}").as_bytes(),
        ));
        format!("{RECEIVER_WEBHOOK_PATH_PREFIX}{digest}")
    }

    /// `spec.interval`, 10m when unset.
    pub fn requeue_after(&self) -> Duration {
        crate::meta::duration_or(self.spec.interval.as_deref(), DEFAULT_RECEIVER_INTERVAL)
    }

    /// The namespace of a listed resource: its own, or the Receiver's when unset.
    pub fn resource_namespace<'a>(&'a self, resource: &'a ReceiverResource) -> &'a str {
        resource
            .reference
            .namespace_or(self.metadata.namespace.as_deref().unwrap_or_default())
    }
}

crate::impl_flux_object!(Receiver, ReceiverStatus, |receiver| Some(
    receiver.requeue_after()
));

/// The CRDs this module defines.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    vec![<Receiver as kube::CustomResourceExt>::crd()]
}

#[cfg(test)]
mod tests;
