//! What every stored source kind shares around its own steps: the entry (the gate, then
//! deletion or the run) and the end of a run, the same for each kind: one
//! summary, one status write, the condition metrics, the run's event (the failure, or Flux's
//! `notify` on a new artifact or a recovery), the requeue and the reconcile metrics.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use fluxion_api::meta::{Artifact, FluxObject, FluxStatus};
use fluxion_api::source::conditions::NEGATIVE_POLARITY;
use fluxion_api::source::{GitRepositoryStatus, OCIRepositoryStatus};
use fluxion_runtime::backoff::{self, Requeuer};
use fluxion_runtime::conditions as cond;
use fluxion_runtime::error::ReconcileError;
use fluxion_runtime::events::{EventSpec, META_DIGEST_KEY};
use fluxion_runtime::gate;
use fluxion_runtime::metrics::{ObjectLabels, ReconcileResult};
use fluxion_runtime::request::requested_at;
use fluxion_runtime::status::{field_manager, patch_status};
use fluxion_runtime::summarize::{Outcome, apply_negative_polarity, finalize_status};
use kube::Api;
use kube::runtime::controller::Action;
use kube::runtime::reflector::ObjectRef;
use serde::de::DeserializeOwned;

use crate::config::CONTROLLER_NAME;
use crate::controller::Context;
use crate::error::Error;
use crate::plan;

/// A source status that records a stored artifact.
pub trait ArtifactStatus {
    fn stored_artifact(&self) -> Option<&Artifact>;
}

impl ArtifactStatus for GitRepositoryStatus {
    fn stored_artifact(&self) -> Option<&Artifact> {
        self.artifact.as_ref()
    }
}

impl ArtifactStatus for OCIRepositoryStatus {
    fn stored_artifact(&self) -> Option<&Artifact> {
        self.artifact.as_ref()
    }
}

/// A kind this controller stores artifacts for: where its requeue state and storage are, and
/// its own steps. Everything around them (the gate, deletion, the end of a run) is shared.
pub trait StoredSource:
    FluxObject<Scope = k8s_openapi::NamespaceResourceScope> + DeserializeOwned + std::fmt::Debug
where
    Self::Status: ArtifactStatus,
{
    fn requeuer(ctx: &Context) -> &Requeuer<ObjectRef<Self>>;

    /// The storage directory of the object's artifacts.
    fn object_dir(&self) -> String;

    /// The kind's steps on a copy of the status, then [`Run::finish`].
    fn run(run: Run<'_, Self>) -> impl Future<Output = Result<Action, Error>> + Send + '_;
}

/// The kube-runtime entry point of every stored kind: the gate, then deletion or the run.
pub async fn reconcile<K>(obj: Arc<K>, ctx: Arc<Context>) -> Result<Action, Error>
where
    K: StoredSource,
    K::Status: ArtifactStatus,
{
    let started = Instant::now();
    let ns = obj.meta().namespace.clone().unwrap_or_default();
    let api: Api<K> = Api::namespaced(ctx.client.clone(), &ns);
    let run = Run {
        api: &api,
        obj: &*obj,
        ctx: &ctx,
        requeuer: K::requeuer(&ctx),
        started,
    };
    gate::enter(
        &api,
        &ctx.metrics,
        &*obj,
        finalize(run.clone()),
        K::run(run),
    )
    .await
}

/// Deletion: the object's artifacts go, then the finalizer.
async fn finalize<K>(run: Run<'_, K>) -> Result<Action, Error>
where
    K: StoredSource,
    K::Status: ArtifactStatus,
{
    super::stored::remove_all(run.ctx, &run.obj.object_dir()).await?;
    run.released().await
}

/// One run of a source object, as far as the common end needs it.
pub struct Run<'a, K: FluxObject> {
    pub api: &'a Api<K>,
    pub obj: &'a K,
    pub ctx: &'a Context,
    pub requeuer: &'a Requeuer<ObjectRef<K>>,
    pub started: Instant,
}

impl<K: FluxObject> Clone for Run<'_, K> {
    fn clone(&self) -> Self {
        Run { ..*self }
    }
}

impl<K> Run<'_, K>
where
    K: FluxObject + DeserializeOwned + std::fmt::Debug,
    K::Status: ArtifactStatus,
{
    /// Summarizes `result` into `status`, writes it, records the event and the metrics, and
    /// returns the requeue. `event_message` words the event of a new artifact (or recovery).
    pub async fn finish(
        self,
        mut status: K::Status,
        result: Result<Outcome, ReconcileError>,
        event_message: impl FnOnce(&Artifact) -> Option<String>,
    ) -> Result<Action, Error> {
        let (obj, ctx) = (self.obj, self.ctx);
        let labels = ObjectLabels::of(obj);
        let generation = obj.meta().generation.unwrap_or_default();
        let outcome =
            apply_negative_polarity(result.into(), status.conditions(), NEGATIVE_POLARITY);
        let requested = requested_at(obj.meta().annotations.as_ref());
        finalize_status(&mut status, &outcome, generation, requested, &cond::now());
        patch_status(self.api, obj, &status, &field_manager(CONTROLLER_NAME)).await?;
        for c in status.conditions() {
            ctx.metrics.record_condition(&labels, &c.type_, &c.status);
        }
        match &outcome {
            Outcome::Failed(err) => ctx.recorder.record(obj, EventSpec::for_error(err)).await,
            _ => notify_success(ctx, obj, &status, event_message).await,
        }
        let interval = obj.interval().unwrap_or_default();
        let after = self
            .requeuer
            .requeue_after(&ObjectRef::from_obj(obj), &outcome, interval);
        let result = ReconcileResult::of(&outcome, after);
        ctx.metrics
            .record_reconcile(CONTROLLER_NAME, obj, result, self.started.elapsed());
        Ok(backoff::action(after))
    }

    /// The end of a deletion once the object's storage is gone.
    pub async fn released(self) -> Result<Action, Error> {
        let metrics = &self.ctx.metrics;
        fluxion_runtime::gate::release(
            self.api,
            self.obj,
            self.requeuer,
            metrics,
            CONTROLLER_NAME,
            self.started,
        )
        .await
        .map_err(Error::from)
    }
}

/// Flux's `notify`: an event for a new artifact, or for a recovery from a failure.
async fn notify_success<K>(
    ctx: &Context,
    obj: &K,
    status: &K::Status,
    event_message: impl FnOnce(&Artifact) -> Option<String>,
) where
    K: FluxObject,
    K::Status: ArtifactStatus,
{
    let Some(artifact) = status.stored_artifact() else {
        return;
    };
    let old = obj.flux_status();
    let reason = plan::success_event(
        old.and_then(ArtifactStatus::stored_artifact),
        old.map(|s| s.conditions()).unwrap_or_default(),
        artifact,
        status.conditions(),
    );
    let (Some(reason), Some(message)) = (reason, event_message(artifact)) else {
        return;
    };
    let event = EventSpec::normal(reason, message)
        .with_revision(&artifact.revision)
        .with_metadata(META_DIGEST_KEY, &artifact.digest);
    ctx.recorder.record(obj, event).await;
}
