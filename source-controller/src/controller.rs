//! kube-runtime wiring: the GitRepository controller, its shared context, and the requeue and
//! error policies.

use std::sync::Arc;

use fluxion_api::source::{GitRepository, OCIRepository};
use fluxion_runtime::backoff::Requeuer;
use fluxion_runtime::events::EventRecorder;
use fluxion_runtime::flags::RuntimeConfig;
use fluxion_runtime::metrics::ReconcileMetrics;
use futures::StreamExt;
use kube::Api;
use kube::runtime::controller::{Action, Config as ControllerConfig, Controller};
use kube::runtime::reflector::ObjectRef;
use kube::runtime::watcher;

use crate::config::{CONTROLLER_NAME, Config};
use crate::error::Error;
use crate::plan::include_index::IncludeIndex;
use crate::storage::Storage;

/// What every reconcile shares for the controller's life.
pub struct Context {
    pub client: kube::Client,
    pub storage: Arc<Storage>,
    pub recorder: EventRecorder,
    pub metrics: ReconcileMetrics,
    pub requeuer: Requeuer<ObjectRef<GitRepository>>,
    pub oci_requeuer: Requeuer<ObjectRef<OCIRepository>>,
}

impl Context {
    /// Builds the context and registers the reconcile metrics in `registry`.
    pub fn new(
        client: kube::Client,
        config: &Config,
        registry: &mut prometheus_client::registry::Registry,
    ) -> Result<Self, fluxion_runtime::events::PostError> {
        let instance = fluxion_runtime::events::default_instance();
        let recorder = EventRecorder::new(
            client.clone(),
            CONTROLLER_NAME,
            &instance,
            config.runtime.events_addr.clone(),
        )?;
        let storage = Storage::new(
            config.storage_path.clone(),
            config.storage_adv_addr.clone(),
            config.retention,
        )
        .with_limits(config.artifact_limits);
        Ok(Self {
            client,
            storage: Arc::new(storage),
            recorder,
            metrics: ReconcileMetrics::register(registry),
            requeuer: config.runtime.requeuer(),
            oci_requeuer: config.runtime.requeuer(),
        })
    }
}

/// Runs the GitRepository controller until `shutdown` completes.
pub async fn run(
    ctx: Arc<Context>,
    runtime: &RuntimeConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + Sync + 'static,
) {
    let api: Api<GitRepository> = match &runtime.watch.namespace {
        Some(ns) => Api::namespaced(ctx.client.clone(), ns),
        None => Api::all(ctx.client.clone()),
    };
    let mut watch = watcher::Config::default();
    if let Some(selector) = &runtime.watch.label_selector {
        watch = watch.labels(selector);
    }
    ctx.metrics
        .set_max_concurrent(CONTROLLER_NAME, runtime.concurrent);
    let concurrency = u16::try_from(runtime.concurrent).unwrap_or(u16::MAX);
    let index = std::sync::Mutex::new(IncludeIndex::default());
    // OCIRepository's controller runs beside GitRepository's and stops on the same signal.
    let shutdown = futures::FutureExt::shared(Box::pin(shutdown));
    let oci = crate::reconcile::oci::run(ctx.clone(), runtime, shutdown.clone());
    let git = Controller::new(api.clone(), watch.clone())
        .watches(api, watch, move |repo| includers_to_requeue(&index, &repo))
        .with_config(ControllerConfig::default().concurrency(concurrency))
        .graceful_shutdown_on(shutdown)
        .run(crate::reconcile::reconcile, error_policy, ctx)
        .for_each(|result| async move {
            if let Err(e) = result {
                tracing::debug!(error = %e, "reconcile loop");
            }
        });
    futures::join!(git, oci);
}

/// The mapper of the GitRepository watch: the includers of a repository whose artifact just
/// changed, so they rebuild with the new content (an index, kept from the watch itself).
fn includers_to_requeue(
    index: &std::sync::Mutex<IncludeIndex>,
    repo: &GitRepository,
) -> Vec<ObjectRef<GitRepository>> {
    let ns = repo.metadata.namespace.clone().unwrap_or_default();
    let key = (ns.clone(), repo.metadata.name.clone().unwrap_or_default());
    let includes = repo.spec.include.iter().map(|i| i.repository.name.clone());
    let artifact = repo.status.as_ref().and_then(|s| s.artifact.as_ref());
    let artifact = artifact.map(|a| (a.digest.clone(), a.revision.clone()));
    let present = repo.metadata.deletion_timestamp.is_none();
    // A panic elsewhere while holding the lock leaves the index usable: it is only a cache.
    let mut index = index.lock().unwrap_or_else(|e| e.into_inner());
    index
        .observe(&key, includes.collect(), artifact, present)
        .into_iter()
        .map(|name| ObjectRef::new(&name).within(&ns))
        .collect()
}

/// Failures that escape a run (status or finalizer writes) are retried with the backoff.
fn error_policy(obj: Arc<GitRepository>, error: &Error, ctx: Arc<Context>) -> Action {
    tracing::warn!(error = %error, name = ?obj.metadata.name, "reconcile failed");
    let outcome = fluxion_runtime::summarize::Outcome::Failed(
        fluxion_runtime::error::ReconcileError::retry("ReconciliationFailed", error.to_string()),
    );
    let after = ctx.requeuer.requeue_after(
        &ObjectRef::from_obj(&*obj),
        &outcome,
        std::time::Duration::ZERO,
    );
    fluxion_runtime::backoff::action(after)
}
