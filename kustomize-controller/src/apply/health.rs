//! Health checks after apply: which objects (`spec.wait`: all applied; else
//! `spec.healthChecks`; never the Kustomization itself), and the kstatus wait within
//! `spec.timeout` that a new source revision cancels.

use std::time::Duration;

use fluxion_api::kustomize::{Kustomization, ObjectId, ResourceInventory, ResourceRef};
use fluxion_ssa::{CancellationToken, ObjMetadata, ResourceManager, WaitError, WaitOptions};
use kube::ResourceExt;

/// How often health is polled (Flux polls every 5s; a shorter poll reports health sooner).
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);

/// The objects to check, as inventory entries.
pub fn targets(ks: &Kustomization, applied: &ResourceInventory) -> Vec<ResourceRef> {
    let own_ns = ks.namespace().unwrap_or_default();
    let own = ObjectId::new(
        &own_ns,
        &ks.name_any(),
        "kustomize.toolkit.fluxcd.io",
        "Kustomization",
    )
    .to_string();
    let entries: Vec<ResourceRef> = if ks.spec.wait {
        applied.entries.clone()
    } else {
        ks.spec
            .health_checks
            .iter()
            .map(|h| {
                let api_version = h.api_version.clone().unwrap_or_default();
                let (group, version) = match api_version.rsplit_once('/') {
                    Some((g, v)) => (g.to_string(), v.to_string()),
                    None => (String::new(), api_version),
                };
                let ns = h
                    .namespace
                    .clone()
                    .filter(|n| !n.is_empty())
                    .unwrap_or(own_ns.clone());
                ResourceRef::new(&ObjectId::new(&ns, &h.name, &group, &h.kind), &version)
            })
            .collect()
    };
    entries.into_iter().filter(|e| e.id != own).collect()
}

/// How a wait ended badly.
#[derive(Debug, PartialEq, Eq)]
pub enum Unhealthy {
    /// Not healthy in time (or failed); the message lists the objects.
    Failed(String),
    /// A new revision arrived.
    Cancelled,
}

/// Waits until every target is Current.
pub async fn wait(
    manager: &ResourceManager,
    targets: &[ResourceRef],
    timeout: Duration,
    cancel: &CancellationToken,
) -> Result<(), Unhealthy> {
    let set = targets
        .iter()
        .map(ObjMetadata::from_resource_ref)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Unhealthy::Failed(e.to_string()))?;
    let opts = WaitOptions {
        interval: POLL_INTERVAL,
        timeout,
        fail_fast: false,
    };
    match manager.wait_for_set(&set, &opts, cancel).await {
        Ok(()) => Ok(()),
        Err(WaitError::Cancelled) => Err(Unhealthy::Cancelled),
        Err(e) => Err(Unhealthy::Failed(e.to_string())),
    }
}
