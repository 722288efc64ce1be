//! HTTP retries as go-retryablehttp does them, for every client Flux builds on it (the event
//! poster, the artifact fetcher): which answers and transport errors are retried, how long to
//! wait between tries, and the loop around one try.
//!
//! go-retryablehttp's `baseRetryPolicy` retries transport errors except redirect loops, bad
//! requests and untrusted certificates, and answers 429, 0 and 5xx but 501; `DefaultBackoff`
//! waits `min * 2^retry` capped at `max`, or the server's `Retry-After` on 429 and 503. Each
//! user keeps its own [`RetryPolicy`] (Flux's recorder and fetcher differ) and its own reading
//! of an answer (the recorder takes 429 as "already delivered").

use std::error::Error as StdError;
use std::future::Future;
use std::io;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How often and how patiently a request is tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first try.
    pub max_retries: u32,
    /// The wait before the first retry; it doubles with every retry.
    pub wait_min: Duration,
    /// The cap of the wait, also applied to a server's `Retry-After`.
    pub wait_max: Duration,
    /// The bound on one try, from connecting to the last byte of the body.
    pub attempt_timeout: Duration,
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0 for the first retry): `wait_min * 2^retry`
    /// capped at `wait_max`, or the server's `Retry-After`.
    //
    // go-retryablehttp honours Retry-After uncapped; capping it keeps one answer from stalling
    // a reconcile (or an event) for long.
    pub fn wait(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.wait_max);
        }
        let factor = 2u32.checked_pow(retry).unwrap_or(u32::MAX);
        self.wait_min
            .checked_mul(factor)
            .unwrap_or(self.wait_max)
            .min(self.wait_max)
    }
}

/// go-retryablehttp's rule for an answer: 429, 0 and every 5xx but 501 Not Implemented.
pub fn is_retryable_status(status: u16) -> bool {
    status == 0 || status == 429 || (status >= 500 && status != 501)
}

/// Whether a `Retry-After` header is honoured for this status.
pub fn honours_retry_after(status: u16) -> bool {
    status == 429 || status == 503
}

/// The server's `Retry-After` for an answer, when its status honours one.
pub fn retry_after(status: u16, headers: &HeaderMap) -> Option<Duration> {
    if !honours_retry_after(status) {
        return None;
    }
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, Utc::now())
}

/// Parses `Retry-After`: delay-seconds or an HTTP-date (RFC 7231 §7.1.3).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = DateTime::parse_from_rfc2822(value).ok()?;
    let wait = when.with_timezone(&Utc) - now;
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// Connection problems, timeouts and broken bodies are retried; a bad request, a redirect
/// loop or an untrusted certificate are not.
pub fn is_retryable_transport(error: &reqwest::Error) -> bool {
    !(error.is_builder() || error.is_redirect() || is_certificate_error(error))
}

fn is_certificate_error(error: &(dyn StdError + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(err) = current {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return matches!(tls, rustls::Error::InvalidCertificate(_));
        }
        let inner = err.downcast_ref::<io::Error>().and_then(|io| io.get_ref());
        if let Some(inner) = inner
            && is_certificate_error(inner)
        {
            return true;
        }
        current = err.source();
    }
    false
}

/// What one try came to.
#[derive(Debug)]
pub enum Attempt<T, C, E> {
    /// Finished: a success, or a failure that another try would not cure.
    Done(Result<T, E>),
    /// Worth another try because of `cause`; `retry_after` is the server's hint.
    Retry {
        cause: C,
        retry_after: Option<Duration>,
    },
}

