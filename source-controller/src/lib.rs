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

use fluxion_runtime::process::{self, ProcessError};

pub use config::{Args, CONTROLLER_NAME, Config};
pub use controller::Context;
pub use error::Error;

/// Why the controller could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Process(#[from] ProcessError),
    #[error("event recorder: {0}")]
    Events(String),
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
    let kube_config = process::kube_config(&config.runtime).await?;
    let client =
        kube::Client::try_from(kube_config).map_err(|e| ProcessError::Client(e.to_string()))?;
    let mut registry = prometheus_client::registry::Registry::default();
    let ctx = Context::new(client.clone(), &config, &mut registry)
        .map_err(|e| RunError::Events(e.to_string()))?;
    std::fs::create_dir_all(&config.storage_path).map_err(|source| ProcessError::Io {
        what: "creating the storage path",
        source,
    })?;
    let runtime = &config.runtime;
    let controller = |shutdown| serve_storage_and_run(ctx, &config, shutdown);
    process::serve(
        client,
        runtime,
        CONTROLLER_NAME,
        registry,
        shutdown,
        controller,
    )
    .await?;
    Ok(())
}

/// Once leading: the storage server, then the reconcilers until `shutdown`.
async fn serve_storage_and_run(
    ctx: Context,
    config: &Config,
    shutdown: process::Shutdown,
) -> Result<(), ProcessError> {
    let ctx = Arc::new(ctx);
    let storage_server = storage::serve(&config.storage_addr, ctx.storage.clone())
        .await
        .map_err(|source| ProcessError::Io {
            what: "starting the storage server",
            source,
        })?;
    controller::run(ctx, &config.runtime, shutdown).await;
    let _ = storage_server.stop().await;
    Ok(())
}
