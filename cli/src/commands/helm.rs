//! `fluxion helm template NAME CHART`: fluxion-helm's native `helm template` (same flags,
//! same output; the namespace is the kubeconfig context's, else `default`, unless -n is
//! given, as with helm). The global `--kubeconfig` serves `--dry-run=server`, and the
//! global `--context` stands in for `--kube-context` when that is not given.

use crate::args::{GlobalArgs, HelmCommand};
use crate::error::CliError;

pub fn run(global: &GlobalArgs, command: &HelmCommand) -> Result<(), CliError> {
    let HelmCommand::Template(args) = command;
    let namespace = if global.namespace_given {
        global.namespace.as_str()
    } else {
        ""
    };
    for notice in args.deprecations() {
        eprintln!("{notice}");
    }
    let mut options = args
        .options(namespace, global.kubeconfig.clone())
        .map_err(CliError::Usage)?;
    if options.cluster.context.is_none() {
        options.cluster.context = global.context.clone();
    }
    let out = fluxion_helm::engine::render_template::helm_template(&options)
        .map_err(|e| CliError::Build(e.0))?;
    crate::output::emit(&out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory as _, Parser as _};

    use crate::args::{Cli, Command, HelmCommand};

    #[test]
    fn template_flags_fit_beside_the_global_ones() {
        Cli::command().debug_assert();
        let cli = Cli::try_parse_from([
            "fluxion",
            "helm",
            "template",
            "r",
            "c",
            "--version",
            "1.0.0",
            "--timeout",
            "1m",
            "--dry-run=server",
            "--kube-context",
            "k",
            "--output-dir",
            "out",
        ])
        .expect("parses");
        let Command::Helm(HelmCommand::Template(args)) = cli.command else {
            panic!("not helm template");
        };
        assert_eq!(args.ignored.version.as_deref(), Some("1.0.0"));
        assert_eq!(args.dry_run.as_deref(), Some("server"));
    }
}
