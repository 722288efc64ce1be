//! OCIRepository helpers over the shared [`Env`]: create, wait for a condition or a revision,
//! read conditions, download the artifact's raw bytes.

use fluxion_api::conditions::READY;
use fluxion_api::source::OCIRepository;
use fluxion_runtime::conditions as cond;
use kube::Api;
use kube::api::PostParams;
use serde_json::{Value, json};

use crate::harness::{Env, WAIT};

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
    let api = ocis(env);
    let last = std::sync::Mutex::new(None);
    let found = fluxion_testkit::wait_for(WAIT, std::time::Duration::from_millis(100), || {
        let api = api.clone();
        let (last, check) = (&last, &check);
        async move {
            let obj = api.get(name).await.ok()?;
            let ok = check(&obj);
            *last.lock().expect("lock") = Some(obj.clone());
            ok.then_some(obj)
        }
    })
    .await;
    let last = last.into_inner().expect("lock").and_then(|o| o.status);
    found.unwrap_or_else(|| panic!("{what}; last seen: {last:#?}"))
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
    let patch = json!({"metadata": {"annotations": {"reconcile.fluxcd.io/requestedAt": value}}});
    ocis(env)
        .patch(
            name,
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(&patch),
        )
        .await
        .expect("annotate");
}
