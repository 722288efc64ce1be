//! The end-to-end harness: Fluxion's real binaries (fluxion-apiserver, source-controller,
//! kustomize-controller, fluxion) started as processes, the way an operator runs them.
//!
//! [`Cluster::start`] runs its own `fluxion-apiserver`, or, when `E2E_KUBECONFIG` is set,
//! uses that cluster (a real one) instead; the controllers always run as local processes
//! pointed at it. Every process is stopped when its handle drops, even when a test fails.

use std::io::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The repository root (this crate sits in `e2e/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The path of one of the workspace's binaries, built on demand (`cargo build -p PKG`) when
/// the test run did not build it already.
pub fn binary(package: &str, name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    // target/<profile>/deps/<test> → target/<profile>/<name>
    let profile_dir = exe.parent().and_then(Path::parent).expect("target dir");
    let path = profile_dir.join(name);
    if !path.is_file() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "-q", "-p", package, "--bin", name])
            .current_dir(repo_root())
            .status()
            .expect("cargo build");
        assert!(status.success(), "building {name} failed");
    }
    assert!(path.is_file(), "{} missing", path.display());
    path
}

/// A free loopback port (bound, read, released).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// A child process whose output goes to a log file; SIGTERM then SIGKILL on drop.
pub struct Process {
    name: String,
    child: Option<Child>,
    log: PathBuf,
}

impl Process {
    pub fn spawn(name: &str, program: &Path, args: &[String], log_dir: &Path) -> Process {
        let log = log_dir.join(format!("{name}.log"));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("log file");
        let err = file.try_clone().expect("log file");
        let child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::from(file))
            .stderr(Stdio::from(err))
            .spawn()
            .unwrap_or_else(|e| panic!("spawning {}: {e}", program.display()));
        Process {
            name: name.to_string(),
            child: Some(child),
            log,
        }
    }

    /// Everything the process printed so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGTERM and wait (up to 20s, then SIGKILL); the exit code.
    pub fn stop(&mut self) -> Option<i32> {
        let mut child = self.child.take()?;
        let pid = child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        let _ = writeln!(
            std::io::stderr(),
            "{} did not stop on SIGTERM; killed",
            self.name
        );
        None
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Where the controllers reconcile: an API server process of ours, or E2E_KUBECONFIG's.
pub struct Cluster {
    pub kubeconfig: PathBuf,
    pub dir: tempfile::TempDir,
    apiserver: Option<Process>,
    /// True when running against E2E_KUBECONFIG.
    pub external: bool,
}

impl Cluster {
    pub fn start() -> Cluster {
        let dir = tempfile::tempdir().expect("temp dir");
        if let Ok(path) = std::env::var("E2E_KUBECONFIG") {
            return Cluster {
                kubeconfig: PathBuf::from(path),
                dir,
                apiserver: None,
                external: true,
            };
        }
        let kubeconfig = dir.path().join("kubeconfig");
        let args = vec![
            "--port=0".to_string(),
            format!("--kubeconfig-out={}", kubeconfig.display()),
            format!("--data-dir={}", dir.path().join("apiserver").display()),
        ];
        let bin = binary("fluxion-apiserver", "fluxion-apiserver");
        let apiserver = Process::spawn("fluxion-apiserver", &bin, &args, dir.path());
        let deadline = Instant::now() + Duration::from_secs(60);
        while !kubeconfig.is_file() {
            assert!(
                Instant::now() < deadline,
                "apiserver did not start: {}",
                apiserver.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Cluster {
            kubeconfig,
            dir,
            apiserver: Some(apiserver),
            external: false,
        }
    }

    pub async fn client(&self) -> kube::Client {
        let kc = kube::config::Kubeconfig::read_from(&self.kubeconfig).expect("kubeconfig");
        let config = kube::Config::from_custom_kubeconfig(kc, &Default::default())
            .await
            .expect("config");
        kube::Client::try_from(config).expect("client")
    }

    /// `kubectl --kubeconfig K ARGS`, asserting success; stdout.
    pub fn kubectl(&self, args: &[&str]) -> String {
        let out = Command::new("kubectl")
            .arg(format!("--kubeconfig={}", self.kubeconfig.display()))
            .args(args)
            .output()
            .expect("kubectl is required for e2e");
        assert!(
            out.status.success(),
            "kubectl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Applies the Flux CRDs with kubectl, as `kubectl apply -k manifests/crds` would.
    pub fn install_crds(&self) {
        let crds = repo_root().join("manifests/crds");
        self.kubectl(&[
            "apply",
            "--server-side",
            "--force-conflicts",
            "-k",
            &crds.display().to_string(),
        ]);
        self.kubectl(&[
            "wait",
            "--for=condition=Established",
            "--timeout=60s",
            "crd",
            "--all",
        ]);
    }

    /// Runs `fluxion ARGS` against this cluster; (success, stdout, stderr).
    pub fn fluxion(&self, args: &[&str]) -> (bool, String, String) {
        let out = Command::new(binary("fluxion-cli", "fluxion"))
            .arg(format!("--kubeconfig={}", self.kubeconfig.display()))
            .args(args)
            .output()
            .expect("fluxion");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    pub fn apiserver_log(&self) -> String {
        self.apiserver
            .as_ref()
            .map(Process::log)
            .unwrap_or_default()
    }
}

/// source-controller and kustomize-controller as processes against a cluster.
pub struct Controllers {
    pub source: Process,
    pub kustomize: Process,
    storage: PathBuf,
    storage_port: u16,
    kubeconfig: PathBuf,
    logs: PathBuf,
}

impl Controllers {
    pub fn start(cluster: &Cluster) -> Controllers {
        let logs = cluster.dir.path().to_path_buf();
        let storage = logs.join("storage");
        let storage_port = free_port();
        let kubeconfig = cluster.kubeconfig.clone();
        let source = spawn_source(&kubeconfig, &storage, storage_port, &logs);
        let kustomize = spawn_kustomize(&kubeconfig, &logs);
        Controllers {
            source,
            kustomize,
            storage,
            storage_port,
            kubeconfig,
            logs,
        }
    }

    /// Stops both controllers and starts them again over the same storage.
    pub fn restart(&mut self) {
        self.kustomize.stop();
        self.source.stop();
        self.source = spawn_source(
            &self.kubeconfig,
            &self.storage,
            self.storage_port,
            &self.logs,
        );
        self.kustomize = spawn_kustomize(&self.kubeconfig, &self.logs);
    }

    pub fn logs(&self) -> String {
        format!(
            "--- source-controller\n{}\n--- kustomize-controller\n{}",
            self.source.log(),
            self.kustomize.log()
        )
    }
}

/// Flags both controllers take in e2e: this cluster, no metrics/health ports to clash on,
/// short retries so failures and recoveries show within a test's patience.
fn common_flags(kubeconfig: &Path) -> Vec<String> {
    vec![
        format!("--kubeconfig={}", kubeconfig.display()),
        "--metrics-addr=0".into(),
        "--health-addr=0".into(),
        "--log-encoding=console".into(),
        "--min-retry-delay=200ms".into(),
        "--max-retry-delay=2s".into(),
    ]
}

fn spawn_source(kubeconfig: &Path, storage: &Path, port: u16, logs: &Path) -> Process {
    let mut args = common_flags(kubeconfig);
    args.push(format!("--storage-path={}", storage.display()));
    args.push(format!("--storage-addr=127.0.0.1:{port}"));
    args.push(format!("--storage-adv-addr=127.0.0.1:{port}"));
    Process::spawn(
        "source-controller",
        &binary("source-controller", "source-controller"),
        &args,
        logs,
    )
}

fn spawn_kustomize(kubeconfig: &Path, logs: &Path) -> Process {
    let mut args = common_flags(kubeconfig);
    args.push("--requeue-dependency=1s".into());
    Process::spawn(
        "kustomize-controller",
        &binary("kustomize-controller", "kustomize-controller"),
        &args,
        logs,
    )
}

/// Polls `check` every 200ms until it yields, or panics after `timeout` with `what`.
pub async fn eventually<T, F, Fut>(timeout: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
