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
