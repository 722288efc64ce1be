//! Artifact download with retries, digest verification and safe extraction: how
//! kustomize-controller and helm-controller consume a source's `status.artifact`, following
//! fluxcd/pkg/http/fetch (ArchiveFetcher) and fluxcd/pkg/tar (Untar).
//!
//! ```no_run
//! # async fn demo(artifact: &fluxion_api::meta::Artifact) -> Result<(), fluxion_runtime::artifact::ArtifactError> {
//! use fluxion_runtime::artifact::{ArtifactFetcher, FetchOptions};
//! let fetcher = ArtifactFetcher::new(FetchOptions::default())?;
//! let dir = fetcher
//!     .fetch_to_temp_dir(&artifact.url, &artifact.digest, &std::env::temp_dir())
//!     .await?;
//! // build from dir.path(); the directory is deleted when `dir` drops
//! # Ok(()) }
//! ```

mod digest;
mod download;
mod entry;
mod error;
mod extract;
mod follow;
mod links;
mod policy;
mod unpack;

#[cfg(test)]
mod tests;

pub use digest::{Algorithm, Digest, DigestError, Hasher};
pub use download::{
    ArtifactFetcher, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_DOWNLOAD_SIZE, DEFAULT_RETRY_POLICY,
    DownloadedArtifact, FetchOptions,
};
pub use error::ArtifactError;
pub use extract::{
    DEFAULT_MAX_ENTRIES, DEFAULT_MAX_UNTAR_SIZE, ExtractLimits, ExtractStats, ExtractedDir,
    extract_tar_gz, extract_tar_gz_to_temp_dir,
};
pub use follow::{ArtifactLocation, Refresh};
pub use unpack::MAX_ENTRY_METADATA;

pub use crate::tls::install_crypto_provider;
