//! Test support: a cluster per test (our server in-process, or a real one), kubectl runs
//! bounded in time, raw HTTP requests.
//!
//! **Portable mode.** With `APISERVER_TEST_KUBECONFIG=PATH` the tests run against the cluster
//! that kubeconfig names instead of starting our server, so that what passes here is checked
//! on a real kube-apiserver. Each test then works in namespaces and API groups with a random
//! suffix ([`Cluster::ns`], [`Cluster::group`]), and deletes them, and the CRDs of its groups,
//! when it ends, also on failure. Raw HTTP goes through `kubectl proxy`, which adds the
//! kubeconfig's credentials. A real cluster runs controllers, so the tests tolerate what they
//! add (a namespace's `default` ServiceAccount and `kube-root-ca.crt` ConfigMap, garbage
//! collection and namespace cleanup that happen later, see [`eventually`]).
//!
//! **Server-only tests** are ignored in that mode (`#[cfg_attr(apiserver_external,
//! ignore = "...")]`, the reason printed by the test runner), because they need what only our
//! server offers:
//! - `persistence::*`, `persistence_kill::*`: restart, kill -9 and the data directory;
//! - `watches::too_old_versions_give_410_and_the_watcher_relists`, `watches::periodic_bookmarks`:
//!   a watch history of a few events and a bookmark interval set at start;
//! - `rbac::*`: RBAC switched on for one server, tokens minted by it;
//! - `protobuf::*`: compares our protobuf decoding with JSON, creating cluster-scoped objects
//!   under fixed names;
//! - `lifecycle::default_namespace_is_protected` tries to delete `default` on the cluster;
//! - `auth::*`, `auth_certs::*`, `auth_tokens::*`: start servers of their own with TLS,
//!   tokens, client certificates, RBAC or restarts;
//! - `cel::every_rule_of_fluxions_crds_is_enforced` installs Flux's CRDs, which a real
//!   cluster may hold at other versions.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;

use fluxion_apiserver::{ApiServer, AuthConfig, ServerConfig};
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, PostParams};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};

/// The environment variable naming a real cluster's kubeconfig.
pub const EXTERNAL: &str = "APISERVER_TEST_KUBECONFIG";

/// The kubeconfig of the external cluster, when the tests run against one.
fn external_kubeconfig() -> Option<PathBuf> {
    let path = std::env::var_os(EXTERNAL).filter(|v| !v.is_empty())?;
    let path = PathBuf::from(path);
    // A path starting with `~/` as the README writes it, when the shell left it unexpanded.
    match (path.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) => Some(PathBuf::from(home).join(rest)),
        _ => Some(path),
    }
}

/// What a test talks to: our server, or the cluster of `APISERVER_TEST_KUBECONFIG`.
pub struct Cluster {
    local: Option<ApiServer>,
    kubeconfig: PathBuf,
    client: kube::Client,
    dir: tempfile::TempDir,
    suffix: String,
    proxy: tokio::sync::OnceCell<(tokio::process::Child, std::net::SocketAddr)>,
    namespaces: Mutex<Vec<String>>,
    groups: Mutex<Vec<String>>,
}

