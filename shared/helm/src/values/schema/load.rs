//! Loading schema documents a `$ref` (or an unknown `$schema`) names, by URL scheme as Helm
//! configures jsonschema: `file` from the local filesystem, `http` fetched with Helm's 15 s
//! timeout (and a size bound of ours), `urn` as the permissive `true` schema; errors worded
//! as Helm prints them.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use serde_json::Value;
use url::Url;

use super::error::go_quote;

/// Helm's HTTP client timeout for schema references.
const TIMEOUT: Duration = Duration::from_secs(15);
/// Largest schema document read (ours: Helm reads without bound).
const MAX_BYTES: u64 = 16 << 20;
/// Redirects followed, as Go's http.Client does.
const MAX_REDIRECTS: usize = 10;

fn wrap(url: &str, err: String) -> String {
    format!("failing loading {}: {err}", go_quote(url))
}

/// Loads and parses the document at `url` (no fragment).
pub fn load(url: &str) -> Result<Value, String> {
    let parsed = Url::parse(url).map_err(|e| wrap(url, e.to_string()))?;
    let bytes = match parsed.scheme() {
        "file" => read_file(&parsed).map_err(|e| wrap(url, e))?,
        "http" => http_get(url).map_err(|e| wrap(url, e))?,
        "https" => {
            return Err(wrap(
                url,
                format!(
                    "HTTP request failed for {url}: Get {}: https schema references are not fetched by fluxion",
                    go_quote(url)
                ),
            ));
        }
        "urn" => return Ok(Value::Bool(true)),
        _ => {
            return Err(wrap(
                url,
                format!("no URLLoader registered for {}", go_quote(url)),
            ));
        }
    };
    super::parse_json(&bytes).map_err(|e| wrap(url, e))
}

fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or directory".to_string(),
        PermissionDenied => "permission denied".to_string(),
        IsADirectory => "is a directory".to_string(),
        _ => e.to_string(),
    }
}

fn read_file(url: &Url) -> Result<Vec<u8>, String> {
    let path = url
        .to_file_path()
        .map_err(|_| format!("invalid file url: {url}"))?;
    let shown = path.display().to_string();
    let file =
        std::fs::File::open(&path).map_err(|e| format!("open {shown}: {}", io_reason(&e)))?;
    let mut buf = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("read {shown}: {}", io_reason(&e)))?;
    if buf.len() as u64 > MAX_BYTES {
        return Err(format!("read {shown}: larger than {MAX_BYTES} bytes"));
    }
    Ok(buf)
}

/// A parsed HTTP response.
struct Response {
    status: u16,
    reason: String,
    location: Option<String>,
    body: Vec<u8>,
}

fn http_get(url: &str) -> Result<Vec<u8>, String> {
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

fn fetch_once(url: &str, deadline: Instant) -> Result<Response, String> {
    let u = Url::parse(url).map_err(|e| e.to_string())?;
    if u.scheme() != "http" {
        return Err(format!(
            "unsupported protocol scheme {}",
            go_quote(u.scheme())
        ));
    }
    let host = u.host_str().ok_or("no Host in request URL")?;
    let port = u.port_or_known_default().unwrap_or(80);
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|_| format!("dial tcp: lookup {host}{}: no such host", resolver()))?
        .collect();
    let mut last = String::from("no addresses");
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, remaining(deadline)?) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => {
                let why = match e.kind() {
                    std::io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
                    _ => e.to_string(),
                };
                last = format!("dial tcp {addr}: connect: {why}");
            }
        }
    }
    let mut stream = stream.ok_or(last)?;
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
    stream
        .set_write_timeout(Some(remaining(deadline)?))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        stream
            .set_read_timeout(Some(remaining(deadline)?))
            .map_err(|e| e.to_string())?;
        let n = stream.read(&mut chunk).map_err(|e| match e.kind() {
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
                "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
                    .to_string()
            }
            _ => e.to_string(),
        })?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&chunk[..n]);
        if raw.len() as u64 > MAX_BYTES + 64 * 1024 {
            return Err(format!("response larger than {MAX_BYTES} bytes"));
        }
    }
    parse_response(&raw)
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

    #[test]
    fn unknown_schemes_are_refused_like_helm() {
        assert_eq!(
            load("ftp://x/y.json").unwrap_err(),
            "failing loading \"ftp://x/y.json\": no URLLoader registered for \"ftp://x/y.json\""
        );
        assert_eq!(load("urn:a:b").expect("urn"), Value::Bool(true));
    }
}
