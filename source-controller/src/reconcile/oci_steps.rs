//! The ordered sub-steps of an OCIRepository run, as Flux's `reconcileStorage`,
//! `reconcileSource` and `reconcileArtifact`: each reads and marks the status it owns and
//! returns the first failure.

use fluxion_api::conditions::SUCCEEDED_REASON;
use fluxion_api::meta::{Artifact, Time};
use fluxion_api::source::conditions::{
    ARCHIVE_OPERATION_FAILED_REASON, ARTIFACT_IN_STORAGE, ARTIFACT_OUTDATED,
    DIR_CREATION_FAILED_REASON, FETCH_FAILED, NEW_REVISION_REASON, SOURCE_VERIFIED,
    STORAGE_OPERATION_FAILED,
};
use fluxion_api::source::{OCIRepository, OCIRepositoryStatus, OciLayerOperation, OciProvider};
use fluxion_runtime::conditions as cond;
use fluxion_runtime::error::ReconcileError;
use fluxion_runtime::summarize::Outcome;

use super::oci_source::{self, Fetched, Pulled};
use crate::controller::Context;
use crate::plan::oci as oplan;
use crate::storage::Ignore;
use crate::storage::ignore::IGNORE_FILE;

/// Reason of the Stalled condition for a `spec.provider` other than `generic`.
pub const PROVIDER_NOT_SUPPORTED_REASON: &str = "ProviderNotSupported";
/// Reason of the Stalled condition for `spec.verify` (cosign and notation are not done).
pub const VERIFICATION_NOT_SUPPORTED_REASON: &str = "VerificationNotSupported";

/// The steps of one run; conditions they set stay in `status` whatever the result.
pub async fn run(
    ctx: &Context,
    obj: &OCIRepository,
    status: &mut OCIRepositoryStatus,
) -> Result<Outcome, ReconcileError> {
    let now = cond::now();
    let generation = obj.metadata.generation.unwrap_or_default();
    let mark = |status: &mut OCIRepositoryStatus, type_: &str, err: ReconcileError| {
        let (reason, message) = (err.reason().to_string(), err.message().to_string());
        let c = &mut status.conditions;
        cond::mark_true(c, type_, &reason, &message, generation, &now);
        err
    };
    storage_step(ctx, obj, status).await;
    let work = tempfile::tempdir().map_err(|e| {
        let message = format!("failed to create temporary working directory: {e}");
        let err = ReconcileError::retry(DIR_CREATION_FAILED_REASON, message);
        mark(status, STORAGE_OPERATION_FAILED, err)
    })?;
    cond::delete(&mut status.conditions, STORAGE_OPERATION_FAILED);
    if let Err(err) = unsupported(obj) {
        if obj.spec.verify.is_some() {
            let (reason, message) = (err.reason().to_string(), err.message().to_string());
            let c = &mut status.conditions;
            cond::mark_false(c, SOURCE_VERIFIED, &reason, &message, generation, &now);
        }
        return Err(err);
    }
    cond::delete(&mut status.conditions, SOURCE_VERIFIED);
    let fetched = source_step(ctx, obj, status, work.path(), &now)
        .await
        .map_err(|e| mark(status, FETCH_FAILED, e))?;
    cond::delete(&mut status.conditions, FETCH_FAILED);
    artifact_step(ctx, obj, status, &fetched, &now)
        .await
        .map_err(|e| mark(status, STORAGE_OPERATION_FAILED, e))?;
    let message = oplan::stored_message(&fetched.revision);
    cond::delete(&mut status.conditions, ARTIFACT_OUTDATED);
    let c = &mut status.conditions;
    cond::mark_true(
        c,
        ARTIFACT_IN_STORAGE,
        SUCCEEDED_REASON,
        &message,
        generation,
        &now,
    );
    Ok(Outcome::success_with(SUCCEEDED_REASON, message))
}

/// Flux's `reconcileSource`: the upstream revision, then (unless the stored artifact is
/// already for it) the pull. As Flux, a new revision is recorded as ArtifactOutdated before
/// the pull, which may still fail.
async fn source_step(
    ctx: &Context,
    obj: &OCIRepository,
    status: &mut OCIRepositoryStatus,
    work: &std::path::Path,
    now: &Time,
) -> Result<Fetched, ReconcileError> {
    let generation = obj.metadata.generation.unwrap_or_default();
    let resolved = oci_source::resolve_source(ctx, obj, status).await?;
    let stale = status.artifact.as_ref().map(|a| &a.revision);
    if stale.is_some_and(|r| *r != resolved.revision) {
        let message = oplan::new_revision_message(&resolved.revision, &resolved.reference);
        let c = &mut status.conditions;
        cond::mark_true(
            c,
            ARTIFACT_OUTDATED,
            NEW_REVISION_REASON,
            &message,
            generation,
            now,
        );
    }
    let pulled = match resolved.up_to_date {
        true => None,
        false => {
            let client = &resolved.client;
            Some(oci_source::pull_layer(client, obj, &resolved.revision, work).await?)
        }
    };
    Ok(Fetched {
        revision: resolved.revision,
        pulled,
    })
}

