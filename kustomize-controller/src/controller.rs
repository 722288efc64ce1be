//! kube-runtime wiring: the Kustomization controller, its shared context, and the watches of
//! GitRepository, OCIRepository, Bucket and ExternalArtifact that map a new artifact revision
//! to the Kustomizations reading it through the [`SourceIndex`].

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use fluxion_api::kustomize::{Kustomization, SourceKind};
use fluxion_api::meta::Source;
use fluxion_api::source::{Bucket, ExternalArtifact, GitRepository, OCIRepository};
use fluxion_runtime::artifact::{ArtifactFetcher, FetchOptions};
use fluxion_runtime::backoff::Requeuer;
use fluxion_runtime::events::EventRecorder;
use fluxion_runtime::metrics::ReconcileMetrics;
use futures::StreamExt;
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::runtime::controller::{Action, Config as ControllerConfig, Controller};
use kube::runtime::reflector::ObjectRef;
use kube::runtime::watcher;
use kube::{Api, ResourceExt};
use serde::de::DeserializeOwned;

use crate::config::{CONTROLLER_NAME, Config};
use crate::error::Error;
use crate::plan::{ConfigIndex, SourceIndex, SourceKey};
use crate::reconcile::waits::Waits;

/// Why the context could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("event recorder: {0}")]
    Events(String),
    #[error("artifact fetcher: {0}")]
    Fetcher(String),
}

/// What every reconcile shares for the controller's life.
pub struct Context {
    pub client: kube::Client,
    /// The controller's own client configuration, the base of impersonating clients.
    pub kube_config: kube::Config,
    pub recorder: EventRecorder,
    pub metrics: ReconcileMetrics,
    pub requeuer: Requeuer<ObjectRef<Kustomization>>,
    pub fetcher: ArtifactFetcher,
    pub index: Mutex<SourceIndex>,
    /// substituteFrom ConfigMaps and Secrets to the Kustomizations reading them.
    pub configs: Mutex<ConfigIndex>,
    /// What each object's last run saw, and the objects a watched source or config changed
    /// for (see [`crate::plan::trigger`]).
    pub triggers: Mutex<Triggers>,
    /// Health checks in progress, cancelled by a new source revision.
    pub waits: Waits,
    pub no_cross_namespace_refs: bool,
    pub default_service_account: Option<String>,
    pub requeue_dependency: Duration,
    pub override_managers: Vec<String>,
    /// `--sops-age-secret` as `(namespace, name)`, when set and the runtime namespace is known.
    pub sops_age_secret: Option<(String, String)>,
    /// Flux's `StrictPostBuildSubstitutions` feature gate.
    pub strict_substitutions: bool,
    /// Discovery answers for the controller's own cluster, shared by every run.
    pub kind_cache: Arc<fluxion_ssa::manager::KindCache>,
    /// Where artifacts are extracted for a run.
    pub work_dir: std::path::PathBuf,
}

impl Context {
    /// Builds the context and registers the reconcile metrics in `registry`.
    pub fn new(
        client: kube::Client,
        kube_config: kube::Config,
        config: &Config,
        registry: &mut prometheus_client::registry::Registry,
    ) -> Result<Self, ContextError> {
        let instance = fluxion_runtime::events::default_instance();
        let recorder = EventRecorder::new(
            client.clone(),
            CONTROLLER_NAME,
            &instance,
            config.runtime.events_addr.clone(),
        )
        .map_err(|e| ContextError::Events(e.to_string()))?;
        let mut options = FetchOptions::default();
        options.retry.max_retries = config.artifact_fetch_retries;
        let fetcher =
            ArtifactFetcher::new(options).map_err(|e| ContextError::Fetcher(e.to_string()))?;
        Ok(Self {
            client,
            kube_config,
            recorder,
            metrics: ReconcileMetrics::register(registry),
            requeuer: config.runtime.requeuer(),
            fetcher,
            index: Mutex::new(SourceIndex::default()),
            configs: Mutex::new(ConfigIndex::default()),
            waits: Waits::default(),
            triggers: Mutex::new(Triggers::default()),
            no_cross_namespace_refs: config.runtime.no_cross_namespace_refs,
            default_service_account: config.runtime.default_service_account.clone(),
            requeue_dependency: config.runtime.requeue_dependency,
            override_managers: config.override_managers.clone(),
            strict_substitutions: config.strict_substitutions,
            sops_age_secret: config
                .sops_age_secret
                .clone()
                .zip(config.runtime.runtime_namespace.clone())
                .map(|(name, ns)| (ns, name)),
            kind_cache: fluxion_ssa::manager::KindCache::new(),
            work_dir: std::env::temp_dir(),
        })
    }

