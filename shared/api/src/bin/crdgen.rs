//! fluxion-crdgen: writes every CRD of fluxion-api into a directory (manifests/crds by default),
//! one file per kind plus a kustomization.yaml listing them.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "manifests/crds".into()),
    );
    match fluxion_api::crd::write_all(&dir) {
        Ok(files) => {
            println!("wrote {} files to {}", files.len(), dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fluxion-crdgen: {e}");
            ExitCode::FAILURE
        }
    }
}
