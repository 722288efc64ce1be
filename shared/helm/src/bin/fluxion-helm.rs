//! `fluxion-helm template NAME CHART [flags]`: Helm v4's `helm template`, natively. Prints
//! what helm prints; on failure prints `Error: ...` to stderr and exits 1.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Parser, Subcommand};
use fluxion_helm::cli::TemplateArgs;
use fluxion_helm::engine::render_template::helm_template;

#[derive(Parser)]
#[command(
    name = "fluxion-helm",
    about = "Native Helm chart rendering",
    args_override_self = true
)]
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
        /// Path to the kubeconfig file (for --dry-run=server).
        #[arg(long = "kubeconfig")]
        kubeconfig: Option<PathBuf>,
        /// Accepted for compatibility: nothing is waited for.
        #[arg(long = "timeout", hide = true)]
        timeout: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    let Command::Template {
        args,
        namespace,
        kubeconfig,
        timeout: _,
    } = cli.command;
    for notice in args.deprecations() {
        eprintln!("{notice}");
    }
    let opts = match args.options(&namespace, kubeconfig) {
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

/// Command-line errors in cobra's words (`Error: unknown flag: --x`), exit 1; help and
/// version print as clap prints them.
fn usage_error(err: clap::Error) -> ExitCode {
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        let _ = err.print();
        return ExitCode::SUCCESS;
    }
    let arg = match err.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => s.split([' ', '=']).next().unwrap_or("").to_string(),
        _ => String::new(),
    };
    let msg = match err.kind() {
        ErrorKind::UnknownArgument if arg.starts_with("--") => format!("unknown flag: {arg}"),
        ErrorKind::UnknownArgument => {
            let letter = arg.trim_start_matches('-').chars().next().unwrap_or('-');
            format!("unknown shorthand flag: '{letter}' in {arg}")
        }
        ErrorKind::InvalidValue if !arg.is_empty() => format!("flag needs an argument: {arg}"),
        _ => {
            let text = err.to_string();
            let first = text.lines().next().unwrap_or("").to_string();
            first.strip_prefix("error: ").unwrap_or(&first).to_string()
        }
    };
    fail(&msg)
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("Error: {msg}");
    ExitCode::FAILURE
}
