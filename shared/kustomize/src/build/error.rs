//! Build errors, with kustomize's way of prefixing context to a cause.

use crate::kustomization::KustomizationError;
use crate::loader::LoadError;
use crate::resmap::DuplicateId;
use crate::resource::ResourceError;
use crate::yaml::ValueError;

/// Why a build failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Kustomization(#[from] KustomizationError),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Resource(#[from] ResourceError),
    #[error(transparent)]
    Duplicate(#[from] DuplicateId),
    #[error(transparent)]
    Value(#[from] ValueError),
    /// A kustomization field kustomize supports and this build does not do yet.
    #[error("kustomization field '{0}' is not supported yet by fluxion-kustomize")]
    Unsupported(String),
    /// Something refused on purpose (plugins, helm, remote content).
    #[error("{0}")]
    Refused(String),
    /// A kustomization value kustomize rejects.
    #[error("{0}")]
    Invalid(String),
    #[error("build output exceeds the limit of {0} bytes")]
    OutputTooLarge(usize),
    #[error("{context}: {source}")]
    Context {
        context: String,
        source: Box<BuildError>,
    },
}

impl BuildError {
    /// Prefixes a message, as kustomize's `errors.WrapPrefixf`.
    pub fn context(self, context: impl Into<String>) -> BuildError {
        BuildError::Context {
            context: context.into(),
            source: Box::new(self),
        }
    }

    /// The innermost cause.
    pub fn root_cause(&self) -> &BuildError {
        match self {
            BuildError::Context { source, .. } => source.root_cause(),
            other => other,
        }
    }
}

/// `Result::context` for build results.
pub trait ResultExt<T> {
    fn context_with(self, f: impl FnOnce() -> String) -> Result<T, BuildError>;
}

impl<T, E: Into<BuildError>> ResultExt<T> for Result<T, E> {
    fn context_with(self, f: impl FnOnce() -> String) -> Result<T, BuildError> {
        self.map_err(|e| e.into().context(f()))
    }
}
