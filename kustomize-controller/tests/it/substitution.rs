//! postBuild: inline variables, substituteFrom ConfigMaps and Secrets (optional ones may be
//! missing), defaults, and the per-object opt-out.

use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::Api;
use kube::api::PostParams;
use serde_json::json;

use crate::harness::Env;

const TEMPLATE: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  cluster: ${cluster}\n  region: ${region}\n  token: ${token}\n  tier: ${tier:=free}\n";
const RAW: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  text: ${cluster}\n";

#[tokio::test]
async fn substitutes_from_all_sources() {
    let env = Env::start("subst").await;
    let cms: Api<ConfigMap> = Api::namespaced(env.client.clone(), &env.namespace);
    let cm: ConfigMap = serde_json::from_value(
        json!({"metadata": {"name": "vars"}, "data": {"region": "eu-1", "cluster": "from-cm"}}),
    )
    .expect("cm");
    cms.create(&PostParams::default(), &cm)
        .await
        .expect("vars cm");
    let secrets: Api<Secret> = Api::namespaced(env.client.clone(), &env.namespace);
    let secret: Secret = serde_json::from_value(
        json!({"metadata": {"name": "creds"}, "stringData": {"token": "s3cr3t"}}),
    )
    .expect("secret");
    secrets
        .create(&PostParams::default(), &secret)
        .await
        .expect("secret");

    env.publish(
        "repo",
        "main@sha1:1",
        &[("cfg.yaml", TEMPLATE), ("raw.yaml", RAW)],
    )
    .await;
    env.create_ks(
        "app",
        "repo",
        json!({"postBuild": {
            "substitute": {"cluster": "prod"},
            "substituteFrom": [
                {"kind": "ConfigMap", "name": "vars"},
                {"kind": "Secret", "name": "creds"},
                {"kind": "ConfigMap", "name": "absent", "optional": true},
            ],
        }}),
    )
    .await;
    env.wait_applied("app", "main@sha1:1").await;
    let cfg = env.config_maps().get("cfg").await.expect("cfg");
    let data = cfg.data.expect("data");
    // Inline values override substituteFrom ones.
    assert_eq!(data["cluster"], "prod");
    assert_eq!(data["region"], "eu-1");
    assert_eq!(data["token"], "s3cr3t");
    assert_eq!(data["tier"], "free");
    let raw = env.config_maps().get("raw").await.expect("raw");
    assert_eq!(raw.data.expect("data")["text"], "${cluster}");
}

#[tokio::test]
async fn a_watched_config_map_change_reconciles_its_readers() {
    use kube::api::{Patch, PatchParams};

    let env = Env::start("subst-watch").await;
    let cms: Api<ConfigMap> = Api::namespaced(env.client.clone(), &env.namespace);
    let cm: ConfigMap = serde_json::from_value(json!({
        "metadata": {"name": "vars", "labels": {"reconcile.fluxcd.io/watch": "Enabled"}},
        "data": {"region": "eu-1"},
    }))
    .expect("cm");
    cms.create(&PostParams::default(), &cm)
        .await
        .expect("vars cm");
    let template =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  region: ${region}\n";
    env.publish("repo", "main@sha1:1", &[("cfg.yaml", template)])
        .await;
    env.create_ks(
        "app",
        "repo",
        json!({"postBuild": {"substituteFrom": [{"kind": "ConfigMap", "name": "vars"}]}}),
    )
    .await;
    env.wait_applied("app", "main@sha1:1").await;
    env.wait_config_map("cfg", "first value", |cm| {
        cm.and_then(|c| c.data.as_ref())
            .is_some_and(|d| d["region"] == "eu-1")
    })
    .await;
    // The interval is 10m: only the watch can bring the new value in time.
    let change = json!({"data": {"region": "us-2"}});
    cms.patch("vars", &PatchParams::default(), &Patch::Merge(&change))
        .await
        .expect("change vars");
    env.wait_config_map("cfg", "new value applied", |cm| {
        cm.and_then(|c| c.data.as_ref())
            .is_some_and(|d| d["region"] == "us-2")
    })
    .await;
}
