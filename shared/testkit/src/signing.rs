//! Signing identities for fixture commits and tags: a GPG key in a temp GNUPGHOME, and an SSH
//! key for git's `gpg.format=ssh`, each with what a verifier needs.

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use crate::error::{Error, Result};
use crate::process::{require, run};
use crate::ssh_keys::{SshKeyPair, SshKeyType};
use crate::worktree::{AUTHOR_EMAIL, AUTHOR_NAME};

/// Something git can sign with: extra `-c key=value` settings and environment.
pub trait Signer {
    /// Git configuration to pass with `-c`.
    fn git_config(&self) -> Vec<(String, String)>;
    /// Environment for git and its signing program.
    fn envs(&self) -> Vec<(String, String)>;
}

/// A GPG signing key (ed25519, no passphrase) in its own temp GNUPGHOME.
#[derive(Debug)]
pub struct GpgKey {
    home: TempDir,
    /// The key's fingerprint (40 hex digits).
    pub fingerprint: String,
    /// The ASCII-armored public key (what Flux's verify secret holds).
    pub public_key_armor: String,
}

impl GpgKey {
    /// Generates a key for `Fluxion Test <test@fluxion.invalid>`.
    pub fn generate() -> Result<Self> {
        require("gpg", "--version")?;
        let home = tempfile::Builder::new()
            .prefix("gpg-")
            .tempdir()
            .map_err(Error::io("creating GNUPGHOME"))?;
        let uid = format!("{AUTHOR_NAME} <{AUTHOR_EMAIL}>");
        run(gpg(home.path())
            .args(["--pinentry-mode", "loopback", "--passphrase", ""])
            .args(["--quick-generate-key", &uid, "ed25519", "sign", "never"]))?;
        let listing = run(gpg(home.path()).args(["--with-colons", "--list-secret-keys"]))?;
        let fingerprint = listing
            .lines()
            .find_map(|l| l.strip_prefix("fpr:"))
            .and_then(|rest| rest.split(':').find(|f| !f.is_empty()))
            .ok_or_else(|| Error::Command {
                command: "gpg --list-secret-keys".into(),
                status: "no fingerprint".into(),
                stderr: listing.clone(),
            })?
            .to_string();
        let public_key_armor = run(gpg(home.path()).args(["--armor", "--export", &fingerprint]))?;
        Ok(Self {
            home,
            fingerprint,
            public_key_armor,
        })
    }

    /// The GNUPGHOME holding the key (set it for `git verify-commit`).
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// The ASCII-armored secret key.
    pub fn private_key_armor(&self) -> Result<String> {
        run(gpg(self.home()).args([
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--armor",
            "--export-secret-keys",
            &self.fingerprint,
        ]))
    }
}

fn gpg(home: &Path) -> Command {
    let mut cmd = Command::new("gpg");
    cmd.arg("--batch").arg("--homedir").arg(home);
    cmd
}

impl Signer for GpgKey {
    fn git_config(&self) -> Vec<(String, String)> {
        vec![
            ("gpg.format".into(), "openpgp".into()),
            ("gpg.program".into(), "gpg".into()),
            ("user.signingkey".into(), self.fingerprint.clone()),
        ]
    }

    fn envs(&self) -> Vec<(String, String)> {
        vec![("GNUPGHOME".into(), self.home().display().to_string())]
    }
}

impl Drop for GpgKey {
    fn drop(&mut self) {
        // gpg starts an agent per home; stop it before the directory goes.
        let _ = Command::new("gpgconf")
            .arg("--homedir")
            .arg(self.home())
            .args(["--kill", "all"])
            .output();
    }
}

/// An SSH signing key for git (`gpg.format=ssh`) with its allowed-signers file.
#[derive(Debug)]
pub struct SshSigningKey {
    dir: TempDir,
    /// The key pair.
    pub key: SshKeyPair,
    /// The allowed-signers file for verification (`gpg.ssh.allowedSignersFile`).
    pub allowed_signers: PathBuf,
}

impl SshSigningKey {
    /// Generates a key of `key_type` and an allowed-signers entry for the fixture identity.
    pub fn generate(key_type: SshKeyType) -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("sshsig-")
            .tempdir()
            .map_err(Error::io("creating ssh signing dir"))?;
        let key = SshKeyPair::generate(dir.path(), "id_signing", key_type)?;
        let allowed_signers = dir.path().join("allowed_signers");
        let line = format!("{AUTHOR_EMAIL} namespaces=\"git\" {}\n", key.public_key());
        std::fs::write(&allowed_signers, line).map_err(Error::io("writing allowed_signers"))?;
        Ok(Self {
            dir,
            key,
            allowed_signers,
        })
    }

    /// The directory holding the key files.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Git settings that make `git verify-commit`/`verify-tag` trust this key.
    pub fn verify_config(&self) -> Vec<(String, String)> {
        vec![
            ("gpg.format".into(), "ssh".into()),
            (
                "gpg.ssh.allowedSignersFile".into(),
                self.allowed_signers.display().to_string(),
            ),
        ]
    }
}

impl Signer for SshSigningKey {
    fn git_config(&self) -> Vec<(String, String)> {
        vec![
            ("gpg.format".into(), "ssh".into()),
            (
                "user.signingkey".into(),
                self.key.path.display().to_string(),
            ),
        ]
    }

    fn envs(&self) -> Vec<(String, String)> {
        Vec::new()
    }
}
