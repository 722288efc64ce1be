//! Test support: a server per test, kubectl runs bounded in time, raw HTTP requests.

use std::process::Stdio;
use std::time::Duration;

use fluxion_apiserver::{ApiServer, ServerConfig};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A server with default settings.
pub async fn server() -> ApiServer {
    ApiServer::start(ServerConfig::default())
        .await
        .expect("start server")
}

/// A server keeping only `history` events for watches.
pub async fn server_with_history(history: usize) -> ApiServer {
    ApiServer::start(ServerConfig {
        history_limit: history,
        bookmark_interval: Duration::from_millis(300),
        ..Default::default()
    })
    .await
    .expect("start server")
}

/// The result of a kubectl run.
#[derive(Debug)]
pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts success and gives stdout.
    pub fn out(self) -> String {
        assert!(self.ok, "kubectl failed: {}\n{}", self.stderr, self.stdout);
        self.stdout
    }

    pub fn json(self) -> Value {
        serde_json::from_str(&self.out()).expect("kubectl printed JSON")
    }
}

/// kubectl against a server, in a namespace, with its own cache directory.
pub struct Kubectl<'a> {
    pub server: &'a ApiServer,
    pub namespace: String,
}

impl<'a> Kubectl<'a> {
    /// Also creates the namespace.
    pub async fn new(server: &'a ApiServer, namespace: &str) -> Kubectl<'a> {
        let k = Kubectl {
            server,
            namespace: namespace.to_string(),
        };
        k.run_stdin(
            &["apply", "-f", "-"],
            &format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {namespace}\n"),
        )
        .await
        .out();
        k
    }

    fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut c = tokio::process::Command::new("kubectl");
        c.arg("--kubeconfig")
            .arg(self.server.kubeconfig())
            .arg("--cache-dir")
            .arg(self.server.dir().join("kubectl-cache"))
            .arg("-n")
            .arg(&self.namespace)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        c
    }

    pub async fn run(&self, args: &[&str]) -> Run {
        self.run_stdin(args, "").await
    }

    /// Runs with `input` on stdin; fails the test when kubectl is missing or hangs (30s).
    pub async fn run_stdin(&self, args: &[&str], input: &str) -> Run {
        let mut child = self
            .command(args)
            .spawn()
            .expect("kubectl must be installed (Debian package kubectl)");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(input.as_bytes())
            .await
            .expect("write stdin");
        drop(stdin);
        let out = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
            .await
            .unwrap_or_else(|_| panic!("kubectl {args:?} timed out"))
            .expect("kubectl ran");
        Run {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs a long-lived command (like `get -w`) for `dur`, then kills it; returns stdout.
    pub async fn run_for(&self, args: &[&str], dur: Duration) -> String {
        let mut child = self
            .command(args)
            .spawn()
            .expect("kubectl must be installed");
        let mut stdout = child.stdout.take().expect("stdout");
        let mut buf = Vec::new();
        let _ = tokio::time::timeout(dur, stdout.read_to_end(&mut buf)).await;
        let _ = child.kill().await;
        String::from_utf8_lossy(&buf).into_owned()
    }
}

/// An HTTP answer: status code, headers (lowercased names) and body.
#[derive(Debug)]
pub struct Http {
    pub code: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Http {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One raw HTTP/1.1 request (connection closed after it), for exact status checks.
pub async fn http(
    server: &ApiServer,
    method: &str,
    path: &str,
    content_type: &str,
    body: &str,
) -> Http {
    let mut s = tokio::net::TcpStream::connect(server.addr())
        .await
        .expect("connect");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        server.addr(),
        body.len()
    );
    s.write_all(req.as_bytes()).await.expect("send");
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut raw))
        .await
        .expect("answer in time")
        .expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("HTTP answer");
    let mut lines = head.lines();
    let code = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Http {
        code,
        headers,
        body: body.to_string(),
    }
}

/// Reads a watch stream for `dur` and returns its events.
pub async fn watch_events(server: &ApiServer, path: &str, dur: Duration) -> Vec<Value> {
    let mut s = tokio::net::TcpStream::connect(server.addr())
        .await
        .expect("connect");
    let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.expect("send");
    let mut raw = Vec::new();
    let _ = tokio::time::timeout(dur, s.read_to_end(&mut raw)).await;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    // Chunked framing: JSON events are the lines that parse.
    body.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l.trim()).ok())
        .filter(|v| v.get("type").is_some())
        .collect()
}
