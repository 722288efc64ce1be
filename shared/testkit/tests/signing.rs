//! Signed fixtures verified by real git: GPG-signed commits and tags (`git verify-commit`,
//! `git verify-tag` with the key's GNUPGHOME) and SSH-signed ones with an allowed-signers file.

use std::process::Command;

use fluxion_testkit::{GpgKey, Signer, SshKeyType, SshSigningKey, WorkTree};

fn git_in(
    tree: &WorkTree,
    config: &[(String, String)],
    envs: &[(String, String)],
    args: &[&str],
) -> (bool, String) {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(tree.path());
    for (k, v) in config {
        cmd.arg("-c").arg(format!("{k}={v}"));
    }
    let out = cmd
        .args(args)
        .envs(envs.iter().cloned())
        .output()
        .expect("git runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn gpg_signed_commit_and_tag_verify() {
    let key = GpgKey::generate().expect("gpg key");
    assert!(
        key.public_key_armor
            .starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----")
    );
    assert_eq!(key.fingerprint.len(), 40);
    let tree = WorkTree::new().expect("tree");
    tree.commit(&[("a", "1")], "unsigned").expect("commit");
    let signed = tree
        .commit_signed(&[("b", "2")], "signed", &key)
        .expect("signed commit");
    tree.signed_tag("v1.0.0", "release", &key)
        .expect("signed tag");

    let envs = key.envs();
    let (ok, out) = git_in(&tree, &[], &envs, &["verify-commit", &signed]);
    assert!(ok, "{out}");
    assert!(out.contains("Good signature"), "{out}");
    let (ok, out) = git_in(&tree, &[], &envs, &["verify-tag", "v1.0.0"]);
    assert!(ok, "{out}");
    let (ok, _) = git_in(&tree, &[], &envs, &["verify-commit", "HEAD~1"]);
    assert!(!ok, "the unsigned commit must not verify");
    let armor = key.private_key_armor().expect("secret key");
    assert!(armor.starts_with("-----BEGIN PGP PRIVATE KEY BLOCK-----"));
}

#[test]
fn gpg_signature_does_not_verify_with_another_key() {
    let key = GpgKey::generate().expect("gpg key");
    let other = GpgKey::generate().expect("other key");
    let tree = WorkTree::new().expect("tree");
    let signed = tree
        .commit_signed(&[("a", "1")], "signed", &key)
        .expect("commit");
    let (ok, _) = git_in(&tree, &[], &other.envs(), &["verify-commit", &signed]);
    assert!(!ok, "a keyring without the signer's key must not verify");
}

#[test]
fn ssh_signed_commit_and_tag_verify() {
    for key_type in [SshKeyType::Ed25519, SshKeyType::Rsa] {
        let key = SshSigningKey::generate(key_type).expect("ssh signing key");
        let tree = WorkTree::new().expect("tree");
        let signed = tree
            .commit_signed(&[("a", "1")], "signed", &key)
            .expect("signed commit");
        tree.signed_tag("v2.0.0", "release", &key)
            .expect("signed tag");
        let config = key.verify_config();
        let (ok, out) = git_in(&tree, &config, &[], &["verify-commit", &signed]);
        assert!(ok, "{key_type:?}: {out}");
        assert!(out.contains("Good \"git\" signature"), "{out}");
        let (ok, out) = git_in(&tree, &config, &[], &["verify-tag", "v2.0.0"]);
        assert!(ok, "{key_type:?}: {out}");
    }
}
