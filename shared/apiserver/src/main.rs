//! The `fluxion-apiserver` binary: serves the embedded API server on a port until interrupted.

use std::net::IpAddr;
use std::time::Duration;

use clap::Parser;
use fluxion_apiserver::auth::{AuthConfig, parse_token_file};
use fluxion_apiserver::server::{ApiServer, ServerConfig};

#[derive(Parser, Debug)]
#[command(
    name = "fluxion-apiserver",
    about = "An embedded Kubernetes API server"
)]
struct Args {
    /// The port to listen on (0 picks one).
    #[arg(long, default_value_t = 6443)]
    port: u16,
    /// The address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Where to keep state across restarts.
    #[arg(long)]
    data_dir: Option<std::path::PathBuf>,
    /// Write a kubeconfig for this server to this file.
    #[arg(long)]
    kubeconfig_out: Option<std::path::PathBuf>,
    /// How many change events watches can resume from.
    #[arg(long, default_value_t = 10_000)]
    watch_history: usize,
    /// Serve HTTPS with a certificate authority generated at start (in the kubeconfig).
    #[arg(long)]
    tls: bool,
    /// Bearer tokens (`token,user,uid,"group1,group2"` lines); requires a token on every
    /// request. The kubeconfig written gets a token of `admin` (system:masters).
    #[arg(long)]
    token_auth_file: Option<std::path::PathBuf>,
    /// Require a bearer token even without a token file (only the admin's then).
    #[arg(long)]
    require_token: bool,
    /// `AlwaysAllow` or `RBAC` (a comma list as kube-apiserver takes; RBAC if it is named).
    #[arg(long, default_value = "AlwaysAllow")]
    authorization_mode: String,
}

/// The authentication and authorization the flags ask for.
fn auth_config(args: &Args) -> Result<AuthConfig, Box<dyn std::error::Error>> {
    let tokens = match &args.token_auth_file {
        Some(path) => parse_token_file(&std::fs::read_to_string(path)?)?,
        None => Vec::new(),
    };
    let mut rbac = false;
    for mode in args.authorization_mode.split(',').map(str::trim) {
        match mode {
            "RBAC" => rbac = true,
            "AlwaysAllow" | "Node" => {}
            other => return Err(format!("unsupported authorization mode {other:?}").into()),
        }
    }
    Ok(AuthConfig {
        tls: args.tls,
        authenticate: args.require_token || args.token_auth_file.is_some(),
        tokens,
        rbac,
    })
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = run(Args::parse()).await {
        eprintln!("fluxion-apiserver: {e}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let server = ApiServer::start(ServerConfig {
        bind: args.bind,
        port: args.port,
        auth: auth_config(&args)?,
        history_limit: args.watch_history,
        bookmark_interval: Duration::from_secs(30),
        data_dir: args.data_dir,
        ..ServerConfig::default()
    })
    .await?;
    if let Some(path) = &args.kubeconfig_out {
        // Renamed into place, so a reader never sees half a file.
        let tmp = path.with_extension("tmp");
        server.write_kubeconfig(&tmp, server.admin_token())?;
        std::fs::rename(&tmp, path)?;
    }
    println!("fluxion-apiserver listening on {}", server.url());
    shutdown_signal().await?;
    // Dropping the server syncs and closes the log.
    drop(server);
    Ok(())
}

/// Waits for Ctrl-C or SIGTERM.
async fn shutdown_signal() -> std::io::Result<()> {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r,
        _ = term.recv() => Ok(()),
    }
}
