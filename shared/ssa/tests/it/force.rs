//! Force: when the API refuses an apply on the live object as invalid (Flux counts 409 and 422
//! as immutable-field errors), `force` or the `force: enabled` annotation deletes and
//! re-creates the object; without them the refusal is a dry-run error.
//!
//! Here the live object is made invalid by tightening its CRD's schema after another manager
//! wrote a field (any 422 counts); kustomize-controller's tests force through a real
//! immutable-field change (a ConfigMap with `immutable: true`).

use fluxion_ssa::{Action, ApplyOptions, SsaError};
use kube::api::{Api, DynamicObject, Patch, PatchParams};

use crate::support::Env;

fn crd(size_type: &str) -> String {
    format!(
        r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.force.example.com
spec:
  group: force.example.com
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
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
              color:
                type: string
              size:
                type: {size_type}
"#
    )
}

const WIDGET: &str = r#"apiVersion: force.example.com/v1
kind: Widget
metadata:
  name: w
  namespace: NS
spec:
  color: red
"#;

/// A Widget whose live `spec.size` (written by another manager) the tightened schema refuses.
async fn invalid_live_widget(env: &Env) {
    let opts = ApplyOptions::default();
    let crd_v1 = env.objects(&crd("string"));
    env.manager
        .apply_all_staged(&crd_v1, &opts)
        .await
        .expect("crd");
    env.manager
        .apply(&env.objects(WIDGET)[0], &opts)
        .await
        .expect("widget");
    let gvk = kube::core::GroupVersionKind::gvk("force.example.com", "v1", "Widget");
    let (ar, _) = kube::discovery::pinned_kind(&env.client, &gvk)
        .await
        .expect("kind");
    let api: Api<DynamicObject> = Api::namespaced_with(env.client.clone(), &env.ns, &ar);
    let pp = PatchParams {
        field_manager: Some("someone-else".into()),
        ..Default::default()
    };
    let size = serde_json::json!({"spec": {"size": "big"}});
    api.patch("w", &pp, &Patch::Merge(&size))
        .await
        .expect("size");
    env.manager
        .apply_all_staged(&env.objects(&crd("integer")), &opts)
        .await
        .expect("tightened crd");
}

#[tokio::test]
async fn refusal_without_force_is_a_dry_run_error() {
    let env = Env::new("force-off").await;
    invalid_live_widget(&env).await;
    let desired = env.objects(&WIDGET.replace("red", "blue"));
    let err = env
        .manager
        .apply(
            &desired[0],
            &ApplyOptions::flux("kustomize-controller", false),
        )
        .await
        .expect_err("invalid live object");
    assert!(
        matches!(err, SsaError::DryRunFailed { code: 422, .. }),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("Widget/force-off/w dry-run failed (Invalid): "),
        "{err}"
    );
}

#[tokio::test]
async fn force_recreates_the_object() {
    let env = Env::new("force-on").await;
    invalid_live_widget(&env).await;
    let desired = env.objects(&WIDGET.replace("red", "blue"));
    let e = env
        .manager
        .apply(
            &desired[0],
            &ApplyOptions::flux("kustomize-controller", true),
        )
        .await
        .expect("recreated");
    assert_eq!(e.action, Action::Created);
    let live = env
        .get("force.example.com/v1", "Widget", &env.ns, "w")
        .await
        .expect("exists");
    assert_eq!(live["spec"], serde_json::json!({"color": "blue"}));
}

#[tokio::test]
async fn force_annotation_recreates_in_apply_all() {
    let env = Env::new("force-annotation").await;
    invalid_live_widget(&env).await;
    let desired = env.objects(&WIDGET.replace("red", "blue").replace(
        "  namespace: NS\n",
        "  namespace: NS\n  annotations:\n    kustomize.toolkit.fluxcd.io/force: enabled\n",
    ));
    let cs = env
        .manager
        .apply_all(&desired, &ApplyOptions::flux("kustomize-controller", false))
        .await
        .expect("recreated");
    assert_eq!(cs.to_string(), "Widget/force-annotation/w created");
}
