//! The artifact fetcher (Flux's `fetch.ArchiveFetcher`): GET with retries and backoff, a
//! per-try timeout and a size cap, streamed to a temp file while hashing, verified before use.

use std::fs::File;
use std::future::Future;
use std::io::{self, BufReader};
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::{Response, Url};
use tokio::io::AsyncWriteExt;

use super::digest::{Algorithm, Digest};
use super::error::ArtifactError;
use super::extract::{
    ExtractLimits, ExtractStats, ExtractedDir, extract_tar_gz, extract_tar_gz_to_temp_dir,
    parent_dir,
};
use super::follow::{ArtifactLocation, Refresh, stay};
use super::policy::{StatusClass, classify_status, override_host, parse_artifact_url};
use crate::error::error_chain;
use crate::redact::redact_url;
use crate::retry::{self, Attempt, RetryPolicy, is_retryable_transport};

/// Flux's fetcher: `--http-retry` (9 retries after the first try), go-retryablehttp waits of
/// 5s to 30s, and a bound on one try, from connecting to the last byte of the body.
pub const DEFAULT_RETRY_POLICY: RetryPolicy = RetryPolicy {
    max_retries: 9,
    wait_min: Duration::from_secs(5),
    wait_max: Duration::from_secs(30),
    attempt_timeout: Duration::from_secs(300),
};
/// Go's default dialer timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// Compressed artifacts above this are refused by default.
pub const DEFAULT_MAX_DOWNLOAD_SIZE: u64 = 100 << 20;

/// How the fetcher downloads and extracts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchOptions {
    /// Retries on connection errors, 429 and 5xx (but 501), and the bound on each try.
    pub retry: RetryPolicy,
    pub connect_timeout: Duration,
    /// `None` for no bound (Flux controllers pass `tar.UnlimitedUntarSize`).
    pub max_download_size: Option<u64>,
    pub limits: ExtractLimits,
    /// Replaces the artifact URL's `host[:port]`, like `SOURCE_CONTROLLER_LOCALHOST`.
    pub hostname_override: Option<String>,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            retry: DEFAULT_RETRY_POLICY,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_download_size: Some(DEFAULT_MAX_DOWNLOAD_SIZE),
            limits: ExtractLimits::default(),
            hostname_override: None,
        }
    }
}

/// Downloads, verifies and extracts source artifacts. Cheap to clone; share one per controller.
#[derive(Clone, Debug)]
pub struct ArtifactFetcher {
    client: reqwest::Client,
    options: FetchOptions,
}

/// A downloaded artifact whose digest matched, in a temp file deleted on drop.
#[derive(Debug)]
pub struct DownloadedArtifact {
    file: tempfile::NamedTempFile,
    digest: Digest,
    size: u64,
}

impl DownloadedArtifact {
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// The verified digest.
    pub fn digest(&self) -> &Digest {
        &self.digest
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// A new handle on the file, positioned at its start.
    pub fn open(&self) -> Result<File, ArtifactError> {
        self.file
            .reopen()
            .map_err(|e| ArtifactError::io("opening", self.file.path(), e))
    }

    /// Moves the file to `path` (mode 0600, as Flux's fetcher writes it); same filesystem only.
    pub fn persist(self, path: &Path) -> Result<(), ArtifactError> {
        self.file
            .persist(path)
            .map(drop)
            .map_err(|e| ArtifactError::io("saving the artifact to", path, e.error))
    }
}

/// An extraction of a downloaded file: [`extract_tar_gz`] or [`extract_tar_gz_to_temp_dir`].
type Extractor<T> = fn(BufReader<File>, &Path, &ExtractLimits) -> Result<T, ArtifactError>;

/// Why a try is worth repeating.
pub(super) enum Cause {
    Status(u16),
    Transport(reqwest::Error),
}

/// What one try of a download came to.
pub(super) type Try = Attempt<DownloadedArtifact, Cause, ArtifactError>;

impl ArtifactFetcher {
    /// Builds the HTTP client (installing ring as the rustls provider if none is set).
    pub fn new(options: FetchOptions) -> Result<Self, ArtifactError> {
        let client = crate::tls::http_client_builder()
            .connect_timeout(options.connect_timeout)
            .build()
            .map_err(ArtifactError::Client)?;
        Ok(ArtifactFetcher { client, options })
    }

