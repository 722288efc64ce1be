//! Signed fixtures verified by real git: GPG-signed commits and tags (`git verify-commit`,
//! `git verify-tag` with the key's GNUPGHOME), SSH-signed ones with an allowed-signers file,
//! and the other builder operations (branches, lightweight and annotated tags).

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

#[test]
fn branches_and_tags() {
    let tree = WorkTree::new().expect("tree");
    let first = tree.commit(&[("a", "1")], "first").expect("commit");
    assert_eq!(tree.tag("v0.1.0").expect("tag"), first);
    let tag_object = tree
        .annotated_tag("v0.2.0", "annotated")
        .expect("annotated");
    assert_ne!(tag_object, first, "an annotated tag is its own object");
    assert_eq!(
        tree.git(&["rev-parse", "v0.2.0^{commit}"]).expect("peel"),
        first
    );
    tree.checkout("feature").expect("new branch");
    let second = tree.commit(&[("dir/b", "2")], "second").expect("commit");
    tree.checkout("main").expect("back to main");
    assert_eq!(tree.head().expect("head"), first);
    tree.branch("release").expect("branch");
    assert_eq!(tree.git(&["rev-parse", "feature"]).expect("rev"), second);
    tree.remove_files(&["a"]).expect("rm");
    tree.commit(&[], "remove a").expect("commit");
    assert!(!tree.path().join("a").exists());

    let bare = fluxion_testkit::BareRepos::new().expect("root");
    let path = bare.create("mirror").expect("bare");
    tree.push(&path).expect("push");
    let refs = Command::new("git")
        .arg("-C")
        .arg(&path)
        .args(["for-each-ref", "--format=%(refname)"])
        .output()
        .expect("git");
    let refs = String::from_utf8_lossy(&refs.stdout);
    for r in [
        "refs/heads/main",
        "refs/heads/feature",
        "refs/heads/release",
        "refs/tags/v0.1.0",
        "refs/tags/v0.2.0",
    ] {
        assert!(refs.contains(r), "{r} missing in {refs}");
    }
}
