//! `fluxion-kustomize build DIR`: prints what `kubectl kustomize DIR` prints.

use std::io::Write;
use std::process::ExitCode;

use fluxion_kustomize::{BuildOptions, DiskFs, LoadRestrictor, build};

const USAGE: &str = "usage: fluxion-kustomize build [--load-restrictor LoadRestrictionsRootOnly|LoadRestrictionsNone] [--flux] DIR";

fn run(args: &[String]) -> Result<String, String> {
    let mut opts = BuildOptions::default();
    let mut dir = None;
    let mut it = args.iter();
    if it.next().map(String::as_str) != Some("build") {
        return Err(USAGE.into());
    }
    while let Some(a) = it.next() {
        match a.as_str() {
            "--flux" => {
                opts = BuildOptions {
                    max_output_bytes: opts.max_output_bytes,
                    ..BuildOptions::flux()
                }
            }
            "--load-restrictor" => {
                opts.load_restrictor = match it.next().map(String::as_str) {
                    Some("LoadRestrictionsRootOnly") => LoadRestrictor::RootOnly,
                    Some("LoadRestrictionsNone") => LoadRestrictor::None,
                    _ => return Err(USAGE.into()),
                }
            }
            d if dir.is_none() && !d.starts_with("--") => dir = Some(d.to_string()),
            _ => return Err(USAGE.into()),
        }
    }
    let dir = dir.unwrap_or_else(|| ".".into());
    let fsys = DiskFs::new(&dir).map_err(|e| e.to_string())?;
    build(&fsys, "/", &opts).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
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
        Err(e) => {
            eprintln!("Error: {e}");
            ExitCode::FAILURE
        }
    }
}
