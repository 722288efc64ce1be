//! A source-controller-like artifact server for consumer tests (kustomize-controller,
//! helm-controller): tar.gz artifacts built at test time, served over plain HTTP on
//! 127.0.0.1 at `/<path>`, replaceable while running, with the `status.artifact` fields
//! (url, digest, size) a source object needs. A missing path answers 404.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::error::Result;
use crate::serve::LoopbackServer;

type Files = Arc<Mutex<HashMap<String, Vec<u8>>>>;

/// The fields of a stored artifact, as a source object's `status.artifact` has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedArtifact {
    /// The path under the server, `<kind>/<namespace>/<name>/<file>`.
    pub path: String,
    pub url: String,
    /// `sha256:<hex>` of the file.
    pub digest: String,
    pub size: u64,
}

/// A running artifact server; stopped on drop.
#[derive(Debug)]
pub struct ArtifactServer {
    server: LoopbackServer,
    files: Files,
    requests: Arc<Mutex<Vec<String>>>,
}

impl ArtifactServer {
    pub fn start() -> Result<Self> {
        let files: Files = Arc::default();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let (serving, log) = (files.clone(), requests.clone());
        let server = LoopbackServer::start("artifact-server", move |stream| {
            let (files, requests) = (serving.clone(), log.clone());
            async move {
                let _ = handle(stream, files, requests).await;
            }
        })?;
        Ok(Self {
            server,
            files,
            requests,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// Stores raw bytes at `path` (replacing what was there).
    pub fn put(&self, path: &str, bytes: Vec<u8>) -> ServedArtifact {
        let path = path.trim_start_matches('/').to_string();
        let served = ServedArtifact {
            url: format!("{}/{path}", self.base_url()),
            digest: format!("sha256:{}", hex::encode(Sha256::digest(&bytes))),
            size: bytes.len() as u64,
            path: path.clone(),
        };
        lock(&self.files).insert(path, bytes);
        served
    }

    /// Stores a tar.gz of `files` (path → content) at `path`.
    pub fn put_files(&self, path: &str, files: &[(&str, &str)]) -> Result<ServedArtifact> {
        let entries: Vec<(&str, &[u8])> = files.iter().map(|(p, c)| (*p, c.as_bytes())).collect();
        Ok(self.put(path, crate::oci::tar_gz(&entries)?))
    }

    /// Removes the file at `path`; it then answers 404.
    pub fn remove(&self, path: &str) {
        lock(&self.files).remove(path.trim_start_matches('/'));
    }

    /// The paths requested so far, in order.
    pub fn requests(&self) -> Vec<String> {
        lock(&self.requests).clone()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One request per connection: `GET /<path>` answers the file or 404.
async fn handle(
    mut stream: tokio::net::TcpStream,
    files: Files,
    requests: Arc<Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.split_whitespace().nth(1).unwrap_or("/");
    let path = target
        .split('?')
        .next()
        .unwrap_or("")
        .trim_start_matches('/');
    lock(&requests).push(path.to_string());
    let body = lock(&files).get(path).cloned();
    let (status, body) = match body {
        Some(body) => ("200 OK", body),
        None => ("404 Not Found", b"not found\n".to_vec()),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.write_all(&body).await?;
    stream.shutdown().await
}
