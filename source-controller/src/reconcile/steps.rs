//! The ordered sub-steps of a GitRepository run, as Flux's `reconcileStorage`,
//! `reconcileSource` and `reconcileArtifact`: each reads and marks the status it owns and
//! returns the first failure.

use std::collections::BTreeMap;

use fluxion_api::conditions::SUCCEEDED_REASON;
use fluxion_api::meta::{Artifact, Time};
use fluxion_api::source::conditions::{
    ARTIFACT_IN_STORAGE, FETCH_FAILED, INCLUDE_UNAVAILABLE, STORAGE_OPERATION_FAILED,
};
use fluxion_api::source::{GitRepository, GitRepositoryStatus};
use fluxion_runtime::conditions as cond;
use fluxion_runtime::error::{FluxError, ReconcileError};
use fluxion_runtime::summarize::Outcome;
use k8s_openapi::api::core::v1::Secret;
use kube::Api;

use crate::controller::Context;
use crate::error::Error;
use crate::git::{self, CheckoutRequest, Commit, Credentials};
use crate::plan::{self, ArtifactAction, ObservedInputs};
use crate::storage::Ignore;

/// The steps of one run; conditions they set stay in `status` whatever the result, and the
/// checked-out commit's message goes to `commit_message` for the run's event.
pub async fn run(
    ctx: &Context,
    obj: &GitRepository,
    status: &mut GitRepositoryStatus,
    commit_message: &mut Option<String>,
) -> Result<Outcome, ReconcileError> {
    let now = cond::now();
    let generation = obj.metadata.generation.unwrap_or_default();
    storage_step(ctx, obj, status).await;
    let work = tempfile::tempdir().map_err(|e| Error::Storage {
        action: "create temporary working directory",
        message: e.to_string(),
    })?;
    let commit = match source_step(ctx, obj, work.path()).await {
        Ok(commit) => {
            cond::delete(&mut status.conditions, FETCH_FAILED);
            commit
        }
        Err(e) => {
            let err = e.to_reconcile_error();
            cond::mark_true(
                &mut status.conditions,
                FETCH_FAILED,
                err.reason(),
                err.message(),
                generation,
                &now,
            );
            return Err(err);
        }
    };
    super::verify::step(ctx, obj, &commit, work.path(), status, &now).await?;
    *commit_message = Some(commit.message.clone());
    let included = match super::include::resolve(ctx, obj).await {
        Ok(included) => {
            cond::delete(&mut status.conditions, INCLUDE_UNAVAILABLE);
            included
        }
        Err(e) => {
            let err = e.to_reconcile_error();
            let (reason, message) = (err.reason(), err.message());
            let c = &mut status.conditions;
            cond::mark_true(c, INCLUDE_UNAVAILABLE, reason, message, generation, &now);
            return Err(err);
        }
    };
    let checkout = work.path().join("repo");
    let built = Built {
        commit: &commit,
        checkout: &checkout,
        included: &included,
    };
    let revision = match artifact_step(ctx, obj, status, &built, &now).await {
        Ok(revision) => {
            cond::delete(&mut status.conditions, STORAGE_OPERATION_FAILED);
            revision
        }
        Err(e) => {
            let err = e.to_reconcile_error();
            let (reason, message) = (err.reason(), err.message());
            let c = &mut status.conditions;
            cond::mark_true(
                c,
                STORAGE_OPERATION_FAILED,
                reason,
                message,
                generation,
                &now,
            );
            return Err(err);
        }
    };
    let message = plan::stored_message(&revision);
    cond::mark_true(
        &mut status.conditions,
        ARTIFACT_IN_STORAGE,
        SUCCEEDED_REASON,
        &message,
        generation,
        &now,
    );
    Ok(Outcome::success_with(SUCCEEDED_REASON, message))
}

/// Flux's `reconcileStorage`: forget an artifact whose file is gone or no longer has its
/// digest (removing the corrupt file), and point the URL of a sound one at the current
/// advertised address.
async fn storage_step(ctx: &Context, obj: &GitRepository, status: &mut GitRepositoryStatus) {
    let Some(artifact) = status.artifact.clone() else {
        return;
    };
    let sound = super::stored::is_sound(ctx, obj, &artifact).await;
    match sound {
        true => {
            if let Some(a) = status.artifact.as_mut() {
                a.url = ctx.storage.url(&a.path);
            }
        }
        false => {
            status.artifact = None;
            cond::delete(&mut status.conditions, ARTIFACT_IN_STORAGE);
        }
    }
}

/// Flux's `reconcileSource`: credentials, then the checkout into `<work>/repo`.
async fn source_step(
    ctx: &Context,
    obj: &GitRepository,
    work: &std::path::Path,
) -> Result<Commit, Error> {
    let url = obj.spec.url.as_str();
    let scheme = url_scheme(url)?;
    let mut creds = credentials(ctx, obj, scheme).await?;
    creds.proxy = proxy(ctx, obj).await?;
    let scratch = work.join("auth");
    std::fs::create_dir(&scratch)
        .and_then(|()| set_private(&scratch))
        .map_err(|e| Error::Storage {
            action: "create temporary working directory",
            message: e.to_string(),
        })?;
    let env = git::git_env(&creds, &scratch).map_err(|e| Error::AuthOptions(e.to_string()))?;
    let req = CheckoutRequest {
        url,
        checkout: obj.checkout(),
        dest: &work.join("repo"),
        env: &env,
        timeout: obj.timeout(),
        recurse_submodules: obj.spec.recurse_submodules,
        sparse_checkout: &obj.spec.sparse_checkout,
    };
    let result = git::checkout(&req).await;
    // The credential files go as soon as git is done with them.
    let _ = std::fs::remove_dir_all(&scratch);
    result.map_err(|e| Error::Checkout(e.to_string()))
}

