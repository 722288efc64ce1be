//! `fluxion up`: the all-in-one. Starts fluxion-apiserver with its state under --data-dir
//! (or uses the cluster of --kubeconfig), installs the CRDs, runs the controllers in this
//! process, creates the `flux-system` GitRepository and Kustomization for the chosen
//! repository, and prints a live status table until Ctrl-C.

pub mod git_serve;
pub mod plan;
pub mod status;

use std::path::{Path, PathBuf};
use std::time::Duration;

use fluxion_apiserver::{ApiServer, ServerConfig};
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::args::{GlobalArgs, UpArgs};
use crate::commands::install;
use crate::error::CliError;
use crate::kinds::FluxKind;
use crate::log;

/// The namespace and name of the objects `up` creates, as `flux bootstrap` names them.
const NAMESPACE: &str = "flux-system";
const NAME: &str = "flux-system";
const FIELD_MANAGER: &str = "fluxion-up";

pub async fn run(global: &GlobalArgs, args: &UpArgs) -> Result<(), CliError> {
    let sync = decide(args)?;
    std::fs::create_dir_all(&args.data_dir)?;
    let data_dir = std::path::absolute(&args.data_dir)?;
    let (kubeconfig, server) = cluster(global, args, &data_dir).await?;
    let mut cluster_args = global.clone();
    cluster_args.kubeconfig = Some(kubeconfig.clone());
    let client = crate::kube::client(&cluster_args).await?;
    install_crds(&client, global.timeout).await?;
    let (url, git_server) = match &sync.origin {
        plan::Origin::Local(dir) => {
            let server = git_serve::GitServer::start(dir).await?;
            (server.url().to_string(), Some(server))
        }
        plan::Origin::Remote(url) => (url.clone(), None),
    };
    let (stop_tx, stop_rx) = watch::channel(false);
    let controllers = start_controllers(&kubeconfig, &data_dir, &stop_rx)?;
    apply_sync(&client, &url, &sync, args.interval).await?;
    log::success(&format!(
        "syncing {} (branch {}, path {}); kubectl: export KUBECONFIG={}",
        display_origin(&sync.origin),
        sync.branch,
        sync.path,
        kubeconfig.display()
    ));
    watch_until_stopped(&client).await;
    log::action("stopping");
    let _ = stop_tx.send(true);
    for task in controllers {
        let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
    }
    drop(git_server);
    drop(server);
    log::success("stopped");
    Ok(())
}

fn display_origin(origin: &plan::Origin) -> String {
    match origin {
        plan::Origin::Remote(url) => url.clone(),
        plan::Origin::Local(dir) => dir.display().to_string(),
    }
}

/// Reads the local repository facts `plan::decide` needs, then decides.
fn decide(args: &UpArgs) -> Result<plan::Sync, CliError> {
    let local = args.git.as_deref().filter(|g| !g.contains("://"));
    let probe = local.map_or_else(|| PathBuf::from("."), PathBuf::from);
    let root = git_output(&probe, &["rev-parse", "--show-toplevel"]).map(PathBuf::from);
    let branch = git_output(&probe, &["rev-parse", "--abbrev-ref", "HEAD"]);
    if local.is_some() && root.is_none() {
        return Err(CliError::usage(format!(
            "{} is not a git repository",
            probe.display()
        )));
    }
    plan::decide(
        args.git.as_deref(),
        args.branch.as_deref(),
        args.path.as_deref(),
        root.as_deref(),
        branch.as_deref().filter(|b| *b != "HEAD"),
    )
    .map_err(CliError::Usage)
}

