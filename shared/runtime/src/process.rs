//! How a controller process runs around its reconcile loop, as controller-runtime's manager
//! does for Flux: the Kubernetes client from `--kubeconfig`, the metrics and health servers,
//! the stop signal, leader election (the controller starts once this replica leads, and a
//! lost lease stops it with an error), then the controller until it stops.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use prometheus_client::registry::Registry;
use tokio::sync::watch;

use crate::flags::RuntimeConfig;
use crate::health::ServerHandle;
use crate::leader;

/// What stops a controller process before or while it runs.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error("kubernetes client: {0}")]
    Client(String),
    #[error("{what}: {source}")]
    Io {
        what: &'static str,
        source: std::io::Error,
    },
    #[error("leader election: {0}")]
    Leader(String),
}

/// The future that completes when the controller must stop (a stop was asked for, or the
/// lease was lost).
pub type Shutdown = Pin<Box<dyn Future<Output = ()> + Send + Sync + 'static>>;

/// `--kubeconfig` when given, otherwise KUBECONFIG or the in-cluster configuration.
pub async fn kube_config(runtime: &RuntimeConfig) -> Result<kube::Config, ProcessError> {
    let err = |e: &dyn std::fmt::Display| ProcessError::Client(e.to_string());
    match &runtime.kubeconfig {
        Some(path) => {
            let kc = kube::config::Kubeconfig::read_from(path).map_err(|e| err(&e))?;
            kube::Config::from_custom_kubeconfig(kc, &Default::default())
                .await
                .map_err(|e| err(&e))
        }
        None => kube::Config::infer().await.map_err(|e| err(&e)),
    }
}

/// Serves metrics and health, then runs `controller` (once leading, when election is on)
/// with the future that tells it to stop; stops the servers when it returns. `shutdown`
/// is the process's stop request (a signal, or the embedder's).
pub async fn serve<F, Fut>(
    client: kube::Client,
    runtime: &RuntimeConfig,
    controller_name: &str,
    registry: Registry,
    shutdown: impl Future<Output = ()> + Send + 'static,
    controller: F,
) -> Result<(), ProcessError>
where
    F: FnOnce(Shutdown) -> Fut,
    Fut: Future<Output = Result<(), ProcessError>>,
{
    let io = |what| move |source| ProcessError::Io { what, source };
    let metrics_server = match &runtime.metrics_addr {
        Some(addr) => Some(
            crate::metrics::serve(addr, Arc::new(registry))
                .await
                .map_err(io("starting the metrics server"))?,
        ),
        None => None,
    };
    let readiness = crate::health::Readiness::new();
    let health_server = match &runtime.health_addr {
        Some(addr) => Some(
            crate::health::serve(addr, readiness.clone())
                .await
                .map_err(io("starting the health server"))?,
        ),
        None => None,
    };
    readiness.set_ready(true);
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    let result = lead_and_run(client, runtime, controller_name, stop_rx, controller).await;
    let servers: [Option<ServerHandle>; 2] = [metrics_server, health_server];
    for server in servers.into_iter().flatten() {
        let _ = server.stop().await;
    }
    result
}

async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|stop| *stop).await;
}

/// Waits for leadership when election is on, then runs the controller until a stop or a
/// lost lease.
async fn lead_and_run<F, Fut>(
    client: kube::Client,
    runtime: &RuntimeConfig,
    controller_name: &str,
    stop: watch::Receiver<bool>,
    controller: F,
) -> Result<(), ProcessError>
where
    F: FnOnce(Shutdown) -> Fut,
    Fut: Future<Output = Result<(), ProcessError>>,
{
    let election = &runtime.leader_election;
    if !election.enabled {
        return controller(Box::pin(stopped(stop))).await;
    }
    let namespace = runtime
        .runtime_namespace
        .clone()
        .unwrap_or_else(|| client.default_namespace().to_string());
    let name = leader::election_id(controller_name, runtime.watch.label_selector.as_deref());
    let identity = leader::new_identity(&crate::events::default_instance());
    let elector = leader::LeaderElector::new(
        client,
        &namespace,
        &name,
        identity,
        election.timing,
        election.release_on_cancel,
    );
    let mut rx = elector.subscribe();
    let elector_task = tokio::spawn(elector.run(stopped(stop.clone())));
    tokio::select! {
        _ = rx.wait_for(|leads| *leads) => {}
        _ = stopped(stop.clone()) => return Ok(()),
    }
    let shutdown = Box::pin(async move {
        tokio::select! {
            _ = stopped(stop) => {}
            _ = rx.wait_for(|leads| !*leads) => {}
        }
    });
    if let Err(e) = controller(shutdown).await {
        // The controller never ran (or failed): the elector is not waiting on it.
        elector_task.abort();
        return Err(e);
    }
    match elector_task.await {
        Ok(Err(e)) => Err(ProcessError::Leader(e.to_string())),
        _ => Ok(()),
    }
}
