//! `fluxion kustomize build DIR`: fluxion-kustomize's build, printing what `kustomize build`
//! prints (remote bases refused, as with --no-remote-bases).

use std::io::Write as _;
use std::path::Path;

use fluxion_kustomize::{BuildOptions, DiskFs, build};

use crate::args::KustomizeCommand;
use crate::error::CliError;

pub fn run(command: &KustomizeCommand) -> Result<(), CliError> {
    let KustomizeCommand::Build(args) = command;
    let out = build_dir(&args.dir, &BuildOptions::default())?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// Builds `dir` with the filesystem rooted at `/`, so the load restrictor judges real paths.
pub fn build_dir(dir: &Path, options: &BuildOptions) -> Result<String, CliError> {
    let abs = std::path::absolute(dir)?;
    let fsys = DiskFs::new(Path::new("/")).map_err(|e| CliError::Build(e.to_string()))?;
    let path = abs.to_string_lossy();
    build(&fsys, &path, options).map_err(|e| CliError::Build(e.to_string()))
}
