//! The apply side of a run, glue over fluxion-ssa: the client to apply with ([`client`]),
//! staged server-side apply with Flux's options and change set, pruning of stale objects,
//! and health waits ([`health`]).

pub mod client;
pub mod health;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use fluxion_api::kustomize::{FIELD_MANAGER, Kustomization, ResourceInventory, ResourceRef};
use fluxion_ssa::manager::KindCache;
use fluxion_ssa::{
    Action, ApplyOptions, CancellationToken, ChangeSet, ChangeSetEntry, DeleteOptions,
    FieldManager, ManagedFieldsOperation, ObjMetadata, Owner, ResourceManager, WaitOptions,
};
use kube::ResourceExt;
use kube::api::DynamicObject;
use serde_json::Value;

use crate::build::decrypt;
use crate::error::Error;

/// What an apply did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    /// The objects applied (not skipped), in apply order: the new inventory.
    pub inventory: ResourceInventory,
    /// Inventory ids of objects skipped on purpose (`ssa: Ignore`, `reconcile: disabled`).
    pub skipped: HashSet<String>,
    /// One line per created or configured object, Flux's change-set text.
    pub change_log: String,
}

/// The resource manager of a run; `cache` is shared when the client talks to the
/// controller's own cluster.
pub fn manager(client: &kube::Client, cache: Option<Arc<KindCache>>) -> ResourceManager {
    let manager = ResourceManager::new(client.clone(), Owner::kustomize_controller());
    match cache {
        Some(cache) => manager.with_kind_cache(cache),
        None => manager,
    }
}

/// Applies the built objects in Flux's stages with the Kustomization's options.
pub async fn apply(
    client: &kube::Client,
    cache: Option<Arc<KindCache>>,
    ks: &Kustomization,
    objects: Vec<Value>,
    override_managers: &[String],
) -> Result<Applied, Error> {
    let objs = to_objects(ks, objects)?;
    let opts = apply_options(ks, override_managers);
    let cs = staged(client, cache, objs, opts).await?;
    Ok(summarize(&cs))
}

/// Runs the staged apply on a blocking thread that drives it with the runtime's handle.
// The engine's dry-run stream borrows its objects in a way the compiler cannot prove `Send`
// inside the controller's future; driving it here needs no `Send` proof and keeps the
// runtime's workers free while it waits on the API.
async fn staged(
    client: &kube::Client,
    cache: Option<Arc<KindCache>>,
    objs: Vec<DynamicObject>,
    opts: ApplyOptions,
) -> Result<ChangeSet, Error> {
    let client = client.clone();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let manager = manager(&client, cache);
        handle.block_on(async { manager.apply_all_staged(&objs, &opts).await })
    })
    .await
    .map_err(|e| Error::Apply(format!("apply task failed: {e}")))?
    .map_err(|e| Error::Apply(e.to_string()))
}

/// The built objects as the API takes them: checked, normalized, with commonMetadata and the
/// owner labels, and no SOPS-encrypted object without decryption.
fn to_objects(ks: &Kustomization, objects: Vec<Value>) -> Result<Vec<DynamicObject>, Error> {
    let mut objs = Vec::with_capacity(objects.len());
    for value in objects {
        if decrypt::is_encrypted_secret(&value) && !decrypt::decryption_disabled(&value) {
            return Err(Error::Apply(format!(
                "{} is SOPS encrypted, configuring decryption is required for this secret to be reconciled",
                subject(&value)
            )));
        }
        let obj: DynamicObject = serde_json::from_value(value.clone())
            .map_err(|e| Error::Apply(format!("{}: {e}", subject(&value))))?;
        fluxion_ssa::unstructured::check_kubernetes_object(&obj)
            .map_err(|problem| Error::Apply(format!("{}: {problem}", subject(&value))))?;
        objs.push(obj);
    }
    fluxion_ssa::normalize::normalize_list(&mut objs);
    if let Some(common) = &ks.spec.common_metadata {
        for obj in &mut objs {
            extend(&mut obj.metadata.labels, &common.labels);
            extend(&mut obj.metadata.annotations, &common.annotations);
        }
    }
    let owner = Owner::kustomize_controller();
    let (name, namespace) = (ks.name_any(), ks.namespace().unwrap_or_default());
    fluxion_ssa::unstructured::set_owner_labels(&mut objs, &owner, &name, &namespace);
    Ok(objs)
}

