//! The parts of a Kustomization spec: source reference, decryption, post-build substitution,
//! and the kustomize types HelmRelease shares (as in fluxcd/pkg/apis/kustomize): patches,
//! images, selectors and health-check expressions; then drift rules.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::meta::LocalObjectReference;

/// The source kinds a Kustomization can build from.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
pub enum SourceKind {
    #[serde(rename = "OCIRepository")]
    OciRepository,
    #[default]
    GitRepository,
    Bucket,
    ExternalArtifact,
}

impl SourceKind {
    /// The kind name as Flux writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OciRepository => "OCIRepository",
            Self::GitRepository => "GitRepository",
            Self::Bucket => "Bucket",
            Self::ExternalArtifact => "ExternalArtifact",
        }
    }
}

impl std::fmt::Display for SourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reference to the source object holding the artifact, in this or another namespace.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CrossNamespaceSourceReference {
    /// API version of the source; the preferred one when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Kind of the source.
    pub kind: SourceKind,
    /// Name of the source.
    pub name: String,
    /// Namespace of the source; the Kustomization's own when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

impl std::fmt::Display for CrossNamespaceSourceReference {
    /// `Kind/name`, or `Kind/namespace/name` when a namespace is given, as Flux prints it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) if !ns.is_empty() => write!(f, "{}/{}/{}", self.kind, ns, self.name),
            _ => write!(f, "{}/{}", self.kind, self.name),
        }
    }
}

/// The decryption engines Flux supports.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum DecryptionProvider {
    #[default]
    #[serde(rename = "sops")]
    Sops,
}

/// How to decrypt encrypted Secrets before applying them.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Decryption {
    /// The decryption engine.
    pub provider: DecryptionProvider,
    /// A Secret with the private keys (and cloud credentials) to decrypt with; its static
    /// credentials take precedence over `serviceAccountName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// A service account whose identity authenticates with cloud KMS services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
}

/// Labels and annotations set on every applied object, overriding equal keys.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct CommonMetadata {
    /// Annotations to set.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Labels to set.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// Which kustomize build annotations to keep on the built objects.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
pub enum BuildMetadataOption {
    /// `config.kubernetes.io/origin`: the file each object came from.
    #[serde(rename = "originAnnotations")]
    OriginAnnotations,
    /// The transformers that changed each object.
    #[serde(rename = "transformerAnnotations")]
    TransformerAnnotations,
}

/// What happens to the applied objects when the Kustomization is deleted; `MirrorPrune`
/// when empty.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum DeletionPolicy {
    /// Delete when `spec.prune` is true, orphan otherwise.
    #[default]
    MirrorPrune,
    /// Delete the objects.
    Delete,
    /// Delete the objects and wait until they are gone.
    WaitForTermination,
    /// Leave the objects in the cluster.
    Orphan,
}

/// When post-build substitution runs; `WithVariables` when empty.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum SubstituteStrategy {
    /// Only when at least one variable is defined, inline or from references.
    #[default]
    WithVariables,
    /// Always, so `${var:=default}` expressions apply with no variables defined.
    Always,
}

/// What to do with the built YAML before applying it.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PostBuild {
    /// Variables and their values, substituted for `${var}` expressions (bash-style
    /// defaults, substrings and replacements included).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub substitute: BTreeMap<String, String>,
    /// ConfigMaps and Secrets whose data keys are variables to substitute.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub substitute_from: Vec<SubstituteReference>,
    /// When substitution runs; `WithVariables` when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub substitute_strategy: Option<SubstituteStrategy>,
}

/// The kinds that can hold substitution variables.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum SubstituteKind {
    #[default]
    Secret,
    ConfigMap,
}

/// A ConfigMap or Secret in the Kustomization's namespace holding variables.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct SubstituteReference {
    /// Kind of the referent.
    pub kind: SubstituteKind,
    /// Name of the referent.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
    /// Tolerate a missing referent, as if it were empty.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[schemars(extend("default" = false))]
    pub optional: bool,
}

/// Selects objects by group, version, kind, name, namespace, and label or annotation selectors.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Selector {
    /// An annotation selector expression, in label-selector syntax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation_selector: Option<String>,
    /// API group of the objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Kind of the objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A label selector expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<String>,
    /// Name of the objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Namespace of the objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// API version of the objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// An inline strategic-merge or JSON 6902 patch, and the objects it applies to.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct Patch {
    /// The patch: a strategic-merge YAML object or a JSON 6902 operation list.
    pub patch: String,
    /// The objects to patch; those the patch names when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Selector>,
}

/// An image override: a new name, tag or digest for an image name.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    /// A digest replacing the tag; `newTag` is ignored when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The image name to match, without tag.
    pub name: String,
    /// A new name for the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_name: Option<String>,
    /// A new tag for the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_tag: Option<String>,
}

/// CEL expressions that tell the health of a custom resource kind.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomHealthCheck {
    /// API version of the resources to evaluate.
    pub api_version: String,
    /// True when the resource reached its desired state.
    pub current: String,
    /// True when the resource failed to reach its desired state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed: Option<String>,
    /// True while the resource is still progressing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_progress: Option<String>,
    /// Kind of the resources to evaluate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// JSON pointers whose changes drift detection and apply leave alone.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct IgnoreRule {
    /// RFC 6901 JSON pointers to ignore.
    pub paths: Vec<String>,
    /// The objects the rule applies to; all applied objects when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Selector>,
}
