//! `fluxion envsubst [--strict]`: Flux's postBuild substitution over stdin, line by line,
//! with the process environment as the variables.

use std::io::{BufRead as _, Write as _};

use fluxion_kustomize::substitute::{Vars, eval};

use crate::args::EnvsubstArgs;
use crate::error::CliError;

pub fn run(args: &EnvsubstArgs) -> Result<(), CliError> {
    let mut vars = Vars::new();
    vars.extend(std::env::vars());
    let stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lines() {
        let line = line?;
        let out = eval(&line, &vars, args.strict).map_err(|e| CliError::Build(e.to_string()))?;
        writeln!(stdout, "{out}")?;
    }
    stdout.flush()?;
    Ok(())
}
