//! spec.include: the artifacts of other GitRepositories in the namespace, resolved before the
//! artifact is built and copied into the checkout at their `toPath` (Flux's `fetchIncludes`
//! and `reconcileInclude`).

use std::path::Path;
use std::sync::Arc;

use fluxion_api::meta::Artifact;
use fluxion_api::source::GitRepository;
use fluxion_api::source::conditions::NO_ARTIFACT_REASON;
use kube::Api;

use crate::controller::Context;
use crate::error::Error;
use crate::storage::{Storage, StorageError};

/// The current artifact of every include, in spec order.
pub async fn resolve(ctx: &Context, obj: &GitRepository) -> Result<Vec<Artifact>, Error> {
    let namespace = obj.metadata.namespace.as_deref().unwrap_or_default();
    let repos: Api<GitRepository> = Api::namespaced(ctx.client.clone(), namespace);
    let mut artifacts = Vec::with_capacity(obj.spec.include.len());
    for include in &obj.spec.include {
        let name = &include.repository.name;
        let dep = repos.get(name).await.map_err(|e| Error::Include {
            reason: "NotFound",
            message: format!(
                "could not get resource for include '{name}': {}",
                api_message(e)
            ),
        })?;
        let artifact = dep
            .status
            .and_then(|s| s.artifact)
            .ok_or_else(|| Error::Include {
                reason: NO_ARTIFACT_REASON,
                message: format!("no artifact available for include '{name}'"),
            })?;
        artifacts.push(artifact);
    }
    Ok(artifacts)
}

fn api_message(e: kube::Error) -> String {
    match e {
        kube::Error::Api(s) => s.message,
        other => other.to_string(),
    }
}

/// Copies each included artifact's `fromPath` into `<checkout>/<toPath>`; blocking.
pub fn copy_all(
    storage: &Arc<Storage>,
    obj: &GitRepository,
    artifacts: &[Artifact],
    checkout: &Path,
) -> Result<(), StorageError> {
    for (include, artifact) in obj.spec.include.iter().zip(artifacts) {
        let to = include.to_path().trim_matches('/');
        let dest = match to
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
        {
            true => checkout.join(to),
            false => {
                return Err(StorageError {
                    action: "copy included artifact",
                    source: std::io::Error::new(
                        std::io::ErrorKind::InvalidInput,
                        format!("invalid toPath '{to}'"),
                    ),
                });
            }
        };
        storage.copy_to_path(&artifact.path, include.from_path(), &dest)?;
    }
    Ok(())
}
