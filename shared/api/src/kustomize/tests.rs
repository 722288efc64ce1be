//! Tests of the Kustomization kind: Flux manifests parsed, derived settings, schema details.

use std::time::Duration;

use super::*;
use crate::meta::{FluxObject, FluxStatus};

const FULL: &str = r#"
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  retryInterval: 2m
  timeout: 5m
  path: ./apps/production
  prune: true
  wait: true
  force: false
  deletionPolicy: Delete
  targetNamespace: production
  namePrefix: prod-
  serviceAccountName: kustomize-controller
  sourceRef:
    kind: GitRepository
    name: fleet
    namespace: infra
  dependsOn:
    - name: infra-controllers
    - name: certs
      namespace: cert-manager
      readyExpr: status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')
  decryption:
    provider: sops
    secretRef:
      name: sops-age
  kubeConfig:
    secretRef:
      name: prod-kubeconfig
      key: value.yaml
  commonMetadata:
    labels:
      team: platform
  components:
    - ../components/monitoring
  ignoreMissingComponents: true
  buildMetadata: [originAnnotations]
  images:
    - name: podinfo
      newName: ghcr.io/stefanprodan/podinfo
      newTag: 6.5.0
  patches:
    - patch: |
        - op: replace
          path: /spec/replicas
          value: 3
      target:
        kind: Deployment
        labelSelector: app=podinfo
  healthChecks:
    - apiVersion: apps/v1
      kind: Deployment
      name: podinfo
      namespace: production
  healthCheckExprs:
    - apiVersion: cert-manager.io/v1
      kind: Certificate
      current: status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'True')
      failed: status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'False')
  ignore:
    - paths: ["/spec/replicas"]
      target:
        kind: Deployment
  postBuild:
    substituteStrategy: Always
    substitute:
      cluster_env: prod
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars
      - kind: Secret
        name: cluster-secrets
        optional: true
status:
  observedGeneration: 3
  lastAppliedRevision: main@sha1:67e2c98a60dc92283531412a9e604dd4bae005a9
  lastAttemptedRevision: main@sha1:67e2c98a60dc92283531412a9e604dd4bae005a9
  lastHandledReconcileAt: "2025-08-15T10:00:00Z"
  conditions:
    - type: Ready
      status: "True"
      reason: ReconciliationSucceeded
      message: "Applied revision: main@sha1:67e2c98a"
      lastTransitionTime: "2025-08-15T10:11:00Z"
      observedGeneration: 3
  inventory:
    entries:
      - id: production_prod-podinfo_apps_Deployment
        v: v1
      - id: _production__Namespace
        v: v1
  history:
    - digest: sha256:43ad78c94b2655429d84f21488f29d7cca9cd45b7f54d2b27e16bbec8eff9228
      firstReconciled: "2025-08-15T10:11:00Z"
      lastReconciled: "2025-08-15T10:11:00Z"
      lastReconciledDuration: 1.2s
      lastReconciledStatus: ReconciliationSucceeded
      totalReconciliations: 1
"#;

const MINIMAL: &str = r#"
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: podinfo
  namespace: default
spec:
  interval: 1m
  prune: false
  sourceRef:
    kind: OCIRepository
    name: podinfo
"#;

fn parse(yaml: &str) -> Kustomization {
    serde_saphyr::from_str(yaml).expect("valid Kustomization")
}

#[test]
fn parses_a_full_kustomization() {
    let ks = parse(FULL);
    let spec = &ks.spec;
    assert_eq!(spec.source_ref.kind, SourceKind::GitRepository);
    assert_eq!(spec.source_ref.to_string(), "GitRepository/infra/fleet");
    assert_eq!(
        spec.depends_on[1]
            .ready_expr
            .as_deref()
            .map(|e| e.starts_with("status.")),
        Some(true)
    );
    assert_eq!(
        spec.decryption.as_ref().map(|d| d.provider),
        Some(DecryptionProvider::Sops)
    );
    let kubeconfig = spec
        .kube_config
        .as_ref()
        .and_then(|k| k.secret_ref.as_ref())
        .expect("secretRef");
    assert_eq!(kubeconfig.key.as_deref(), Some("value.yaml"));
    assert_eq!(
        spec.common_metadata
            .as_ref()
            .map(|c| c.labels["team"].as_str()),
        Some("platform")
    );
    assert_eq!(
        spec.build_metadata,
        [BuildMetadataOption::OriginAnnotations]
    );
    assert_eq!(spec.images[0].new_tag.as_deref(), Some("6.5.0"));
    assert!(spec.patches[0].patch.contains("/spec/replicas"));
    assert_eq!(
        spec.patches[0]
            .target
            .as_ref()
            .and_then(|t| t.label_selector.as_deref()),
        Some("app=podinfo")
    );
    assert_eq!(spec.health_checks[0].kind, "Deployment");
    assert_eq!(
        spec.health_check_exprs[0].kind.as_deref(),
        Some("Certificate")
    );
    assert_eq!(spec.ignore[0].paths, ["/spec/replicas"]);
    let post = spec.post_build.as_ref().expect("postBuild");
    assert_eq!(post.substitute["cluster_env"], "prod");
    assert_eq!(post.substitute_from[0].kind, SubstituteKind::ConfigMap);
    assert!(!post.substitute_from[0].optional);
    assert!(post.substitute_from[1].optional);
    assert!(spec.ignore_missing_components && spec.wait && spec.prune && !spec.force);
    assert_eq!(spec.target_namespace.as_deref(), Some("production"));

    let status = ks.status.as_ref().expect("status");
    assert_eq!(status.observed_generation(), Some(3));
    assert_eq!(
        status.conditions()[0].reason,
        RECONCILIATION_SUCCEEDED_REASON
    );
    assert_eq!(
        status.last_handled_reconcile_at(),
        Some("2025-08-15T10:00:00Z")
    );
    let inventory = ks.inventory().expect("inventory");
    assert_eq!(
        inventory.entries[0].object_id().expect("id").name,
        "prod-podinfo"
    );
    assert_eq!(status.history[0].duration(), Duration::from_millis(1200));
    assert_eq!(
        ks.last_applied_revision(),
        Some("main@sha1:67e2c98a60dc92283531412a9e604dd4bae005a9")
    );
}

