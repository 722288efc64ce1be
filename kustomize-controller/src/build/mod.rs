//! The build side of a run: lay the spec over the kustomization ([`generate`]), build it with
//! fluxion-kustomize, then per object decrypt (when configured) and substitute variables
//! ([`vars`]), as Flux's `build` does; the result is the objects to apply and the printed
//! manifests whose digest names the history snapshot.

pub mod decrypt;
pub mod generate;
pub mod vars;

use std::path::Path;

use fluxion_api::kustomize::Kustomization;
use fluxion_kustomize::resource::Resource;
use fluxion_kustomize::substitute::{Vars, substitute_resource};
use fluxion_kustomize::{BuildOptions, DiskFs, build_output};
use serde_json::Value;

use crate::error::Error;

/// What a build produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    /// The objects, in the build's order.
    pub objects: Vec<Value>,
    /// The printed manifests (`kustomize build` output after post-build).
    pub manifests: String,
}

/// Post-build settings of one run.
pub struct PostBuild<'a> {
    /// The variables, `None` when `spec.postBuild` is not set.
    pub vars: Option<Vars>,
    /// Fail on a variable without a value or default.
    pub strict: bool,
    /// Decrypt SOPS-encrypted sources and objects.
    pub decryptor: Option<&'a decrypt::Decryptor>,
}

/// Generates the kustomization and builds `spec.path` of the artifact in `root`. Blocking:
/// run it off the async threads.
pub fn build(root: &Path, ks: &Kustomization, post: &PostBuild<'_>) -> Result<Built, Error> {
    let dir = virtual_dir(ks);
    generate::write_kustomization(root, &dir, ks)?;
    if let Some(decryptor) = post.decryptor {
        decryptor.decrypt_sources(root, &root.join(dir.trim_start_matches('/')))?;
    }
    let fsys = DiskFs::new(root).map_err(|e| Error::Build(e.to_string()))?;
    let mut output = build_output(&fsys, &dir, &BuildOptions::flux())
        .map_err(|e| Error::Build(format!("kustomize build failed: {e}")))?;
    for r in output.resources.resources_mut() {
        if r.name().is_empty() || r.kind().is_empty() || r.api_version().is_empty() {
            let text = r.to_yaml().unwrap_or_default();
            return Err(Error::Build(format!(
                "failed to decode Kubernetes apiVersion, kind and name from: {}",
                text.trim()
            )));
        }
        if let Some(decryptor) = post.decryptor {
            decryptor
                .decrypt(r)
                .map_err(|e| Error::Build(format!("decryption failed for '{}': {e}", r.name())))?;
        }
        if let Some(vars) = &post.vars {
            substitute_resource(r, vars, post.strict)
                .map_err(|e| Error::Build(format!("post build failed for '{}': {e}", r.name())))?;
        }
    }
    let manifests = fluxion_kustomize::build::finish_print(
        &output.resources,
        fluxion_kustomize::build::DEFAULT_MAX_OUTPUT,
    )
    .map_err(|e| Error::Build(format!("kustomize build failed: {e}")))?;
    let objects = output
        .resources
        .resources()
        .iter()
        .map(to_object)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::Build(format!("kustomize build failed: {e}")))?;
    Ok(Built { objects, manifests })
}

/// An object as Flux reads the printed build: its YAML read back into JSON with go-yaml v2
/// rules, so the printer's quoting decides what is a string.
fn to_object(r: &Resource) -> Result<Value, String> {
    let text = r.to_yaml().map_err(|e| e.to_string())?;
    let node = fluxion_kustomize::yaml::parse_first(&text)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("empty object {}", r.name()))?;
    fluxion_kustomize::yaml::to_json_v2(&node)
}

/// `spec.path` as a virtual absolute path inside the artifact.
fn virtual_dir(ks: &Kustomization) -> String {
    let rel = ks.spec.path.as_deref().unwrap_or_default();
    fluxion_kustomize::fs::clean(&format!("/{rel}"))
}

#[cfg(test)]
mod tests;
