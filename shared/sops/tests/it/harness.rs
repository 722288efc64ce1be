//! Fixtures made at test time with the real tools: `sops` (scripts/install-sops), `age-keygen`
//! and `gpg`; each test has its own temp directory and GnuPG home. A missing tool fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The sops binary, installed (idempotently) by `scripts/install-sops`.
pub fn sops_bin() -> &'static Path {
    static SOPS: OnceLock<PathBuf> = OnceLock::new();
    SOPS.get_or_init(|| {
        let out = Command::new(repo_root().join("scripts/install-sops"))
            .output()
            .expect("run scripts/install-sops");
        assert!(
            out.status.success(),
            "scripts/install-sops failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        PathBuf::from(String::from_utf8(out.stdout).expect("utf-8 path").trim())
    })
}

fn check(out: Output, what: &str) -> Vec<u8> {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// An age key pair made by `age-keygen`.
pub struct AgeKey {
    /// The key file as age-keygen writes it (comments and the identity line).
    pub file: String,
    pub recipient: String,
}

/// A PGP key made by `gpg` in the fixture's GnuPG home.
pub struct PgpKey {
    pub fingerprint: String,
    /// `gpg --export-secret-keys --armor` output (no passphrase).
    pub armored: String,
}

/// A temp directory and GnuPG home for one test.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    gnupg: PathBuf,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let gnupg = dir.path().join("gnupg");
        std::fs::create_dir(&gnupg).expect("gnupg home");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&gnupg, std::fs::Permissions::from_mode(0o700))
                .expect("chmod");
        }
        Fixture { dir, gnupg }
    }

    pub fn age_key(&self, name: &str) -> AgeKey {
        let path = self.dir.path().join(format!("{name}.agekey"));
        let out = Command::new("age-keygen")
            .arg("-o")
            .arg(&path)
            .output()
            .expect("age-keygen (Debian package age)");
        check(out, "age-keygen");
        let file = std::fs::read_to_string(&path).expect("read age key");
        let recipient = file
            .lines()
            .find_map(|l| l.strip_prefix("# public key: "))
            .expect("public key comment")
            .to_string();
        AgeKey { file, recipient }
    }

    fn gpg(&self) -> Command {
        let mut c = Command::new("gpg");
        c.env("GNUPGHOME", &self.gnupg).args([
            "--batch",
            "--yes",
            "--quiet",
            "--pinentry-mode",
            "loopback",
        ]);
        c
    }

    /// A passphrase-less key: `algo` is gpg's quick-gen-key algorithm ("default" is RSA,
    /// "future-default" ed25519 with a cv25519 encryption subkey).
    pub fn pgp_key(&self, name: &str, algo: &str) -> PgpKey {
        self.pgp_key_with_passphrase(name, algo, "")
    }

    /// As [`Fixture::pgp_key`], the secret key protected by `passphrase` when not empty.
    pub fn pgp_key_with_passphrase(&self, name: &str, algo: &str, passphrase: &str) -> PgpKey {
        let uid = format!("{name} <{name}@example.com>");
        let out = self
            .gpg()
            .args([
                "--passphrase",
                passphrase,
                "--quick-gen-key",
                &uid,
                algo,
                "default",
                "never",
            ])
            .output()
            .expect("gpg");
        check(out, "gpg --quick-gen-key");
        let list = check(
            self.gpg()
                .args(["--with-colons", "--list-secret-keys", &uid])
                .output()
                .expect("gpg"),
            "gpg --list-secret-keys",
        );
        let fingerprint = String::from_utf8(list)
            .expect("utf-8")
            .lines()
            .find_map(|l| {
                l.strip_prefix("fpr:")
                    .map(|r| r.trim_matches(':').to_string())
            })
            .expect("fingerprint");
        let armored = check(
            self.gpg()
                .args([
                    "--passphrase",
                    passphrase,
                    "--armor",
                    "--export-secret-keys",
                    &fingerprint,
                ])
                .output()
                .expect("gpg"),
            "gpg --export-secret-keys",
        );
        PgpKey {
            fingerprint,
            armored: String::from_utf8(armored).expect("armored key"),
        }
    }

    fn sops(&self) -> Command {
        let mut c = Command::new(sops_bin());
        c.env("GNUPGHOME", &self.gnupg)
            .env_remove("SOPS_AGE_KEY_FILE")
            .env_remove("SOPS_AGE_KEY")
            .env("SOPS_AGE_KEY_FILE", self.dir.path().join("no-such-key"))
            .current_dir(self.dir.path());
        c
    }

    /// `sops encrypt ARGS FILE` of `plain` written as `name`; the encrypted bytes.
    pub fn encrypt(&self, name: &str, plain: &str, args: &[&str]) -> Vec<u8> {
        let path = self.dir.path().join(name);
        std::fs::write(&path, plain).expect("write plain file");
        let out = self
            .sops()
            .arg("encrypt")
            .args(args)
            .arg(&path)
            .output()
            .expect("run sops");
        check(out, "sops encrypt")
    }

    /// `sops decrypt` of `encrypted` (written as `name`) with the age key file `age`: the
    /// reference output.
    pub fn sops_decrypt(&self, name: &str, encrypted: &[u8], age: &AgeKey) -> Vec<u8> {
        let path = self.dir.path().join(format!("enc-{name}"));
        std::fs::write(&path, encrypted).expect("write encrypted file");
        let key = self.dir.path().join("oracle.agekey");
        std::fs::write(&key, &age.file).expect("write key");
        let out = self
            .sops()
            .env("SOPS_AGE_KEY_FILE", &key)
            .args(["decrypt"])
            .arg(&path)
            .output()
            .expect("run sops");
        check(out, "sops decrypt")
    }
}

/// gpg starts an agent per GnuPG home; stop it with the test, pass or fail.
impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf")
            .env("GNUPGHOME", &self.gnupg)
            .args(["--kill", "gpg-agent"])
            .output();
    }
}

/// Secret data holding the given age keys and PGP keys, named as a Flux user would.
pub fn secret_data(
    age: &[&AgeKey],
    pgp: &[&PgpKey],
) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut data = std::collections::BTreeMap::new();
    for (i, k) in age.iter().enumerate() {
        data.insert(format!("identity{i}.agekey"), k.file.clone().into_bytes());
    }
    for (i, k) in pgp.iter().enumerate() {
        data.insert(format!("key{i}.asc"), k.armored.clone().into_bytes());
    }
    data
}

/// A JSON value from YAML text, with fluxion-kustomize's reader (as kustomize-controller
/// sees objects after the build).
pub fn yaml_docs(text: &[u8]) -> Vec<serde_json::Value> {
    let text = std::str::from_utf8(text).expect("utf-8");
    fluxion_kustomize::yaml::parse_all(text)
        .expect("parse yaml")
        .iter()
        .map(|n| fluxion_kustomize::yaml::to_json_v2(n).expect("yaml to json"))
        .collect()
}