#[test]
fn derives_settings_from_a_full_kustomization() {
    let ks = parse(FULL);
    assert_eq!(ks.requeue_after(), Duration::from_secs(600));
    assert_eq!(ks.interval(), Some(Duration::from_secs(600)));
    assert_eq!(ks.timeout(), Duration::from_secs(300));
    assert_eq!(ks.retry_interval(), Duration::from_secs(120));
    assert_eq!(ks.deletion_policy(), DeletionPolicy::Delete);
    assert_eq!(ks.effective_deletion_policy(), DeletionPolicy::Delete);
    assert_eq!(ks.substitute_strategy(), SubstituteStrategy::Always);
    assert_eq!(ks.source_namespace(), "infra");
    assert!(ks.is_cross_namespace_source());
    assert_eq!(
        ks.dependencies(),
        [
            ("flux-system".to_string(), "infra-controllers".to_string()),
            ("cert-manager".to_string(), "certs".to_string())
        ]
    );
    assert!(ks.checks_health());
    assert!(!ks.suspended());
}

#[test]
fn applies_flux_defaults_to_a_minimal_kustomization() {
    let ks = parse(MINIMAL);
    assert_eq!(ks.spec.source_ref.kind, SourceKind::OciRepository);
    assert_eq!(ks.requeue_after(), Duration::from_secs(60));
    assert_eq!(ks.timeout(), MIN_TIMEOUT);
    assert_eq!(ks.retry_interval(), Duration::from_secs(60));
    assert_eq!(ks.deletion_policy(), DeletionPolicy::MirrorPrune);
    assert_eq!(ks.effective_deletion_policy(), DeletionPolicy::Orphan);
    assert_eq!(ks.substitute_strategy(), SubstituteStrategy::WithVariables);
    assert_eq!(ks.source_namespace(), "default");
    assert!(!ks.is_cross_namespace_source());
    assert!(ks.dependencies().is_empty());
    assert!(!ks.checks_health());
    assert!(ks.inventory().is_none() && ks.last_applied_revision().is_none());
    assert!(ks.flux_status().is_none());
}

#[test]
fn timeout_defaults_to_interval_minus_30s_with_a_floor() {
    let mut ks = parse(MINIMAL);
    ks.spec.interval = "1h".into();
    assert_eq!(ks.timeout(), Duration::from_secs(3570));
    ks.spec.timeout = Some("10s".into());
    assert_eq!(ks.timeout(), MIN_TIMEOUT);
    ks.spec.timeout = Some("2m".into());
    assert_eq!(ks.timeout(), Duration::from_secs(120));
}

#[test]
fn mirror_prune_follows_prune() {
    let mut ks = parse(MINIMAL);
    ks.spec.prune = true;
    assert_eq!(ks.effective_deletion_policy(), DeletionPolicy::Delete);
    ks.spec.deletion_policy = Some(DeletionPolicy::WaitForTermination);
    assert_eq!(
        ks.effective_deletion_policy(),
        DeletionPolicy::WaitForTermination
    );
    ks.spec.deletion_policy = Some(DeletionPolicy::Orphan);
    assert_eq!(ks.effective_deletion_policy(), DeletionPolicy::Orphan);
}

#[test]
fn round_trips_without_adding_fields() {
    let ks = parse(MINIMAL);
    let json = serde_json::to_value(&ks).expect("serialize");
    let spec = json.get("spec").expect("spec");
    let keys: Vec<&String> = spec.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["interval", "prune", "sourceRef"]);
    assert_eq!(spec["sourceRef"]["kind"], "OCIRepository");
}

#[test]
fn refuses_unknown_enum_values() {
    let bad = MINIMAL.replace("OCIRepository", "HelmRepository");
    assert!(serde_saphyr::from_str::<Kustomization>(&bad).is_err());
}

#[test]
fn crd_has_flux_names_and_status_default() {
    let crd = <Kustomization as kube::CustomResourceExt>::crd();
    assert_eq!(crd.spec.names.short_names, Some(vec!["ks".to_string()]));
    let schema = serde_json::to_value(&crd.spec.versions[0].schema).expect("schema");
    let status = &schema["openAPIV3Schema"]["properties"]["status"];
    assert_eq!(
        status["default"],
        serde_json::json!({"observedGeneration": -1})
    );
    let spec = &schema["openAPIV3Schema"]["properties"]["spec"];
    let mut required: Vec<&str> = spec["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    required.sort();
    assert_eq!(required, ["interval", "prune", "sourceRef"]);
}
