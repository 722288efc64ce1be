//! fluxion-kustomize: a native `kustomize build` engine over a filesystem trait.
//!
//! [`build`] reads a kustomization tree through a [`fs::FileSystem`] and returns the
//! same bytes `kubectl kustomize DIR` (kustomize v5.5) prints. Modules:
//! - [`yaml`]: kustomize's YAML, read as go-yaml v3 and printed as go-yaml v2;
//! - [`fs`] and [`loader`]: the files a build may read, and kustomize's load restrictor;
//! - [`kustomization`]: the kustomization file schema, strict decoding, Flux's generation;
//! - [`resid`], [`resource`], [`resmap`]: objects, their ids and the accumulated set;
//! - [`build`]: the pipeline, its ordered generator/transformer extension points, sorting;
//! - [`transform`]: the field-spec walker and the transformers implemented so far.
//! - [`patch`]: `patches`, `patchesStrategicMerge`, `patchesJson6902` (strategic merge as
//!   kyaml's merge2, JSON 6902, target selectors, `openapi` custom schemas);
//! - [`replace`]: `replacements`; [`vars`]: legacy `vars`;
//! - [`plugins`]: `generators`/`transformers`/`validators` built-in plugin configs;
//! - [`substitute`]: Flux's postBuild `${var}` substitution, shared by controller and CLI.

pub mod build;
pub mod fs;
pub mod kustomization;
pub mod loader;
pub mod patch;
pub mod plugins;
pub mod replace;
pub mod resid;
pub mod resmap;
pub mod resource;
pub mod substitute;
pub mod transform;
pub mod vars;
pub mod yaml;

pub use build::{BuildError, BuildOptions, BuildOutput, build, build_output, build_resmap};
pub use fs::{DiskFs, FileSystem, MemFs};
pub use loader::LoadRestrictor;
