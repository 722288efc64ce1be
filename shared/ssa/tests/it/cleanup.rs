//! Taking over objects first applied with kubectl: the last-applied annotation and kubectl's
//! managers go, so fields no longer in the source are removed; `ssa: Merge` keeps them.

use fluxion_ssa::{Action, ApplyOptions};

use crate::support::Env;

const BY_KUBECTL: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: NS
  labels:
    team: a
data:
  a: "1"
  b: "2"
"#;

const DESIRED: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: NS
data:
  a: "1"
"#;

fn managers(live: &serde_json::Value) -> Vec<(String, String)> {
    live["metadata"]["managedFields"]
        .as_array()
        .expect("managed fields")
        .iter()
        .map(|e| {
            (
                e["manager"].as_str().unwrap_or("").to_string(),
                e["operation"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn takes_over_from_kubectl_client_side_apply() {
    let env = Env::new("cleanup-csa").await;
    env.kubectl(&["apply", "-f", "-"], &BY_KUBECTL.replace("NS", &env.ns))
        .await;
    let before = env
        .get("v1", "ConfigMap", &env.ns, "cfg")
        .await
        .expect("exists");
    assert!(
        before["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
            .is_string()
    );

    let opts = ApplyOptions::flux("kustomize-controller", false);
    let cs = env
        .manager
        .apply_all(&env.objects(DESIRED), &opts)
        .await
        .expect("apply");
    assert_eq!(cs.entries[0].action, Action::Configured, "{cs}");

    let live = env
        .get("v1", "ConfigMap", &env.ns, "cfg")
        .await
        .expect("exists");
    let annotations = live["metadata"]["annotations"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    assert!(
        !annotations.contains_key("kubectl.kubernetes.io/last-applied-configuration"),
        "{live}"
    );
    assert_eq!(
        managers(&live),
        [("kustomize-controller".to_string(), "Apply".to_string())]
    );
    assert_eq!(
        live["data"],
        serde_json::json!({"a": "1"}),
        "kubectl's field b is pruned"
    );
    assert!(live["metadata"]["labels"].get("team").is_none(), "{live}");

    let cs = env
        .manager
        .apply_all(&env.objects(DESIRED), &opts)
        .await
        .expect("again");
    assert_eq!(cs.entries[0].action, Action::Unchanged, "{cs}");
}

#[tokio::test]
async fn takes_over_from_kubectl_server_side_apply() {
    let env = Env::new("cleanup-ssa").await;
    env.kubectl(
        &["apply", "--server-side", "-f", "-"],
        &BY_KUBECTL.replace("NS", &env.ns),
    )
    .await;
    let opts = ApplyOptions::flux("kustomize-controller", false);
    env.manager
        .apply_all(&env.objects(DESIRED), &opts)
        .await
        .expect("apply");
    let live = env
        .get("v1", "ConfigMap", &env.ns, "cfg")
        .await
        .expect("exists");
    assert_eq!(
        managers(&live),
        [("kustomize-controller".to_string(), "Apply".to_string())]
    );
    assert_eq!(live["data"], serde_json::json!({"a": "1"}));
}

#[tokio::test]
async fn merge_annotation_keeps_foreign_fields() {
    let env = Env::new("cleanup-merge").await;
    env.kubectl(&["apply", "-f", "-"], &BY_KUBECTL.replace("NS", &env.ns))
        .await;
    let desired = DESIRED.replace(
        "  namespace: NS\n",
        "  namespace: NS\n  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: Merge\n",
    );
    let opts = ApplyOptions::flux("kustomize-controller", false);
    let cs = env
        .manager
        .apply_all(&env.objects(&desired), &opts)
        .await
        .expect("apply");
    assert_eq!(cs.entries[0].action, Action::Configured, "{cs}");
    let live = env
        .get("v1", "ConfigMap", &env.ns, "cfg")
        .await
        .expect("exists");
    assert_eq!(
        live["data"],
        serde_json::json!({"a": "1", "b": "2"}),
        "merge keeps b"
    );
    assert!(
        live["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
            .is_string()
    );
}
