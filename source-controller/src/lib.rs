//! Fluxion source-controller: reconciles GitRepository objects into tar.gz artifacts stored
//! under --storage-path and served over HTTP on --storage-addr, with Flux's status, events,
//! metrics and flags.
//!
//! A run goes finalizer -> suspend -> storage -> source (git checkout) -> artifact, then one
//! summary and one status write ([`reconcile`]); pure decisions live in [`plan`], the outside
//! systems in [`git`] and [`storage`].
//!
//! OCIRepository objects run the same way ([`reconcile::oci`]), pulling from registries with
//! the distribution-v2 client in [`oci`].

pub mod config;
pub mod controller;
pub mod error;
pub mod git;
pub mod oci;
pub mod plan;
pub mod reconcile;
pub mod storage;

use std::sync::Arc;

use fluxion_runtime::leader;

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
    #[error("leader election: {0}")]
    Leader(String),
}

/// Runs the controller with its storage, storage server, metrics and health servers until the
/// process is told to stop. With leader election on, the storage server and the controller start
/// once this replica leads (as Flux's), and losing the lease stops the run with an error.
pub async fn run(config: Config) -> Result<(), RunError> {
    run_until(config, fluxion_runtime::shutdown::signal()).await
}

/// [`run`], stopping (controller, storage, metrics and health servers) when `shutdown`
/// completes rather than on a signal; for embedding and for tests of the whole binary path.
pub async fn run_until(
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), RunError> {
    let client = kube_client(&config).await?;
    let mut registry = prometheus_client::registry::Registry::default();
    let ctx = Context::new(client.clone(), &config, &mut registry)
        .map_err(|e| RunError::Events(e.to_string()))?;
    let io = |what| move |source| RunError::Io { what, source };
    std::fs::create_dir_all(&config.storage_path).map_err(io("creating the storage path"))?;
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
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    let result = lead_and_run(client, ctx, &config, stop_rx).await;
    for server in [metrics_server, health_server].into_iter().flatten() {
        let _ = server.stop().await;
    }
    result
}

async fn stopped(mut rx: tokio::sync::watch::Receiver<bool>) {
    let _ = rx.wait_for(|stop| *stop).await;
}

/// Waits for leadership when election is on, then serves storage and reconciles until a stop
/// or a lost lease.
async fn lead_and_run(
    client: kube::Client,
    ctx: Context,
    config: &Config,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Result<(), RunError> {
    let election = &config.runtime.leader_election;
    let mut elector_task = None;
    let mut leading = None;
    if election.enabled {
        let namespace = config
            .runtime
            .runtime_namespace
            .clone()
            .unwrap_or_else(|| client.default_namespace().to_string());
        let name = leader::election_id(
            CONTROLLER_NAME,
            config.runtime.watch.label_selector.as_deref(),
        );
        let identity = leader::new_identity(&fluxion_runtime::events::default_instance());
        let elector = leader::LeaderElector::new(
            client,
            &namespace,
            &name,
            identity,
            election.timing,
            election.release_on_cancel,
        );
        let mut rx = elector.subscribe();
        elector_task = Some(tokio::spawn(elector.run(stopped(stop.clone()))));
        tokio::select! {
            _ = rx.wait_for(|leads| *leads) => {}
            _ = stopped(stop.clone()) => return Ok(()),
        }
        leading = Some(rx);
    }
    let ctx = Arc::new(ctx);
    let storage_server = storage::serve(&config.storage_addr, ctx.storage.clone())
        .await
        .map_err(|source| RunError::Io {
            what: "starting the storage server",
            source,
        })?;
    let shutdown = async move {
        match leading {
            Some(mut rx) => tokio::select! {
                _ = stopped(stop) => {}
                _ = rx.wait_for(|leads| !*leads) => {}
            },
            None => stopped(stop).await,
        }
    };
    controller::run(ctx, &config.runtime, shutdown).await;
    let _ = storage_server.stop().await;
    match elector_task {
        Some(task) => match task.await {
            Ok(Err(e)) => Err(RunError::Leader(e.to_string())),
            _ => Ok(()),
        },
        None => Ok(()),
    }
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
