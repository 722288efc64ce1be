//! The HTTP front's request path: authentication, then one `git http-backend` CGI run per
//! request, its CGI headers turned back into an HTTP response.

use std::convert::Infallible;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;

use base64::Engine;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, HeaderName, HeaderValue, WWW_AUTHENTICATE};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::AsyncWriteExt;

/// Shared state of the front: where repositories live and which credentials pass.
#[derive(Debug)]
pub(super) struct Front {
    pub(super) root: PathBuf,
    pub(super) basic_auth: Option<(String, String)>,
    pub(super) bearer_token: Option<String>,
    pub(super) log: std::sync::Mutex<Vec<RequestRecord>>,
}

/// One request the HTTP front answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    /// `GET`, `POST`, ...
    pub method: String,
    /// Path and query, e.g. `/app.git/info/refs?service=git-upload-pack`.
    pub path: String,
    /// The authenticated user (`bearer` for a token), empty when anonymous or refused.
    pub user: String,
    /// The HTTP status answered.
    pub status: u16,
}

type Body = Full<Bytes>;

fn text(status: StatusCode, msg: &str) -> Response<Body> {
    let mut resp = Response::new(Full::new(Bytes::from(msg.to_string())));
    *resp.status_mut() = status;
    resp
}

/// Serves one accepted connection, after the TLS handshake when `acceptor` is set.
pub(super) async fn connection(
    stream: tokio::net::TcpStream,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    front: Arc<Front>,
) {
    match acceptor {
        Some(acceptor) => {
            if let Ok(tls) = acceptor.accept(stream).await {
                serve_connection(tls, front).await;
            }
        }
        None => serve_connection(stream, front).await,
    }
}

async fn serve_connection<S>(stream: S, front: Arc<Front>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req| {
        let front = front.clone();
        async move { Ok::<_, Infallible>(handle(&front, req).await) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// The authenticated user name (`Some("")` when no auth is configured), or `None` to reject.
fn authenticate(front: &Front, req: &Request<Incoming>) -> Option<String> {
    if front.basic_auth.is_none() && front.bearer_token.is_none() {
        return Some(String::new());
    }
    let header = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    if let (Some(token), Some(given)) = (&front.bearer_token, header.strip_prefix("Bearer "))
        && given == token
    {
        return Some("bearer".to_string());
    }
    let (user, password) = front.basic_auth.as_ref()?;
    let encoded = header.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    (decoded == format!("{user}:{password}")).then(|| user.clone())
}

async fn handle(front: &Front, req: Request<Incoming>) -> Response<Body> {
    let method = req.method().to_string();
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let user = authenticate(front, &req);
    let resp = respond(front, user.clone(), req).await;
    if let Ok(mut log) = front.log.lock() {
        log.push(RequestRecord {
            method,
            path,
            user: user.unwrap_or_default(),
            status: resp.status().as_u16(),
        });
    }
    resp
}

async fn respond(front: &Front, user: Option<String>, req: Request<Incoming>) -> Response<Body> {
    let Some(user) = user else {
        let mut resp = text(StatusCode::UNAUTHORIZED, "authentication required\n");
        resp.headers_mut().insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"fluxion-testkit\""),
        );
        return resp;
    };
    match run_backend(front, &user, req).await {
        Ok(resp) => resp,
        Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, &format!("{e}\n")),
    }
}

fn header_str(req: &Request<Incoming>, name: &str) -> String {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn run_backend(
    front: &Front,
    user: &str,
    req: Request<Incoming>,
) -> std::io::Result<Response<Body>> {
    let mut cmd = tokio::process::Command::new("git");
    cmd.arg("http-backend")
        .env("GIT_PROJECT_ROOT", &front.root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("REQUEST_METHOD", req.method().as_str())
        .env("PATH_INFO", req.uri().path())
        .env("QUERY_STRING", req.uri().query().unwrap_or_default())
        .env("CONTENT_TYPE", header_str(&req, "content-type"))
        .env(
            "HTTP_CONTENT_ENCODING",
            header_str(&req, "content-encoding"),
        )
        .env("GIT_PROTOCOL", header_str(&req, "git-protocol"))
        .env("REMOTE_ADDR", "127.0.0.1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if !user.is_empty() {
        cmd.env("REMOTE_USER", user);
    }
    let body = req
        .into_body()
        .collect()
        .await
        .map_err(std::io::Error::other)?
        .to_bytes();
    cmd.env("CONTENT_LENGTH", body.len().to_string());
    let mut child = cmd.spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        tokio::spawn(async move {
            let _ = stdin.write_all(&body).await;
        });
    }
    let out = child.wait_with_output().await?;
    Ok(parse_cgi(&out.stdout))
}

/// Splits CGI output into headers (with `Status:`) and body.
fn parse_cgi(raw: &[u8]) -> Response<Body> {
    let (head, body) = match find_blank_line(raw) {
        Some((end, skip)) => (&raw[..end], &raw[end + skip..]),
        None => return text(StatusCode::BAD_GATEWAY, "malformed CGI response\n"),
    };
    let mut resp = Response::new(Full::new(Bytes::copy_from_slice(body)));
    for line in String::from_utf8_lossy(head).lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("status") {
            let code = value.split(' ').next().and_then(|c| c.parse::<u16>().ok());
            if let Some(status) = code.and_then(|c| StatusCode::from_u16(c).ok()) {
                *resp.status_mut() = status;
            }
        } else if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.trim().as_bytes()),
            HeaderValue::from_str(value),
        ) {
            resp.headers_mut().append(n, v);
        }
    }
    resp
}

fn find_blank_line(raw: &[u8]) -> Option<(usize, usize)> {
    let crlf = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4));
    let lf = raw.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}
