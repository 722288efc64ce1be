//! One OCIRepository run, as Flux's `OCIRepositoryReconciler`: finalizer -> suspend -> the
//! ordered steps (storage, source, artifact), then one summary, one status write, an event, a
//! requeue; plus the kube-runtime controller that drives it.

use std::sync::Arc;
use std::time::Instant;

use fluxion_api::meta::FluxObject;
use fluxion_api::source::conditions::NEGATIVE_POLARITY;
use fluxion_api::source::{OCIRepository, OCIRepositoryStatus};
use fluxion_runtime::backoff;
use fluxion_runtime::events::{EventSpec, META_DIGEST_KEY};
use fluxion_runtime::flags::RuntimeConfig;
use fluxion_runtime::metrics::{ObjectLabels, ReconcileResult};
use fluxion_runtime::request::{RunAction, decide_for, requested_at};
use fluxion_runtime::status::{field_manager, patch_status};
use fluxion_runtime::summarize::{Outcome, apply_negative_polarity, finalize_status};
use fluxion_runtime::{conditions as cond, finalizer};
use futures::StreamExt;
use kube::Api;
use kube::runtime::controller::{Action, Config as ControllerConfig, Controller};
use kube::runtime::reflector::ObjectRef;
use kube::runtime::watcher;

use crate::config::CONTROLLER_NAME;
use crate::controller::Context;
use crate::error::Error;
use crate::plan;

/// Runs the OCIRepository controller until `shutdown` completes.
pub async fn run(
    ctx: Arc<Context>,
    runtime: &RuntimeConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + Sync + 'static,
) {
    let api: Api<OCIRepository> = match &runtime.watch.namespace {
        Some(ns) => Api::namespaced(ctx.client.clone(), ns),
        None => Api::all(ctx.client.clone()),
    };
    let mut watch = watcher::Config::default();
    if let Some(selector) = &runtime.watch.label_selector {
        watch = watch.labels(selector);
    }
    let concurrency = u16::try_from(runtime.concurrent).unwrap_or(u16::MAX);
    Controller::new(api, watch)
        .with_config(ControllerConfig::default().concurrency(concurrency))
        .graceful_shutdown_on(shutdown)
        .run(reconcile, error_policy, ctx)
        .for_each(|result| async move {
            if let Err(e) = result {
                tracing::debug!(error = %e, "OCIRepository reconcile loop");
            }
        })
        .await;
}

/// Failures that escape a run (status or finalizer writes) are retried with the backoff.
fn error_policy(obj: Arc<OCIRepository>, error: &Error, ctx: Arc<Context>) -> Action {
    tracing::warn!(error = %error, name = ?obj.metadata.name, "OCIRepository reconcile failed");
    let outcome = Outcome::Failed(fluxion_runtime::error::ReconcileError::retry(
        "ReconciliationFailed",
        error.to_string(),
    ));
    let after = ctx.oci_requeuer.requeue_after(
        &ObjectRef::from_obj(&*obj),
        &outcome,
        std::time::Duration::ZERO,
    );
    backoff::action(after)
}

/// The kube-runtime entry point.
pub async fn reconcile(obj: Arc<OCIRepository>, ctx: Arc<Context>) -> Result<Action, Error> {
    let started = Instant::now();
    let ns = obj.metadata.namespace.clone().unwrap_or_default();
    let api: Api<OCIRepository> = Api::namespaced(ctx.client.clone(), &ns);
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
            // As Flux: add the finalizer and stop; the write's own event starts the real run.
            if add_finalizer {
                finalizer::add_finalizer(&api, &*obj).await?;
                return Ok(Action::requeue(std::time::Duration::ZERO));
            }
        }
    }

    let generation = obj.metadata.generation.unwrap_or_default();
    let mut status = obj.status.clone().unwrap_or_default();
    let outcome: Outcome = super::oci_steps::run(&ctx, &obj, &mut status).await.into();
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
        _ => notify_success(&ctx, &obj, &status).await,
    }
    let interval = obj.interval().unwrap_or_default();
    let after = ctx
        .oci_requeuer
        .requeue_after(&ObjectRef::from_obj(&*obj), &outcome, interval);
    let result = ReconcileResult::of(&outcome, after);
    ctx.metrics
        .record_reconcile(CONTROLLER_NAME, &*obj, result, started.elapsed());
    Ok(backoff::action(after))
}

/// Flux's `notify`: an event for a new artifact, or for a recovery from a failure.
async fn notify_success(ctx: &Context, obj: &OCIRepository, status: &OCIRepositoryStatus) {
    let Some(artifact) = status.artifact.as_ref() else {
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
        let message = plan::oci::event_message(
            &artifact.revision,
            &obj.spec.url,
            artifact.metadata.as_ref(),
        );
        let event = EventSpec::normal(reason, message)
            .with_revision(&artifact.revision)
            .with_metadata(META_DIGEST_KEY, &artifact.digest);
        ctx.recorder.record(obj, event).await;
    }
}

/// Deletion: the object's artifacts go, then the finalizer.
async fn finalize(
    api: &Api<OCIRepository>,
    obj: &OCIRepository,
    ctx: &Context,
    started: Instant,
) -> Result<Action, Error> {
    let dir = object_dir(obj);
    {
        let lock = ctx.storage.lock(&dir);
        let _held = lock.lock().await;
        let storage = ctx.storage.clone();
        let target = dir.clone();
        let removed = tokio::task::spawn_blocking(move || storage.remove_all(&target))
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r.map_err(|e| e.to_string()));
        if let Err(message) = removed {
            return Err(Error::Storage {
                action: "remove artifacts",
                message,
            });
        }
    }
    match finalizer::remove_finalizer(api, obj).await {
        Err(e) if !e.is_not_found() => return Err(e.into()),
        _ => {}
    }
    ctx.oci_requeuer.forget(&ObjectRef::from_obj(obj));
    ctx.metrics.record_reconcile(
        CONTROLLER_NAME,
        obj,
        ReconcileResult::Success,
        started.elapsed(),
    );
    Ok(Action::await_change())
}

/// The storage directory of an object's artifacts.
pub fn object_dir(obj: &OCIRepository) -> String {
    plan::artifact_dir(
        plan::oci::OCI_REPOSITORY_KIND,
        obj.metadata.namespace.as_deref().unwrap_or_default(),
        obj.metadata.name.as_deref().unwrap_or_default(),
    )
}