    /// Uses a client built elsewhere (proxy, TLS roots, ...); the per-try timeout still applies.
    pub fn with_client(client: reqwest::Client, options: FetchOptions) -> Self {
        ArtifactFetcher { client, options }
    }

    pub fn options(&self) -> &FetchOptions {
        &self.options
    }

    /// Downloads `url` into a temp file in `dir` and verifies it against `digest`
    /// (`<algorithm>:<hex>`; bare hex is sha256, as in Flux).
    pub async fn download(
        &self,
        url: &str,
        digest: &str,
        dir: &Path,
    ) -> Result<DownloadedArtifact, ArtifactError> {
        let location = ArtifactLocation::new(url, digest);
        self.download_following(&location, dir, &stay).await
    }

    /// Downloads, verifies, then extracts into `dest` (absent or empty). The download and the
    /// staging directory live in `dest`'s parent; nothing is extracted unless the digest matched.
    pub async fn fetch(
        &self,
        url: &str,
        digest: &str,
        dest: &Path,
    ) -> Result<ExtractStats, ArtifactError> {
        let parent = parent_dir(dest);
        let location = ArtifactLocation::new(url, digest);
        self.fetch_with(&location, &parent, dest, extract_tar_gz, &stay)
            .await
    }

    /// Downloads, verifies and extracts into a new directory under `parent`, deleted when the
    /// returned guard drops.
    pub async fn fetch_to_temp_dir(
        &self,
        url: &str,
        digest: &str,
        parent: &Path,
    ) -> Result<ExtractedDir, ArtifactError> {
        let location = ArtifactLocation::new(url, digest);
        self.fetch_with(&location, parent, parent, extract_tar_gz_to_temp_dir, &stay)
            .await
    }

    /// [`Self::fetch_to_temp_dir`] from `location`, asking `refresh` where the artifact is
    /// before each retry (see [`Refresh`]): a moved artifact is followed, a superseded one
    /// ends the fetch with [`ArtifactError::Superseded`].
    pub async fn fetch_to_temp_dir_following<R, Fut>(
        &self,
        location: &ArtifactLocation,
        parent: &Path,
        refresh: R,
    ) -> Result<ExtractedDir, ArtifactError>
    where
        R: Fn() -> Fut,
        Fut: Future<Output = Refresh>,
    {
        self.fetch_with(
            location,
            parent,
            parent,
            extract_tar_gz_to_temp_dir,
            &refresh,
        )
        .await
    }

    /// Downloads into `dir`, then runs `extract` on the verified file towards `target` on a
    /// blocking thread; the downloaded file is deleted once extraction ends.
    async fn fetch_with<T: Send + 'static, R, Fut>(
        &self,
        location: &ArtifactLocation,
        dir: &Path,
        target: &Path,
        extract: Extractor<T>,
        refresh: &R,
    ) -> Result<T, ArtifactError>
    where
        R: Fn() -> Fut,
        Fut: Future<Output = Refresh>,
    {
        create_dir_all(dir).await?;
        let downloaded = self.download_following(location, dir, refresh).await?;
        let file = downloaded.open()?;
        let limits = self.options.limits;
        let target_owned = target.to_path_buf();
        let extracted = tokio::task::spawn_blocking(move || {
            let result = extract(BufReader::new(file), &target_owned, &limits);
            drop(downloaded);
            result
        })
        .await;
        flatten_join(extracted, target)
    }

    pub(super) fn artifact_url(&self, raw: &str) -> Result<Url, ArtifactError> {
        let invalid = |reason: String| ArtifactError::InvalidUrl {
            url: Url::parse(raw).map_or_else(|_| raw.to_string(), |u| redact_url(&u)),
            reason,
        };
        let mut url = parse_artifact_url(raw).map_err(invalid)?;
        if let Some(host) = self
            .options
            .hostname_override
            .as_deref()
            .filter(|h| !h.is_empty())
        {
            override_host(&mut url, host).map_err(invalid)?;
        }
        Ok(url)
    }

