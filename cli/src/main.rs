//! The `fluxion` binary: parse the command line, run it, report a failure as flux does
//! (`✗ message` on stderr, exit code 1).

use std::process::ExitCode;

use fluxion_cli::{Cli, run};

fn main() -> ExitCode {
    fluxion_runtime::tls::install_crypto_provider();
    let cli = Cli::parse_with_sources();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            fluxion_cli::log::failure(&format!("starting the runtime: {e}"));
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            fluxion_cli::log::failure(&e.to_string());
            ExitCode::FAILURE
        }
    }
}
