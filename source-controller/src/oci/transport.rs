//! The HTTP client of registry requests (certSecretRef CA and client certificate, `insecure`,
//! proxy, timeout) and the small header helpers of the distribution API.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Certificates from `spec.certSecretRef`.
#[derive(Clone, Default)]
pub struct TlsMaterial {
    /// PEM CA certificates trusted besides the system's.
    pub ca: Option<Vec<u8>>,
    /// PEM client certificate and key.
    pub identity: Option<(Vec<u8>, Vec<u8>)>,
}

impl std::fmt::Debug for TlsMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsMaterial")
            .field("ca", &self.ca.is_some())
            .field("identity", &self.identity.is_some())
            .finish()
    }
}

/// How to reach the registry.
#[derive(Clone, Debug, Default)]
pub struct TransportOptions {
    pub insecure: bool,
    pub tls: TlsMaterial,
    pub proxy: Option<String>,
    pub timeout: Duration,
}

/// Builds the client. As Flux: `insecure` without a certSecretRef skips certificate checks
/// (and allows plain HTTP); with one, the given CA is trusted and the client certificate sent.
pub fn http_client(options: &TransportOptions) -> Result<reqwest::Client, String> {
    let mut builder = fluxion_runtime::tls::http_client_builder()
        .user_agent("flux/v2")
        .timeout(options.timeout);
    let tls = &options.tls;
    if let Some(ca) = &tls.ca {
        let certs = reqwest::Certificate::from_pem_bundle(ca)
            .map_err(|_| "failed to parse CA certificate: invalid PEM".to_string())?;
        if certs.is_empty() {
            return Err("failed to parse CA certificate: no certificate in PEM".into());
        }
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
    }
    if let Some((cert, key)) = &tls.identity {
        let mut pem = cert.clone();
        pem.push(b'\n');
        pem.extend_from_slice(key);
        let identity = reqwest::Identity::from_pem(&pem)
            .map_err(|_| "failed to parse client certificate and key: invalid PEM".to_string())?;
        builder = builder.identity(identity);
    }
    if options.insecure && tls.ca.is_none() && tls.identity.is_none() {
        builder = builder.danger_accept_invalid_certs(true);
    }
    builder = match &options.proxy {
        Some(url) => {
            builder.proxy(reqwest::Proxy::all(url).map_err(|_| "invalid proxy URL".to_string())?)
        }
        None => builder.no_proxy(),
    };
    builder.build().map_err(|e| e.to_string())
}

/// Hosts go-containerregistry also tries over plain HTTP: localhost, loopback, private ranges.
pub fn is_local(registry: &str) -> bool {
    let host = match registry.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => registry,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host == "localhost" {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback() || ip.is_private(),
        Ok(std::net::IpAddr::V6(ip)) => ip.is_loopback(),
        Err(_) => false,
    }
}

/// `Docker-Content-Digest`, when it is a sha256 digest.
pub fn content_digest(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("docker-content-digest")?.to_str().ok()?;
    crate::plan::oci::parse_digest(value.trim()).ok()
}

/// The next page of a paginated list: `Link: </v2/...>; rel="next"`, made absolute.
pub fn next_link(headers: &HeaderMap, base: &str) -> Option<String> {
    let link = headers.get("link")?.to_str().ok()?;
    let target = link.split(';').next()?.trim();
    let target = target.strip_prefix('<')?.strip_suffix('>')?;
    if !link.contains("rel=\"next\"") && !link.contains("rel=next") {
        return None;
    }
    Some(match target.starts_with('/') {
        true => format!("{base}{target}"),
        false => target.to_string(),
    })
}

/// go-containerregistry's rendering of an error answer: `CODE: message` per error in the
/// JSON body, or the status when the body has none.
pub fn status_message(status: StatusCode, body: &[u8]) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let errors: Vec<String> = parsed
        .as_ref()
        .and_then(|v| v.get("errors"))
        .and_then(|e| e.as_array())
        .into_iter()
        .flatten()
        .map(|e| {
            let field = |k: &str| e.get(k).and_then(|v| v.as_str()).unwrap_or_default();
            format!("{}: {}", field("code"), field("message"))
        })
        .collect();
    match errors.is_empty() {
        true => format!("unexpected status code {status}"),
        false => errors.join("; "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn local_hosts() {
        let cases = [
            ("localhost:5000", true),
            ("127.0.0.1:5000", true),
            ("10.1.2.3", true),
            ("[::1]:5000", true),
            ("ghcr.io", false),
            ("8.8.8.8:443", false),
        ];
        for (host, want) in cases {
            assert_eq!(is_local(host), want, "{host}");
        }
    }

    #[test]
    fn headers() {
        let mut h = HeaderMap::new();
        h.insert(
            "link",
            HeaderValue::from_static("</v2/a/tags/list?last=x&n=2>; rel=\"next\""),
        );
        assert_eq!(
            next_link(&h, "http://r"),
            Some("http://r/v2/a/tags/list?last=x&n=2".into())
        );
        let d = format!("sha256:{}", "c".repeat(64));
        h.insert(
            "docker-content-digest",
            HeaderValue::from_str(&d).expect("value"),
        );
        assert_eq!(content_digest(&h), Some(d));
        assert_eq!(next_link(&HeaderMap::new(), "http://r"), None);
    }

    #[test]
    fn error_bodies() {
        let body = br#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#;
        assert_eq!(
            status_message(StatusCode::UNAUTHORIZED, body),
            "UNAUTHORIZED: authentication required"
        );
        assert_eq!(
            status_message(StatusCode::NOT_FOUND, b""),
            "unexpected status code 404 Not Found"
        );
    }
}
