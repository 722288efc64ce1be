//! OCIRepository helpers over the shared [`Env`]: create, wait for a condition or a revision,
//! read conditions, download the artifact's raw bytes.

use fluxion_api::conditions::READY;
use fluxion_api::source::OCIRepository;
use fluxion_runtime::conditions as cond;
use kube::Api;
use kube::api::PostParams;
use serde_json::{Value, json};

use fluxion_testkit::wait_object;

use crate::harness::Env;

pub fn ocis(env: &Env) -> Api<OCIRepository> {
    Api::namespaced(env.client.clone(), &env.namespace)
}

pub async fn create_oci(env: &Env, name: &str, mut spec: Value) -> OCIRepository {
    spec["interval"] = json!("10m");
    let obj: OCIRepository = serde_json::from_value(json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "OCIRepository",
        "metadata": {"name": name, "namespace": env.namespace},
        "spec": spec,
    }))
    .expect("OCIRepository");
    ocis(env)
        .create(&PostParams::default(), &obj)
        .await
        .expect("create OCIRepository")
}

/// Waits until `check` holds and returns the object.
pub async fn wait_oci(
    env: &Env,
    name: &str,
    what: &str,
    check: impl Fn(&OCIRepository) -> bool,
) -> OCIRepository {
    wait_object(&ocis(env), name, what, check)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Waits for Ready=True with an artifact for `revision`.
pub async fn wait_oci_ready(env: &Env, name: &str, revision: &str) -> OCIRepository {
    wait_oci(env, name, &format!("Ready for {revision}"), |o| {
        o.status.as_ref().is_some_and(|s| {
            cond::is_true(&s.conditions, READY)
                && s.artifact.as_ref().is_some_and(|a| a.revision == revision)
        })
    })
    .await
}

/// Waits for condition `type_` to be True and returns (reason, message) of it and Ready.
pub async fn wait_oci_condition(env: &Env, name: &str, type_: &str) -> OCIRepository {
    wait_oci(env, name, &format!("{type_}=True"), |o| {
        o.status.as_ref().is_some_and(|s| {
            cond::is_true(&s.conditions, type_) && cond::is_false(&s.conditions, READY)
        })
    })
    .await
}

/// The reason and message of condition `type_`.
pub fn condition(obj: &OCIRepository, type_: &str) -> (String, String) {
    let conditions = &obj.status.as_ref().expect("status").conditions;
    (
        cond::reason(conditions, type_).to_string(),
        cond::message(conditions, type_).to_string(),
    )
}

/// The served artifact's bytes, after checking digest and size.
pub async fn download_raw(obj: &OCIRepository) -> Vec<u8> {
    let artifact = obj
        .status
        .as_ref()
        .and_then(|s| s.artifact.as_ref())
        .expect("artifact");
    let bytes = reqwest::get(&artifact.url)
        .await
        .expect("GET artifact")
        .error_for_status()
        .expect("200")
        .bytes()
        .await
        .expect("body")
        .to_vec();
    let digest = format!(
        "sha256:{}",
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes))
    );
    assert_eq!(digest, artifact.digest, "digest of the served file");
    assert_eq!(Some(bytes.len() as i64), artifact.size);
    bytes
}

/// Sets `reconcile.fluxcd.io/requestedAt` to ask for a run now.
pub async fn request_reconcile_oci(env: &Env, name: &str, value: &str) {
    fluxion_testkit::cluster::request_reconcile(&ocis(env), name, value)
        .await
        .expect("annotate");
}