fn extend(map: &mut Option<BTreeMap<String, String>>, with: &BTreeMap<String, String>) {
    if !with.is_empty() {
        map.get_or_insert_with(BTreeMap::new).extend(with.clone());
    }
}

/// `Kind/namespace/name` (or `Kind/name`) of a built object, as Flux names objects.
fn subject(obj: &Value) -> String {
    let get = |p: &str| obj.pointer(p).and_then(Value::as_str).unwrap_or_default();
    match get("/metadata/namespace") {
        "" => format!("{}/{}", get("/kind"), get("/metadata/name")),
        ns => format!("{}/{ns}/{}", get("/kind"), get("/metadata/name")),
    }
}

/// Flux's apply options for a Kustomization, with `--override-manager` field managers
/// taken over as kubectl's are.
pub fn apply_options(ks: &Kustomization, override_managers: &[String]) -> ApplyOptions {
    let mut opts = ApplyOptions::flux(FIELD_MANAGER, ks.spec.force);
    // The definitions of the first stage get the Kustomization's whole timeout to settle.
    opts.wait_timeout = ks.timeout();
    for name in override_managers {
        for op in [
            ManagedFieldsOperation::Apply,
            ManagedFieldsOperation::Update,
        ] {
            opts.cleanup
                .field_managers
                .push(FieldManager::new(name, op));
        }
    }
    opts
}

/// The inventory (skipped objects left out), the skipped ids and the change log.
pub fn summarize(cs: &ChangeSet) -> Applied {
    let mut kept = ChangeSet::new();
    let mut skipped = HashSet::new();
    let mut log = Vec::new();
    for e in &cs.entries {
        match e.action {
            Action::Skipped => {
                skipped.insert(e.obj.to_resource_ref(e.version()).id);
            }
            action => {
                if matches!(action, Action::Created | Action::Configured) {
                    log.push(e.to_string());
                }
                kept.add(e.clone());
            }
        }
    }
    Applied {
        inventory: kept.to_inventory(),
        skipped,
        change_log: log.join("\n"),
    }
}

/// Deletes the stale objects this Kustomization still owns (owner labels match, not
/// `prune: disabled`); returns the lines of what was deleted.
pub async fn prune(
    manager: &ResourceManager,
    ks: &Kustomization,
    stale: &[ResourceRef],
) -> Result<String, Error> {
    if stale.is_empty() {
        return Ok(String::new());
    }
    let objs = stale
        .iter()
        .map(fluxion_ssa::unstructured::from_resource_ref)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::Prune(e.to_string()))?;
    let opts = DeleteOptions::flux_prune(
        manager.owner(),
        &ks.name_any(),
        &ks.namespace().unwrap_or_default(),
    );
    let cs = manager
        .delete_all(&objs, &opts)
        .await
        .map_err(|e| Error::Prune(e.to_string()))?;
    let lines: Vec<String> = cs
        .entries
        .iter()
        .filter(|e| e.action == Action::Deleted)
        .map(ChangeSetEntry::to_string)
        .collect();
    Ok(lines.join("\n"))
}

/// Waits until the objects are gone (deletionPolicy WaitForTermination).
pub async fn wait_terminated(
    manager: &ResourceManager,
    entries: &[ResourceRef],
    timeout: std::time::Duration,
) -> Result<(), Error> {
    let mut cs = ChangeSet::new();
    for r in entries {
        let meta = ObjMetadata::from_resource_ref(r).map_err(|e| Error::Prune(e.to_string()))?;
        let api_version = r.api_version().map_err(|e| Error::Prune(e.to_string()))?;
        cs.add(ChangeSetEntry::new(meta, &api_version, Action::Deleted));
    }
    let opts = WaitOptions {
        interval: health::POLL_INTERVAL,
        timeout,
        fail_fast: false,
    };
    manager
        .wait_for_termination(&cs, &opts, &CancellationToken::new())
        .await
        .map_err(|e| Error::Prune(e.to_string()))
}