    pub(super) async fn try_once(
        &self,
        url: &Url,
        shown: &str,
        algorithm: Algorithm,
        dir: &Path,
        tries: u32,
    ) -> Try {
        let sent = self
            .client
            .get(url.clone())
            .timeout(self.options.retry.attempt_timeout)
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(error) => return transport_failure(shown, tries, error),
        };
        let status = response.status().as_u16();
        let failed = |error| Attempt::Done(Err(error));
        let url = || shown.to_string();
        match classify_status(status) {
            StatusClass::Success => {}
            StatusClass::NotFound => return failed(ArtifactError::NotFound { url: url() }),
            StatusClass::Retry => {
                return Attempt::Retry {
                    cause: Cause::Status(status),
                    retry_after: retry::retry_after(status, response.headers()),
                };
            }
            StatusClass::Fail => {
                return failed(ArtifactError::HttpStatus {
                    url: url(),
                    status,
                    attempts: tries,
                });
            }
        }
        let limit = self.options.max_download_size;
        if let (Some(limit), Some(length)) = (limit, response.content_length())
            && length > limit
        {
            return failed(ArtifactError::TooLarge { url: url(), limit });
        }
        self.stream_to_temp(response, shown, algorithm, dir, tries)
            .await
    }

    /// Writes the body to a temp file in `dir`, hashing it on the way: one pass, one chunk
    /// in memory at a time.
    async fn stream_to_temp(
        &self,
        mut response: Response,
        shown: &str,
        algorithm: Algorithm,
        dir: &Path,
        tries: u32,
    ) -> Try {
        let io_failed =
            |context, path: &Path, e| Attempt::Done(Err(ArtifactError::io(context, path, e)));
        let temp = match tempfile::Builder::new()
            .prefix(".artifact-download-")
            .tempfile_in(dir)
        {
            Ok(temp) => temp,
            Err(e) => return io_failed("creating a temp file in", dir, e),
        };
        let mut file = match temp.as_file().try_clone() {
            Ok(file) => tokio::fs::File::from_std(file),
            Err(e) => return io_failed("opening", temp.path(), e),
        };
        let mut hasher = algorithm.hasher();
        let mut size: u64 = 0;
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(error) => return transport_failure(shown, tries, error),
            };
            size += chunk.len() as u64;
            if let Some(limit) = self.options.max_download_size.filter(|limit| size > *limit) {
                let url = shown.to_string();
                return Attempt::Done(Err(ArtifactError::TooLarge { url, limit }));
            }
            hasher.update(&chunk);
            if let Err(e) = file.write_all(&chunk).await {
                return io_failed("writing", temp.path(), e);
            }
        }
        if let Err(e) = file.flush().await {
            return io_failed("writing", temp.path(), e);
        }
        Attempt::Done(Ok(DownloadedArtifact {
            file: temp,
            digest: hasher.finalize(),
            size,
        }))
    }
}

async fn create_dir_all(dir: &Path) -> Result<(), ArtifactError> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| ArtifactError::io("creating directory", dir, e))
}

fn flatten_join<T>(
    joined: Result<Result<T, ArtifactError>, tokio::task::JoinError>,
    path: &Path,
) -> Result<T, ArtifactError> {
    joined.map_err(|e| {
        ArtifactError::io("extracting into", PathBuf::from(path), io::Error::other(e))
    })?
}

/// A transport error of try number `tries`: retried when go-retryablehttp would.
fn transport_failure(shown: &str, tries: u32, error: reqwest::Error) -> Try {
    match is_retryable_transport(&error) {
        true => Attempt::Retry {
            cause: Cause::Transport(error),
            retry_after: None,
        },
        false => Attempt::Done(Err(transport_error(shown, tries, error))),
    }
}

/// The error after the last try; the cause chain goes into the message, never the URL
/// (reqwest would print it with credentials).
pub(super) fn transport_error(shown: &str, attempts: u32, error: reqwest::Error) -> ArtifactError {
    let error = error.without_url();
    let detail = error_chain(&error);
    let url = shown.to_string();
    if is_retryable_transport(&error) {
        ArtifactError::Connection {
            url,
            attempts,
            detail,
            source: error,
        }
    } else {
        ArtifactError::Request {
            url,
            detail,
            source: error,
        }
    }
}
