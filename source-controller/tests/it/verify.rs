//! spec.verify: PGP and SSH signatures on HEAD and on tag objects checked with real gpg and
//! ssh-keygen; SourceVerified with Flux's messages and reasons, no artifact on failure.

use fluxion_api::conditions::{READY, STALLED};
use fluxion_api::source::GitVerificationMode;
use fluxion_api::source::conditions::SOURCE_VERIFIED;
use fluxion_runtime::conditions as cond;
use fluxion_testkit::{GitHttpServer, GpgKey, SshKeyType, SshSigningKey, WorkTree};
use serde_json::json;

use crate::harness::Env;

fn key_id(key: &GpgKey) -> String {
    key.fingerprint[key.fingerprint.len() - 16..].to_string()
}

fn ssh_fingerprint(key: &SshSigningKey) -> String {
    let out = std::process::Command::new("ssh-keygen")
        .arg("-lf")
        .arg(key.key.path.with_extension("pub"))
        .output()
        .expect("ssh-keygen -l");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.split_whitespace()
        .nth(1)
        .expect("fingerprint")
        .to_string()
}

async fn wait_verified(env: &Env, name: &str, status: &str) -> fluxion_api::source::GitRepository {
    env.wait_repo(name, &format!("SourceVerified={status}"), |o| {
        o.status.as_ref().is_some_and(|s| {
            cond::get(&s.conditions, SOURCE_VERIFIED).is_some_and(|c| c.status == status)
                && cond::get(&s.conditions, READY).is_some_and(|c| c.status != "Unknown")
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pgp_signed_commits() {
    let signer = GpgKey::generate().expect("gpg key");
    let stranger = GpgKey::generate().expect("gpg key");
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/signed").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let signed = tree
        .commit_signed(&[("app.yaml", "a\n")], "signed", &signer)
        .expect("commit");
    tree.checkout("unsigned").expect("branch");
    let unsigned = tree
        .commit(&[("b.yaml", "b\n")], "unsigned")
        .expect("commit");
    tree.push(git.repo_path("org/signed")).expect("push");

    let env = Env::start("verify-pgp").await;
    env.create_secret("trusted", &[("author.asc", &signer.public_key_armor)])
        .await;
    env.create_secret("others", &[("x.asc", &stranger.public_key_armor)])
        .await;
    let spec = |branch: &str, secret: &str| {
        json!({"url": git.url("org/signed"), "ref": {"branch": branch},
               "verify": {"mode": "HEAD", "secretRef": {"name": secret}}})
    };
    env.create_repo("good", spec("main", "trusted")).await;
    env.create_repo("wrong-key", spec("main", "others")).await;
    env.create_repo("unsigned", spec("unsigned", "trusted"))
        .await;
    env.create_repo("no-secret", spec("main", "absent")).await;

    let obj = env.wait_ready("good", &format!("main@sha1:{signed}")).await;
    let status = obj.status.expect("status");
    assert_eq!(
        cond::message(&status.conditions, SOURCE_VERIFIED),
        format!(
            "verified signature of\n\t- commit '{signed}' with key '{}'",
            key_id(&signer)
        )
    );
    assert_eq!(
        status.source_verification_mode,
        Some(GitVerificationMode::Head)
    );

    let failures = [
        (
            "wrong-key",
            "InvalidCommitSignature",
            format!(
                "signature verification of commit '{signed}' failed: unable to verify Git commit: unable to verify payload with any of the given key rings: no matching key"
            ),
        ),
        (
            "unsigned",
            "InvalidCommitSignature",
            format!(
                "signature verification of commit '{unsigned}' failed: unsupported signature type: empty"
            ),
        ),
        (
            "no-secret",
            "VerificationError",
            "public keys secret error: secrets \"absent\" not found".to_string(),
        ),
    ];
    for (name, reason, message) in failures {
        let obj = wait_verified(&env, name, "False").await;
        let status = obj.status.expect("status");
        assert_eq!(
            cond::reason(&status.conditions, SOURCE_VERIFIED),
            reason,
            "{name}"
        );
        assert_eq!(
            cond::message(&status.conditions, SOURCE_VERIFIED),
            message,
            "{name}"
        );
        assert!(cond::is_false(&status.conditions, READY), "{name}");
        assert_eq!(cond::reason(&status.conditions, READY), reason, "{name}");
        assert!(
            status.artifact.is_none(),
            "{name}: no artifact of an unverified commit"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tag_modes_with_ssh_and_pgp() {
    let ssh = SshSigningKey::generate(SshKeyType::Ed25519).expect("ssh key");
    let gpg = GpgKey::generate().expect("gpg key");
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/tags").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let head = tree
        .commit_signed(&[("app.yaml", "a\n")], "release", &gpg)
        .expect("commit");
    let ssh_tag = tree.signed_tag("v1.0.0", "one", &ssh).expect("tag");
    let gpg_tag = tree.signed_tag("v1.0.1", "one more", &gpg).expect("tag");
    tree.tag("light").expect("tag");
    tree.push(git.repo_path("org/tags")).expect("push");

    let env = Env::start("verify-tag").await;
    let both = [
        ("dev.sshpub", ssh.key.public_line.as_str()),
        ("dev.asc", gpg.public_key_armor.as_str()),
    ];
    env.create_secret("keys", &both).await;
    let spec = |reference: serde_json::Value, mode: &str| {
        json!({"url": git.url("org/tags"), "ref": reference,
               "verify": {"mode": mode, "secretRef": {"name": "keys"}}})
    };
    env.create_repo("ssh-tag", spec(json!({"tag": "v1.0.0"}), "Tag"))
        .await;
    env.create_repo("both", spec(json!({"semver": "~1.0.1"}), "TagAndHEAD"))
        .await;
    env.create_repo("light", spec(json!({"tag": "light"}), "Tag"))
        .await;
    env.create_repo("branch", spec(json!({"branch": "main"}), "Tag"))
        .await;

    let obj = env
        .wait_ready("ssh-tag", &format!("v1.0.0@sha1:{head}"))
        .await;
    let status = obj.status.expect("status");
    assert_eq!(
        cond::message(&status.conditions, SOURCE_VERIFIED),
        format!(
            "verified signature of\n\t- tag 'v1.0.0@{ssh_tag}' with key '{}'",
            ssh_fingerprint(&ssh)
        )
    );
    assert_eq!(
        status.source_verification_mode,
        Some(GitVerificationMode::Tag)
    );

    let obj = env.wait_ready("both", &format!("v1.0.1@sha1:{head}")).await;
    let status = obj.status.expect("status");
    let id = key_id(&gpg);
    assert_eq!(
        cond::message(&status.conditions, SOURCE_VERIFIED),
        format!(
            "verified signature of\n\t- tag 'v1.0.1@{gpg_tag}' with key '{id}'\n\t- commit '{head}' with key '{id}'"
        )
    );

    let obj = wait_verified(&env, "light", "False").await;
    let status = obj.status.expect("status");
    assert_eq!(
        cond::reason(&status.conditions, SOURCE_VERIFIED),
        "InvalidGitObject"
    );
    assert_eq!(
        cond::message(&status.conditions, SOURCE_VERIFIED),
        "cannot verify signature of tag 'light' since it is not signed"
    );

    let obj = wait_verified(&env, "branch", "False").await;
    let status = obj.status.expect("status");
    assert_eq!(
        cond::reason(&status.conditions, SOURCE_VERIFIED),
        "InvalidVerificationMode"
    );
    assert!(cond::is_true(&status.conditions, STALLED));
}
