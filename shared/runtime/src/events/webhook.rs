//! POSTs Flux event JSON to the events address with the retry policy of Flux's recorder
//! (go-retryablehttp, see [`crate::retry`]: 5s timeout per request, up to 4 retries waiting
//! 1s, 2s, 4s, 8s, capped at 30s; retry on transport errors and 5xx but 501; 429 means the
//! receiver already has the event and is neither retried nor an error).

use std::time::Duration;

use reqwest::Url;
use reqwest::header::CONTENT_TYPE;

use super::FluxEvent;
use crate::error::error_chain;
use crate::redact::redact_url;
use crate::retry::{self, Attempt, RetryPolicy};

/// Flux's recorder: go-retryablehttp's defaults with a 5s timeout per request.
pub const EVENT_RETRY_POLICY: RetryPolicy = RetryPolicy {
    max_retries: 4,
    wait_min: Duration::from_secs(1),
    wait_max: Duration::from_secs(30),
    attempt_timeout: Duration::from_secs(5),
};

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
    Client(#[source] reqwest::Error),
    #[error("POST {url} giving up after {attempts} attempt(s): {last}")]
    GaveUp {
        url: String,
        attempts: u32,
        last: String,
    },
}

/// The decision after one attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Done(PostOutcome),
    /// Try again; the string says why, for the final error.
    Retry(String),
    /// Stop with this error (a transport error that retrying cannot fix).
    Fail(String),
}

/// go-retryablehttp's `ErrorPropagatedRetryPolicy` with Flux's 429 exception. `status` is the
/// response status, or `None` with `transport` describing the error and whether
/// [`retry::is_retryable_transport`] holds for it.
pub(crate) fn classify(status: Option<u16>, transport: Option<(&str, bool)>) -> Verdict {
    match (status, transport) {
        (Some(429), _) => Verdict::Done(PostOutcome::Duplicate),
        (Some(code), _) if retry::is_retryable_status(code) => {
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
            .timeout(policy.attempt_timeout)
            .build()
            .map_err(|e| PostError::Client(e.without_url()))?;
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
        let gave_up = |last, attempts| PostError::GaveUp {
            url: redact_url(&self.url),
            attempts,
            last,
        };
        let attempt = |tries| self.attempt(body.clone(), tries);
        retry::with_retries(&self.policy, attempt, gave_up).await
    }

    async fn attempt(&self, body: Vec<u8>, tries: u32) -> Attempt<PostOutcome, String, PostError> {
        let sent = self
            .client
            .post(self.url.clone())
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await;
        let (verdict, retry_after) = match sent {
            Ok(resp) => {
                let code = resp.status().as_u16();
                let hint = retry::retry_after(code, resp.headers());
                (classify(Some(code), None), hint)
            }
            Err(e) => {
                let retryable = retry::is_retryable_transport(&e);
                // The URL, with whatever credentials it holds, stays out of the message.
                let text = error_chain(&e.without_url());
                (classify(None, Some((&text, retryable))), None)
            }
        };
        match verdict {
            Verdict::Done(outcome) => Attempt::Done(Ok(outcome)),
            Verdict::Retry(cause) => Attempt::Retry { cause, retry_after },
            Verdict::Fail(last) => Attempt::Done(Err(PostError::GaveUp {
                url: redact_url(&self.url),
                attempts: tries,
                last,
            })),
        }
    }
}
