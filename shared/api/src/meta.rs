//! Flux's shared API types (fluxcd/pkg/apis/meta): artifacts, references, request status,
//! and the traits every Flux kind implements so the runtime can treat them alike.

use std::collections::BTreeMap;
use std::time::Duration;

pub use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The annotation whose new value asks for a reconcile outside the interval.
pub const RECONCILE_REQUEST_ANNOTATION: &str = "reconcile.fluxcd.io/requestedAt";
/// Asks helm-controller to force a one-off release action (with the requestedAt value).
pub const FORCE_REQUEST_ANNOTATION: &str = "reconcile.fluxcd.io/forceAt";
/// Asks helm-controller to reset its failure counters (with the requestedAt value).
pub const RESET_REQUEST_ANNOTATION: &str = "reconcile.fluxcd.io/resetAt";
/// The one finalizer every Flux controller puts on the objects it owns.
pub const FINALIZER: &str = "finalizers.fluxcd.io";
/// Disables reconciliation of a single applied object when set to `disabled`.
pub const RECONCILE_ANNOTATION: &str = "kustomize.toolkit.fluxcd.io/reconcile";
/// The value of the opt-out annotations (`.../reconcile`, `.../prune`, `.../substitute`).
pub const DISABLED_VALUE: &str = "disabled";

/// The Flux artifact of a source, as written by source-controller to `status.artifact`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Artifact {
    /// Digest of the file, `<algorithm>:<checksum>`, e.g. `sha256:<hex>`.
    #[schemars(regex(pattern = r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$"))]
    pub digest: String,
    /// When the artifact last changed.
    pub last_update_time: Time,
    /// Extra data about the artifact, such as OCI annotations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BTreeMap<String, String>>,
    /// Relative path of the file in the storage: `<kind>/<namespace>/<name>/<file>`.
    pub path: String,
    /// Human-readable revision, e.g. `main@sha1:<commit>`.
    pub revision: String,
    /// Size of the file in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// HTTP address of the file on the source-controller's storage server.
    pub url: String,
}

/// A reference to an object in the same namespace.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct LocalObjectReference {
    /// Name of the referent.
    pub name: String,
}

/// A reference to an object in the same or, when set, another namespace.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct NamespacedObjectReference {
    /// Name of the referent.
    pub name: String,
    /// Namespace of the referent; the referrer's namespace when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// A reference to an object of a given kind, in the same or another namespace.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NamespacedObjectKindReference {
    /// API version of the referent; the kind's preferred version when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Kind of the referent.
    pub kind: String,
    /// Name of the referent.
    pub name: String,
    /// Namespace of the referent; the referrer's namespace when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// A key of a Secret in the same namespace.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct SecretKeyReference {
    /// Key in the Secret; a per-use default applies when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Name of the Secret.
    pub name: String,
}

/// Which namespaces may refer to an object across namespaces (fluxcd/pkg/apis/acl).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccessFrom {
    /// Namespace selectors, any of which grants access.
    pub namespace_selectors: Vec<NamespaceSelector>,
}

/// Selects namespaces by labels; an empty selector matches every namespace.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceSelector {
    /// Labels the namespace must all have.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub match_labels: BTreeMap<String, String>,
}

impl AccessFrom {
    /// Whether a namespace with these labels is granted access.
    pub fn allows(&self, namespace_labels: &BTreeMap<String, String>) -> bool {
        self.namespace_selectors.iter().any(|s| {
            s.match_labels
                .iter()
                .all(|(k, v)| namespace_labels.get(k) == Some(v))
        })
    }
}

/// The status part that records the last handled `reconcile.fluxcd.io/requestedAt` value.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReconcileRequestStatus {
    /// The last handled reconcile request value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_reconcile_at: Option<String>,
}

/// The parts of a Flux status that every controller maintains the same way.
pub trait FluxStatus: Default + Clone + PartialEq + Serialize + Send + Sync + 'static {
    fn conditions(&self) -> &[Condition];
    fn conditions_mut(&mut self) -> &mut Vec<Condition>;
    fn observed_generation(&self) -> Option<i64>;
    fn set_observed_generation(&mut self, generation: i64);
    fn last_handled_reconcile_at(&self) -> Option<&str>;
    fn set_last_handled_reconcile_at(&mut self, value: Option<String>);
}

