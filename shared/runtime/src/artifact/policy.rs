//! Pure download decisions: what an answer means for the artifact (on top of the shared
//! go-retryablehttp rules of [`crate::retry`]) and how artifact URLs are checked and rewritten.

use reqwest::Url;

use crate::redact::redact_url;
use crate::retry::is_retryable_status;

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
        s if is_retryable_status(s) => StatusClass::Retry,
        _ => StatusClass::Fail,
    }
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