fn git_output(dir: &Path, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The cluster to use: --kubeconfig's, or an API server started here with its state and
/// kubeconfig under the data dir.
async fn cluster(
    global: &GlobalArgs,
    args: &UpArgs,
    data_dir: &Path,
) -> Result<(PathBuf, Option<ApiServer>), CliError> {
    if let Some(path) = &global.kubeconfig {
        log::action(&format!("using the cluster of {}", path.display()));
        return Ok((path.clone(), None));
    }
    let server = ApiServer::start(ServerConfig {
        port: args.port,
        data_dir: Some(data_dir.join("apiserver")),
        ..ServerConfig::default()
    })
    .await
    .map_err(|e| CliError::Build(format!("starting the API server: {e}")))?;
    let kubeconfig = data_dir.join("kubeconfig");
    let tmp = data_dir.join("kubeconfig.tmp");
    server.write_kubeconfig(&tmp, server.admin_token())?;
    std::fs::rename(&tmp, &kubeconfig)?;
    log::success(&format!("API server listening on {}", server.url()));
    Ok((kubeconfig, Some(server)))
}

/// Applies the Flux CRDs and the flux-system namespace, and waits until they are served.
async fn install_crds(client: &kube::Client, timeout: Duration) -> Result<(), CliError> {
    let mut objects = Vec::new();
    for crd in fluxion_api::crd::all() {
        let value = serde_json::to_value(&crd).map_err(|e| CliError::Build(e.to_string()))?;
        objects.push(to_dynamic(value)?);
    }
    objects.push(to_dynamic(json!({
        "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE},
    }))?);
    install::apply_objects(client, &objects, timeout, install::Report::Quiet).await?;
    log::success("CRDs installed");
    Ok(())
}

fn to_dynamic(value: Value) -> Result<DynamicObject, CliError> {
    serde_json::from_value(value).map_err(|e| CliError::Build(e.to_string()))
}

/// Starts every controller this build has, in this process, against `kubeconfig`.
fn start_controllers(
    kubeconfig: &Path,
    data_dir: &Path,
    stop: &watch::Receiver<bool>,
) -> Result<Vec<tokio::task::JoinHandle<()>>, CliError> {
    let storage_port = storage_port(data_dir)?;
    let args = source_controller::Args::parse_from_iter([
        "source-controller".to_string(),
        format!("--kubeconfig={}", kubeconfig.display()),
        format!("--storage-path={}", data_dir.join("storage").display()),
        format!("--storage-addr=127.0.0.1:{storage_port}"),
        format!("--storage-adv-addr=127.0.0.1:{storage_port}"),
        "--metrics-addr=0".into(),
        "--health-addr=0".into(),
        "--watch-all-namespaces=true".into(),
    ])
    .map_err(|e| CliError::Build(e.to_string()))?;
    let config = args
        .validate("fluxion-up")
        .map_err(|e| CliError::Build(e.to_string()))?;
    let stopped = stopped(stop.clone());
    let source = tokio::spawn(async move {
        if let Err(e) = source_controller::run_until(config, stopped).await {
            log::failure(&format!("source-controller: {e}"));
        }
    });
    log::success("source-controller started");
    let kustomize = start_kustomize_controller(kubeconfig, stop)?;
    log::success("kustomize-controller started");
    Ok(vec![source, kustomize])
}

fn start_kustomize_controller(
    kubeconfig: &Path,
    stop: &watch::Receiver<bool>,
) -> Result<tokio::task::JoinHandle<()>, CliError> {
    let args = kustomize_controller::Args::parse_from_iter([
        "kustomize-controller".to_string(),
        format!("--kubeconfig={}", kubeconfig.display()),
        "--metrics-addr=0".into(),
        "--health-addr=0".into(),
        "--watch-all-namespaces=true".into(),
        "--requeue-dependency=5s".into(),
    ])
    .map_err(|e| CliError::Build(e.to_string()))?;
    let config = args
        .validate()
        .map_err(|e| CliError::Build(e.to_string()))?;
    let stopped = stopped(stop.clone());
    Ok(tokio::spawn(async move {
        if let Err(e) = kustomize_controller::run_until(config, stopped).await {
            log::failure(&format!("kustomize-controller: {e}"));
        }
    }))
}

async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}

/// The artifact server's port: the one of the last run when it is still free (artifact URLs
/// in the persisted status keep working across restarts), else a new one, remembered.
fn storage_port(data_dir: &Path) -> Result<u16, CliError> {
    let file = data_dir.join("storage-port");
    let last = std::fs::read_to_string(&file)
        .ok()
        .and_then(|s| s.trim().parse::<u16>().ok());
    let reusable = last.filter(|p| std::net::TcpListener::bind(("127.0.0.1", *p)).is_ok());
    let port = match reusable {
        Some(port) => port,
        None => std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port(),
    };
    std::fs::write(&file, port.to_string())?;
    Ok(port)
}

/// Creates or updates the flux-system GitRepository and Kustomization (server-side apply).
async fn apply_sync(
    client: &kube::Client,
    url: &str,
    sync: &plan::Sync,
    interval: Duration,
) -> Result<(), CliError> {
    let interval = fluxion_api::duration::format_duration(interval);
    let repo = json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
        "metadata": {"name": NAME, "namespace": NAMESPACE},
        "spec": {"interval": interval, "url": url, "ref": {"branch": sync.branch}},
    });
    let ks = json!({
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
        "metadata": {"name": NAME, "namespace": NAMESPACE},
        "spec": {"interval": interval, "path": sync.path, "prune": true,
                 "sourceRef": {"kind": "GitRepository", "name": NAME}},
    });
    for (kind, obj) in [
        (FluxKind::GitRepository, repo),
        (FluxKind::Kustomization, ks),
    ] {
        let api: Api<DynamicObject> =
            Api::namespaced_with(client.clone(), NAMESPACE, &kind.api_resource());
        let params = PatchParams::apply(FIELD_MANAGER).force();
        api.patch(NAME, &params, &Patch::Apply(&obj)).await?;
    }
    Ok(())
}

/// Prints the status table every second until Ctrl-C or SIGTERM.
async fn watch_until_stopped(client: &kube::Client) {
    let mut display = status::Display::default();
    let signal = fluxion_runtime::shutdown::signal();
    tokio::pin!(signal);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = &mut signal => return,
            _ = tick.tick() => {
                match status::snapshot(client).await {
                    Ok(text) => {
                        let _ = display.show(&text);
                    }
                    Err(e) => log::failure(&format!("status: {e}")),
                }
            }
        }
    }
}