/// A cluster for one test: our server with default settings, or the external one.
pub async fn server() -> Cluster {
    assert_eq!(
        cfg!(apiserver_external),
        external_kubeconfig().is_some(),
        "{EXTERNAL} changed since the tests were built: rebuild them (cargo does so by itself)"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    match external_kubeconfig() {
        None => {
            let s = ApiServer::start(ServerConfig::default())
                .await
                .expect("start server");
            Cluster {
                kubeconfig: s.kubeconfig().to_path_buf(),
                client: s.client().expect("client"),
                local: Some(s),
                dir,
                suffix: String::new(),
                proxy: Default::default(),
                namespaces: Default::default(),
                groups: Default::default(),
            }
        }
        Some(kubeconfig) => {
            let kc = kube::config::Kubeconfig::read_from(&kubeconfig)
                .unwrap_or_else(|e| panic!("{EXTERNAL}={}: {e}", kubeconfig.display()));
            let config = kube::Config::from_custom_kubeconfig(kc, &Default::default())
                .await
                .expect("kubeconfig usable");
            Cluster {
                local: None,
                kubeconfig,
                client: kube::Client::try_from(config).expect("client"),
                dir,
                suffix: format!("{:06x}", rand::random::<u32>() & 0xff_ffff),
                proxy: Default::default(),
                namespaces: Default::default(),
                groups: Default::default(),
            }
        }
    }
}

impl Cluster {
    /// A client whose default namespace is the kubeconfig's (prefer [`Cluster::ns`]).
    pub fn client(&self) -> Result<kube::Client, Infallible> {
        Ok(self.client.clone())
    }

    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }

    /// A directory of this test, removed after it.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The namespace name this test uses for `base` (unique on a real cluster, where it is
    /// deleted when the test ends). Does not create it; see [`Cluster::namespace`].
    pub fn ns(&self, base: &str) -> String {
        if self.suffix.is_empty() {
            return base.to_string();
        }
        let name = format!("{base}-{}", self.suffix);
        let mut all = self.namespaces.lock().expect("lock");
        if !all.contains(&name) {
            all.push(name.clone());
        }
        name
    }

    /// Creates the namespace of `base` and gives its name.
    pub async fn namespace(&self, base: &str) -> String {
        let name = self.ns(base);
        let nss: Api<Namespace> = Api::all(self.client.clone());
        let obj = serde_json::from_value(json!({"metadata": {"name": name}})).expect("ns");
        nss.create(&PostParams::default(), &obj)
            .await
            .expect("namespace");
        name
    }

    /// An API group for this test's CRDs (`t<suffix>.<base>` on a real cluster, where the
    /// CRDs of the group are deleted when the test ends).
    pub fn group(&self, base: &str) -> String {
        if self.suffix.is_empty() {
            return base.to_string();
        }
        let name = format!("t{}.{base}", self.suffix);
        let mut all = self.groups.lock().expect("lock");
        if !all.contains(&name) {
            all.push(name.clone());
        }
        name
    }

    /// The address raw HTTP requests go to: our server, or a `kubectl proxy` to the cluster.
    pub async fn http_addr(&self) -> std::net::SocketAddr {
        if let Some(s) = &self.local {
            return s.addr();
        }
        let (_, addr) = self
            .proxy
            .get_or_init(|| start_proxy(&self.kubeconfig))
            .await;
        *addr
    }

    /// Deletes what this test made on a real cluster; waits for nothing.
    fn clean_up(&self) {
        let groups = self.groups.lock().map(|g| g.clone()).unwrap_or_default();
        if !groups.is_empty() {
            let names = std::process::Command::new("kubectl")
                .arg("--kubeconfig")
                .arg(&self.kubeconfig)
                .args(["get", "crd", "-o", "name"])
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                .unwrap_or_default();
            let ours: Vec<&str> = names
                .lines()
                .filter(|n| groups.iter().any(|g| n.ends_with(&format!(".{g}"))))
                .collect();
            self.kubectl_quietly(&[&["delete", "--wait=false", "--ignore-not-found"], &ours[..]]);
        }
        let nss = self
            .namespaces
            .lock()
            .map(|n| n.clone())
            .unwrap_or_default();
        if !nss.is_empty() {
            let nss: Vec<&str> = nss.iter().map(String::as_str).collect();
            self.kubectl_quietly(&[
                &["delete", "ns", "--wait=false", "--ignore-not-found"],
                &nss,
            ]);
        }
    }

    fn kubectl_quietly(&self, parts: &[&[&str]]) {
        let args: Vec<&str> = parts.iter().flat_map(|p| p.iter().copied()).collect();
        let _ = std::process::Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.local.is_none() {
            self.clean_up();
        }
    }
}

