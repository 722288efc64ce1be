//! HelmRelease as users write it: realistic manifests parsed, with the derived values asserted.

use std::time::Duration;

use kube::{CustomResourceExt, ResourceExt};

use super::*;
use crate::meta::FluxObject;

const PODINFO: &str = r#"
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: flux-system
  annotations:
    reconcile.fluxcd.io/requestedAt: "2024-05-01T10:00:00Z"
    reconcile.fluxcd.io/forceAt: "2024-05-01T10:00:00Z"
spec:
  interval: 10m
  timeout: 3m
  targetNamespace: apps
  storageNamespace: apps
  maxHistory: 3
  dependsOn:
    - name: cert-manager
      namespace: infra
  chart:
    metadata:
      labels:
        team: web
    spec:
      chart: podinfo
      version: ">=6.0.0 <7.0.0"
      sourceRef:
        kind: HelmRepository
        name: podinfo
      interval: 1h
      valuesFiles: [values.yaml, values-prod.yaml]
  install:
    crds: CreateReplace
    createNamespace: true
    remediation:
      retries: 3
  upgrade:
    crds: CreateReplace
    cleanupOnFail: true
    disableOpenAPIValidation: true
    strategy:
      name: RetryOnFailure
      retryInterval: 2m
    remediation:
      retries: -1
      strategy: uninstall
  test:
    enable: true
    filters:
      - name: smoke
        exclude: true
  uninstall:
    keepHistory: true
  driftDetection:
    mode: enabled
    ignore:
      - paths: ["/spec/replicas"]
        target:
          kind: Deployment
  postRenderers:
    - kustomize:
        patches:
          - target:
              kind: Deployment
              labelSelector: app=podinfo
            patch: |
              - op: add
                path: /metadata/annotations/x
                value: y
        images:
          - name: ghcr.io/stefanprodan/podinfo
            newTag: 6.5.0
  commonMetadata:
    labels:
      env: prod
  waitStrategy:
    name: legacy
  healthCheckExprs:
    - apiVersion: cert-manager.io/v1
      kind: Certificate
      current: status.conditions.all(c, c.type != 'Ready' || c.status == 'True')
  values:
    replicaCount: 2
    ingress:
      enabled: true
  valuesFrom:
    - kind: ConfigMap
      name: podinfo-values
    - kind: Secret
      name: podinfo-tls
      valuesKey: tls.crt
      targetPath: tls.crt
      literal: true
      optional: true
status:
  observedGeneration: 4
  lastAttemptedReleaseAction: upgrade
  upgradeFailures: 2
  helmChart: flux-system/flux-system-podinfo
  history:
    - name: apps-podinfo
      namespace: apps
      version: 4
      status: deployed
      action: upgrade
      chartName: podinfo
      chartVersion: 6.5.0
      appVersion: 6.5.0
      configDigest: sha256:1111
      digest: sha256:2222
      firstDeployed: "2024-04-01T10:00:00Z"
      lastDeployed: "2024-05-01T10:00:00Z"
      testHooks:
        podinfo-smoke:
          phase: Succeeded
          lastStarted: "2024-05-01T10:01:00Z"
          lastCompleted: "2024-05-01T10:02:00Z"
  inventory:
    entries:
      - id: apps_podinfo_apps_Deployment
        v: v1
"#;

