//! `kustomize build`: load a kustomization tree, accumulate, transform, sort and print.
//!
//! The flow follows kustomize's `KustTarget`: [`target`] reads a kustomization and
//! accumulates its resources, components and generated objects, then runs the ordered
//! [`steps`]; the top-level build then runs the final steps, drops local-config objects,
//! sorts ([`sort`]) and prints ([`finish`]).

mod error;
mod external;
mod finish;
pub mod origin;
pub mod sort;
pub mod steps;
mod target;

pub use error::BuildError;
pub use steps::{Generator, StepContext, Transformer};

use crate::fs::FileSystem;
use crate::loader::{LoadRestrictor, Loader};
use crate::resmap::ResMap;

/// Default bound on the printed output: 256 MiB.
pub const DEFAULT_MAX_OUTPUT: usize = 256 << 20;

/// How to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildOptions {
    /// kustomize's `--load-restrictor` (default: files only from the kustomization's tree).
    pub load_restrictor: LoadRestrictor,
    /// When the top directory has no kustomization file, build one over its YAML files as
    /// Flux's kustomize-controller does (plain kustomize fails instead).
    pub generate_missing_kustomization: bool,
    /// Refuse to produce more than this many bytes of output.
    pub max_output_bytes: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            load_restrictor: LoadRestrictor::RootOnly,
            generate_missing_kustomization: false,
            max_output_bytes: DEFAULT_MAX_OUTPUT,
        }
    }
}

impl BuildOptions {
    /// What Flux's kustomize-controller uses: no load restriction inside the artifact,
    /// and a generated kustomization for plain directories.
    pub fn flux() -> BuildOptions {
        BuildOptions {
            load_restrictor: LoadRestrictor::None,
            generate_missing_kustomization: true,
            ..Default::default()
        }
    }
}

/// What a build produced besides errors.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildOutput {
    /// The final resources, sorted, with kustomize's build annotations removed.
    pub resources: ResMap,
    /// Deprecation warnings kustomize prints on stderr (`'bases' is deprecated ...`).
    pub warnings: Vec<String>,
}

/// Builds the kustomization in `dir`: resources and warnings.
pub fn build_output(
    fsys: &dyn FileSystem,
    dir: &str,
    opts: &BuildOptions,
) -> Result<BuildOutput, BuildError> {
    let loader = Loader::new(fsys, dir, opts.load_restrictor)?;
    let mut target = target::Target::load_root(fsys, loader, opts)?;
    let k = &target.kustomization;
    if !k.build_metadata.is_empty() {
        target.origin_root = Some(target.loader.root().to_string());
    }
    let mut resources = target.accumulate(fsys, ResMap::new())?;
    finish::finish(fsys, &target, &mut resources)?;
    Ok(BuildOutput {
        resources,
        warnings: target.warnings.take(),
    })
}

/// Builds the kustomization in `dir` and returns the final resources, sorted, with
/// kustomize's build annotations removed.
pub fn build_resmap(
    fsys: &dyn FileSystem,
    dir: &str,
    opts: &BuildOptions,
) -> Result<ResMap, BuildError> {
    Ok(build_output(fsys, dir, opts)?.resources)
}

/// Prints built resources as `kustomize build` does: each document, `---` between.
pub fn finish_print(resources: &ResMap, max_output_bytes: usize) -> Result<String, BuildError> {
    finish::print(resources, max_output_bytes)
}

/// Builds the kustomization in `dir` and prints it as `kustomize build` does.
pub fn build(fsys: &dyn FileSystem, dir: &str, opts: &BuildOptions) -> Result<String, BuildError> {
    let resmap = build_resmap(fsys, dir, opts)?;
    finish::print(&resmap, opts.max_output_bytes)
}

#[cfg(test)]
mod tests;
