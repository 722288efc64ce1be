//! fluxion, the command line: the flux CLI's commands for what Fluxion runs (sources,
//! Kustomizations, install), plus native `kustomize build`.
//!
//! Each command lives in [`commands`]; [`kinds`] maps the command words to Flux kinds,
//! [`table`] and [`output`] print as flux prints, [`kube`] builds the client from
//! --kubeconfig/--context.

pub mod args;
pub mod commands;
pub mod error;
pub mod kinds;
pub mod kube;
pub mod log;
pub mod output;
pub mod table;
pub mod up;

pub use args::Cli;
pub use error::CliError;

/// Runs one parsed command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    commands::dispatch(cli).await
}
