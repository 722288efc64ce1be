//! A client of one repository on an OCI registry (distribution v2 API) over reqwest: the
//! scheme and auth handshake on `/v2/` (anonymous, Basic, or a Bearer token from the realm the
//! challenge names), tag lists with `Link` pagination, manifests by tag or digest, and blobs
//! streamed to a file with digest and size checks.

pub mod auth;
pub mod manifest;
mod transport;

use std::io::Write;

use reqwest::{Method, StatusCode, header};
use sha2::{Digest, Sha256};

pub use auth::Credentials;
pub use transport::{TlsMaterial, TransportOptions, http_client};

use crate::plan::oci::{LayerInfo, RepoRef};

/// Manifests larger than this are refused (a hostile registry could stream forever).
pub const MAX_MANIFEST_SIZE: u64 = 4 << 20;
/// Layers larger than this are refused.
pub const MAX_LAYER_SIZE: u64 = 1 << 30;
/// Pages of a tag list followed at most.
const MAX_TAG_PAGES: usize = 100;

/// Why a registry operation failed; messages name the request, never credentials.
#[derive(Debug, thiserror::Error)]
pub enum OciError {
    #[error("{method} {url}: {message}")]
    Request {
        method: Method,
        url: String,
        message: String,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("{what}: {source}")]
    Io {
        what: &'static str,
        source: std::io::Error,
    },
}

/// The message of a transport error with its causes (reqwest's Display omits them).
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// A connected repository: the scheme that answered and the auth header to send.
pub struct Repository {
    http: reqwest::Client,
    base: String,
    repository: String,
    creds: Option<Credentials>,
    /// The `Authorization` value; replaced when the registry challenges again mid-run.
    auth: std::sync::Mutex<Option<String>>,
}

/// The auth header (a password or a token) never shows.
impl std::fmt::Debug for Repository {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repository")
            .field("base", &self.base)
            .field("repository", &self.repository)
            .field("authenticated", &self.current_auth().is_some())
            .finish()
    }
}

impl Repository {
    /// Pings `/v2/` (https, and plain http too when `insecure` or the host is local, as
    /// go-containerregistry does), then answers the auth challenge with `creds`.
    pub async fn connect(
        http: reqwest::Client,
        repo: &RepoRef,
        insecure: bool,
        creds: Option<Credentials>,
    ) -> Result<Self, OciError> {
        let schemes: &[&str] = match insecure || transport::is_local(&repo.registry) {
            true => &["https", "http"],
            false => &["https"],
        };
        let mut first_error = None;
        for scheme in schemes {
            let base = format!("{scheme}://{}", repo.registry);
            let url = format!("{base}/v2/");
            match http.get(&url).send().await {
                // Only a registry's answers count: a TLS server hit over plain HTTP says 400.
                Ok(resp) if !matches!(resp.status(), StatusCode::OK | StatusCode::UNAUTHORIZED) => {
                    first_error.get_or_insert(OciError::Request {
                        method: Method::GET,
                        url,
                        message: format!("unexpected status code {}", resp.status()),
                    });
                }
                Ok(resp) => {
                    let challenge = match resp.status() {
                        StatusCode::UNAUTHORIZED => resp
                            .headers()
                            .get(header::WWW_AUTHENTICATE)
                            .and_then(|v| v.to_str().ok())
                            .and_then(auth::parse_challenge),
                        _ => None,
                    };
                    let repository = Self {
                        http,
                        base,
                        repository: repo.repository.clone(),
                        creds,
                        auth: std::sync::Mutex::new(None),
                    };
                    let auth = repository.answer(challenge).await?;
                    repository.set_auth(auth);
                    return Ok(repository);
                }
                Err(e) => {
                    first_error.get_or_insert(OciError::Request {
                        method: Method::GET,
                        url,
                        message: chain(&e),
                    });
                }
            }
        }
        Err(first_error.unwrap_or_else(|| OciError::Invalid("no scheme to try".into())))
    }

