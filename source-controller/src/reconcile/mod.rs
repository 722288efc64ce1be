//! One GitRepository run: finalizer -> suspend -> the ordered steps (storage, source,
//! artifact), then one summary, one status write, an event on failure, a requeue.

mod include;
pub mod oci;
mod oci_copy;
mod oci_source;
pub mod oci_steps;
mod steps;
mod verify;

use std::sync::Arc;
use std::time::Instant;

use fluxion_api::meta::FluxObject;
use fluxion_api::source::conditions::NEGATIVE_POLARITY;
use fluxion_api::source::{GitRepository, GitRepositoryStatus};
use fluxion_runtime::backoff;
use fluxion_runtime::events::{EventSpec, META_DIGEST_KEY};
use fluxion_runtime::metrics::{ObjectLabels, ReconcileResult};
use fluxion_runtime::request::{RunAction, decide_for, requested_at};
use fluxion_runtime::status::{field_manager, patch_status};
use fluxion_runtime::summarize::{Outcome, apply_negative_polarity, finalize_status};
use fluxion_runtime::{conditions as cond, finalizer};
use kube::Api;
use kube::runtime::controller::Action;
use kube::runtime::reflector::ObjectRef;

use crate::config::CONTROLLER_NAME;
use crate::controller::Context;
use crate::error::Error;
use crate::plan;

/// The kube-runtime entry point.
pub async fn reconcile(obj: Arc<GitRepository>, ctx: Arc<Context>) -> Result<Action, Error> {
    let started = Instant::now();
    let ns = obj.metadata.namespace.clone().unwrap_or_default();
    let api: Api<GitRepository> = Api::namespaced(ctx.client.clone(), &ns);
    let labels = ObjectLabels::of(&*obj);
    match decide_for(&*obj) {
        RunAction::Ignore => return Ok(Action::await_change()),
        RunAction::Finalize { .. } => return finalize(&api, &obj, &ctx, started).await,
        RunAction::Suspended => {
            ctx.metrics.record_suspend(&labels, true);
            tracing::info!(name = ?obj.metadata.name, "reconciliation is suspended for this object");
            return Ok(Action::await_change());
        }
        RunAction::Reconcile { add_finalizer } => {
            ctx.metrics.record_suspend(&labels, false);
            // As Flux: add the finalizer and stop; the write's own event starts the real run,
            // which then sees the object as it is now rather than a cached copy from before.
            if add_finalizer {
                finalizer::add_finalizer(&api, &*obj).await?;
                return Ok(Action::requeue(std::time::Duration::ZERO));
            }
        }
    }

    let generation = obj.metadata.generation.unwrap_or_default();
    let mut status = obj.status.clone().unwrap_or_default();
    let mut commit_message = None;
    let outcome: Outcome = steps::run(&ctx, &obj, &mut status, &mut commit_message)
        .await
        .into();
    let outcome = apply_negative_polarity(outcome, &status.conditions, NEGATIVE_POLARITY);
    let now = cond::now();
    let requested = requested_at(obj.metadata.annotations.as_ref());
    finalize_status(&mut status, &outcome, generation, requested, &now);
    patch_status(&api, &*obj, &status, &field_manager(CONTROLLER_NAME)).await?;
    for c in &status.conditions {
        ctx.metrics.record_condition(&labels, &c.type_, &c.status);
    }
    match &outcome {
        Outcome::Failed(err) => ctx.recorder.record(&*obj, EventSpec::for_error(err)).await,
        _ => notify_success(&ctx, &obj, &status, commit_message.as_deref()).await,
    }

    let interval = obj.interval().unwrap_or_default();
    let after = ctx
        .requeuer
        .requeue_after(&ObjectRef::from_obj(&*obj), &outcome, interval);
    let result = ReconcileResult::of(&outcome, after);
    ctx.metrics
        .record_reconcile(CONTROLLER_NAME, &*obj, result, started.elapsed());
    Ok(backoff::action(after))
}

/// Flux's `notify`: an event for a new artifact, or for a recovery from a failure.
async fn notify_success(
    ctx: &Context,
    obj: &GitRepository,
    status: &GitRepositoryStatus,
    commit_message: Option<&str>,
) {
    let (Some(artifact), Some(message)) = (status.artifact.as_ref(), commit_message) else {
        return;
    };
    let old = obj.status.as_ref();
    let reason = plan::success_event(
        old.and_then(|s| s.artifact.as_ref()),
        old.map(|s| s.conditions.as_slice()).unwrap_or_default(),
        artifact,
        &status.conditions,
    );
    if let Some(reason) = reason {
        let event = EventSpec::normal(reason, plan::new_artifact_event(message))
            .with_revision(&artifact.revision)
            .with_metadata(META_DIGEST_KEY, &artifact.digest);
        ctx.recorder.record(obj, event).await;
    }
}

/// Deletion: the object's artifacts go, then the finalizer.
async fn finalize(
    api: &Api<GitRepository>,
    obj: &GitRepository,
    ctx: &Context,
    started: Instant,
) -> Result<Action, Error> {
    let dir = object_dir(obj);
    {
        let lock = ctx.storage.lock(&dir);
        let _held = lock.lock().await;
        let storage = ctx.storage.clone();
        let target = dir.clone();
        let removed = tokio::task::spawn_blocking(move || storage.remove_all(&target)).await;
        match removed {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                return Err(Error::Storage {
                    action: "remove artifacts",
                    message: e.to_string(),
                });
            }
            Err(e) => {
                return Err(Error::Storage {
                    action: "remove artifacts",
                    message: e.to_string(),
                });
            }
        }
    }
    match finalizer::remove_finalizer(api, obj).await {
        Err(e) if !e.is_not_found() => return Err(e.into()),
        _ => {}
    }
    ctx.requeuer.forget(&ObjectRef::from_obj(obj));
    ctx.metrics.record_reconcile(
        CONTROLLER_NAME,
        obj,
        ReconcileResult::Success,
        started.elapsed(),
    );
    Ok(Action::await_change())
}

/// The storage directory of an object's artifacts.
pub fn object_dir(obj: &GitRepository) -> String {
    plan::artifact_dir(
        plan::GIT_REPOSITORY_KIND,
        obj.metadata.namespace.as_deref().unwrap_or_default(),
        obj.metadata.name.as_deref().unwrap_or_default(),
    )
}
