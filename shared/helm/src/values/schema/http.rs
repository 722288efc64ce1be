//! A small HTTP/1.1 client for schema references, as Helm's loader behaves: GET with Helm's
//! 15 s timeout, up to 10 redirects, status 200 required, TLS with the system's trust roots
//! (rustls on ring); plus a size bound of ours. Errors are worded as Go's net/http words them.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use url::Url;

use super::load::MAX_BYTES;
use crate::template::strconv::quote as go_quote;

/// Helm's HTTP client timeout for schema references.
const TIMEOUT: Duration = Duration::from_secs(15);
/// Redirects followed, as Go's http.Client does.
const MAX_REDIRECTS: usize = 10;

/// A parsed HTTP response.
struct Response {
    status: u16,
    reason: String,
    location: Option<String>,
    body: Vec<u8>,
}

/// Fetches `url`; the body of a 200 answer, or Helm's error text.
pub fn get(url: &str) -> Result<Vec<u8>, String> {
    let deadline = Instant::now() + TIMEOUT;
    let mut current = url.to_string();
    for _ in 0..=MAX_REDIRECTS {
        let failed = |e: String| {
            format!(
                "HTTP request failed for {url}: Get {}: {e}",
                go_quote(&current)
            )
        };
        let resp = fetch_once(&current, deadline).map_err(failed)?;
        if matches!(resp.status, 301 | 302 | 303 | 307 | 308)
            && let Some(loc) = &resp.location
        {
            let next = Url::parse(&current)
                .and_then(|b| b.join(loc))
                .map_err(|e| failed(e.to_string()))?;
            current = next.to_string();
            continue;
        }
        if resp.status != 200 {
            return Err(format!(
                "HTTP request to {url} returned status {} ({})",
                resp.status, resp.reason
            ));
        }
        return Ok(resp.body);
    }
    Err(format!(
        "HTTP request failed for {url}: Get {}: stopped after {MAX_REDIRECTS} redirects",
        go_quote(&current)
    ))
}

/// Go names the DNS server it asked in lookup failures: the first resolv.conf nameserver.
fn resolver() -> String {
    let conf = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    let server = conf.lines().find_map(|l| {
        let mut words = l.split_whitespace();
        (words.next() == Some("nameserver"))
            .then(|| words.next())
            .flatten()
    });
    match server {
        Some(ip) if ip.contains(':') => format!(" on [{ip}]:53"),
        Some(ip) => format!(" on {ip}:53"),
        None => String::new(),
    }
}

fn remaining(deadline: Instant) -> Result<Duration, String> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            "context deadline exceeded (Client.Timeout exceeded while awaiting headers)".to_string()
        })
}

/// Connects to the first address of `host` that answers, as Go's dialer reports failures.
fn connect(host: &str, port: u16, deadline: Instant) -> Result<TcpStream, String> {
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|_| format!("dial tcp: lookup {host}{}: no such host", resolver()))?
        .collect();
    let mut last = String::from("dial tcp: no addresses");
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, remaining(deadline)?) {
            Ok(s) => return Ok(s),
            Err(e) => {
                let why = match e.kind() {
                    std::io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
                    _ => e.to_string(),
                };
                last = format!("dial tcp {addr}: connect: {why}");
            }
        }
    }
    Err(last)
}

/// A TLS client over `tcp` trusting the system's roots, as Go's default transport does.
fn tls(
    tcp: TcpStream,
    host: &str,
) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>, String> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        // A system certificate rustls cannot read is skipped, as Go skips it.
        let _ = roots.add(cert);
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name =
        rustls::pki_types::ServerName::try_from(host.to_string()).map_err(|e| e.to_string())?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;
    Ok(rustls::StreamOwned::new(conn, tcp))
}

/// Go's words for a failed TLS handshake, for the failures a schema server can cause.
fn tls_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    if text.contains("UnknownIssuer") {
        "tls: failed to verify certificate: x509: certificate signed by unknown authority".into()
    } else if text.contains("Expired") {
        "tls: failed to verify certificate: x509: certificate has expired or is not yet valid"
            .into()
    } else {
        format!("tls: {text}")
    }
}

