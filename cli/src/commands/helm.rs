//! `fluxion helm template NAME CHART`: fluxion-helm's native `helm template` (same flags,
//! same output; the namespace is `default` unless -n is given, as with helm).

use crate::args::{GlobalArgs, HelmCommand};
use crate::error::CliError;

pub fn run(global: &GlobalArgs, command: &HelmCommand) -> Result<(), CliError> {
    let HelmCommand::Template(args) = command;
    let namespace = if global.namespace_given {
        global.namespace.as_str()
    } else {
        ""
    };
    let options = args.options(namespace).map_err(CliError::Usage)?;
    let out = fluxion_helm::engine::render_template::helm_template(&options)
        .map_err(|e| CliError::Build(e.0))?;
    crate::output::emit(&out)?;
    Ok(())
}
