//! Diff: the action an apply would take, nothing changed in the cluster, Secret values masked.

use std::collections::BTreeMap;

use fluxion_ssa::{Action, ApplyOptions};

use crate::support::Env;

const SECRET: &str = r#"apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: NS
data:
  user: YWRtaW4=
  pass: c2VjcmV0
"#;

#[tokio::test]
async fn diff_reports_without_applying() {
    let env = Env::new("diff").await;
    let none = BTreeMap::new();
    let objs = env.objects(SECRET);
    let d = env.manager.diff(&objs[0], &none).await.expect("diff");
    assert_eq!(d.entry.action, Action::Created);
    assert!(
        env.get("v1", "Secret", &env.ns, "creds").await.is_none(),
        "diff applies nothing"
    );

    env.manager
        .apply(&objs[0], &ApplyOptions::default())
        .await
        .expect("apply");
    let d = env.manager.diff(&objs[0], &none).await.expect("diff");
    assert_eq!(d.entry.action, Action::Unchanged);

    let changed = env.objects(&SECRET.replace("c2VjcmV0", "b3RoZXI="));
    let d = env.manager.diff(&changed[0], &none).await.expect("diff");
    assert_eq!(d.entry.to_string(), "Secret/diff/creds configured");
    let (live, merged) = (d.live.expect("live"), d.merged.expect("merged"));
    assert_eq!(
        live["data"],
        serde_json::json!({"user": "***", "pass": "*** (before)"})
    );
    assert_eq!(
        merged["data"],
        serde_json::json!({"user": "***", "pass": "*** (after)"})
    );
    assert!(merged["metadata"].get("managedFields").is_none());
    let stored = env
        .get("v1", "Secret", &env.ns, "creds")
        .await
        .expect("exists");
    assert_eq!(stored["data"]["pass"], "c2VjcmV0", "diff applies nothing");

    let skip = BTreeMap::from([(
        "kustomize.toolkit.fluxcd.io/reconcile".to_string(),
        "disabled".to_string(),
    )]);
    let secrets: kube::Api<k8s_openapi::api::core::v1::Secret> =
        kube::Api::namespaced(env.client.clone(), &env.ns);
    let mark = serde_json::json!({"metadata": {"annotations": {"kustomize.toolkit.fluxcd.io/reconcile": "disabled"}}});
    secrets
        .patch(
            "creds",
            &Default::default(),
            &kube::api::Patch::Merge(&mark),
        )
        .await
        .expect("annotate");
    let d = env.manager.diff(&changed[0], &skip).await.expect("diff");
    assert_eq!(d.entry.action, Action::Skipped);
}