    /// The config index, usable even after a panic elsewhere poisoned its lock.
    pub fn configs(&self) -> std::sync::MutexGuard<'_, ConfigIndex> {
        self.configs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The source index, usable even after a panic elsewhere poisoned its lock.
    pub fn index(&self) -> std::sync::MutexGuard<'_, SourceIndex> {
        self.index.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Run memos and forced runs, keyed by namespace and name.
#[derive(Debug, Default)]
pub struct Triggers {
    pub memos: std::collections::HashMap<(String, String), crate::plan::trigger::Memo>,
    pub forced: std::collections::HashSet<(String, String)>,
}

impl Context {
    /// The trigger bookkeeping, usable even after a panic elsewhere poisoned its lock.
    pub fn triggers(&self) -> std::sync::MutexGuard<'_, Triggers> {
        self.triggers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Marks objects to run at their next event whatever their memo says.
    fn force(&self, keys: &[(String, String)]) {
        let mut triggers = self.triggers();
        triggers.forced.extend(keys.iter().cloned());
    }
}

/// Runs the Kustomization controller until `shutdown` completes.
pub async fn run(
    ctx: Arc<Context>,
    runtime: &fluxion_runtime::flags::RuntimeConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + Sync + 'static,
) {
    let client = ctx.client.clone();
    let api: Api<Kustomization> = match &runtime.watch.namespace {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    };
    let mut watch = watcher::Config::default();
    if let Some(selector) = &runtime.watch.label_selector {
        watch = watch.labels(selector);
    }
    ctx.metrics
        .set_max_concurrent(CONTROLLER_NAME, runtime.concurrent);
    let concurrency = u16::try_from(runtime.concurrent).unwrap_or(u16::MAX);
    let ns = runtime.watch.namespace.as_deref();
    Controller::new(api, watch)
        .with_config(ControllerConfig::default().concurrency(concurrency))
        .watches(
            source_api::<GitRepository>(&client, ns),
            watcher::Config::default(),
            mapper(ctx.clone(), SourceKind::GitRepository),
        )
        .watches(
            source_api::<OCIRepository>(&client, ns),
            watcher::Config::default(),
            mapper(ctx.clone(), SourceKind::OciRepository),
        )
        .watches(
            source_api::<Bucket>(&client, ns),
            watcher::Config::default(),
            mapper(ctx.clone(), SourceKind::Bucket),
        )
        .watches(
            source_api::<ExternalArtifact>(&client, ns),
            watcher::Config::default(),
            mapper(ctx.clone(), SourceKind::ExternalArtifact),
        )
        .watches(
            config_api::<ConfigMap>(&client, ns),
            configs_watch(runtime),
            config_mapper(ctx.clone(), "ConfigMap"),
        )
        .watches(
            config_api::<Secret>(&client, ns),
            configs_watch(runtime),
            config_mapper(ctx.clone(), "Secret"),
        )
        .graceful_shutdown_on(shutdown)
        .run(crate::reconcile::reconcile, error_policy, ctx)
        .for_each(|result| async move {
            if let Err(e) = result {
                tracing::debug!(error = %e, "reconcile loop");
            }
        })
        .await;
}

fn source_api<K>(client: &kube::Client, namespace: Option<&str>) -> Api<K>
where
    K: kube::Resource<DynamicType = (), Scope = k8s_openapi::NamespaceResourceScope>,
{
    match namespace {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    }
}

/// Maps a source event to the Kustomizations to run: the readers of the source when its
/// artifact revision changed; a wait on the old revision is cancelled on the way.
fn mapper<K>(
    ctx: Arc<Context>,
    kind: SourceKind,
) -> impl Fn(K) -> Vec<ObjectRef<Kustomization>> + Send + Sync + 'static
where
    K: Source + kube::Resource<DynamicType = ()> + DeserializeOwned + Clone,
{
    move |source: K| {
        let key = SourceKey {
            kind,
            namespace: source.namespace().unwrap_or_default(),
            name: source.name_any(),
        };
        let revision = source.artifact().map(|a| a.revision.clone());
        let readers = ctx.index().source_changed(&key, revision.as_deref());
        if let Some(revision) = &revision {
            for (ns, name) in &readers {
                ctx.waits.cancel_if_stale(ns, name, revision);
            }
        }
        ctx.force(&readers);
        readers
            .into_iter()
            .map(|(ns, name)| ObjectRef::new(&name).within(&ns))
            .collect()
    }
}

fn config_api<K>(client: &kube::Client, namespace: Option<&str>) -> Api<K>
where
    K: kube::Resource<DynamicType = (), Scope = k8s_openapi::NamespaceResourceScope>,
{
    source_api(client, namespace)
}

/// Only ConfigMaps and Secrets carrying `--watch-configs-label-selector` are watched.
fn configs_watch(runtime: &fluxion_runtime::flags::RuntimeConfig) -> watcher::Config {
    let watch = watcher::Config::default();
    match &runtime.watch.configs_label_selector {
        Some(selector) => watch.labels(selector),
        None => watch,
    }
}

/// Maps a changed ConfigMap or Secret to the Kustomizations substituting from it.
fn config_mapper<K>(
    ctx: Arc<Context>,
    kind: &'static str,
) -> impl Fn(K) -> Vec<ObjectRef<Kustomization>> + Send + Sync + 'static
where
    K: kube::Resource<DynamicType = ()> + DeserializeOwned + Clone,
{
    move |config: K| {
        let key = (
            kind,
            config.namespace().unwrap_or_default(),
            config.name_any(),
        );
        let version = config.resource_version().unwrap_or_default();
        let readers = ctx.configs().config_changed(&key, &version);
        ctx.force(&readers);
        readers
            .into_iter()
            .map(|(ns, name)| ObjectRef::new(&name).within(&ns))
            .collect()
    }
}

/// Failures that escape a run (status or finalizer writes) are retried with the backoff.
fn error_policy(obj: Arc<Kustomization>, error: &Error, ctx: Arc<Context>) -> Action {
    tracing::warn!(error = %error, name = ?obj.metadata.name, "reconcile failed");
    let outcome = fluxion_runtime::summarize::Outcome::Failed(
        fluxion_runtime::error::ReconcileError::retry("ReconciliationFailed", error.to_string()),
    );
    let after = ctx
        .requeuer
        .requeue_after(&ObjectRef::from_obj(&*obj), &outcome, Duration::ZERO);
    fluxion_runtime::backoff::action(after)
}