/// Runs `attempt` (given the 1-based try number) until it is done or the retries are spent,
/// sleeping [`RetryPolicy::wait`] between tries; `give_up` turns the last cause and the number
/// of tries into the error.
pub async fn with_retries<T, C, E, F, Fut>(
    policy: &RetryPolicy,
    mut attempt: F,
    give_up: impl FnOnce(C, u32) -> E,
) -> Result<T, E>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Attempt<T, C, E>>,
{
    let mut tries: u32 = 0;
    loop {
        tries += 1;
        let (cause, retry_after) = match attempt(tries).await {
            Attempt::Done(result) => return result,
            Attempt::Retry { cause, retry_after } => (cause, retry_after),
        };
        if tries > policy.max_retries {
            return Err(give_up(cause, tries));
        }
        let wait = policy.wait(tries - 1, retry_after);
        tracing::debug!(
            attempt = tries,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "retrying HTTP request"
        );
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    fn policy(max_retries: u32, min: Duration, max: Duration) -> RetryPolicy {
        RetryPolicy {
            max_retries,
            wait_min: min,
            wait_max: max,
            attempt_timeout: Duration::from_secs(1),
        }
    }

    #[test]
    fn retryable_statuses() {
        let cases = [
            (0, true),
            (200, false),
            (400, false),
            (401, false),
            (403, false),
            (404, false),
            (429, true),
            (500, true),
            (501, false),
            (502, true),
            (503, true),
            (504, true),
            (599, true),
        ];
        for (status, retryable) in cases {
            assert_eq!(is_retryable_status(status), retryable, "status {status}");
        }
        assert!(honours_retry_after(429) && honours_retry_after(503));
        assert!(!honours_retry_after(500));
    }

    #[test]
    fn wait_table() {
        let s = Duration::from_secs;
        let p = policy(9, s(5), s(30));
        let cases = [
            (0, None, s(5)),
            (1, None, s(10)),
            (2, None, s(20)),
            (3, None, s(30)),
            (8, None, s(30)),
            (40, None, s(30)),
            (0, Some(s(12)), s(12)),
            (0, Some(s(3600)), s(30)),
            (5, Some(Duration::ZERO), Duration::ZERO),
        ];
        for (retry, after, want) in cases {
            assert_eq!(p.wait(retry, after), want, "retry {retry}");
        }
    }

    #[test]
    fn retry_after_table() {
        let now = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let cases = [
            ("120", Some(Duration::from_secs(120))),
            (" 7 ", Some(Duration::from_secs(7))),
            (
                "Mon, 01 Jan 2024 00:00:30 GMT",
                Some(Duration::from_secs(30)),
            ),
            ("Sun, 31 Dec 2023 23:59:00 GMT", Some(Duration::ZERO)),
            ("-1", None),
            ("soon", None),
            ("", None),
        ];
        for (value, want) in cases {
            assert_eq!(parse_retry_after(value, now), want, "{value:?}");
        }
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "9".parse().expect("header"));
        assert_eq!(retry_after(503, &headers), Some(Duration::from_secs(9)));
        assert_eq!(retry_after(429, &headers), Some(Duration::from_secs(9)));
        assert_eq!(retry_after(500, &headers), None);
        assert_eq!(retry_after(503, &HeaderMap::new()), None);
    }

    #[tokio::test(start_paused = true)]
    async fn the_loop_retries_then_gives_up_or_finishes() {
        let p = policy(2, Duration::from_secs(1), Duration::from_secs(30));
        let tries = AtomicU32::new(0);
        let always_retry = |n: u32| {
            tries.store(n, Ordering::SeqCst);
            async move {
                Attempt::<(), String, String>::Retry {
                    cause: format!("try {n}"),
                    retry_after: None,
                }
            }
        };
        let started = tokio::time::Instant::now();
        let err = with_retries(&p, always_retry, |cause, n| format!("{cause} of {n}")).await;
        assert_eq!(err, Err("try 3 of 3".to_string()));
        assert_eq!(tries.load(Ordering::SeqCst), 3);
        assert_eq!(
            started.elapsed(),
            Duration::from_secs(3),
            "waited 1s then 2s"
        );

        let second_wins = |n: u32| async move {
            match n {
                1 => Attempt::Retry {
                    cause: "busy",
                    retry_after: Some(Duration::from_secs(7)),
                },
                _ => Attempt::Done(Ok::<u32, &str>(n)),
            }
        };
        let started = tokio::time::Instant::now();
        assert_eq!(with_retries(&p, second_wins, |c, _| c).await, Ok(2));
        assert_eq!(
            started.elapsed(),
            Duration::from_secs(7),
            "Retry-After used"
        );

        let fails_at_once = |_| async { Attempt::<(), (), &str>::Done(Err("refused")) };
        assert_eq!(
            with_retries(&p, fails_at_once, |(), _| "gave up").await,
            Err("refused")
        );
    }
}
