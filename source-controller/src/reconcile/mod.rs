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
use std::time::Instant;

use fluxion_api::source::GitRepository;
use fluxion_runtime::gate;
use kube::Api;
use kube::runtime::controller::Action;

use crate::controller::Context;
use crate::error::Error;
use crate::plan;

/// The kube-runtime entry point.
pub async fn reconcile(obj: Arc<GitRepository>, ctx: Arc<Context>) -> Result<Action, Error> {
    let started = Instant::now();
    let ns = obj.metadata.namespace.clone().unwrap_or_default();
    let api: Api<GitRepository> = Api::namespaced(ctx.client.clone(), &ns);
    gate::enter(
        &api,
        &ctx.metrics,
        &*obj,
        finalize(&api, &obj, &ctx, started),
        run(&api, &obj, &ctx, started),
    )
    .await
}

/// The steps, then the common end of a run; the event of a new artifact carries the
/// commit message, as Flux's.
async fn run(
    api: &Api<GitRepository>,
    obj: &GitRepository,
    ctx: &Context,
    started: Instant,
) -> Result<Action, Error> {
    let mut status = obj.status.clone().unwrap_or_default();
    let mut commit_message = None;
    let result = steps::run(ctx, obj, &mut status, &mut commit_message).await;
    let message = |_: &_| commit_message.as_deref().map(plan::new_artifact_event);
    finish_run(api, obj, ctx, started)
        .finish(status, result, message)
        .await
}

fn finish_run<'a>(
    api: &'a Api<GitRepository>,
    obj: &'a GitRepository,
    ctx: &'a Context,
    started: Instant,
) -> finish::Run<'a, GitRepository> {
    finish::Run {
        api,
        obj,
        ctx,
        requeuer: &ctx.requeuer,
        started,
    }
}

/// Deletion: the object's artifacts go, then the finalizer.
async fn finalize(
    api: &Api<GitRepository>,
    obj: &GitRepository,
    ctx: &Context,
    started: Instant,
) -> Result<Action, Error> {
    stored::remove_all(ctx, &object_dir(obj)).await?;
    finish_run(api, obj, ctx, started).released().await
}

/// The storage directory of an object's artifacts.
pub fn object_dir(obj: &GitRepository) -> String {
    plan::artifact_dir(
        plan::GIT_REPOSITORY_KIND,
        obj.metadata.namespace.as_deref().unwrap_or_default(),
        obj.metadata.name.as_deref().unwrap_or_default(),
    )
}
