//! SOPS decryption: Secrets encrypted at test time with the real sops and age, decrypted
//! with the key from spec.decryption.secretRef; the wrong key fails without leaking values.

use std::path::Path;
use std::process::Command;

use fluxion_api::conditions::{BUILD_FAILED_REASON, RECONCILIATION_FAILED_REASON};
use fluxion_runtime::conditions as cond;
use k8s_openapi::api::core::v1::Secret;
use kube::Api;
use serde_json::json;

use crate::harness::Env;

const PLAIN: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\nstringData:\n  password: hunter2-plaintext\n";

/// The sops binary, installed (idempotently) by `scripts/install-sops`.
fn sops_bin() -> &'static Path {
    fluxion_testkit::tools::sops().expect("sops from scripts/install-sops")
}

/// A fresh age identity: (key file text, recipient).
fn age_key(dir: &Path, name: &str) -> (String, String) {
    let path = dir.join(format!("{name}.agekey"));
    let out = Command::new("age-keygen")
        .arg("-o")
        .arg(&path)
        .output()
        .expect("age-keygen (Debian package age)");
    assert!(
        out.status.success(),
        "age-keygen: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = std::fs::read_to_string(&path).expect("key");
    let recipient = file
        .lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .expect("public key")
        .to_string();
    (file, recipient)
}

/// `sops encrypt` of a Kubernetes YAML for `recipient`, as Flux users do it.
fn encrypt(dir: &Path, plain: &str, recipient: &str) -> String {
    let args = ["--encrypted-regex", "^(data|stringData)$"];
    encrypt_file(dir, "secret.yaml", plain, recipient, &args)
}

/// `sops encrypt --age RECIPIENT ARGS` of `plain` written as `name`.
fn encrypt_file(dir: &Path, name: &str, plain: &str, recipient: &str, args: &[&str]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, plain).expect("write");
    let out = Command::new(sops_bin())
        .env_remove("SOPS_AGE_KEY_FILE")
        .args(["encrypt", "--age", recipient])
        .args(args)
        .arg(&path)
        .current_dir(dir)
        .output()
        .expect("run sops");
    assert!(
        out.status.success(),
        "sops: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[tokio::test]
async fn decrypts_with_the_right_key_only() {
    let dir = tempfile::tempdir().expect("tmp");
    let (key, recipient) = age_key(dir.path(), "right");
    let (wrong_key, _) = age_key(dir.path(), "wrong");
    let encrypted = encrypt(dir.path(), PLAIN, &recipient);
    assert!(!encrypted.contains("hunter2"));

    let env = Env::start("decrypt").await;
    let secrets: Api<Secret> = Api::namespaced(env.client.clone(), &env.namespace);
    for (name, file) in [("sops-age", &key), ("sops-wrong", &wrong_key)] {
        let secret: Secret = serde_json::from_value(
            json!({"metadata": {"name": name}, "stringData": {"identity.agekey": file}}),
        )
        .expect("secret");
        secrets
            .create(&Default::default(), &secret)
            .await
            .expect("key secret");
    }
    env.publish("repo", "main@sha1:1", &[("secret.yaml", &encrypted)])
        .await;

    // Without decryption the encrypted Secret is refused, never applied.
    env.create_ks("plain", "repo", json!({})).await;
    let ks = env.wait_failed("plain", RECONCILIATION_FAILED_REASON).await;
    let message = cond::message(&ks.status.expect("status").conditions, "Ready").to_string();
    assert!(
        message.contains("is SOPS encrypted, configuring decryption is required"),
        "{message}"
    );

    env.create_ks(
        "wrong",
        "repo",
        json!({"decryption": {"provider": "sops", "secretRef": {"name": "sops-wrong"}}}),
    )
    .await;
    let ks = env.wait_failed("wrong", BUILD_FAILED_REASON).await;
    let message = cond::message(&ks.status.expect("status").conditions, "Ready").to_string();
    assert!(
        message.starts_with("decryption failed for 'db'"),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "plaintext in the message");

    env.create_ks(
        "right",
        "repo",
        json!({"decryption": {"provider": "sops", "secretRef": {"name": "sops-age"}}}),
    )
    .await;
    env.wait_applied("right", "main@sha1:1").await;
    let db = secrets.get("db").await.expect("db secret");
    let password = db.data.expect("data")["password"].0.clone();
    assert_eq!(password, b"hunter2-plaintext");
    for event in env.events().await {
        assert!(
            !event.message.unwrap_or_default().contains("hunter2"),
            "plaintext in an event"
        );
    }
}

#[tokio::test]
async fn decrypts_generator_env_files_in_a_nested_base() {
    let dir = tempfile::tempdir().expect("tmp");
    let (key, recipient) = age_key(dir.path(), "gen");
    let env_file = encrypt_file(
        dir.path(),
        "secret.env",
        "TOKEN=t0ken-plaintext\n",
        &recipient,
        &[],
    );
    assert!(!env_file.contains("t0ken"));

    let env = Env::start("decrypt-gen").await;
    let secrets: Api<Secret> = Api::namespaced(env.client.clone(), &env.namespace);
    let secret: Secret = serde_json::from_value(
        json!({"metadata": {"name": "sops-age"}, "stringData": {"identity.agekey": key}}),
    )
    .expect("secret");
    secrets
        .create(&Default::default(), &secret)
        .await
        .expect("key secret");
    let base = "secretGenerator:\n- name: app\n  envs:\n  - secret.env\ngeneratorOptions:\n  disableNameSuffixHash: true\n";
    env.publish(
        "repo",
        "main@sha1:1",
        &[
            ("kustomization.yaml", "resources:\n- base\n"),
            ("base/kustomization.yaml", base),
            ("base/secret.env", &env_file),
        ],
    )
    .await;
    env.create_ks(
        "app",
        "repo",
        json!({"decryption": {"provider": "sops", "secretRef": {"name": "sops-age"}}}),
    )
    .await;
    env.wait_applied("app", "main@sha1:1").await;
    let app = secrets.get("app").await.expect("generated secret");
    assert_eq!(app.data.expect("data")["TOKEN"].0, b"t0ken-plaintext");
}

#[tokio::test]
async fn global_age_secret_serves_kustomizations_without_a_secret_ref() {
    let dir = tempfile::tempdir().expect("tmp");
    let (key, recipient) = age_key(dir.path(), "global");
    let encrypted = encrypt(dir.path(), PLAIN, &recipient);
    let env = Env::start_with(
        "decrypt-global",
        Default::default(),
        &[
            "--sops-age-secret=global-age",
            "--runtime-namespace=decrypt-global",
        ],
    )
    .await;
    let secrets: Api<Secret> = Api::namespaced(env.client.clone(), &env.namespace);
    let secret: Secret = serde_json::from_value(
        json!({"metadata": {"name": "global-age"}, "stringData": {"identity.agekey": key}}),
    )
    .expect("secret");
    secrets
        .create(&Default::default(), &secret)
        .await
        .expect("global key");
    env.publish("repo", "main@sha1:1", &[("secret.yaml", &encrypted)])
        .await;
    env.create_ks("app", "repo", json!({"decryption": {"provider": "sops"}}))
        .await;
    env.wait_applied("app", "main@sha1:1").await;
    let db = secrets.get("db").await.expect("db secret");
    assert_eq!(db.data.expect("data")["password"].0, b"hunter2-plaintext");
}
