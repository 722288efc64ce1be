//! Options of apply, delete and wait, with Flux's defaults and the presets kustomize-controller
//! configures (ssa / force / prune / reconcile annotations, kubectl cleanup).

use std::collections::BTreeMap;
use std::time::Duration;

/// Annotation (or label) keys Flux reads on applied objects.
pub const SSA_KEY: &str = "kustomize.toolkit.fluxcd.io/ssa";
pub const FORCE_KEY: &str = "kustomize.toolkit.fluxcd.io/force";
pub const PRUNE_KEY: &str = "kustomize.toolkit.fluxcd.io/prune";
pub const RECONCILE_KEY: &str = "kustomize.toolkit.fluxcd.io/reconcile";
/// Owner labels kustomize-controller sets on every object it applies.
pub const OWNER_NAME_LABEL: &str = "kustomize.toolkit.fluxcd.io/name";
pub const OWNER_NAMESPACE_LABEL: &str = "kustomize.toolkit.fluxcd.io/namespace";
/// kubectl's client-side apply record, removed when Flux takes an object over.
pub const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Values of the annotations above (compared case-insensitively, as Flux does).
pub const MERGE_VALUE: &str = "Merge";
pub const IF_NOT_PRESENT_VALUE: &str = "IfNotPresent";
pub const IGNORE_VALUE: &str = "Ignore";
pub const ENABLED_VALUE: &str = "enabled";
pub const DISABLED_VALUE: &str = "disabled";

/// Who applies: the field manager name and the API group of the owning kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    pub field: String,
    pub group: String,
}

impl Owner {
    pub fn new(field: &str, group: &str) -> Self {
        Self {
            field: field.to_string(),
            group: group.to_string(),
        }
    }

    /// kustomize-controller's owner.
    pub fn kustomize_controller() -> Self {
        Self::new("kustomize-controller", "kustomize.toolkit.fluxcd.io")
    }

    /// The labels `<group>/name` and `<group>/namespace` marking objects of one owner object.
    pub fn labels(&self, name: &str, namespace: &str) -> BTreeMap<String, String> {
        BTreeMap::from([
            (format!("{}/name", self.group), name.to_string()),
            (format!("{}/namespace", self.group), namespace.to_string()),
        ])
    }
}

/// The kind of write a managedFields entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManagedFieldsOperation {
    Apply,
    Update,
}

impl ManagedFieldsOperation {
    pub fn as_str(self) -> &'static str {
        match self {
            ManagedFieldsOperation::Apply => "Apply",
            ManagedFieldsOperation::Update => "Update",
        }
    }
}

/// A field manager whose entries cleanup hands over to the owner. `name` is a prefix,
/// as in Flux (`kubectl` matches `kubectl-client-side-apply`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldManager {
    pub name: String,
    pub operation: ManagedFieldsOperation,
}

impl FieldManager {
    pub fn new(name: &str, operation: ManagedFieldsOperation) -> Self {
        Self {
            name: name.to_string(),
            operation,
        }
    }
}

/// Which metadata of live objects is removed before applying.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyCleanupOptions {
    pub annotations: Vec<String>,
    pub labels: Vec<String>,
    pub field_managers: Vec<FieldManager>,
    /// Objects (desired or live) with any of these label/annotation values are not cleaned.
    pub exclusions: BTreeMap<String, String>,
}

impl ApplyCleanupOptions {
    /// What kustomize-controller removes: kubectl's last-applied annotation, and the managers
    /// of `kubectl apply` (client and server side), `before-first-apply`, and the owner's own
    /// pre-SSA `Update` entries; skipped for objects marked `ssa: Merge`.
    pub fn flux(owner_field: &str) -> Self {
        use ManagedFieldsOperation::{Apply, Update};
        Self {
            annotations: vec![LAST_APPLIED_ANNOTATION.to_string()],
            labels: Vec::new(),
            field_managers: vec![
                FieldManager::new("kubectl", Apply),
                FieldManager::new("kubectl", Update),
                FieldManager::new("before-first-apply", Update),
                FieldManager::new(owner_field, Update),
            ],
            exclusions: BTreeMap::from([(SSA_KEY.to_string(), MERGE_VALUE.to_string())]),
        }
    }
}

