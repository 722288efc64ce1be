//! A forward HTTP proxy for tests of `proxySecretRef`: CONNECT tunnels and absolute-form
//! plain-HTTP requests on 127.0.0.1, optional basic auth, and a log of the targets it served.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use base64::Engine;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::error::Result;
use crate::serve::LoopbackServer;

/// Request heads larger than this are refused.
const MAX_HEAD: usize = 64 * 1024;

#[derive(Debug)]
struct State {
    credentials: Option<(String, String)>,
    targets: Mutex<Vec<String>>,
}

/// A running proxy; stopped on drop.
#[derive(Debug)]
pub struct HttpProxy {
    server: LoopbackServer,
    state: Arc<State>,
}

impl HttpProxy {
    /// A proxy that lets everyone through.
    pub fn start() -> Result<Self> {
        Self::start_inner(None)
    }

    /// A proxy that demands `Proxy-Authorization: Basic` with these credentials (else 407).
    pub fn start_with_auth(user: &str, password: &str) -> Result<Self> {
        Self::start_inner(Some((user.to_string(), password.to_string())))
    }

    fn start_inner(credentials: Option<(String, String)>) -> Result<Self> {
        let state = Arc::new(State {
            credentials,
            targets: Mutex::new(Vec::new()),
        });
        let serving = state.clone();
        let server = LoopbackServer::start("http-proxy", move |stream| {
            let state = serving.clone();
            async move {
                let _ = handle(stream, state).await;
            }
        })?;
        Ok(Self { server, state })
    }

    /// `http://127.0.0.1:PORT`, the value of a proxy secret's `address`.
    pub fn url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// Every target served so far: `host:port` for CONNECT, the absolute URL otherwise.
    pub fn targets(&self) -> Vec<String> {
        self.state
            .targets
            .lock()
            .map(|t| t.clone())
            .unwrap_or_default()
    }
}

/// Reads up to the end of the request head; returns (head, bytes read past it).
async fn read_head(stream: &mut (impl AsyncRead + Unpin)) -> std::io::Result<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buf.split_off(end + 4);
            return Ok((String::from_utf8_lossy(&buf).into_owned(), rest));
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 || buf.len() > MAX_HEAD {
            return Err(std::io::Error::other("incomplete request head"));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn authorized(state: &State, head: &str) -> bool {
    let Some((user, password)) = &state.credentials else {
        return true;
    };
    let expected = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    head.lines().any(|line| {
        line.split_once(':').is_some_and(|(name, value)| {
            name.eq_ignore_ascii_case("proxy-authorization")
                && value.trim() == format!("Basic {expected}")
        })
    })
}

/// Where an absolute-form request goes: `http://host:port/path` → `host:port`.
fn authority_of(url: &str) -> Option<String> {
    let rest = url.strip_prefix("http://")?;
    let authority = rest.split('/').next()?;
    Some(if authority.contains(':') {
        authority.to_string()
    } else {
        format!("{authority}:80")
    })
}

async fn handle(mut client: TcpStream, state: Arc<State>) -> std::io::Result<()> {
    let (head, rest) = read_head(&mut client).await?;
    let mut parts = head.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if !authorized(&state, &head) {
        let resp = "HTTP/1.1 407 Proxy Authentication Required\r\n\
                    Proxy-Authenticate: Basic realm=\"fluxion-testkit\"\r\n\
                    Connection: close\r\nContent-Length: 0\r\n\r\n";
        return client.write_all(resp.as_bytes()).await;
    }
    let upstream_addr = if method.eq_ignore_ascii_case("CONNECT") {
        target.to_string()
    } else if let Some(authority) = authority_of(target) {
        authority
    } else {
        let resp = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
        return client.write_all(resp.as_bytes()).await;
    };
    if let Ok(mut targets) = state.targets.lock() {
        targets.push(target.to_string());
    }
    let mut upstream = TcpStream::connect(&upstream_addr).await?;
    if method.eq_ignore_ascii_case("CONNECT") {
        client
            .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            .await?;
    } else {
        let forwarded: Vec<&str> = head
            .split("\r\n")
            .filter(|l| !l.to_ascii_lowercase().starts_with("proxy-authorization:"))
            .collect();
        upstream
            .write_all(forwarded.join("\r\n").as_bytes())
            .await?;
    }
    upstream.write_all(&rest).await?;
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}