/// Implements [`FluxStatus`] for a status struct with Flux's usual field names:
/// `conditions: Vec<Condition>`, `observed_generation: Option<i64>`,
/// `last_handled_reconcile_at: Option<String>`.
#[macro_export]
macro_rules! impl_flux_status {
    ($($status:ty),+ $(,)?) => {$(
        impl $crate::meta::FluxStatus for $status {
            fn conditions(&self) -> &[$crate::meta::Condition] {
                &self.conditions
            }
            fn conditions_mut(&mut self) -> &mut Vec<$crate::meta::Condition> {
                &mut self.conditions
            }
            fn observed_generation(&self) -> Option<i64> {
                self.observed_generation
            }
            fn set_observed_generation(&mut self, generation: i64) {
                self.observed_generation = Some(generation);
            }
            fn last_handled_reconcile_at(&self) -> Option<&str> {
                self.last_handled_reconcile_at.as_deref()
            }
            fn set_last_handled_reconcile_at(&mut self, value: Option<String>) {
                self.last_handled_reconcile_at = value;
            }
        }
    )+};
}

/// Implements [`FluxObject`] for a kind with `status: Option<$status>` and `spec.suspend: bool`.
/// The interval is `spec.interval` parsed, unless an expression of the object is given for a
/// kind whose interval is optional or conditional: `impl_flux_object!(K, S, |k| k.interval())`.
#[macro_export]
macro_rules! impl_flux_object {
    ($kind:ty, $status:ty) => {
        $crate::impl_flux_object!($kind, $status, |object| {
            $crate::duration::parse_duration(&object.spec.interval).ok()
        });
    };
    ($kind:ty, $status:ty, |$object:ident| $interval:expr) => {
        impl $crate::meta::FluxObject for $kind {
            type Status = $status;

            fn flux_status(&self) -> Option<&$status> {
                self.status.as_ref()
            }

            fn suspended(&self) -> bool {
                self.spec.suspend
            }

            fn interval(&self) -> Option<::std::time::Duration> {
                let $object = self;
                $interval
            }
        }
    };
}

/// Implements [`Source`] for source kinds whose status has `artifact: Option<Artifact>`.
#[macro_export]
macro_rules! impl_source {
    ($($kind:ty),+ $(,)?) => {$(
        impl $crate::meta::Source for $kind {
            fn artifact(&self) -> Option<&$crate::meta::Artifact> {
                self.status.as_ref()?.artifact.as_ref()
            }
        }
    )+};
}

/// What the runtime needs to know of any reconciled Flux object.
pub trait FluxObject: kube::Resource<DynamicType = ()> + Clone + Send + Sync + 'static {
    type Status: FluxStatus;
    /// The status, if the object has one yet.
    fn flux_status(&self) -> Option<&Self::Status>;
    /// `spec.suspend`; false for kinds without it.
    fn suspended(&self) -> bool;
    /// The reconcile interval, if the kind has one (a malformed value was refused by the schema,
    /// so the caller's fallback is used then).
    fn interval(&self) -> Option<Duration>;
}

/// The artifact a source object exposes, for consumers that read any source kind alike.
pub trait Source {
    fn artifact(&self) -> Option<&Artifact>;
}

/// Parses an optional duration field, falling back to `default` when empty or malformed.
pub fn duration_or(value: Option<&str>, default: Duration) -> Duration {
    value
        .and_then(|v| crate::duration::parse_duration(v).ok())
        .unwrap_or(default)
}

/// A reference to the kubeconfig of a remote cluster: a Secret key or a ConfigMap that
/// describes a cloud provider's cluster. Exactly one of the two is set (validated as in Flux's
/// meta package, whose message names the `spec.kubeConfig` field of the kinds that use it).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [
    {
        "message": "exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified",
        "rule": "has(self.configMapRef) || has(self.secretRef)"
    },
    {
        "message": "exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified",
        "rule": "!has(self.configMapRef) || !has(self.secretRef)"
    }
]))]
pub struct KubeConfigReference {
    /// A ConfigMap with the keys `provider`, `cluster`, `address`, `ca.crt`, `audiences` and
    /// `serviceAccountName`. Mutually exclusive with `secretRef`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map_ref: Option<LocalObjectReference>,
    /// A Secret key holding a kubeconfig file (key `value` when empty). Mutually exclusive
    /// with `configMapRef`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretKeyReference>,
}

/// An object this one depends on, in the same or another namespace, with an optional CEL
/// expression that decides readiness instead of the Ready condition.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DependencyReference {
    /// Name of the referent.
    pub name: String,
    /// Namespace of the referent; the referrer's namespace when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// A CEL expression evaluated against the dependency that must return true for it to
    /// count as ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_expr: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_selector_matches_every_namespace() {
        let access = AccessFrom {
            namespace_selectors: vec![NamespaceSelector::default()],
        };
        assert!(access.allows(&BTreeMap::new()));
        assert!(!AccessFrom::default().allows(&BTreeMap::new()));
    }
}
