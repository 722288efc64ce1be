//! Oracle binaries that are not Debian packages (helm, sops): installed idempotently by the
//! repository's `scripts/install-*`, which print the binary's path last. Found once per
//! test process.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::{Error, Result};

/// The helm v4 binary from `scripts/install-helm`.
pub fn helm() -> Result<&'static Path> {
    static HELM: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    installed(&HELM, "install-helm")
}

/// The sops binary from `scripts/install-sops`.
pub fn sops() -> Result<&'static Path> {
    static SOPS: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    installed(&SOPS, "install-sops")
}

fn installed(
    cell: &'static OnceLock<Result<PathBuf, String>>,
    script: &str,
) -> Result<&'static Path> {
    let found = cell.get_or_init(|| run_installer(script).map_err(|e| e.to_string()));
    match found {
        Ok(path) => Ok(path.as_path()),
        Err(stderr) => Err(Error::Command {
            command: format!("scripts/{script}"),
            status: "failed earlier in this process".into(),
            stderr: stderr.clone(),
        }),
    }
}

fn run_installer(script: &str) -> Result<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts")
        .join(script);
    let out = Command::new("bash")
        .arg(&path)
        .output()
        .map_err(Error::io(format!("running scripts/{script}")))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let binary = stdout.lines().last().map(str::trim).unwrap_or_default();
    if !out.status.success() || binary.is_empty() || !Path::new(binary).is_file() {
        return Err(Error::Command {
            command: format!("scripts/{script}"),
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    Ok(PathBuf::from(binary))
}
