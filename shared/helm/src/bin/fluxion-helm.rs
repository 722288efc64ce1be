//! `fluxion-helm template NAME CHART [flags]`: Helm v4's `helm template`, natively. Prints
//! what helm prints; on failure prints `Error: ...` to stderr and exits 1.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use fluxion_helm::engine::render_template::{TemplateOptions, helm_template};
use fluxion_helm::values::UserValues;

#[derive(Parser)]
#[command(name = "fluxion-helm", about = "Native Helm chart rendering")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Locally render templates (as `helm template`).
    Template(TemplateArgs),
}

#[derive(clap::Args)]
struct TemplateArgs {
    /// Release name, then chart path (directory or .tgz).
    #[arg(num_args = 1..=2, required = true)]
    args: Vec<String>,
    /// Values files (repeatable, comma-separated).
    #[arg(short = 'f', long = "values", value_delimiter = ',')]
    values: Vec<PathBuf>,
    #[arg(long = "set")]
    set: Vec<String>,
    #[arg(long = "set-string")]
    set_string: Vec<String>,
    #[arg(long = "set-file")]
    set_file: Vec<String>,
    #[arg(long = "set-json")]
    set_json: Vec<String>,
    #[arg(short = 'n', long = "namespace", default_value = "")]
    namespace: String,
    #[arg(long = "kube-version")]
    kube_version: Option<String>,
    /// Kubernetes API versions for Capabilities.APIVersions (repeatable, comma-separated).
    #[arg(short = 'a', long = "api-versions", value_delimiter = ',')]
    api_versions: Vec<String>,
    #[arg(long = "include-crds")]
    include_crds: bool,
    #[arg(short = 's', long = "show-only")]
    show_only: Vec<String>,
    #[arg(long = "skip-tests")]
    skip_tests: bool,
    #[arg(long = "is-upgrade")]
    is_upgrade: bool,
    #[arg(long = "debug")]
    debug: bool,
    /// Accepted for compatibility (only affects --output-dir in helm).
    #[arg(long = "release-name")]
    release_name: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Command::Template(a) = cli.command;
    let (name, chart) = match a.args.as_slice() {
        [chart] => ("release-name".to_string(), chart.clone()),
        [name, chart, ..] => (name.clone(), chart.clone()),
        [] => return fail("\"helm template\" requires at least 1 argument"),
    };
    let _ = a.release_name;
    let opts = TemplateOptions {
        release_name: name,
        chart: PathBuf::from(chart),
        namespace: a.namespace,
        values: UserValues {
            value_files: a.values,
            json_values: a.set_json,
            values: a.set,
            string_values: a.set_string,
            file_values: a.set_file,
        },
        kube_version: a.kube_version,
        api_versions: a.api_versions,
        include_crds: a.include_crds,
        show_only: a.show_only,
        skip_tests: a.skip_tests,
        is_upgrade: a.is_upgrade,
        debug: a.debug,
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