/// Cloud providers' workload identity is not done: a `spec.provider` other than `generic`
/// stalls when no pull secret gave credentials (with one, Flux too uses the static secret).
pub fn provider_unsupported(obj: &OCIRepository) -> Option<ReconcileError> {
    if obj.spec.provider == OciProvider::Generic {
        return None;
    }
    let provider = serde_json::to_value(obj.spec.provider)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    Some(ReconcileError::stall(
        PROVIDER_NOT_SUPPORTED_REASON,
        format!(
            "provider '{provider}' is not supported by Fluxion: use 'generic' with \
             spec.secretRef or spec.serviceAccountName"
        ),
    ))
}

/// Signature verification (cosign, notation) is not done: `spec.verify` stalls rather than
/// passing unverified content off as verified.
fn unsupported(obj: &OCIRepository) -> Result<(), ReconcileError> {
    if let Some(verify) = &obj.spec.verify {
        let provider = serde_json::to_value(verify.provider)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        return Err(ReconcileError::stall(
            VERIFICATION_NOT_SUPPORTED_REASON,
            format!(
                "signature verification with provider '{provider}' is not supported by Fluxion"
            ),
        ));
    }
    Ok(())
}

/// Flux's `reconcileStorage`: forget an artifact whose file is gone or no longer has its
/// digest (removing the corrupt file), and point the URL of a sound one at the current
/// advertised address.
async fn storage_step(ctx: &Context, obj: &OCIRepository, status: &mut OCIRepositoryStatus) {
    let Some(artifact) = status.artifact.clone() else {
        return;
    };
    let sound = super::stored::is_sound(ctx, obj, &artifact).await;
    match sound {
        true => {
            if let Some(a) = status.artifact.as_mut() {
                a.url = ctx.storage.url(&a.path);
                if let Some((dir, _)) = a.path.rsplit_once('/') {
                    let link = format!("{dir}/{}", super::oci_copy::LATEST);
                    status.url = Some(ctx.storage.url(&link));
                }
            }
        }
        false => {
            status.artifact = None;
            status.url = None;
            cond::delete(&mut status.conditions, ARTIFACT_IN_STORAGE);
        }
    }
}

/// Flux's `reconcileArtifact`: nothing to do when the source step found the stored artifact
/// current; otherwise archive the extracted layer (ignore rules applied) or store the copied
/// layer, record it with the manifest's annotations, and collect older artifacts.
async fn artifact_step(
    ctx: &Context,
    obj: &OCIRepository,
    status: &mut OCIRepositoryStatus,
    fetched: &Fetched,
    now: &Time,
) -> Result<(), ReconcileError> {
    let Some(pulled) = &fetched.pulled else {
        return Ok(());
    };
    let ns = obj.metadata.namespace.as_deref().unwrap_or_default();
    let name = obj.metadata.name.as_deref().unwrap_or_default();
    let file = oplan::artifact_file(&fetched.revision);
    let path = crate::plan::artifact_path(oplan::OCI_REPOSITORY_KIND, ns, name, &file);
    let dir = super::oci::object_dir(obj);
    let lock = ctx.storage.lock(&dir);
    let _held = lock.lock().await;
    let written = store(ctx, obj, pulled, &path).await?;
    status.artifact = Some(Artifact {
        digest: written.digest,
        last_update_time: now.clone(),
        metadata: pulled.metadata.clone(),
        path: path.clone(),
        revision: fetched.revision.clone(),
        size: i64::try_from(written.size).ok(),
        url: ctx.storage.url(&path),
    });
    // Best effort, as Flux: a missing link costs only the convenience URL.
    match super::oci_copy::link_latest(&ctx.storage, &path) {
        Ok(link) => status.url = Some(ctx.storage.url(&link)),
        Err(e) => tracing::debug!(error = %e, "failed to update status URL symlink"),
    }
    status.observed_ignore = obj.spec.ignore.clone();
    status.observed_layer_selector = obj.spec.layer_selector.clone();
    super::stored::collect_garbage(ctx, &dir, &file);
    Ok(())
}

/// Writes the artifact file: a reproducible archive of the extracted layer, or the layer
/// itself for `copy`.
async fn store(
    ctx: &Context,
    obj: &OCIRepository,
    pulled: &Pulled,
    rel: &str,
) -> Result<crate::storage::Written, ReconcileError> {
    let storage = ctx.storage.clone();
    let (src, rel) = (pulled.path.clone(), rel.to_string());
    let spec_ignore = obj.spec.ignore.clone();
    let operation = pulled.operation;
    let prefix = match operation {
        OciLayerOperation::Copy => "unable to copy artifact to storage",
        OciLayerOperation::Extract => "unable to archive artifact to storage",
    };
    tokio::task::spawn_blocking(move || match operation {
        OciLayerOperation::Copy => super::oci_copy::store_file(&storage, &src, &rel),
        OciLayerOperation::Extract => {
            let file = std::fs::read_to_string(src.join(IGNORE_FILE)).ok();
            let ignore =
                Ignore::from_sources(file.as_deref().into_iter().chain(spec_ignore.as_deref()));
            storage
                .archive(&src, &rel, &ignore)
                .map_err(|e| e.to_string())
        }
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|r| r)
    .map_err(|e| ReconcileError::retry(ARCHIVE_OPERATION_FAILED_REASON, format!("{prefix}: {e}")))
}
