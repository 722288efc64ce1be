//! https `$ref`s against a real TLS server on 127.0.0.1:0 (a test CA from fluxion-testkit):
//! trusted through SSL_CERT_FILE, which Go and fluxion both honour, and untrusted without it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

pub struct TlsServer {
    pub port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

fn answer(conn: TcpStream, config: Arc<rustls::ServerConfig>, body: &str) {
    let _ = conn.set_read_timeout(Some(std::time::Duration::from_secs(5)));
    let Ok(tls) = rustls::ServerConnection::new(config) else {
        return;
    };
    let mut stream = rustls::StreamOwned::new(tls, conn);
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let resp = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(resp.as_bytes());
    stream.conn.send_close_notify();
    let _ = stream.flush();
}

impl TlsServer {
    pub fn start(config: Arc<rustls::ServerConfig>, body: &'static str) -> TlsServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    return;
                }
                if let Ok(conn) = conn {
                    answer(conn, config.clone(), body);
                }
            }
        });
        TlsServer {
            port,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Exit status, stdout and the `Error: ` text of one `template` run with `SSL_CERT_FILE`.
pub fn run(bin: &Path, chart: &Path, ca: Option<&Path>) -> (bool, String, String) {
    let mut cmd = Command::new(bin);
    cmd.args(["template", "rel"]).arg(chart);
    cmd.env("HELM_CACHE_HOME", chart.join(".cache"));
    match ca {
        Some(ca) => cmd.env("SSL_CERT_FILE", ca),
        // An empty roots file: nothing is trusted, whatever the host has.
        None => cmd.env("SSL_CERT_FILE", chart.join("no-roots.pem")),
    };
    let out = cmd.output().expect("run template");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let error = stderr
        .find("Error: ")
        .map_or(String::new(), |i| stderr[i..].to_string());
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        error,
    )
}