#[test]
fn parses_a_full_helm_release() {
    let hr: HelmRelease = serde_saphyr::from_str(PODINFO).expect("parse");
    assert_eq!(hr.interval(), Some(Duration::from_secs(600)));
    assert_eq!(hr.requeue_after(), Duration::from_secs(600));
    assert!(!hr.suspended());
    assert_eq!(hr.timeout(), Duration::from_secs(180));
    assert_eq!(hr.release_name(), "apps-podinfo");
    assert_eq!(hr.release_namespace(), "apps");
    assert_eq!(hr.storage_namespace(), "apps");
    assert_eq!(hr.helm_chart_name(), "flux-system-podinfo");
    assert_eq!(hr.max_history(), 3);
    assert!(hr.use_persistent_client());
    assert_eq!(hr.spec.depends_on[0].namespace.as_deref(), Some("infra"));

    let chart = hr.spec.chart.as_ref().expect("chart");
    assert_eq!(
        chart.spec.source_ref.kind,
        HelmChartSourceKind::HelmRepository
    );
    assert_eq!(
        chart.spec.reconcile_strategy,
        ReconcileStrategy::ChartVersion
    );
    assert_eq!(
        chart.interval(hr.requeue_after()),
        Duration::from_secs(3600)
    );
    assert_eq!(chart.source_namespace("flux-system"), "flux-system");

    assert_eq!(hr.install().crds_policy(), CrdsPolicy::CreateReplace);
    assert!(hr.install().create_namespace);
    assert!(hr.upgrade().disable_openapi_validation);
    assert_eq!(hr.upgrade().timeout(hr.timeout()), Duration::from_secs(180));
    assert_eq!(hr.test().filters[0].name, "smoke");
    assert!(hr.uninstall().keep_history);
    assert_eq!(
        hr.uninstall().deletion_propagation,
        DeletionPropagation::Background
    );
    assert_eq!(hr.rollback().server_side_apply(), ServerSideApplyMode::Auto);

    let remediation = hr.active_remediation().expect("upgrade remediation");
    assert!(remediation.is_uninstall_after_upgrade());
    assert!(!remediation.retries_exhausted(hr.status.as_ref().expect("status")));
    assert_eq!(hr.active_retry(false), Some(Duration::from_secs(120)));

    assert!(hr.drift_detection().must_detect_changes());
    assert_eq!(hr.drift_detection().ignore[0].paths, vec!["/spec/replicas"]);
    let kustomize = hr.spec.post_renderers[0]
        .kustomize
        .as_ref()
        .expect("kustomize");
    assert!(kustomize.patches[0].patch.contains("op: add"));
    assert_eq!(kustomize.images[0].new_tag.as_deref(), Some("6.5.0"));
    assert_eq!(
        hr.wait_strategy(false, false),
        Some(WaitStrategyName::Legacy)
    );
    assert_eq!(hr.wait_strategy(true, false), None);
    assert_eq!(hr.post_render_strategy(false), PostRenderStrategy::Combined);
    assert_eq!(
        hr.spec.health_check_exprs[0].kind.as_deref(),
        Some("Certificate")
    );

    let values = hr.values();
    assert_eq!(values["replicaCount"], serde_json::json!(2));
    assert!(hr.spec.values_from[0].merges_at_root());
    assert_eq!(hr.spec.values_from[0].values_key(), "values.yaml");
    assert!(hr.spec.values_from[1].is_literal());

    let status = hr.status.as_ref().expect("status");
    assert_eq!(status.observed_generation, Some(4));
    assert_eq!(
        status.helm_chart(),
        Some(("flux-system", "flux-system-podinfo"))
    );
    let latest = status.history.latest().expect("latest");
    assert_eq!(latest.action, Some(ReleaseAction::Upgrade));
    assert!(latest.has_been_tested());
    assert_eq!(
        status
            .inventory
            .as_ref()
            .map(|i| i.entries[0].version.as_str()),
        Some("v1")
    );
}

#[test]
fn round_trips_through_json() {
    let hr: HelmRelease = serde_saphyr::from_str(PODINFO).expect("parse");
    let json = serde_json::to_value(&hr).expect("serialize");
    assert_eq!(
        json["spec"]["upgrade"]["disableOpenAPIValidation"],
        serde_json::json!(true)
    );
    assert_eq!(
        json["spec"]["valuesFrom"][1]["targetPath"],
        serde_json::json!("tls.crt")
    );
    let back: HelmRelease = serde_json::from_value(json).expect("deserialize");
    assert_eq!(back.spec, hr.spec);
    assert_eq!(back.status, hr.status);
    assert_eq!(back.metadata, hr.metadata);
}

