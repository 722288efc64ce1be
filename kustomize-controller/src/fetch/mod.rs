//! The source side of a run: read the referenced source object (GitRepository,
//! OCIRepository, Bucket or ExternalArtifact), refuse blocked cross-namespace references, and
//! download, verify and safely extract its artifact, following the source between retries.

use std::path::Path;

use fluxion_api::kustomize::{Kustomization, SourceKind};
use fluxion_api::meta::{Artifact, Source};
use fluxion_api::source::{Bucket, ExternalArtifact, GitRepository, OCIRepository};
use fluxion_runtime::artifact::{ArtifactFetcher, ArtifactLocation, ExtractedDir, Refresh};
use kube::{Api, ResourceExt};
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::plan;

/// The OCI annotation whose value Flux reports as the origin revision.
const OCI_REVISION_ANNOTATION: &str = "org.opencontainers.image.revision";

/// A source's artifact as a run uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceArtifact {
    pub artifact: Artifact,
    /// The `org.opencontainers.image.revision` of the artifact, when it has one.
    pub origin_revision: Option<String>,
}

/// Reads the source of `ks` and its artifact, with Flux's errors: access denied under
/// `--no-cross-namespace-refs`, not found and no artifact (both wait `retryInterval`).
pub async fn get_source(
    client: &kube::Client,
    ks: &Kustomization,
    no_cross_namespace_refs: bool,
) -> Result<SourceArtifact, Error> {
    let namespace = ks.source_namespace();
    let name = &ks.spec.source_ref.name;
    let kind = ks.spec.source_ref.kind;
    if no_cross_namespace_refs && ks.is_cross_namespace_source() {
        return Err(Error::AccessDenied(format!(
            "can't access '{kind}/{namespace}/{name}', cross-namespace references have been blocked"
        )));
    }
    let source_ref = ks.spec.source_ref.to_string();
    let after = ks.retry_interval();
    let artifact = match read_source(client, ks).await {
        Ok(Some(found)) => found,
        Ok(None) => return Err(Error::SourceNotFound { source_ref, after }),
        Err(e) => {
            return Err(Error::SourceRead {
                source_ref: format!("{namespace}/{name}"),
                message: e.to_string(),
            });
        }
    };
    let artifact = artifact.ok_or(Error::NoArtifact { source_ref, after })?;
    let origin_revision = artifact
        .metadata
        .as_ref()
        .and_then(|m| m.get(OCI_REVISION_ANNOTATION))
        .cloned();
    Ok(SourceArtifact {
        artifact,
        origin_revision,
    })
}

/// The source object of `ks`: `Ok(None)` when it does not exist, `Ok(Some(None))` when it
/// has no artifact.
async fn read_source(
    client: &kube::Client,
    ks: &Kustomization,
) -> Result<Option<Option<Artifact>>, kube::Error> {
    let namespace = ks.source_namespace();
    let name = &ks.spec.source_ref.name;
    match ks.spec.source_ref.kind {
        SourceKind::GitRepository => read::<GitRepository>(client, &namespace, name).await,
        SourceKind::OciRepository => read::<OCIRepository>(client, &namespace, name).await,
        SourceKind::Bucket => read::<Bucket>(client, &namespace, name).await,
        SourceKind::ExternalArtifact => read::<ExternalArtifact>(client, &namespace, name).await,
    }
}

/// `Ok(None)` when the object does not exist; `Ok(Some(None))` when it has no artifact.
async fn read<K>(
    client: &kube::Client,
    namespace: &str,
    name: &str,
) -> Result<Option<Option<Artifact>>, kube::Error>
where
    K: kube::Resource<DynamicType = (), Scope = k8s_openapi::NamespaceResourceScope>
        + Source
        + Clone
        + DeserializeOwned
        + std::fmt::Debug,
{
    let api: Api<K> = Api::namespaced(client.clone(), namespace);
    Ok(api.get_opt(name).await?.map(|obj| obj.artifact().cloned()))
}

/// Downloads the artifact of `ks`'s source with retries, checks its digest and extracts it
/// into a fresh directory under `parent`. Before each retry the source is read again: a moved
/// artifact is followed, a newer revision ends the attempt for a run at once. A missing file
/// means the source is about to publish a newer artifact: the run waits `requeue` instead of
/// failing.
pub async fn fetch(
    fetcher: &ArtifactFetcher,
    client: &kube::Client,
    ks: &Kustomization,
    artifact: &Artifact,
    parent: &Path,
    requeue: std::time::Duration,
) -> Result<ExtractedDir, Error> {
    let refresh = || async {
        match read_source(client, ks).await {
            Ok(found) => plan::source::refresh_download(artifact, found.flatten().as_ref()),
            Err(e) => {
                // The retry goes on where it was; the API may be back by the next one.
                tracing::debug!(error = %e, "re-reading the source between download retries");
                Refresh::Same
            }
        }
    };
    let location = ArtifactLocation::new(&artifact.url, &artifact.digest);
    fetcher
        .fetch_to_temp_dir_following(&location, parent, refresh)
        .await
        .map_err(|e| {
            if e.is_not_found() {
                Error::ArtifactGone { after: requeue }
            } else if e.is_superseded() {
                Error::SourceChanged(e.to_string())
            } else {
                Error::Artifact(fluxion_runtime::error::error_chain(&e))
            }
        })
}

/// The directory of `spec.path` inside the extracted artifact, refusing paths that leave it.
pub fn build_dir(root: &Path, ks: &Kustomization) -> Result<std::path::PathBuf, Error> {
    let rel = ks.spec.path.as_deref().unwrap_or_default();
    let mut dir = root.to_path_buf();
    for part in Path::new(rel).components() {
        match part {
            std::path::Component::Normal(p) => dir.push(p),
            std::path::Component::CurDir | std::path::Component::RootDir => {}
            _ => {
                return Err(Error::PathNotFound(format!(
                    "path '{rel}' of {} leaves the artifact",
                    ks.name_any()
                )));
            }
        }
    }
    match std::fs::symlink_metadata(&dir) {
        Ok(meta) if meta.is_dir() => Ok(dir),
        Ok(_) => Err(Error::PathNotFound(format!("'{rel}' is not a directory"))),
        Err(e) => Err(Error::PathNotFound(format!("stat {rel}: {e}"))),
    }
}
