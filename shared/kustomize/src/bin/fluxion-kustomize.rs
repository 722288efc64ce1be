//! `fluxion-kustomize build DIR`: prints what `kubectl kustomize DIR` prints.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use fluxion_kustomize::build::finish_print;
use fluxion_kustomize::{BuildOptions, DiskFs, LoadRestrictor, build_output};

const USAGE: &str = "usage: fluxion-kustomize build [--load-restrictor LoadRestrictionsRootOnly|LoadRestrictionsNone] [--flux] [--root DIR] DIR

Builds like `kubectl kustomize DIR`. Files are read only below --root (default: /).
--flux builds as Flux's kustomize-controller: no load restriction, and a kustomization
generated over the YAML files of DIR when it has none.";

struct Args {
    opts: BuildOptions,
    root: PathBuf,
    dir: PathBuf,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut opts = BuildOptions::default();
    let (mut root, mut dir) = (PathBuf::from("/"), None);
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
            "--root" => root = it.next().map(PathBuf::from).ok_or(USAGE)?,
            "--load-restrictor" => {
                opts.load_restrictor = match it.next().map(String::as_str) {
                    Some("LoadRestrictionsRootOnly") => LoadRestrictor::RootOnly,
                    Some("LoadRestrictionsNone") => LoadRestrictor::None,
                    _ => return Err(USAGE.into()),
                }
            }
            d if dir.is_none() && !d.starts_with("--") => dir = Some(PathBuf::from(d)),
            _ => return Err(USAGE.into()),
        }
    }
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    Ok(Args { opts, root, dir })
}

fn run(args: &[String]) -> Result<String, String> {
    let a = parse(args)?;
    let fsys = DiskFs::new(&a.root).map_err(|e| e.to_string())?;
    let root = std::fs::canonicalize(&a.root).map_err(|e| e.to_string())?;
    let dir = std::fs::canonicalize(&a.dir).map_err(|e| format!("{}: {e}", a.dir.display()))?;
    let rel = dir
        .strip_prefix(&root)
        .map_err(|_| format!("{} is not below --root {}", dir.display(), root.display()))?;
    let virtual_dir = format!("/{}", rel.to_string_lossy());
    let out = build_output(&fsys, &virtual_dir, &a.opts).map_err(|e| e.to_string())?;
    for w in &out.warnings {
        eprintln!("{w}");
    }
    finish_print(&out.resources, a.opts.max_output_bytes).map_err(|e| e.to_string())
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
