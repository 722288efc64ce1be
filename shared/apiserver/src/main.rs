//! The `fluxion-apiserver` binary: serves the embedded API server on a port until interrupted.

use std::net::IpAddr;
use std::time::Duration;

use clap::Parser;
use fluxion_apiserver::server::{ApiServer, ServerConfig, kubeconfig_yaml};

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
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let args = Args::parse();
    if let Some(dir) = &args.data_dir {
        eprintln!(
            "persistence not yet supported: state is kept in memory only (--data-dir {})",
            dir.display()
        );
    }
    let server = ApiServer::start(ServerConfig {
        bind: args.bind,
        port: args.port,
        history_limit: args.watch_history,
        bookmark_interval: Duration::from_secs(30),
        write_log: None,
    })
    .await?;
    if let Some(path) = &args.kubeconfig_out {
        std::fs::write(path, kubeconfig_yaml(&server.url(), "default"))?;
    }
    println!("fluxion-apiserver listening on {}", server.url());
    tokio::signal::ctrl_c().await?;
    Ok(())
}
