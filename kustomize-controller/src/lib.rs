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

use fluxion_runtime::process::{self, ProcessError};

pub use config::{Args, CONTROLLER_NAME, Config};
pub use controller::Context;
pub use error::Error;

/// Why the controller could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Process(#[from] ProcessError),
    #[error("context: {0}")]
    Context(#[from] controller::ContextError),
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
    let kube_config = process::kube_config(&config.runtime).await?;
    let client = kube::Client::try_from(kube_config.clone())
        .map_err(|e| ProcessError::Client(e.to_string()))?;
    let mut registry = prometheus_client::registry::Registry::default();
    let ctx = Arc::new(Context::new(
        client.clone(),
        kube_config,
        &config,
        &mut registry,
    )?);
    let runtime = &config.runtime;
    let controller = |shutdown| async move {
        controller::run(ctx, runtime, shutdown).await;
        Ok(())
    };
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
