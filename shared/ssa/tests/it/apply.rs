//! Apply: created then unchanged, drift corrected, staged CRDs and namespaces, Class ordering.

use fluxion_ssa::{Action, ApplyOptions};

use crate::support::Env;

const APP: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: NS
data:
  key: value
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: NS
spec:
  selector:
    app: web
  ports:
  - port: 80
    protocol: TCP
"#;

#[tokio::test]
async fn creates_then_reports_unchanged() {
    let env = Env::new("apply-basic").await;
    let objs = env.objects(APP);
    let opts = ApplyOptions::flux("kustomize-controller", false);
    let cs = env.manager.apply_all(&objs, &opts).await.expect("apply");
    assert_eq!(
        cs.to_string(),
        "ConfigMap/apply-basic/cfg created\nService/apply-basic/web created"
    );
    let live = env
        .get("v1", "ConfigMap", &env.ns, "cfg")
        .await
        .expect("exists");
    assert_eq!(live["data"]["key"], "value");
    let managers: Vec<&str> = live["metadata"]["managedFields"]
        .as_array()
        .expect("managed fields")
        .iter()
        .filter_map(|e| e["manager"].as_str())
        .collect();
    assert_eq!(managers, ["kustomize-controller"]);

    let cs = env
        .manager
        .apply_all(&objs, &opts)
        .await
        .expect("apply again");
    assert!(
        cs.entries.iter().all(|e| e.action == Action::Unchanged),
        "{cs}"
    );
    assert!(!cs.has_changes());
}

#[tokio::test]
async fn single_apply_reports_configured_on_change() {
    let env = Env::new("apply-one").await;
    let mut objs = env.objects(APP);
    let opts = ApplyOptions::default();
    let e = env.manager.apply(&objs[0], &opts).await.expect("apply");
    assert_eq!(e.action, Action::Created);
    assert_eq!(e.group_version, "v1");
    objs[0].data["data"]["key"] = serde_json::json!("other");
    let e = env.manager.apply(&objs[0], &opts).await.expect("apply");
    assert_eq!(e.to_string(), "ConfigMap/apply-one/cfg configured");
    let live = env
        .get("v1", "ConfigMap", &env.ns, "cfg")
        .await
        .expect("exists");
    assert_eq!(live["data"]["key"], "other");
}
