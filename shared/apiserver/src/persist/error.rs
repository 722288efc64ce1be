//! Why persistence could not start or go on; every message names the file (and offset) at fault.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error("{path}: {source}", path = .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "data directory {dir} is in use by another fluxion-apiserver ({holder} holds {lock})",
        dir = .dir.display(),
        lock = .lock.display()
    )]
    Locked {
        dir: PathBuf,
        lock: PathBuf,
        holder: String,
    },
    #[error("{path}: corrupt data at offset {offset}: {why}", path = .path.display())]
    Corrupt {
        path: PathBuf,
        offset: usize,
        why: String,
    },
    #[error(
        "{path}: unknown format version {version} at offset 7 (this build reads version {known})",
        path = .path.display()
    )]
    Version {
        path: PathBuf,
        version: u8,
        known: u8,
    },
    #[error("{path}: {why}", path = .path.display())]
    Invalid { path: PathBuf, why: String },
}

impl PersistError {
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> PersistError {
        let path = path.into();
        move |source| PersistError::Io { path, source }
    }

    pub fn corrupt(path: impl Into<PathBuf>, offset: usize, why: impl Into<String>) -> Self {
        PersistError::Corrupt {
            path: path.into(),
            offset,
            why: why.into(),
        }
    }
}