    /// The `Authorization` header for a challenge: basic credentials, or a Bearer token
    /// fetched from the realm (with the credentials, when any, as basic auth).
    async fn answer(&self, challenge: Option<auth::Challenge>) -> Result<Option<String>, OciError> {
        let creds = self.creds.as_ref();
        match challenge {
            None => Ok(None),
            Some(auth::Challenge::Basic) => Ok(creds.map(Credentials::basic_header)),
            Some(auth::Challenge::Bearer { realm, service, .. }) => {
                let scope = format!("repository:{}:pull", self.repository);
                let mut url = format!("{realm}{}scope={}", sep(&realm), encode(&scope));
                if let Some(service) = service.as_deref() {
                    url.push_str(&format!("&service={}", encode(service)));
                }
                let mut req = self.http.get(&url);
                if let Some(c) = creds {
                    req = req.header(header::AUTHORIZATION, c.basic_header());
                }
                let resp = self.check(Method::GET, &realm, req.send().await).await?;
                let body = read_limited(resp, MAX_MANIFEST_SIZE, Method::GET, &realm).await?;
                let token: serde_json::Value = serde_json::from_slice(&body)
                    .map_err(|e| OciError::Invalid(format!("invalid token response: {e}")))?;
                let token = ["token", "access_token"]
                    .iter()
                    .find_map(|k| token.get(k).and_then(|v| v.as_str()))
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| OciError::Invalid("token response without a token".into()))?;
                Ok(Some(format!("Bearer {token}")))
            }
        }
    }

    fn current_auth(&self) -> Option<String> {
        self.auth.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set_auth(&self, auth: Option<String>) {
        *self.auth.lock().unwrap_or_else(|e| e.into_inner()) = auth;
    }

    fn request(&self, method: Method, url: &str, accept: bool) -> reqwest::RequestBuilder {
        let mut req = self.http.request(method, url);
        if accept {
            req = req.header(header::ACCEPT, manifest::accept());
        }
        match self.current_auth() {
            Some(a) => req.header(header::AUTHORIZATION, a),
            None => req,
        }
    }

    /// Sends a request; a 401 with a challenge (an expired token, a repository that wants
    /// credentials the ping did not) is answered once and the request sent again.
    async fn send(
        &self,
        method: Method,
        url: &str,
        accept: bool,
    ) -> Result<reqwest::Response, OciError> {
        let sent = self.request(method.clone(), url, accept).send().await;
        let challenge = match &sent {
            Ok(resp) if resp.status() == StatusCode::UNAUTHORIZED => resp
                .headers()
                .get(header::WWW_AUTHENTICATE)
                .and_then(|v| v.to_str().ok())
                .and_then(auth::parse_challenge),
            _ => None,
        };
        if challenge.is_some() {
            let fresh = self.answer(challenge).await?;
            // The same answer again would only be refused again.
            if fresh.is_some() && fresh != self.current_auth() {
                self.set_auth(fresh);
                let again = self.request(method.clone(), url, accept).send().await;
                return self.check(method, url, again).await;
            }
        }
        self.check(method, url, sent).await
    }

    /// Turns a non-2xx answer into go-containerregistry's style of message.
    async fn check(
        &self,
        method: Method,
        url: &str,
        sent: Result<reqwest::Response, reqwest::Error>,
    ) -> Result<reqwest::Response, OciError> {
        let err = |message: String| OciError::Request {
            method: method.clone(),
            url: url.to_string(),
            message,
        };
        let resp = sent.map_err(|e| err(chain(&e)))?;
        if resp.status().is_success() {
            return Ok(resp);
        }
        let status = resp.status();
        let body = read_limited(resp, 64 << 10, method.clone(), url)
            .await
            .unwrap_or_default();
        Err(err(transport::status_message(status, &body)))
    }

    /// Every tag, following `Link: <...>; rel="next"`.
    pub async fn tags(&self) -> Result<Vec<String>, OciError> {
        let mut url = format!("{}/v2/{}/tags/list?n=1000", self.base, self.repository);
        let mut tags = Vec::new();
        for _ in 0..MAX_TAG_PAGES {
            let resp = self.send(Method::GET, &url, false).await?;
            let next = transport::next_link(resp.headers(), &self.base);
            let body = read_limited(resp, MAX_MANIFEST_SIZE, Method::GET, &url).await?;
            let page: serde_json::Value = serde_json::from_slice(&body)
                .map_err(|e| OciError::Invalid(format!("invalid tag list: {e}")))?;
            let page_tags = page.get("tags").and_then(|t| t.as_array());
            tags.extend(
                page_tags
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.as_str().map(str::to_string)),
            );
            match next {
                Some(n) => url = n,
                None => return Ok(tags),
            }
        }
        Err(OciError::Invalid(format!(
            "tag list has more than {MAX_TAG_PAGES} pages"
        )))
    }

    fn manifest_url(&self, reference: &str) -> String {
        format!("{}/v2/{}/manifests/{reference}", self.base, self.repository)
    }

    /// The digest a tag points at: `Docker-Content-Digest` of a HEAD, else the digest of the
    /// body of a GET (checked against the header when the registry sends one).
    pub async fn resolve_tag(&self, tag: &str) -> Result<String, OciError> {
        let url = self.manifest_url(tag);
        if let Ok(resp) = self.send(Method::HEAD, &url, true).await
            && let Some(d) = transport::content_digest(resp.headers())
        {
            return Ok(d);
        }
        let (_, bytes, header_digest) = self.get_manifest(&url).await?;
        let digest = sha256(&bytes);
        match header_digest {
            Some(h) if h != digest => Err(mismatch("manifest", &h, &digest)),
            _ => Ok(digest),
        }
    }

    async fn get_manifest(&self, url: &str) -> Result<(String, Vec<u8>, Option<String>), OciError> {
        let resp = self.send(Method::GET, url, true).await?;
        let content_type = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let digest = transport::content_digest(resp.headers());
        let bytes = read_limited(resp, MAX_MANIFEST_SIZE, Method::GET, url).await?;
        Ok((content_type, bytes, digest))
    }

    /// The manifest with `digest`, its content checked against the digest.
    pub async fn manifest(&self, digest: &str) -> Result<(String, Vec<u8>), OciError> {
        let (content_type, bytes, _) = self.get_manifest(&self.manifest_url(digest)).await?;
        let computed = sha256(&bytes);
        if computed != digest {
            return Err(mismatch("manifest", digest, &computed));
        }
        Ok((content_type, bytes))
    }

    /// Streams the blob of `layer` into `out`, refusing more than the descriptor's size (or
    /// [`MAX_LAYER_SIZE`]) and content whose digest differs from the descriptor's.
    pub async fn blob_to(
        &self,
        layer: &LayerInfo,
        out: &mut std::fs::File,
    ) -> Result<u64, OciError> {
        let url = format!(
            "{}/v2/{}/blobs/{}",
            self.base, self.repository, layer.digest
        );
        let limit = u64::try_from(layer.size)
            .ok()
            .filter(|s| *s > 0)
            .map_or(MAX_LAYER_SIZE, |s| s.min(MAX_LAYER_SIZE));
        if u64::try_from(layer.size).is_ok_and(|s| s > MAX_LAYER_SIZE) {
            return Err(OciError::Invalid(format!(
                "layer {} is {} bytes, more than the limit of {MAX_LAYER_SIZE}",
                layer.digest, layer.size
            )));
        }
        let mut resp = self.send(Method::GET, &url, false).await?;
        let mut hasher = Sha256::new();
        let mut total = 0u64;
        let io = |source| OciError::Io {
            what: "writing layer",
            source,
        };
        while let Some(chunk) = resp.chunk().await.map_err(|e| OciError::Request {
            method: Method::GET,
            url: url.clone(),
            message: chain(&e),
        })? {
            total += chunk.len() as u64;
            if total > limit {
                return Err(OciError::Invalid(format!(
                    "layer {} is larger than its {limit} bytes",
                    layer.digest
                )));
            }
            hasher.update(&chunk);
            out.write_all(&chunk).map_err(io)?;
        }
        out.flush().map_err(io)?;
        let computed = format!("sha256:{}", hex::encode(hasher.finalize()));
        if computed != layer.digest {
            return Err(mismatch("layer", &layer.digest, &computed));
        }
        Ok(total)
    }
}

fn sep(url: &str) -> char {
    if url.contains('?') { '&' } else { '?' }
}

/// Percent-encoding of a query value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

fn mismatch(what: &str, expected: &str, computed: &str) -> OciError {
    OciError::Invalid(format!(
        "{what} digest mismatch: expected '{expected}', computed '{computed}'"
    ))
}

/// Reads a body of at most `limit` bytes.
async fn read_limited(
    mut resp: reqwest::Response,
    limit: u64,
    method: Method,
    url: &str,
) -> Result<Vec<u8>, OciError> {
    let mut out = Vec::new();
    loop {
        let chunk = resp.chunk().await.map_err(|e| OciError::Request {
            method: method.clone(),
            url: url.to_string(),
            message: chain(&e),
        })?;
        let Some(chunk) = chunk else {
            return Ok(out);
        };
        if (out.len() + chunk.len()) as u64 > limit {
            return Err(OciError::Invalid(format!(
                "{method} {url}: response larger than {limit} bytes"
            )));
        }
        out.extend_from_slice(&chunk);
    }
}
