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

#[tokio::test]
async fn drift_is_reported_and_put_back() {
    let env = Env::new("apply-drift").await;
    let objs = env.objects(APP);
    let opts = ApplyOptions::flux("kustomize-controller", false);
    env.manager.apply_all(&objs, &opts).await.expect("apply");

    // Someone edits the object in the cluster.
    let cms: kube::Api<k8s_openapi::api::core::v1::ConfigMap> =
        kube::Api::namespaced(env.client.clone(), &env.ns);
    let pp = kube::api::PatchParams {
        field_manager: Some("kubectl-edit".into()),
        ..Default::default()
    };
    let edit = serde_json::json!({"data": {"key": "edited"}, "metadata": {"labels": {"x": "y"}}});
    cms.patch("cfg", &pp, &kube::api::Patch::Merge(&edit))
        .await
        .expect("edit");

    let cs = env.manager.apply_all(&objs, &opts).await.expect("apply");
    assert_eq!(
        cs.to_string(),
        "ConfigMap/apply-drift/cfg configured\nService/apply-drift/web unchanged"
    );
    let live = env
        .get("v1", "ConfigMap", &env.ns, "cfg")
        .await
        .expect("exists");
    assert_eq!(live["data"]["key"], "value", "drift corrected");
}

const STAGED: &str = r#"apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: tab
  namespace: staged-app
spec:
  cronSpec: "* * * * */5"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: staged-app
data:
  a: b
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: staged-high
value: 1000
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              cronSpec:
                type: string
---
apiVersion: v1
kind: Namespace
metadata:
  name: staged-app
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: staged-reader
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get"]
"#;

#[tokio::test]
async fn staged_apply_puts_definitions_and_classes_first() {
    let env = Env::new("staged").await;
    let objs = env.objects(STAGED);
    let opts = ApplyOptions::flux("kustomize-controller", false);
    // Without stages nothing exists when the dry-runs run: the namespace is missing and the
    // custom resource's kind is unknown.
    let err = env
        .manager
        .apply_all(&objs, &opts)
        .await
        .expect_err("no namespace yet");
    assert!(
        err.to_string()
            .starts_with("ConfigMap/staged-app/cfg not found: "),
        "{err}"
    );
    let err = env
        .manager
        .apply(&objs[0], &opts)
        .await
        .expect_err("no CRD yet");
    assert_eq!(
        err.to_string(),
        "CronTab/staged-app/tab dry-run failed: no matches for kind \"CronTab\" in version \"stable.example.com/v1\""
    );
    let cs = env
        .manager
        .apply_all_staged(&objs, &opts)
        .await
        .expect("staged");
    assert_eq!(
        cs.to_string(),
        [
            "CustomResourceDefinition/crontabs.stable.example.com created",
            "Namespace/staged-app created",
            "ClusterRole/staged-reader created",
            "PriorityClass/staged-high created",
            "ConfigMap/staged-app/cfg created",
            "CronTab/staged-app/tab created",
        ]
        .join("\n")
    );
    let tab = env
        .get("stable.example.com/v1", "CronTab", "staged-app", "tab")
        .await
        .expect("custom resource");
    assert_eq!(tab["spec"]["cronSpec"], "* * * * */5");
    let cs = env
        .manager
        .apply_all_staged(&objs, &opts)
        .await
        .expect("again");
    assert!(!cs.has_changes(), "{cs}");
}

const ANNOTATED: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: ignored
  namespace: NS
  annotations:
    kustomize.toolkit.fluxcd.io/ssa: Ignore
data:
  a: desired
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: once
  namespace: NS
  annotations:
    kustomize.toolkit.fluxcd.io/ssa: IfNotPresent
data:
  a: desired
"#;

