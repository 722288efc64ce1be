//! Persistence of the real binary: `kill -9` while clients write loses no acknowledged
//! object, a torn last log record is dropped at restart, and corrupt data stops the start
//! with a message naming the file and offset.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, PostParams};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

/// A running `fluxion-apiserver`, killed (SIGKILL) when dropped.
struct Server {
    child: Child,
    url: String,
    kubeconfig: PathBuf,
}

fn command(data: &Path, kubeconfig: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fluxion-apiserver"));
    c.arg("--port")
        .arg("0")
        .arg("--data-dir")
        .arg(data)
        .arg("--kubeconfig-out")
        .arg(kubeconfig)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .kill_on_drop(true);
    c
}

/// Starts the binary on `data` and waits for the URL it prints.
async fn spawn(data: &Path, work: &Path) -> Server {
    let kubeconfig = work.join("kubeconfig");
    let mut child = command(data, &kubeconfig)
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn fluxion-apiserver");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("the server prints its URL in time")
        .expect("read stdout")
        .expect("a line before exit");
    let url = line
        .strip_prefix("fluxion-apiserver listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_string();
    assert!(kubeconfig.exists(), "--kubeconfig-out was written");
    Server {
        child,
        url,
        kubeconfig,
    }
}

impl Server {
    fn client(&self) -> kube::Client {
        let config = kube::Config::new(self.url.parse().expect("url"));
        kube::Client::try_from(config).expect("client")
    }

    async fn kill9(mut self) {
        self.child.start_kill().expect("SIGKILL");
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
    }
}

/// Runs kubectl against `kubeconfig`; fails the test when kubectl is missing or hangs.
async fn kubectl(kubeconfig: &Path, args: &[&str], input: &str) -> String {
    let cache = kubeconfig.with_file_name("kubectl-cache");
    let mut child = Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .arg("--cache-dir")
        .arg(cache)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("kubectl must be installed (Debian package kubectl)");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input.as_bytes()).await.expect("stdin");
    drop(stdin);
    let out = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("kubectl in time")
        .expect("kubectl ran");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "kubectl {args:?}: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Acknowledged creates: name → resourceVersion.
type Acked = Arc<Mutex<Vec<(String, String)>>>;

/// Creates ConfigMaps `<prefix>-0..` one after another until a create fails.
async fn write_until_error(client: kube::Client, ns: String, prefix: String, acked: Acked) {
    let api: Api<ConfigMap> = Api::namespaced(client, &ns);
    for i in 0..100_000 {
        let name = format!("{prefix}-{i}");
        let cm: ConfigMap = serde_json::from_value(
            json!({"metadata": {"name": name}, "data": {"i": i.to_string()}}),
        )
        .expect("configmap");
        match api.create(&PostParams::default(), &cm).await {
            Ok(c) => acked
                .lock()
                .expect("lock")
                .push((name, c.metadata.resource_version.unwrap_or_default())),
            Err(_) => return,
        }
    }
}

/// Appends the start of a record that was never finished, as a kill mid-write leaves it.
fn tear_last_segment(data: &Path) {
    let mut segs: Vec<PathBuf> = std::fs::read_dir(data)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    segs.sort();
    let last = segs.pop().expect("a log segment");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&last)
        .expect("open segment");
    std::io::Write::write_all(&mut f, &[200, 0, 0, 0, 1, 2, 3, 4, b'{', b'"', b'r'])
        .expect("append torn record");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: kills the server binary with SIGKILL and restarts it"
)]
async fn kill_9_loses_no_acknowledged_write() {
    let data = tempfile::tempdir().expect("data dir");
    let work = tempfile::tempdir().expect("work dir");
    let ns = "persist-kill";
    let s = spawn(data.path(), work.path()).await;
    let ns_yaml = format!("apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}}}\n");
    kubectl(&s.kubeconfig, &["apply", "-f", "-"], &ns_yaml).await;
    let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s1}\nstringData: {k: v}\n";
    kubectl(&s.kubeconfig, &["-n", ns, "apply", "-f", "-"], secret).await;

    let acked: Acked = Arc::default();
    let writers: Vec<_> = (0..4)
        .map(|t| {
            tokio::spawn(write_until_error(
                s.client(),
                ns.to_string(),
                format!("w{t}"),
                acked.clone(),
            ))
        })
        .collect();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while acked.lock().expect("lock").len() < 300 {
        assert!(tokio::time::Instant::now() < deadline, "writes too slow");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    s.kill9().await;
    for w in writers {
        tokio::time::timeout(Duration::from_secs(30), w)
            .await
            .expect("writers stop once the server is gone")
            .expect("writer task");
    }
    tear_last_segment(data.path());

    let s = spawn(data.path(), work.path()).await;
    let api: Api<ConfigMap> = Api::namespaced(s.client(), ns);
    let acked = acked.lock().expect("lock").clone();
    let mut max_rv = 0u64;
    for (name, rv) in &acked {
        let c = api
            .get(name)
            .await
            .unwrap_or_else(|e| panic!("acknowledged {name} lost: {e}"));
        assert_eq!(c.metadata.resource_version.as_deref(), Some(rv.as_str()));
        max_rv = max_rv.max(rv.parse().expect("numeric rv"));
    }
    let got = kubectl(
        &s.kubeconfig,
        &["-n", ns, "get", "secret", "s1", "-o", "json"],
        "",
    )
    .await;
    assert!(got.contains("\"k\": \"dg==\""), "{got}");
    let c = api
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({"metadata": {"name": "after"}})).expect("cm"),
        )
        .await
        .expect("write after restart");
    let rv: u64 = c
        .metadata
        .resource_version
        .expect("rv")
        .parse()
        .expect("numeric");
    assert!(rv > max_rv, "{rv} > {max_rv}");
    s.kill9().await;

    // The torn record was cut off, not left before the later write.
    let s = spawn(data.path(), work.path()).await;
    let api: Api<ConfigMap> = Api::namespaced(s.client(), ns);
    api.get("after")
        .await
        .expect("the write after the torn record");
    s.kill9().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: kills the server binary with SIGKILL and restarts it"
)]
async fn corrupt_data_stops_the_start_naming_file_and_offset() {
    let data = tempfile::tempdir().expect("data dir");
    let work = tempfile::tempdir().expect("work dir");
    let s = spawn(data.path(), work.path()).await;
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c1}\ndata: {a: b}\n";
    kubectl(&s.kubeconfig, &["apply", "-f", "-"], cm).await;
    s.kill9().await;

    let seg = std::fs::read_dir(data.path())
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "log"))
        .expect("a segment");
    let mut bytes = std::fs::read(&seg).expect("read");
    bytes[20] ^= 0xff; // inside the first record's payload, with records after it
    std::fs::write(&seg, bytes).expect("write");

    let out = tokio::time::timeout(
        Duration::from_secs(30),
        command(data.path(), &work.path().join("kubeconfig"))
            .stderr(Stdio::piped())
            .output(),
    )
    .await
    .expect("exits in time")
    .expect("ran");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "refused to start: {stderr}");
    assert!(stderr.contains(&seg.display().to_string()), "{stderr}");
    assert!(
        stderr.contains("corrupt data at offset 8: checksum mismatch"),
        "{stderr}"
    );
}
