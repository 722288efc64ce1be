//! One OCIRepository run, as Flux's `OCIRepositoryReconciler`: finalizer -> suspend -> the
//! ordered steps (storage, source, artifact), then one summary, one status write, an event, a
//! requeue; plus the kube-runtime controller that drives it.

use std::sync::Arc;

use fluxion_api::meta::Artifact;
use fluxion_api::source::OCIRepository;
use fluxion_runtime::backoff::{self, Requeuer};
use fluxion_runtime::flags::RuntimeConfig;
use fluxion_runtime::summarize::Outcome;
use futures::StreamExt;
use kube::Api;
use kube::runtime::controller::{Action, Config as ControllerConfig, Controller};
use kube::runtime::reflector::ObjectRef;
use kube::runtime::watcher;

use super::finish;
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
    finish::reconcile(obj, ctx).await
}

impl finish::StoredSource for OCIRepository {
    fn requeuer(ctx: &Context) -> &Requeuer<ObjectRef<Self>> {
        &ctx.oci_requeuer
    }

    fn object_dir(&self) -> String {
        object_dir(self)
    }

    /// The steps; the event of a new artifact names the revision, the URL and the OCI
    /// source/revision annotations, as Flux's.
    async fn run(run: finish::Run<'_, Self>) -> Result<Action, Error> {
        let obj = run.obj;
        let mut status = obj.status.clone().unwrap_or_default();
        let result = super::oci_steps::run(run.ctx, obj, &mut status).await;
        let message = |artifact: &Artifact| {
            let metadata = artifact.metadata.as_ref();
            Some(plan::oci::event_message(
                &artifact.revision,
                &obj.spec.url,
                metadata,
            ))
        };
        run.finish(status, result, message).await
    }
}

/// The storage directory of an object's artifacts.
pub fn object_dir(obj: &OCIRepository) -> String {
    plan::artifact_dir(
        plan::oci::OCI_REPOSITORY_KIND,
        obj.metadata.namespace.as_deref().unwrap_or_default(),
        obj.metadata.name.as_deref().unwrap_or_default(),
    )
}