fn url_scheme(url: &str) -> Result<&str, Error> {
    match url.split_once("://") {
        Some((scheme @ ("http" | "https" | "ssh"), rest)) if !rest.is_empty() => Ok(scheme),
        Some((scheme, _)) => Err(Error::InvalidUrl(format!(
            "failed to configure authentication options: unsupported URL scheme '{scheme}'"
        ))),
        None => Err(Error::InvalidUrl(format!("invalid URL '{url}': no scheme"))),
    }
}

async fn credentials(
    ctx: &Context,
    obj: &GitRepository,
    scheme: &str,
) -> Result<Credentials, Error> {
    let Some(secret_ref) = &obj.spec.secret_ref else {
        return Ok(Credentials::default());
    };
    let namespace = obj.metadata.namespace.clone().unwrap_or_default();
    let data = secret_data(ctx, &namespace, &secret_ref.name)
        .await
        .map_err(|message| Error::Secret {
            namespace: namespace.clone(),
            name: secret_ref.name.clone(),
            message,
        })?;
    Credentials::from_secret(scheme, &data).map_err(Error::AuthOptions)
}

/// The proxy of `spec.proxySecretRef`, if any (Flux: "failed to configure proxy options").
async fn proxy(ctx: &Context, obj: &GitRepository) -> Result<Option<String>, Error> {
    let Some(secret_ref) = &obj.spec.proxy_secret_ref else {
        return Ok(None);
    };
    let namespace = obj.metadata.namespace.clone().unwrap_or_default();
    let data = secret_data(ctx, &namespace, &secret_ref.name)
        .await
        .map_err(|m| Error::Proxy(format!("secret '{namespace}/{}': {m}", secret_ref.name)))?;
    git::auth::proxy_url(&data).map(Some).map_err(Error::Proxy)
}

pub(super) async fn secret_data(
    ctx: &Context,
    namespace: &str,
    name: &str,
) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let secrets: Api<Secret> = Api::namespaced(ctx.client.clone(), namespace);
    let secret = secrets.get(name).await.map_err(|e| match e {
        kube::Error::Api(s) => s.message.clone(),
        other => other.to_string(),
    })?;
    Ok(secret
        .data
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, v.0))
        .collect())
}

/// What the artifact is built from: the checkout of a commit, plus the included artifacts.
struct Built<'a> {
    commit: &'a Commit,
    checkout: &'a std::path::Path,
    included: &'a [Artifact],
}

/// Flux's `reconcileArtifact`: reuse the stored artifact when nothing changed, otherwise
/// package the checkout, record it, announce it and collect older ones. Returns the revision.
async fn artifact_step(
    ctx: &Context,
    obj: &GitRepository,
    status: &mut GitRepositoryStatus,
    built: &Built<'_>,
    now: &Time,
) -> Result<String, Error> {
    let (commit, checkout) = (built.commit, built.checkout);
    let revision = commit.revision();
    let ns = obj.metadata.namespace.as_deref().unwrap_or_default();
    let name = obj.metadata.name.as_deref().unwrap_or_default();
    let file = plan::git_artifact_file(&commit.sha);
    let path = plan::artifact_path(plan::GIT_REPOSITORY_KIND, ns, name, &file);
    let wanted = ObservedInputs::of_spec(obj, built.included);
    let action = plan::artifact_action(
        status.artifact.as_ref(),
        &revision,
        &ObservedInputs::of_status(status),
        &wanted,
        ctx.storage.exists(&path),
    );
    if action == ArtifactAction::Reuse {
        return Ok(revision);
    }
    let dir = super::object_dir(obj);
    let lock = ctx.storage.lock(&dir);
    let _held = lock.lock().await;
    let storage = ctx.storage.clone();
    let (src, rel) = (checkout.to_path_buf(), path.clone());
    let (spec, included) = (obj.clone(), built.included.to_vec());
    let written = tokio::task::spawn_blocking(move || {
        super::include::copy_all(&storage, &spec, &included, &src)?;
        // After the includes are in, so their `.sourceignore` files count too, as in Flux.
        let ignore = Ignore::load(&src, spec.spec.ignore.as_deref()).map_err(|source| {
            crate::storage::StorageError {
                action: "load ignore patterns",
                source,
            }
        })?;
        storage.archive(&src, &rel, &ignore)
    })
    .await
    .map_err(|e| storage_error("archive artifact", e))?
    .map_err(|e| storage_error("archive artifact", e))?;
    let artifact = Artifact {
        digest: written.digest.clone(),
        last_update_time: now.clone(),
        metadata: None,
        path: path.clone(),
        revision: revision.clone(),
        size: i64::try_from(written.size).ok(),
        url: ctx.storage.url(&path),
    };
    status.artifact = Some(artifact);
    wanted.record(status);
    status.included_artifacts = built.included.to_vec();
    super::stored::collect_garbage(ctx, &dir, &file);
    Ok(revision)
}

fn storage_error(action: &'static str, e: impl std::fmt::Display) -> Error {
    Error::Storage {
        action,
        message: e.to_string(),
    }
}

#[cfg(unix)]
fn set_private(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn set_private(_: &std::path::Path) -> std::io::Result<()> {
    Ok(())
}
