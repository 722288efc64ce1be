//! `fluxion-helm template NAME CHART [flags]`: Helm v4's `helm template`, natively. Prints
//! what helm prints; on failure prints `Error: ...` to stderr and exits 1.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use fluxion_helm::cli::TemplateArgs;
use fluxion_helm::engine::render_template::helm_template;

#[derive(Parser)]
#[command(name = "fluxion-helm", about = "Native Helm chart rendering")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Locally render templates (as `helm template`).
    Template {
        #[command(flatten)]
        args: TemplateArgs,
        /// Namespace scope for this request.
        #[arg(short = 'n', long = "namespace", default_value = "")]
        namespace: String,
    },
}

fn main() -> ExitCode {
    let Command::Template { args, namespace } = Cli::parse().command;
    let opts = match args.options(&namespace) {
        Ok(opts) => opts,
        Err(e) => return fail(&e),
    };
    match helm_template(&opts) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(out.as_bytes())
                .and_then(|_| stdout.flush())
                .is_err()
            {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.0),
    }
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("Error: {msg}");
    ExitCode::FAILURE
}
