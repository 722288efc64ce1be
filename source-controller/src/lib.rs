//! Fluxion source-controller: reconciles GitRepository objects into tar.gz artifacts stored
//! under --storage-path and served over HTTP on --storage-addr, with Flux's status, events,
//! metrics and flags.
//!
//! A run goes finalizer -> suspend -> storage -> source (git checkout) -> artifact, then one
//! summary and one status write ([`reconcile`]); pure decisions live in [`plan`], the outside
//! systems in [`git`] and [`storage`].

pub mod config;
pub mod controller;
pub mod error;
pub mod git;
pub mod plan;
pub mod reconcile;
pub mod storage;

use std::sync::Arc;

pub use config::{Args, CONTROLLER_NAME, Config};
pub use controller::Context;
pub use error::Error;

/// Why the controller could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("kubernetes client: {0}")]
    Client(String),
    #[error("{what}: {source}")]
    Io {
        what: &'static str,
        source: std::io::Error,
    },
    #[error("event recorder: {0}")]
    Events(String),
}

/// Runs the controller with its storage, storage server, metrics and health servers until the
/// process is told to stop.
pub async fn run(config: Config) -> Result<(), RunError> {
    let client = kube_client(&config).await?;
    let mut registry = prometheus_client::registry::Registry::default();
    let ctx = Context::new(client, &config, &mut registry)
        .map_err(|e| RunError::Events(e.to_string()))?;
    let io = |what| move |source| RunError::Io { what, source };
    std::fs::create_dir_all(&config.storage_path).map_err(io("creating the storage path"))?;
    let storage_server = storage::serve(&config.storage_addr, ctx.storage.clone())
        .await
        .map_err(io("starting the storage server"))?;
    let metrics_server = match &config.runtime.metrics_addr {
        Some(addr) => Some(
            fluxion_runtime::metrics::serve(addr, Arc::new(registry))
                .await
                .map_err(io("starting the metrics server"))?,
        ),
        None => None,
    };
    let readiness = fluxion_runtime::health::Readiness::new();
    let health_server = match &config.runtime.health_addr {
        Some(addr) => Some(
            fluxion_runtime::health::serve(addr, readiness.clone())
                .await
                .map_err(io("starting the health server"))?,
        ),
        None => None,
    };
    readiness.set_ready(true);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    controller::run(Arc::new(ctx), &config.runtime, shutdown).await;
    let _ = storage_server.stop().await;
    for server in [metrics_server, health_server].into_iter().flatten() {
        let _ = server.stop().await;
    }
    Ok(())
}

async fn kube_client(config: &Config) -> Result<kube::Client, RunError> {
    let err = |e: &dyn std::fmt::Display| RunError::Client(e.to_string());
    let kube_config = match &config.runtime.kubeconfig {
        Some(path) => {
            let kc = kube::config::Kubeconfig::read_from(path).map_err(|e| err(&e))?;
            kube::Config::from_custom_kubeconfig(kc, &Default::default())
                .await
                .map_err(|e| err(&e))?
        }
        None => kube::Config::infer().await.map_err(|e| err(&e))?,
    };
    kube::Client::try_from(kube_config).map_err(|e| err(&e))
}
