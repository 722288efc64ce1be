//! Flux's generated kustomization for a directory without one (fluxcd/pkg `kustomize`
//! generator): every `.yaml`/`.yml` file below it, in walk order, and every
//! subdirectory that has its own kustomization file instead of its contents.

use super::{FILE_NAMES, Kustomization, KustomizationError, fix};
use crate::fs::{self, FileSystem};
use crate::resource;

fn has_kustomization(fsys: &dyn FileSystem, dir: &str) -> bool {
    FILE_NAMES.iter().any(|n| {
        let p = fs::join(dir, n);
        fsys.exists(&p) && !fsys.is_dir(&p)
    })
}

/// Walks like Go's `filepath.Walk` (entries in name order, depth first).
fn walk(
    fsys: &dyn FileSystem,
    base: &str,
    dir: &str,
    out: &mut Vec<String>,
) -> Result<(), KustomizationError> {
    let entries = fsys
        .read_dir(dir)
        .map_err(|e| KustomizationError::Invalid(e.to_string()))?;
    for e in entries {
        let path = fs::join(dir, &e.name);
        let rel = format!(".{}", &path[base.trim_end_matches('/').len()..]);
        if e.is_dir {
            if has_kustomization(fsys, &path) {
                out.push(rel);
            } else {
                walk(fsys, base, &path, out)?;
            }
            continue;
        }
        if !(e.name.ends_with(".yaml") || e.name.ends_with(".yml")) {
            continue;
        }
        let bytes = fsys
            .read_file(&path)
            .map_err(|e| KustomizationError::Invalid(e.to_string()))?;
        if let Err(err) = resource::from_file_bytes(&bytes) {
            return Err(KustomizationError::Invalid(format!(
                "failed to decode Kubernetes YAML from {path}: {err}"
            )));
        }
        out.push(rel);
    }
    Ok(())
}

/// The kustomization Flux writes for `dir`; fails like kustomize when it lists nothing.
pub fn generate_for_dir(
    fsys: &dyn FileSystem,
    dir: &str,
) -> Result<Kustomization, KustomizationError> {
    let mut resources = Vec::new();
    walk(fsys, dir, dir, &mut resources)?;
    if resources.is_empty() {
        return Err(KustomizationError::Empty);
    }
    let mut k = Kustomization {
        resources,
        ..Kustomization::default()
    };
    fix(&mut k);
    Ok(k)
}
