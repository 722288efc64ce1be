//! The kustomize-controller binary: parse flags, start logging, run.

use anyhow::Context as _;
use kustomize_controller::{Args, run};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    fluxion_runtime::tls::install_crypto_provider();
    let args = Args::parse_from_env().unwrap_or_else(|e| e.exit());
    fluxion_runtime::telemetry::init_from_flags(
        &args.runtime.log_level,
        &args.runtime.log_encoding,
    )
    .context("initialising logging")?;
    let config = args.validate().context("invalid flags")?;
    run(config).await.context("running kustomize-controller")
}