#[tokio::test]
async fn ssa_annotations_ignore_and_if_not_present() {
    let env = Env::new("apply-annotations").await;
    let opts = ApplyOptions::flux("kustomize-controller", false);
    let cs = env
        .manager
        .apply_all(&env.objects(ANNOTATED), &opts)
        .await
        .expect("apply");
    assert_eq!(
        cs.to_string(),
        "ConfigMap/apply-annotations/ignored skipped\nConfigMap/apply-annotations/once created"
    );
    assert!(
        env.get("v1", "ConfigMap", &env.ns, "ignored")
            .await
            .is_none()
    );

    let changed = ANNOTATED.replace("a: desired", "a: changed");
    let cs = env
        .manager
        .apply_all(&env.objects(&changed), &opts)
        .await
        .expect("apply");
    assert!(
        cs.entries.iter().all(|e| e.action == Action::Skipped),
        "{cs}"
    );
    let once = env
        .get("v1", "ConfigMap", &env.ns, "once")
        .await
        .expect("exists");
    assert_eq!(once["data"]["a"], "desired", "IfNotPresent never patches");
}

#[tokio::test]
async fn api_refusals_name_the_object() {
    let env = Env::new("apply-errors").await;
    let opts = ApplyOptions::default();
    let missing_ns = env.objects(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: nowhere\ndata:\n  a: b\n",
    );
    let err = env
        .manager
        .apply(&missing_ns[0], &opts)
        .await
        .expect_err("no namespace");
    assert!(
        err.to_string()
            .starts_with("ConfigMap/nowhere/c not found: "),
        "{err}"
    );
    let invalid = env.objects(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: NS\nspec:\n  replicas: many\n",
    );
    let err = env
        .manager
        .apply(&invalid[0], &opts)
        .await
        .expect_err("invalid");
    assert!(
        err.to_string()
            .starts_with("Deployment/apply-errors/d dry-run failed"),
        "{err}"
    );
    let no_ns = env.objects("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n");
    let err = env
        .manager
        .apply(&no_ns[0], &opts)
        .await
        .expect_err("namespace needed");
    assert!(
        err.to_string()
            .starts_with("ConfigMap/c namespace not specified"),
        "{err}"
    );
}

#[tokio::test]
async fn staged_wait_for_definitions_can_be_cancelled() {
    let env = Env::new("staged-cancel").await;
    // A ClusterRole held by a finalizer after deletion stays Terminating: never Current.
    let held = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: staged-cancel-held\n  finalizers:\n  - example.com/hold\nrules: []\n";
    let objs = env.objects(held);
    let opts = ApplyOptions {
        wait_interval: std::time::Duration::from_millis(100),
        wait_timeout: std::time::Duration::from_secs(300),
        ..ApplyOptions::default()
    };
    env.manager.apply_all(&objs, &opts).await.expect("create");
    let roles: kube::Api<k8s_openapi::api::rbac::v1::ClusterRole> =
        kube::Api::all(env.client.clone());
    roles
        .delete("staged-cancel-held", &Default::default())
        .await
        .expect("delete");

    let cancel = fluxion_ssa::CancellationToken::new();
    let canceller = async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        cancel.cancel();
    };
    let started = tokio::time::Instant::now();
    let (res, ()) = tokio::join!(
        env.manager
            .apply_all_staged_with_cancel(&objs, &opts, &cancel),
        canceller
    );
    let err = res.expect_err("cancelled");
    assert!(
        matches!(
            err,
            fluxion_ssa::SsaError::Wait(fluxion_ssa::WaitError::Cancelled)
        ),
        "{err}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));

    // Shared discovery answers serve a second manager, and survive a clear.
    let cache = fluxion_ssa::KindCache::new();
    let other = fluxion_ssa::ResourceManager::new(
        env.client.clone(),
        fluxion_ssa::Owner::kustomize_controller(),
    )
    .with_kind_cache(cache.clone())
    .with_concurrency(1);
    let cm =
        env.objects("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: NS\n");
    assert_eq!(
        other.apply(&cm[0], &opts).await.expect("apply").action,
        Action::Created
    );
    cache.clear();
    assert_eq!(
        other.apply(&cm[0], &opts).await.expect("apply").action,
        Action::Unchanged
    );
}
