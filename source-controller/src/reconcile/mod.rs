//! One GitRepository run: finalizer -> suspend -> the ordered steps (storage, source,
//! artifact), then one summary, one status write, an event on failure, a requeue.

mod finish;
mod include;
pub mod oci;
mod oci_copy;
mod oci_source;
pub mod oci_steps;
mod steps;
mod stored;
mod verify;

use std::sync::Arc;

use fluxion_api::source::GitRepository;
use fluxion_runtime::backoff::Requeuer;
use kube::runtime::controller::Action;
use kube::runtime::reflector::ObjectRef;

use crate::controller::Context;
use crate::error::Error;
use crate::plan;

/// The kube-runtime entry point.
pub async fn reconcile(obj: Arc<GitRepository>, ctx: Arc<Context>) -> Result<Action, Error> {
    finish::reconcile(obj, ctx).await
}

impl finish::StoredSource for GitRepository {
    fn requeuer(ctx: &Context) -> &Requeuer<ObjectRef<Self>> {
        &ctx.requeuer
    }

    fn object_dir(&self) -> String {
        object_dir(self)
    }

    /// The steps; the event of a new artifact carries the commit message, as Flux's.
    async fn run(run: finish::Run<'_, Self>) -> Result<Action, Error> {
        let mut status = run.obj.status.clone().unwrap_or_default();
        let mut commit_message = None;
        let result = steps::run(run.ctx, run.obj, &mut status, &mut commit_message).await;
        let message = |_: &_| commit_message.as_deref().map(plan::new_artifact_event);
        run.finish(status, result, message).await
    }
}

/// The storage directory of an object's artifacts.
pub fn object_dir(obj: &GitRepository) -> String {
    plan::artifact_dir(
        plan::GIT_REPOSITORY_KIND,
        obj.metadata.namespace.as_deref().unwrap_or_default(),
        obj.metadata.name.as_deref().unwrap_or_default(),
    )
}
