//! Fluxion kustomize-controller: reconciles Kustomization objects: fetch the source's
//! artifact, build it with fluxion-kustomize, decrypt and substitute, server-side apply in
//! Flux's stages, prune what is no longer built, and health-check, with Flux's status,
//! events, metrics and flags.
//!
//! A run goes finalizer -> suspend -> source -> dependencies -> fetch -> build -> apply ->
//! prune -> health, then one summary and one status write ([`reconcile`]); pure decisions
//! live in [`plan`], the outside systems in [`fetch`], [`build`] and [`apply`].

pub mod apply;
pub mod build;
pub mod config;
pub mod controller;
pub mod error;
pub mod fetch;
pub mod plan;
pub mod reconcile;

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
    #[error("context: {0}")]
    Context(#[from] controller::ContextError),
    #[error("leader election: {0}")]
    Leader(String),
}

/// Runs the controller with its metrics and health servers until the process is told to
/// stop (SIGTERM or SIGINT). With leader election on, the controller starts once this replica
/// leads, and losing the lease stops the run with an error.
pub async fn run(config: Config) -> Result<(), RunError> {
    run_until(config, fluxion_runtime::shutdown::signal()).await
}

/// [`run`], stopping when `shutdown` completes rather than on a signal; for embedding (the
/// all-in-one `fluxion up`) and for tests of the whole binary path.
pub async fn run_until(
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), RunError> {
    let kube_config = kube_config(&config).await?;
    let client =
        kube::Client::try_from(kube_config.clone()).map_err(|e| RunError::Client(e.to_string()))?;
    let mut registry = prometheus_client::registry::Registry::default();
    let ctx = Context::new(client.clone(), kube_config, &config, &mut registry)?;
    let io = |what| move |source| RunError::Io { what, source };
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

/// Waits for leadership when election is on, then reconciles until a stop or a lost lease.
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
    let shutdown = async move {
        match leading {
            Some(mut rx) => tokio::select! {
                _ = stopped(stop) => {}
                _ = rx.wait_for(|leads| !*leads) => {}
            },
            None => stopped(stop).await,
        }
    };
    controller::run(Arc::new(ctx), &config.runtime, shutdown).await;
    match elector_task {
        Some(task) => match task.await {
            Ok(Err(e)) => Err(RunError::Leader(e.to_string())),
            _ => Ok(()),
        },
        None => Ok(()),
    }
}

/// `--kubeconfig` when given, otherwise KUBECONFIG or the in-cluster configuration.
async fn kube_config(config: &Config) -> Result<kube::Config, RunError> {
    let err = |e: &dyn std::fmt::Display| RunError::Client(e.to_string());
    match &config.runtime.kubeconfig {
        Some(path) => {
            let kc = kube::config::Kubeconfig::read_from(path).map_err(|e| err(&e))?;
            kube::Config::from_custom_kubeconfig(kc, &Default::default())
                .await
                .map_err(|e| err(&e))
        }
        None => kube::Config::infer().await.map_err(|e| err(&e)),
    }
}
