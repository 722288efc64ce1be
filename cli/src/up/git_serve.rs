//! Serves local git repositories read-only over git's smart HTTP protocol on loopback, so a
//! GitRepository (whose URL must be http, https or ssh) can point at a directory on this
//! machine. Each request runs `git http-backend` as a CGI program.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use tokio::io::AsyncWriteExt as _;

/// Largest request body accepted (upload-pack negotiation is small).
const MAX_REQUEST: usize = 16 << 20;

/// A running server; dropping it stops the listener.
pub struct GitServer {
    url: String,
    task: tokio::task::JoinHandle<()>,
}

impl GitServer {
    /// Serves `repo` (a work tree or bare repository) at `http://127.0.0.1:<port>/repo.git`.
    pub async fn start(repo: &Path) -> std::io::Result<GitServer> {
        let git_dir = git_dir(repo)?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let app = Router::new().fallback(handle).with_state(Arc::new(git_dir));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(GitServer {
            url: format!("http://{addr}/repo.git"),
            task,
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for GitServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The repository's git directory (`.git` of a work tree, or the bare repository itself).
fn git_dir(repo: &Path) -> std::io::Result<PathBuf> {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "--absolute-git-dir"])
        .current_dir(repo)
        .output()?;
    if !out.status.success() {
        return Err(std::io::Error::other(format!(
            "{} is not a git repository: {}",
            repo.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

async fn handle(State(git_dir): State<Arc<PathBuf>>, request: Request) -> Response {
    match cgi(&git_dir, request).await {
        Ok(response) => response,
        Err(e) => status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

fn status(code: StatusCode, message: String) -> Response {
    let mut r = Response::new(Body::from(message));
    *r.status_mut() = code;
    r
}

/// One `git http-backend` run: only the read side (upload-pack) is allowed.
async fn cgi(git_dir: &Path, request: Request) -> std::io::Result<Response> {
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or_default().to_string();
    let Some(rest) = path.strip_prefix("/repo.git") else {
        return Ok(status(StatusCode::NOT_FOUND, "not found".into()));
    };
    if rest.contains("receive-pack") || query.contains("receive-pack") {
        return Ok(status(StatusCode::FORBIDDEN, "read-only".into()));
    }
    let method = request.method().to_string();
    let content_type = header_str(&request, header::CONTENT_TYPE);
    let protocol = header_str(&request, "git-protocol");
    let body = axum::body::to_bytes(request.into_body(), MAX_REQUEST)
        .await
        .map_err(std::io::Error::other)?;
    let mut child = tokio::process::Command::new("git")
        .arg("http-backend")
        .env_clear()
        .env("GIT_PROJECT_ROOT", git_dir)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("PATH_INFO", if rest.is_empty() { "/" } else { rest })
        .env("REQUEST_METHOD", method)
        .env("QUERY_STRING", query)
        .env("CONTENT_TYPE", content_type)
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("GIT_PROTOCOL", protocol)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(&body).await?;
    }
    let out = child.wait_with_output().await?;
    Ok(parse_cgi(Bytes::from(out.stdout)))
}

fn header_str(request: &Request, name: impl header::AsHeaderName) -> String {
    request
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Turns CGI output (headers, a blank line, the body) into an HTTP response.
fn parse_cgi(out: Bytes) -> Response {
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| out.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2)));
    let Some((end, sep)) = split else {
        return status(StatusCode::BAD_GATEWAY, "malformed CGI output".into());
    };
    let head = String::from_utf8_lossy(&out[..end]).into_owned();
    let mut response = Response::new(Body::from(out.slice(end + sep..)));
    for line in head.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("status") {
            let code = value.split_whitespace().next().and_then(|c| c.parse().ok());
            if let Some(code) = code.and_then(|c: u16| StatusCode::from_u16(c).ok()) {
                *response.status_mut() = code;
            }
        } else if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cgi_output() {
        let r = parse_cgi(Bytes::from_static(
            b"Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nnope",
        ));
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "text/plain");
        let r = parse_cgi(Bytes::from_static(
            b"Content-Type: application/x-git\n\nPACK",
        ));
        assert_eq!(r.status(), StatusCode::OK);
        let r = parse_cgi(Bytes::from_static(b"garbage"));
        assert_eq!(r.status(), StatusCode::BAD_GATEWAY);
    }
}
