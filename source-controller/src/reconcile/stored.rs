//! Storage work every source kind does alike around its own fetch: checking the stored
//! artifact at the start of a run (Flux's `reconcileStorage`), collecting older artifacts after
//! a new one is written, and removing an object's artifacts on deletion.

use fluxion_api::meta::Artifact;
use fluxion_api::source::conditions::ARTIFACT_VERIFICATION_FAILED_REASON;
use fluxion_runtime::events::EventSpec;

use crate::controller::Context;
use crate::error::Error;

/// Whether the stored `artifact` is still sound: its file exists and has its digest. A file
/// whose digest no longer matches is removed, with a warning event on `obj`, so the run
/// rebuilds it; a read failure counts as unsound for the same reason.
pub async fn is_sound<K>(ctx: &Context, obj: &K, artifact: &Artifact) -> bool
where
    K: kube::Resource<DynamicType = ()> + Sync,
{
    let storage = ctx.storage.clone();
    let (path, digest) = (artifact.path.clone(), artifact.digest.clone());
    let verified = tokio::task::spawn_blocking(move || match storage.exists(&path) {
        false => Ok(None),
        true => storage.verify(&path, &digest).map(Some),
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|r| r.map_err(|e| e.to_string()));
    match verified {
        Ok(Some(true)) => true,
        Ok(Some(false)) => {
            let message = format!(
                "failed to verify integrity of artifact: computed digest doesn't match '{}'",
                artifact.digest
            );
            let event = EventSpec::warning(ARTIFACT_VERIFICATION_FAILED_REASON, message);
            ctx.recorder.record(obj, event).await;
            if let Err(e) = ctx.storage.remove(&artifact.path) {
                tracing::warn!(error = %e, "failed to remove artifact after digest mismatch");
            }
            false
        }
        Ok(None) => false,
        Err(e) => {
            tracing::warn!(error = %e, "failed to verify artifact");
            false
        }
    }
}

/// Removes the artifacts of `dir` other than `current`, per the retention flags. Best effort,
/// as Flux: a failure only leaves old files behind until the next run.
pub fn collect_garbage(ctx: &Context, dir: &str, current: &str) {
    match ctx.storage.garbage_collect(dir, current) {
        Ok(removed) if !removed.is_empty() => {
            tracing::debug!(?removed, "garbage collected old artifacts")
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "garbage collection of old artifacts failed"),
    }
}

/// Removes every artifact of `dir` under the object's storage lock (deletion).
pub async fn remove_all(ctx: &Context, dir: &str) -> Result<(), Error> {
    let lock = ctx.storage.lock(dir);
    let _held = lock.lock().await;
    let storage = ctx.storage.clone();
    let target = dir.to_string();
    tokio::task::spawn_blocking(move || storage.remove_all(&target))
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r.map_err(|e| e.to_string()))
        .map_err(|message| Error::Storage {
            action: "remove artifacts",
            message,
        })
}
