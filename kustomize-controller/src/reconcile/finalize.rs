//! Deletion of a Kustomization: its applied objects go as `spec.deletionPolicy` says
//! (MirrorPrune follows `spec.prune`; Delete; WaitForTermination also waits for them to be
//! gone; Orphan keeps them), then the finalizer. As Flux does, a failure to delete is logged
//! and the finalizer removed anyway, so a deleted tenant cannot block its namespace.

use std::time::Instant;

use fluxion_api::kustomize::{DeletionPolicy, Kustomization};
use kube::Api;
use kube::runtime::controller::Action;

use crate::apply;
use crate::config::CONTROLLER_NAME;
use crate::controller::Context;
use crate::error::Error;

/// Flux's `finalizerShouldDeleteResources`.
pub fn should_delete(ks: &Kustomization) -> bool {
    if ks.spec.suspend {
        return false;
    }
    if ks.inventory().is_none_or(|inv| inv.entries.is_empty()) {
        return false;
    }
    matches!(
        ks.effective_deletion_policy(),
        DeletionPolicy::Delete | DeletionPolicy::WaitForTermination
    )
}

pub async fn finalize(
    api: &Api<Kustomization>,
    ks: &Kustomization,
    ctx: &Context,
    started: Instant,
) -> Result<Action, Error> {
    if should_delete(ks)
        && let Err(e) = delete_objects(ctx, ks).await
    {
        tracing::error!(error = %e, name = ?ks.metadata.name, "deleting the applied objects failed");
    }
    let metrics = &ctx.metrics;
    fluxion_runtime::gate::release(api, ks, &ctx.requeuer, metrics, CONTROLLER_NAME, started)
        .await
        .map_err(Error::from)
}

async fn delete_objects(ctx: &Context, ks: &Kustomization) -> Result<(), Error> {
    let client = super::steps::run_client(ctx, ks).await?;
    let entries = ks
        .inventory()
        .map(|i| i.entries.clone())
        .unwrap_or_default();
    let cache = ks
        .spec
        .kube_config
        .is_none()
        .then(|| ctx.kind_cache.clone());
    let manager = apply::manager(&client, cache);
    let deleted = apply::prune(&manager, ks, &entries).await?;
    if !deleted.is_empty() {
        tracing::info!(name = ?ks.metadata.name, output = %deleted, "garbage collection completed");
    }
    if ks.effective_deletion_policy() == DeletionPolicy::WaitForTermination {
        apply::wait_terminated(&manager, &entries, ks.timeout()).await?;
    }
    Ok(())
}