/// `kubectl proxy` on a free loopback port; its address once it serves.
async fn start_proxy(kubeconfig: &Path) -> (tokio::process::Child, std::net::SocketAddr) {
    let mut child = tokio::process::Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .args(["proxy", "--port=0", "--address=127.0.0.1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("kubectl must be installed (Debian package kubectl)");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .expect("kubectl proxy starts in time")
        .expect("read kubectl proxy")
        .unwrap_or_default();
    // "Starting to serve on 127.0.0.1:PORT"
    let addr = line
        .rsplit(' ')
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("kubectl proxy said {line:?}"));
    (child, addr)
}

/// A server keeping only `history` events for watches (server-only tests).
pub async fn server_with_history(history: usize) -> ApiServer {
    ApiServer::start(ServerConfig {
        history_limit: history,
        bookmark_interval: Duration::from_millis(300),
        ..Default::default()
    })
    .await
    .expect("start server")
}

/// A namespaced CRD serving and storing version `v1` of `kind` in `group` (plural and
/// singular: the kind in lower case, plus `s`), with a status subresource when `status`;
/// `schema` is its `openAPIV3Schema` as YAML starting at column 0.
pub fn crd_yaml(group: &str, kind: &str, status: bool, schema: &str) -> String {
    let singular = kind.to_lowercase();
    let status = if status {
        "\n    subresources: {status: {}}"
    } else {
        ""
    };
    let schema: String = schema
        .lines()
        .map(|l| match l {
            "" => "\n".to_string(),
            l => format!("        {l}\n"),
        })
        .collect();
    format!(
        "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {{name: {singular}s.{group}}}
spec:
  group: {group}
  scope: Namespaced
  names: {{plural: {singular}s, singular: {singular}, kind: {kind}}}
  versions:
  - name: v1
    served: true
    storage: true{status}
    schema:
      openAPIV3Schema:
{schema}"
    )
}

/// A server of its own with these authentication and authorization settings (server-only
/// tests).
pub async fn auth_server(auth: AuthConfig) -> ApiServer {
    ApiServer::start(ServerConfig {
        auth,
        ..Default::default()
    })
    .await
    .expect("start server")
}

/// The code, reason and message of the Status a request was refused with.
pub fn api_status(e: kube::Error) -> (u16, String, String) {
    match e {
        kube::Error::Api(s) => (s.code, s.reason, s.message),
        other => panic!("expected an API error, got {other}"),
    }
}

/// Waits up to 30 s for `check` to hold (a real cluster's controllers act later than ours).
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What kubectl runs against: a kubeconfig, a cache directory and namespace names.
pub trait Target: Sync {
    fn kubeconfig(&self) -> &Path;
    fn dir(&self) -> &Path;
    /// The namespace name of `base` (see [`Cluster::ns`]).
    fn ns(&self, base: &str) -> String;
}

impl Target for Cluster {
    fn kubeconfig(&self) -> &Path {
        Cluster::kubeconfig(self)
    }
    fn dir(&self) -> &Path {
        Cluster::dir(self)
    }
    fn ns(&self, base: &str) -> String {
        Cluster::ns(self, base)
    }
}

impl Target for ApiServer {
    fn kubeconfig(&self) -> &Path {
        ApiServer::kubeconfig(self)
    }
    fn dir(&self) -> &Path {
        ApiServer::dir(self)
    }
    fn ns(&self, base: &str) -> String {
        base.to_string()
    }
}

/// Where raw HTTP requests go.
pub trait Reach {
    fn http_addr(&self) -> impl std::future::Future<Output = std::net::SocketAddr>;
}

impl Reach for Cluster {
    async fn http_addr(&self) -> std::net::SocketAddr {
        Cluster::http_addr(self).await
    }
}

impl Reach for ApiServer {
    async fn http_addr(&self) -> std::net::SocketAddr {
        self.addr()
    }
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

    /// Asserts that kubectl's stderr says `needle` (its wording of the server's answer).
    pub fn says(&self, needle: &str) {
        assert!(
            self.stderr.contains(needle),
            "expected {needle:?} in: {}",
            self.stderr
        );
    }
}

/// kubectl against a server, in a namespace, with its own cache directory.
pub struct Kubectl<'a> {
    pub server: &'a dyn Target,
    /// The namespace's actual name (suffixed on a real cluster).
    pub namespace: String,
}

impl<'a> Kubectl<'a> {
    /// Also creates the namespace of `base` (see [`Cluster::ns`]).
    pub async fn new<T: Target>(server: &'a T, base: &str) -> Kubectl<'a> {
        let namespace = server.ns(base);
        let k = Kubectl {
            server,
            namespace: namespace.clone(),
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
    /// Applies a CRD and waits until it is Established (its kinds served); `resource` is
    /// `<plural>.<group>`.
    pub async fn install_crd(&self, manifest: &str, resource: &str) {
        self.run_stdin(&["apply", "-f", "-"], manifest).await.out();
        let crd = format!("crd/{resource}");
        self.run(&["wait", "--for=condition=Established", &crd])
            .await
            .out();
    }

    /// Applies a manifest the server must refuse, with stderr saying each of `wants`.
    pub async fn apply_refused(&self, manifest: &str, wants: &[&str]) {
        let r = self.run_stdin(&["apply", "-f", "-"], manifest).await;
        assert!(!r.ok, "{r:?}");
        for want in wants {
            r.says(want);
        }
    }

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
    server: &impl Reach,
    method: &str,
    path: &str,
    content_type: &str,
    body: &str,
) -> Http {
    let addr = server.http_addr().await;
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
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
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    Http {
        code,
        headers,
        body: if chunked {
            dechunk(body)
        } else {
            body.to_string()
        },
    }
}

/// The payload of a chunked body (`kubectl proxy` answers so).
fn dechunk(mut raw: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = raw.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        raw = rest[n..].strip_prefix("\r\n").unwrap_or(&rest[n..]);
    }
    out
}

/// Reads a watch stream for `dur` and returns its events.
pub async fn watch_events(server: &impl Reach, path: &str, dur: Duration) -> Vec<Value> {
    let addr = server.http_addr().await;
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
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
