//! dependsOn readiness as Flux's `checkDependencies` decides it: the dependency exists, its
//! observedGeneration is current, it is Ready, and when it reads the same source it has
//! applied the revision this run is about to apply.

use fluxion_api::conditions::{READY, status};
use fluxion_api::kustomize::Kustomization;
use kube::ResourceExt;

use super::SourceKey;

/// What the run knows of one dependency.
#[derive(Debug, Clone)]
pub enum DependencyState<'a> {
    /// The API has no such Kustomization (or reading it failed, with the message).
    Missing {
        namespace: String,
        name: String,
        error: String,
    },
    Found(&'a Kustomization),
}

/// `Ok` when every dependency is ready; otherwise Flux's message for the first that is not.
/// `source` and `revision` are the source and artifact revision of the dependent.
pub fn check_dependencies(
    deps: &[DependencyState<'_>],
    source: &SourceKey,
    revision: &str,
) -> Result<(), String> {
    for dep in deps {
        let dep = match dep {
            DependencyState::Missing {
                namespace,
                name,
                error,
            } => {
                return Err(format!(
                    "dependency '{namespace}/{name}' not found: {error}"
                ));
            }
            DependencyState::Found(dep) => *dep,
        };
        let id = format!("{}/{}", dep.namespace().unwrap_or_default(), dep.name_any());
        let status = dep.status.clone().unwrap_or_default();
        let current = dep.metadata.generation == status.observed_generation;
        let ready = status
            .conditions
            .iter()
            .any(|c| c.type_ == READY && c.status == status::TRUE);
        if status.conditions.is_empty() || !current || !ready {
            return Err(format!("dependency '{id}' is not ready"));
        }
        let same_source = SourceKey::of(dep) == *source;
        let applied = status.last_applied_revision.as_deref().unwrap_or_default();
        if same_source && !same_revision(applied, revision) {
            return Err(format!("dependency '{id}' revision is not up to date"));
        }
    }
    Ok(())
}

/// Flux's `Artifact.HasRevision`: equal, or equal once the legacy `branch/sha` form of an
/// old status is read as `branch@sha1:sha`.
fn same_revision(applied: &str, revision: &str) -> bool {
    if applied == revision {
        return true;
    }
    match applied.rsplit_once('/') {
        Some((branch, sha)) if !applied.contains('@') => revision == format!("{branch}@sha1:{sha}"),
        _ => false,
    }
}
