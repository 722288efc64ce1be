//! Tenancy: serviceAccountName (and --default-service-account) impersonation under RBAC; an
//! RBAC denial is a clear failure and the same objects apply once the account is allowed.

use fluxion_api::conditions::RECONCILIATION_FAILED_REASON;
use fluxion_apiserver::ServerConfig;
use fluxion_runtime::conditions as cond;
use k8s_openapi::api::rbac::v1::{Role, RoleBinding};
use kube::Api;
use serde_json::json;

use crate::harness::{Env, config_map};

fn rbac_server() -> ServerConfig {
    let mut config = ServerConfig::default();
    config.auth.authenticate = true;
    config.auth.rbac = true;
    config
}

async fn allow_config_maps(env: &Env, account: &str) {
    let roles: Api<Role> = Api::namespaced(env.client.clone(), &env.namespace);
    let role: Role = serde_json::from_value(json!({
        "metadata": {"name": "apply-configmaps"},
        "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["*"]}],
    }))
    .expect("role");
    roles
        .create(&Default::default(), &role)
        .await
        .expect("role");
    let bindings: Api<RoleBinding> = Api::namespaced(env.client.clone(), &env.namespace);
    let binding: RoleBinding = serde_json::from_value(json!({
        "metadata": {"name": "apply-configmaps"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "apply-configmaps"},
        "subjects": [{"kind": "ServiceAccount", "name": account, "namespace": env.namespace}],
    }))
    .expect("binding");
    bindings
        .create(&Default::default(), &binding)
        .await
        .expect("binding");
}

#[tokio::test]
async fn impersonates_the_tenant_account() {
    let env = Env::start_with("tenant", rbac_server(), &[]).await;
    env.publish(
        "repo",
        "main@sha1:1",
        &[("cm.yaml", &config_map("a", &[("k", "v")]))],
    )
    .await;
    env.create_ks("app", "repo", json!({"serviceAccountName": "deployer"}))
        .await;
    let ks = env.wait_failed("app", RECONCILIATION_FAILED_REASON).await;
    let message = cond::message(&ks.status.expect("status").conditions, "Ready").to_string();
    assert!(message.contains("ConfigMap/tenant/a"), "{message}");
    assert!(message.to_lowercase().contains("forbidden"), "{message}");
    assert!(env.config_maps().get_opt("a").await.expect("get").is_none());

    allow_config_maps(&env, "deployer").await;
    env.patch_ks(
        "app",
        json!({"metadata": {"annotations": {"reconcile.fluxcd.io/requestedAt": "allowed"}}}),
    )
    .await;
    env.wait_applied("app", "main@sha1:1").await;
}

#[tokio::test]
async fn default_service_account_applies_to_every_kustomization() {
    let env = Env::start_with(
        "tenant-default",
        rbac_server(),
        &["--default-service-account=default-deployer"],
    )
    .await;
    env.publish(
        "repo",
        "main@sha1:1",
        &[("cm.yaml", &config_map("a", &[("k", "v")]))],
    )
    .await;
    env.create_ks("app", "repo", json!({})).await;
    let ks = env.wait_failed("app", RECONCILIATION_FAILED_REASON).await;
    let message = cond::message(&ks.status.expect("status").conditions, "Ready").to_string();
    assert!(message.to_lowercase().contains("forbidden"), "{message}");
    allow_config_maps(&env, "default-deployer").await;
    env.patch_ks(
        "app",
        json!({"metadata": {"annotations": {"reconcile.fluxcd.io/requestedAt": "allowed"}}}),
    )
    .await;
    env.wait_applied("app", "main@sha1:1").await;
}

#[tokio::test]
async fn applies_to_a_remote_cluster_from_a_kubeconfig_secret() {
    let env = Env::start("remote").await;
    let remote = fluxion_apiserver::ApiServer::start(ServerConfig::default())
        .await
        .expect("remote apiserver");
    let remote_client = remote.client().expect("remote client");
    let namespaces: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(remote_client.clone());
    let ns = serde_json::from_value(json!({"metadata": {"name": "remote"}})).expect("ns");
    namespaces
        .create(&Default::default(), &ns)
        .await
        .expect("remote namespace");
    let kubeconfig = std::fs::read_to_string(remote.kubeconfig()).expect("kubeconfig");
    let secrets: Api<k8s_openapi::api::core::v1::Secret> =
        Api::namespaced(env.client.clone(), &env.namespace);
    let secret = serde_json::from_value(
        json!({"metadata": {"name": "remote-kubeconfig"}, "stringData": {"value": kubeconfig}}),
    )
    .expect("secret");
    secrets
        .create(&Default::default(), &secret)
        .await
        .expect("kubeconfig secret");

    env.publish(
        "repo",
        "main@sha1:1",
        &[("cm.yaml", &config_map("far", &[("k", "v")]))],
    )
    .await;
    env.create_ks(
        "app",
        "repo",
        json!({"kubeConfig": {"secretRef": {"name": "remote-kubeconfig"}}}),
    )
    .await;
    env.wait_applied("app", "main@sha1:1").await;
    let remote_cms: Api<k8s_openapi::api::core::v1::ConfigMap> =
        Api::namespaced(remote_client, "remote");
    assert!(remote_cms.get_opt("far").await.expect("get").is_some());
    assert!(
        env.config_maps()
            .get_opt("far")
            .await
            .expect("get")
            .is_none()
    );
}