#[test]
fn minimal_release_takes_flux_defaults() {
    let hr: HelmRelease = serde_saphyr::from_str(
        r#"
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: redis, namespace: cache}
spec:
  interval: 5m
  chartRef: {kind: OCIRepository, name: redis}
"#,
    )
    .expect("parse");
    assert_eq!(hr.release_name(), "redis");
    assert_eq!(hr.release_namespace(), "cache");
    assert_eq!(hr.storage_namespace(), "cache");
    assert_eq!(hr.timeout(), DEFAULT_TIMEOUT);
    assert_eq!(hr.max_history(), 5);
    assert!(hr.values().is_empty());
    assert_eq!(hr.active_remediation(), None);
    assert_eq!(hr.active_retry(true), None);
    assert_eq!(hr.drift_detection().mode(), DriftDetectionMode::Disabled);
    assert_eq!(
        hr.wait_strategy(false, false),
        Some(WaitStrategyName::Poller)
    );
    assert_eq!(
        hr.wait_strategy(false, true),
        Some(WaitStrategyName::Legacy)
    );
    assert_eq!(hr.post_render_strategy(true), PostRenderStrategy::NoHooks);
    assert_eq!(
        hr.spec.chart_ref.as_ref().map(|r| r.namespace_or("cache")),
        Some("cache")
    );
}

#[test]
fn release_name_rules() {
    let mut hr = HelmRelease::new(
        "a-really-long-helm-release-name-for-testing",
        HelmReleaseSpec::default(),
    );
    hr.spec.target_namespace = Some("some-very-long-target-namespace".into());
    let full = hr.full_release_name();
    assert_eq!(
        full,
        "some-very-long-target-namespace-a-really-long-helm-release-name-for-testing"
    );
    assert_eq!(hr.release_name(), shorten_name(&full));
    assert_eq!(hr.release_name().len(), 53);
    hr.spec.release_name = Some("custom".into());
    assert_eq!(hr.release_name(), "custom");
}

#[test]
fn force_and_reset_requests_are_handled_once() {
    let mut hr: HelmRelease = serde_saphyr::from_str(PODINFO).expect("parse");
    assert!(hr.should_handle_force_request());
    assert!(
        !hr.should_handle_force_request(),
        "the same token is handled once"
    );
    assert!(!hr.should_handle_reset_request(), "no reset annotation");

    hr.annotations_mut()
        .insert(crate::meta::RESET_REQUEST_ANNOTATION.into(), "other".into());
    assert!(!hr.should_handle_reset_request(), "must equal requestedAt");
    let status = hr.status.as_ref().expect("status");
    assert_eq!(status.last_handled_reset_at.as_deref(), Some("other"));

    let mut hr: HelmRelease = serde_saphyr::from_str(PODINFO).expect("parse");
    hr.status
        .get_or_insert_with(Default::default)
        .last_handled_reconcile_at = Some("2024-05-01T10:00:00Z".into());
    assert!(
        !hr.should_handle_force_request(),
        "requestedAt already handled"
    );
}

#[test]
fn crd_has_flux_names_and_columns() {
    let crd = HelmRelease::crd();
    assert_eq!(crd.spec.group, GROUP);
    assert_eq!(crd.spec.names.short_names, Some(vec!["hr".to_string()]));
    let categories = crd.spec.names.categories.clone().unwrap_or_default();
    assert_eq!(categories, vec!["all", "fluxcd", "fluxcd-appliers"]);
    let version = &crd.spec.versions[0];
    let columns: Vec<_> = version
        .additional_printer_columns
        .iter()
        .flatten()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(columns, vec!["Age", "Ready", "Status"]);
    assert_eq!(crds().len(), 1);
}
