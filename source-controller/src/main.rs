//! The source-controller binary: parse flags, start logging, run.

use anyhow::Context as _;
use source_controller::{Args, run};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    fluxion_runtime::tls::install_crypto_provider();
    let args = Args::parse_from_env().unwrap_or_else(|e| e.exit());
    fluxion_runtime::telemetry::init_from_flags(
        &args.runtime.log_level,
        &args.runtime.log_encoding,
    )
    .context("initialising logging")?;
    let hostname = fluxion_runtime::events::default_instance();
    let config = args.validate(&hostname).context("invalid flags")?;
    run(config).await.context("running source-controller")
}
