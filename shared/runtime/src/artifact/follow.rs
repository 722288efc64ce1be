//! Downloads that follow their source between retries. A consumer's retries can outlast the
//! address it started from: source-controller restarted on a new `--storage-adv-addr`
//! rewrites its artifacts' URLs on its next run, and retrying the old URL would then only fail
//! until the retries run out. Before each retry the fetcher asks the caller where the artifact
//! is now ([`Refresh`]): the same place, a new URL and digest for the same revision, or a new
//! revision, which ends the download so the caller can start over with it.

use std::future::{Future, Ready, ready};
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use reqwest::Url;

use super::digest::Digest;
use super::download::{ArtifactFetcher, Cause, DownloadedArtifact, transport_error};
use super::error::ArtifactError;
use crate::redact::redact_url;
use crate::retry::{self, Attempt};

/// Where an artifact is, as its source's `status.artifact` says: URL and digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArtifactLocation {
    pub url: String,
    pub digest: String,
}

impl ArtifactLocation {
    pub fn new(url: impl Into<String>, digest: impl Into<String>) -> Self {
        ArtifactLocation {
            url: url.into(),
            digest: digest.into(),
        }
    }
}

/// What the caller found when the source was read again before a retry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refresh {
    /// Nothing new (or the source could not be read): retry where we were.
    Same,
    /// The same revision at another place: retry there.
    Moved(ArtifactLocation),
    /// The source moved on (new revision, or no artifact any more): stop with
    /// [`ArtifactError::Superseded`] carrying this message.
    Superseded(String),
}

/// The refresh of a download that never moves.
pub(super) fn stay() -> Ready<Refresh> {
    ready(Refresh::Same)
}

/// The location being tried: parsed once per change, shown without credentials.
struct Current {
    location: ArtifactLocation,
    url: Url,
    shown: String,
    expected: Digest,
}

impl ArtifactFetcher {
    fn locate(&self, location: &ArtifactLocation) -> Result<Current, ArtifactError> {
        let expected = Digest::parse_artifact(&location.digest)?;
        let url = self.artifact_url(&location.url)?;
        let shown = redact_url(&url);
        Ok(Current {
            location: location.clone(),
            url,
            shown,
            expected,
        })
    }

    /// Downloads from `first` with retries, calling `refresh` before each retry, and verifies
    /// the file against the digest of the location it came from.
    pub(super) async fn download_following<R, Fut>(
        &self,
        first: &ArtifactLocation,
        dir: &Path,
        refresh: &R,
    ) -> Result<DownloadedArtifact, ArtifactError>
    where
        R: Fn() -> Fut,
        Fut: Future<Output = Refresh>,
    {
        let current = Mutex::new(self.locate(first)?);
        let attempt = |tries: u32| {
            let current = &current;
            async move {
                if tries > 1 {
                    match refresh().await {
                        Refresh::Same => {}
                        Refresh::Moved(location) if location == lock(current).location => {}
                        Refresh::Moved(location) => match self.locate(&location) {
                            Ok(moved) => {
                                tracing::info!(url = %moved.shown, "artifact moved, following it");
                                *lock(current) = moved;
                            }
                            Err(e) => return Attempt::Done(Err(e)),
                        },
                        Refresh::Superseded(message) => {
                            return Attempt::Done(Err(ArtifactError::Superseded { message }));
                        }
                    }
                }
                let (url, shown, algorithm) = {
                    let c = lock(current);
                    (c.url.clone(), c.shown.clone(), c.expected.algorithm())
                };
                self.try_once(&url, &shown, algorithm, dir, tries).await
            }
        };
        let give_up = |cause, attempts| {
            let shown = lock(&current).shown.clone();
            match cause {
                Cause::Status(status) => ArtifactError::HttpStatus {
                    url: shown,
                    status,
                    attempts,
                },
                Cause::Transport(error) => transport_error(&shown, attempts, error),
            }
        };
        let downloaded = retry::with_retries(&self.options().retry, attempt, give_up).await?;
        let current = current.into_inner().unwrap_or_else(PoisonError::into_inner);
        if downloaded.digest() != &current.expected {
            return Err(ArtifactError::DigestMismatch {
                url: current.shown,
                expected: current.expected.to_string(),
                actual: downloaded.digest().to_string(),
            });
        }
        Ok(downloaded)
    }
}

/// The current location; a Mutex only so the download future stays `Send`, never held across
/// an await, so never contended.
fn lock(current: &Mutex<Current>) -> MutexGuard<'_, Current> {
    current.lock().unwrap_or_else(PoisonError::into_inner)
}
