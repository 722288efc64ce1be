//! One Kustomization run: finalizer -> suspend -> the ordered steps (source, dependencies,
//! fetch, build, apply, prune, health), then the history, one summary, one status write, the
//! run's events, and a requeue.

pub mod finalize;
pub mod steps;
pub mod waits;

use std::sync::Arc;
use std::time::Instant;

use fluxion_api::kustomize::history;
use fluxion_api::kustomize::{Kustomization, KustomizationStatus};
use fluxion_runtime::backoff;
use fluxion_runtime::conditions as cond;
use fluxion_runtime::error::Disposition;
use fluxion_runtime::events::EventSpec;
use fluxion_runtime::gate;
use fluxion_runtime::metrics::{ObjectLabels, ReconcileResult};
use fluxion_runtime::request::requested_at;
use fluxion_runtime::status::{field_manager, patch_status};
use fluxion_runtime::summarize::{Outcome, finalize_status};
use kube::runtime::controller::Action;
use kube::runtime::reflector::ObjectRef;
use kube::{Api, ResourceExt};

use crate::config::CONTROLLER_NAME;
use crate::controller::Context;
use crate::error::Error;

/// The kube-runtime entry point.
pub async fn reconcile(obj: Arc<Kustomization>, ctx: Arc<Context>) -> Result<Action, Error> {
    let started = Instant::now();
    let ns = obj.namespace().unwrap_or_default();
    let api: Api<Kustomization> = Api::namespaced(ctx.client.clone(), &ns);
    let key = (ns.clone(), obj.name_any());
    let hash = crate::plan::trigger::trigger_hash(&obj);
    let decision = {
        let mut triggers = ctx.triggers();
        let forced = triggers.forced.remove(&key);
        crate::plan::trigger::decide(triggers.memos.get(&key), hash, forced, Instant::now())
    };
    if let crate::plan::trigger::Decision::Skip(after) = decision {
        return Ok(backoff::action(after));
    }
    let finalize = async {
        ctx.triggers().memos.remove(&key);
        ctx.index().forget(&ns, &obj.name_any());
        ctx.configs().forget(&ns, &obj.name_any());
        finalize::finalize(&api, &obj, &ctx, started).await
    };
    let reconcile = async {
        ctx.index().record(&obj);
        ctx.configs().record(&obj);
        run(&api, &obj, &ctx, started, (key.clone(), hash)).await
    };
    gate::enter(&api, &ctx.metrics, &*obj, finalize, reconcile).await
}

/// The steps, the history, the summary, the status write, the events and the requeue of
/// one run; `memo` is the trigger memo's key and hash, recorded with the requeue.
async fn run(
    api: &Api<Kustomization>,
    obj: &Kustomization,
    ctx: &Context,
    started: Instant,
    (key, hash): ((String, String), u64),
) -> Result<Action, Error> {
    let labels = ObjectLabels::of(obj);
    let generation = obj.metadata.generation.unwrap_or_default();
    let mut status = obj.status.clone().unwrap_or_default();
    let mut run = steps::Run::default();
    let outcome: Outcome = steps::run(ctx, obj, &mut status, &mut run).await.into();
    let now = cond::now();
    record_history(&mut status, &run, &outcome, started, &now);
    let requested = requested_at(obj.metadata.annotations.as_ref());
    finalize_status(&mut status, &outcome, generation, requested, &now);
    patch_status(api, obj, &status, &field_manager(CONTROLLER_NAME)).await?;
    for c in &status.conditions {
        ctx.metrics.record_condition(&labels, &c.type_, &c.status);
    }
    notify(ctx, obj, &run, &outcome).await;

    let after = requeue_after(ctx, obj, &outcome);
    let memo = crate::plan::trigger::Memo {
        hash,
        due: after.map(|d| Instant::now() + d),
    };
    ctx.triggers().memos.insert(key, memo);
    let result = ReconcileResult::of(&outcome, after);
    ctx.metrics
        .record_reconcile(CONTROLLER_NAME, obj, result, started.elapsed());
    Ok(backoff::action(after))
}

/// Flux's history: one snapshot per digest of the built manifests and outcome reason.
fn record_history(
    status: &mut KustomizationStatus,
    run: &steps::Run,
    outcome: &Outcome,
    started: Instant,
    now: &fluxion_api::meta::Time,
) {
    let (Some(checksum), Some(revision)) = (&run.checksum, &run.revision) else {
        return;
    };
    let reason = match outcome {
        Outcome::Success { reason, .. } => reason.to_string(),
        Outcome::Failed(err) => err.reason().to_string(),
        Outcome::InProgress { reason, .. } => reason.to_string(),
    };
    let meta = crate::plan::history_metadata(revision, run.origin_revision.as_deref());
    history::upsert(
        &mut status.history,
        checksum,
        now.clone(),
        started.elapsed(),
        &reason,
        meta,
    );
}

/// The run's events after the status write: change sets and recoveries as they happened,
/// then the failure, if any, with the revision annotations Flux sets.
async fn notify(ctx: &Context, obj: &Kustomization, run: &steps::Run, outcome: &Outcome) {
    let with_revision = |mut event: EventSpec| {
        if let Some(revision) = &run.revision {
            event = event.with_revision(revision.as_str());
        }
        if let Some(origin) = &run.origin_revision {
            event = event.with_origin_revision(origin.as_str());
        }
        event
    };
    for event in &run.events {
        ctx.recorder.record(obj, with_revision(event.clone())).await;
    }
    if let Outcome::Failed(err) = outcome {
        let event = match err.disposition() {
            Disposition::Wait(_)
                if err.reason() == fluxion_api::conditions::DEPENDENCY_NOT_READY_REASON =>
            {
                EventSpec::normal(
                    err.reason().to_string(),
                    crate::plan::dependency_retry_message(ctx.requeue_dependency),
                )
            }
            _ => EventSpec::for_error(err),
        };
        ctx.recorder.record(obj, with_revision(event)).await;
    }
}

/// Flux requeues a failed run after `spec.retryInterval`, a waiting one after its wait, and
/// a successful one after the jittered `spec.interval`.
fn requeue_after(
    ctx: &Context,
    obj: &Kustomization,
    outcome: &Outcome,
) -> Option<std::time::Duration> {
    let key = ObjectRef::from_obj(obj);
    match outcome {
        Outcome::Failed(err) if err.disposition() == Disposition::Retry => {
            ctx.requeuer.forget(&key);
            Some(obj.retry_interval())
        }
        _ => ctx
            .requeuer
            .requeue_after(&key, outcome, obj.requeue_after()),
    }
}