/// Options of [`crate::ResourceManager::apply`] and friends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplyOptions {
    /// Recreate objects whose apply fails on immutable fields.
    pub force: bool,
    /// Objects (desired or live) with any of these values are recreated on immutable errors.
    pub force_selector: BTreeMap<String, String>,
    /// Objects (desired or live) with any of these values are skipped.
    pub exclusion_selector: BTreeMap<String, String>,
    /// Desired objects with any of these values are only created, never patched.
    pub if_not_present_selector: BTreeMap<String, String>,
    /// How often to poll definitions applied in the first stage.
    pub wait_interval: Duration,
    /// How long to wait for definitions applied in the first stage.
    pub wait_timeout: Duration,
    pub cleanup: ApplyCleanupOptions,
}

impl Default for ApplyOptions {
    /// Flux's `DefaultApplyOptions`: no force, poll every 2s for at most 60s.
    fn default() -> Self {
        Self {
            force: false,
            force_selector: BTreeMap::new(),
            exclusion_selector: BTreeMap::new(),
            if_not_present_selector: BTreeMap::new(),
            wait_interval: Duration::from_secs(2),
            wait_timeout: Duration::from_secs(60),
            cleanup: ApplyCleanupOptions::default(),
        }
    }
}

impl ApplyOptions {
    /// The options kustomize-controller applies with: `spec.force`, the per-object
    /// `ssa: Ignore` / `reconcile: disabled` (skip), `ssa: IfNotPresent`, `force: enabled`
    /// annotations, and [`ApplyCleanupOptions::flux`].
    pub fn flux(owner_field: &str, force: bool) -> Self {
        let kv = |k: &str, v: &str| (k.to_string(), v.to_string());
        Self {
            force,
            force_selector: BTreeMap::from([kv(FORCE_KEY, ENABLED_VALUE)]),
            exclusion_selector: BTreeMap::from([
                kv(RECONCILE_KEY, DISABLED_VALUE),
                kv(SSA_KEY, IGNORE_VALUE),
            ]),
            if_not_present_selector: BTreeMap::from([kv(SSA_KEY, IF_NOT_PRESENT_VALUE)]),
            cleanup: ApplyCleanupOptions::flux(owner_field),
            ..Self::default()
        }
    }
}

/// How dependents are deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PropagationPolicy {
    #[default]
    Background,
    Foreground,
    Orphan,
}

/// Options of [`crate::ResourceManager::delete`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    pub propagation_policy: PropagationPolicy,
    /// Only live objects whose labels include all of these are deleted (empty: all).
    pub inclusions: BTreeMap<String, String>,
    /// Live objects with any of these label/annotation values are skipped.
    pub exclusions: BTreeMap<String, String>,
}

impl DeleteOptions {
    /// kustomize-controller's prune: only objects still labelled with this owner, never one
    /// marked `prune: disabled` or `reconcile: disabled`.
    pub fn flux_prune(owner: &Owner, name: &str, namespace: &str) -> Self {
        let kv = |k: &str, v: &str| (k.to_string(), v.to_string());
        Self {
            propagation_policy: PropagationPolicy::Background,
            inclusions: owner.labels(name, namespace),
            exclusions: BTreeMap::from([
                kv(PRUNE_KEY, DISABLED_VALUE),
                kv(RECONCILE_KEY, DISABLED_VALUE),
            ]),
        }
    }
}

/// Options of [`crate::ResourceManager::wait_for_set`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitOptions {
    pub interval: Duration,
    pub timeout: Duration,
    /// Return as soon as one object is Failed.
    pub fail_fast: bool,
}

impl Default for WaitOptions {
    /// Flux's `DefaultWaitOptions`: poll every 5s for at most 60s.
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(5),
            timeout: Duration::from_secs(60),
            fail_fast: false,
        }
    }
}
