//! Pure download decisions: which answers to retry, how long to wait, and how URLs are shown
//! and rewritten. Follows go-retryablehttp as Flux's ArchiveFetcher configures it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::Url;

use super::error::is_transient_status;
use crate::redact::redact_url;

/// What one HTTP answer means for the download.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StatusClass {
    /// 200: read the body.
    Success,
    /// 404: the artifact is not there; never retried.
    NotFound,
    /// 429 or 5xx but 501: try again after a backoff.
    Retry,
    /// Anything else is a failure that retrying does not cure.
    Fail,
}

pub(crate) fn classify_status(status: u16) -> StatusClass {
    match status {
        200 => StatusClass::Success,
        404 => StatusClass::NotFound,
        s if is_transient_status(s) => StatusClass::Retry,
        _ => StatusClass::Fail,
    }
}

/// Whether a `Retry-After` header is honoured for this status (as go-retryablehttp does).
pub(crate) fn honours_retry_after(status: u16) -> bool {
    status == 429 || status == 503
}

/// The wait before retry number `retry` (0 for the first retry): `min * 2^retry` capped at
/// `max`, or the server's `Retry-After`, capped at `max` too so that one answer cannot stall a
/// reconcile for long.
pub(crate) fn backoff_delay(
    min: Duration,
    max: Duration,
    retry: u32,
    retry_after: Option<Duration>,
) -> Duration {
    if let Some(wait) = retry_after {
        return wait.min(max);
    }
    let factor = 2u32.checked_pow(retry).unwrap_or(u32::MAX);
    min.checked_mul(factor).unwrap_or(max).min(max)
}

/// Parses `Retry-After`: delay-seconds or an HTTP-date (RFC 7231 §7.1.3).
pub(crate) fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = DateTime::parse_from_rfc2822(value).ok()?;
    let wait = when.with_timezone(&Utc) - now;
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// Parses an artifact URL; only http and https are fetched.
pub(crate) fn parse_artifact_url(raw: &str) -> Result<Url, String> {
    let url = Url::parse(raw).map_err(|e| e.to_string())?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(format!(
            "unsupported scheme {other:?}, expected http or https"
        )),
    }
}

/// Replaces the URL's `host[:port]`, as Flux's `SOURCE_CONTROLLER_LOCALHOST` override does
/// (an override without a port drops the URL's port).
pub(crate) fn override_host(url: &mut Url, host_port: &str) -> Result<(), String> {
    let parsed = Url::parse(&format!("http://{host_port}"))
        .map_err(|e| format!("invalid hostname override {host_port:?}: {e}"))?;
    let host = parsed
        .host_str()
        .filter(|_| parsed.path() == "/" && parsed.username().is_empty())
        .ok_or_else(|| format!("invalid hostname override {host_port:?}: expected host[:port]"))?;
    url.set_host(Some(host))
        .map_err(|e| format!("invalid hostname override {host_port:?}: {e}"))?;
    url.set_port(parsed.port())
        .map_err(|()| format!("cannot set a port on {}", redact_url(url)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_classes() {
        let cases = [
            (200, StatusClass::Success),
            (201, StatusClass::Fail),
            (204, StatusClass::Fail),
            (301, StatusClass::Fail),
            (401, StatusClass::Fail),
            (403, StatusClass::Fail),
            (404, StatusClass::NotFound),
            (429, StatusClass::Retry),
            (500, StatusClass::Retry),
            (501, StatusClass::Fail),
            (502, StatusClass::Retry),
            (503, StatusClass::Retry),
        ];
        for (status, class) in cases {
            assert_eq!(classify_status(status), class, "status {status}");
        }
        assert!(honours_retry_after(429) && honours_retry_after(503));
        assert!(!honours_retry_after(500));
    }

    #[test]
    fn backoff_table() {
        let s = Duration::from_secs;
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
            assert_eq!(
                backoff_delay(s(5), s(30), retry, after),
                want,
                "retry {retry}"
            );
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
    }

    #[test]
    fn url_parsing() {
        assert!(parse_artifact_url("http://h/x.tar.gz").is_ok());
        assert!(parse_artifact_url("https://h/x.tar.gz").is_ok());
        assert!(parse_artifact_url("file:///etc/passwd").is_err());
        assert!(parse_artifact_url("not a url").is_err());
    }

    #[test]
    fn host_override_table() {
        let cases = [
            (
                "http://source-controller.flux-system.svc/a.tgz",
                "localhost:8080",
                Some("http://localhost:8080/a.tgz"),
            ),
            (
                "http://source:9090/a.tgz",
                "127.0.0.1",
                Some("http://127.0.0.1/a.tgz"),
            ),
            (
                "http://source/a.tgz?x=1",
                "[::1]:80",
                Some("http://[::1]/a.tgz?x=1"),
            ),
            ("http://source/a.tgz", "host/path", None),
            ("http://source/a.tgz", "user@host", None),
            ("http://source/a.tgz", "", None),
        ];
        for (raw, host, want) in cases {
            let mut url = Url::parse(raw).expect("url");
            let got = override_host(&mut url, host).map(|()| url.to_string());
            assert_eq!(got.ok().as_deref(), want, "{raw} with {host:?}");
        }
    }
}