fn fetch_once(url: &str, deadline: Instant) -> Result<Response, String> {
    let u = Url::parse(url).map_err(|e| e.to_string())?;
    let secure = match u.scheme() {
        "http" => false,
        "https" => true,
        other => return Err(format!("unsupported protocol scheme {}", go_quote(other))),
    };
    let host = u.host_str().ok_or("no Host in request URL")?;
    let port = u.port_or_known_default().unwrap_or(80);
    let tcp = connect(host, port, deadline)?;
    tcp.set_write_timeout(Some(remaining(deadline)?))
        .map_err(|e| e.to_string())?;
    let mut path = u.path().to_string();
    if let Some(q) = u.query() {
        path = format!("{path}?{q}");
    }
    let host_header = match u.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    };
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: Helm/4.1.4\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n"
    );
    let raw = if secure {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let mut stream = tls(tcp.try_clone().map_err(|e| e.to_string())?, host)?;
        stream
            .write_all(request.as_bytes())
            .map_err(|e| tls_reason(&e))?;
        read_all(&mut stream, &tcp, deadline)?
    } else {
        let mut stream = tcp.try_clone().map_err(|e| e.to_string())?;
        stream
            .write_all(request.as_bytes())
            .map_err(|e| e.to_string())?;
        read_all(&mut stream, &tcp, deadline)?
    };
    parse_response(&raw)
}

/// Reads the whole answer (the server closes the connection), bounded in time and size.
fn read_all(stream: &mut impl Read, tcp: &TcpStream, deadline: Instant) -> Result<Vec<u8>, String> {
    let mut raw = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        tcp.set_read_timeout(Some(remaining(deadline)?))
            .map_err(|e| e.to_string())?;
        let n = match stream.read(&mut chunk) {
            Ok(n) => n,
            // Servers often close without TLS close_notify; what came is the answer.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !raw.is_empty() => 0,
            Err(e) => {
                return Err(match e.kind() {
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
                        "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
                            .to_string()
                    }
                    std::io::ErrorKind::InvalidData => tls_reason(&e),
                    _ => e.to_string(),
                });
            }
        };
        if n == 0 {
            return Ok(raw);
        }
        raw.extend_from_slice(&chunk[..n]);
        if raw.len() as u64 > MAX_BYTES + 64 * 1024 {
            return Err(format!("response larger than {MAX_BYTES} bytes"));
        }
    }
}

fn parse_response(raw: &[u8]) -> Result<Response, String> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("malformed HTTP response")?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.splitn(3, ' ');
    let _version = parts.next();
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("malformed HTTP status code {}", go_quote(status_line)))?;
    let reason = status_text(status).to_string();
    let mut location = None;
    let mut chunked = false;
    let mut length = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "location" => location = Some(value.to_string()),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "content-length" => length = value.parse::<usize>().ok(),
            _ => {}
        }
    }
    let rest = &raw[end + 4..];
    let body = if chunked {
        dechunk(rest)?
    } else {
        match length {
            Some(n) if n <= rest.len() => rest[..n].to_vec(),
            Some(_) => return Err("unexpected EOF".to_string()),
            None => rest.to_vec(),
        }
    };
    Ok(Response {
        status,
        reason,
        location,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let eol = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("unexpected EOF")?;
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| "invalid chunk length")?;
        data = &data[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size {
            return Err("unexpected EOF".to_string());
        }
        out.extend_from_slice(&data[..size]);
        data = data.get(size + 2..).unwrap_or(&[]);
    }
}

/// Go's http.StatusText for the codes a server is likely to send.
fn status_text(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_parse_with_length_or_chunks() {
        let plain = b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ntrueXX";
        let r = parse_response(plain).expect("response");
        assert_eq!((r.status, r.body.as_slice()), (200, &b"true"[..]));
        let chunked =
            b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
        let r = parse_response(chunked).expect("response");
        assert_eq!(
            (r.status, r.reason.as_str(), r.body.as_slice()),
            (404, "Not Found", &b"{}"[..])
        );
        assert!(parse_response(b"garbage").is_err());
    }
}
