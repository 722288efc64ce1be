//! OpenSSH key pairs generated with `ssh-keygen` into a temp dir, for sshd host and user keys
//! and for SSH commit signing.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};
use crate::process::run;

/// Which algorithm a generated key uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SshKeyType {
    /// ssh-ed25519 (OpenSSH private key format).
    #[default]
    Ed25519,
    /// RSA 3072, private key in PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`).
    Rsa,
    /// ECDSA P-256, private key in SEC1 PEM (`BEGIN EC PRIVATE KEY`).
    Ecdsa,
}

impl SshKeyType {
    fn keygen_args(self) -> &'static [&'static str] {
        match self {
            SshKeyType::Ed25519 => &["-t", "ed25519"],
            SshKeyType::Rsa => &["-t", "rsa", "-b", "3072", "-m", "PEM"],
            SshKeyType::Ecdsa => &["-t", "ecdsa", "-b", "256", "-m", "PEM"],
        }
    }
}

/// A key pair on disk: `path` is the private key, `path.pub` the public one.
#[derive(Clone, Debug)]
pub struct SshKeyPair {
    /// The algorithm.
    pub key_type: SshKeyType,
    /// The private key file (mode 0600).
    pub path: PathBuf,
    /// The private key as written by ssh-keygen (what a Flux `identity` holds).
    pub private_pem: String,
    /// The public key line, `ssh-ed25519 AAAA… comment`.
    pub public_line: String,
}

impl SshKeyPair {
    /// Generates a key without passphrase at `dir/name`.
    pub fn generate(dir: &Path, name: &str, key_type: SshKeyType) -> Result<Self> {
        let path = dir.join(name);
        run(Command::new("ssh-keygen")
            .args(key_type.keygen_args())
            .args(["-q", "-N", "", "-C", crate::worktree::AUTHOR_EMAIL, "-f"])
            .arg(&path))?;
        let private_pem =
            std::fs::read_to_string(&path).map_err(Error::io("reading private key"))?;
        let public_line = std::fs::read_to_string(path.with_extension("pub"))
            .map_err(Error::io("reading public key"))?
            .trim()
            .to_string();
        Ok(Self {
            key_type,
            path,
            private_pem,
            public_line,
        })
    }

    /// The public key without its comment: `ssh-ed25519 AAAA…`.
    pub fn public_key(&self) -> String {
        self.public_line
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
    }
}
