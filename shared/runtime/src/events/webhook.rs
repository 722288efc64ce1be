//! POSTs Flux event JSON to the events address with the retry policy of Flux's recorder
//! (go-retryablehttp: 5s timeout per request, up to 4 retries waiting 1s, 2s, 4s, 8s, capped at
//! 30s; retry on transport errors and 5xx but 501; 429 means the receiver already has the
//! event and is neither retried nor an error).

use std::time::Duration;

use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};

use super::FluxEvent;
use crate::error::error_chain;
use crate::redact::redact_url;

/// How the POST is retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub wait_min: Duration,
    pub wait_max: Duration,
    /// Timeout of each request.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 4,
            wait_min: Duration::from_secs(1),
            wait_max: Duration::from_secs(30),
            timeout: Duration::from_secs(5),
        }
    }
}

/// How a POST ended without error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostOutcome {
    /// 2xx or 3xx.
    Delivered(u16),
    /// 429: the receiver saw this event already.
    Duplicate,
    /// Another status that retrying would not change (4xx, 501): Flux drops the event silently.
    Rejected(u16),
}

/// A POST that failed for good. Messages carry the status or transport error, never the body.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    #[error("unable to encode event: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("unable to build HTTP client: {0}")]
    Client(String),
    #[error("POST {url} giving up after {attempts} attempt(s): {last}")]
    GaveUp {
        url: String,
        attempts: u32,
        last: String,
    },
}

/// The decision after one attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Done(PostOutcome),
    /// Try again; the string says why, for the final error.
    Retry(String),
    /// Stop with this error (a transport error that retrying cannot fix).
    Fail(String),
}

/// go-retryablehttp's `ErrorPropagatedRetryPolicy` with Flux's 429 exception. `status` is the
/// response status, or `None` with `transport` describing the error (`retryable` false for
/// redirect and request-building errors).
pub fn classify(status: Option<u16>, transport: Option<(&str, bool)>) -> Verdict {
    match (status, transport) {
        (Some(429), _) => Verdict::Done(PostOutcome::Duplicate),
        (Some(code), _) if code == 0 || (code >= 500 && code != 501) => {
            Verdict::Retry(format!("unexpected HTTP status {code}"))
        }
        (Some(code), _) if (200..400).contains(&code) => {
            Verdict::Done(PostOutcome::Delivered(code))
        }
        (Some(code), _) => Verdict::Done(PostOutcome::Rejected(code)),
        (None, Some((error, true))) => Verdict::Retry(error.to_string()),
        (None, Some((error, false))) => Verdict::Fail(error.to_string()),
        (None, None) => Verdict::Retry("no response".to_string()),
    }
}

/// The wait before retry number `attempt` (0-based): `wait_min * 2^attempt` capped at
/// `wait_max`, or the server's Retry-After on 503 (also capped).
pub fn backoff(policy: &RetryPolicy, attempt: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(wait) = retry_after {
        return wait.min(policy.wait_max);
    }
    let factor = 2u32.checked_pow(attempt).unwrap_or(u32::MAX);
    policy
        .wait_min
        .checked_mul(factor)
        .unwrap_or(policy.wait_max)
        .min(policy.wait_max)
}

fn retry_after(status: u16, headers: &HeaderMap) -> Option<Duration> {
    if status != 503 {
        return None;
    }
    let secs: u64 = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(secs))
}

/// Posts events to one address.
#[derive(Clone, Debug)]
pub struct EventPoster {
    client: reqwest::Client,
    url: Url,
    policy: RetryPolicy,
}

impl EventPoster {
    pub fn new(url: Url, policy: RetryPolicy) -> Result<Self, PostError> {
        let client = crate::tls::http_client_builder()
            .timeout(policy.timeout)
            .build()
            .map_err(|e| PostError::Client(e.without_url().to_string()))?;
        Ok(Self {
            client,
            url,
            policy,
        })
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    /// POSTs the event as JSON, retrying per the policy.
    pub async fn post(&self, event: &FluxEvent) -> Result<PostOutcome, PostError> {
        let body = serde_json::to_vec(event)?;
        let mut attempt = 0u32;
        loop {
            let sent = self
                .client
                .post(self.url.clone())
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone())
                .send()
                .await;
            let (verdict, wait_hint) = match &sent {
                Ok(resp) => {
                    let code = resp.status().as_u16();
                    (
                        classify(Some(code), None),
                        retry_after(code, resp.headers()),
                    )
                }
                Err(e) => {
                    let retryable = !(e.is_redirect() || e.is_builder());
                    (classify(None, Some((&describe_error(e), retryable))), None)
                }
            };
            attempt += 1;
            let last = match verdict {
                Verdict::Done(outcome) => return Ok(outcome),
                Verdict::Fail(last) => return Err(self.gave_up(attempt, last)),
                Verdict::Retry(last) => last,
            };
            if attempt > self.policy.max_retries {
                return Err(self.gave_up(attempt, last));
            }
            tokio::time::sleep(backoff(&self.policy, attempt - 1, wait_hint)).await;
        }
    }

    fn gave_up(&self, attempts: u32, last: String) -> PostError {
        PostError::GaveUp {
            url: redact_url(&self.url),
            attempts,
            last,
        }
    }
}

/// A reqwest error with its cause chain, user info removed from the URL it names.
fn describe_error(e: &reqwest::Error) -> String {
    let text = error_chain(e);
    match e.url() {
        Some(url) => text.replace(url.as_str(), &redact_url(url)),
        None => text,
    }
}
