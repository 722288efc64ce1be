//! fluxion-kustomize: a native `kustomize build` engine over a filesystem trait.

pub mod yaml;
