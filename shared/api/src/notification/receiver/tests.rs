//! Tests of the Receiver kind: parsing Flux manifests and the derived values.

use super::*;
use crate::meta::{FluxObject, FluxStatus};
use crate::notification::ResourceKind;

const GITHUB: &str = r#"
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata:
  name: github-receiver
  namespace: flux-system
spec:
  type: github
  interval: 1h
  events:
    - "ping"
    - "push"
  secretRef:
    name: receiver-token
  resourceFilter: 'res.metadata.name != "skip"'
  resources:
    - apiVersion: source.toolkit.fluxcd.io/v1
      kind: GitRepository
      name: webapp
    - kind: Kustomization
      name: '*'
      namespace: apps
      matchLabels:
        app: webapp
      filter: 'req.ref == "refs/heads/main"'
status:
  observedGeneration: 4
  webhookPath: /hook/b98f6fa126a4936421e51cbe8ee7c22481738ddb1577528b32605d686770913b
  conditions:
    - type: Ready
      status: "True"
      reason: Succeeded
      message: "Receiver initialized for path: /hook/b98f6fa126a4936421e51cbe8ee7c22481738ddb1577528b32605d686770913b"
      lastTransitionTime: "2024-05-01T10:00:00Z"
"#;

const OIDC: &str = r#"
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata:
  name: ci-oidc
  namespace: apps
spec:
  type: generic-oidc
  resources:
    - kind: OCIRepository
      name: app
  oidcProviders:
    - issuerURL: https://token.actions.githubusercontent.com
      variables:
        - name: owner
          expression: claims.repository_owner
      validations:
        - expression: vars.owner == "stefanprodan"
          message: only stefanprodan's workflows may call this hook
    - issuerURL: https://gitlab.example.com
      audience: flux
      validations:
        - expression: claims.project_path == "group/app"
          message: wrong project
"#;

#[test]
fn parses_a_github_receiver() {
    let r: Receiver = serde_saphyr::from_str(GITHUB).expect("parse");
    assert_eq!(r.spec.type_, ReceiverType::GitHub);
    assert!(r.spec.type_.uses_secret_token());
    assert_eq!(r.spec.events, ["ping", "push"]);
    assert_eq!(
        r.spec.secret_ref.as_ref().map(|s| s.name.as_str()),
        Some("receiver-token")
    );
    assert_eq!(
        r.spec.resource_filter.as_deref(),
        Some(r#"res.metadata.name != "skip""#)
    );
    assert_eq!(r.requeue_after(), Duration::from_secs(3600));
    assert_eq!(r.interval(), Some(Duration::from_secs(3600)));

    let git = &r.spec.resources[0];
    assert_eq!(git.reference.kind, ResourceKind::GitRepository);
    assert_eq!(
        git.reference.api_version.as_deref(),
        Some("source.toolkit.fluxcd.io/v1")
    );
    assert_eq!(r.resource_namespace(git), "flux-system");
    assert!(git.filter.is_none());
    let ks = &r.spec.resources[1];
    assert!(ks.reference.is_wildcard());
    assert_eq!(ks.reference.match_labels["app"], "webapp");
    assert_eq!(r.resource_namespace(ks), "apps");
    assert_eq!(
        ks.filter.as_deref(),
        Some(r#"req.ref == "refs/heads/main""#)
    );

    let status = r.flux_status().expect("status");
    assert_eq!(status.observed_generation(), Some(4));
    assert_eq!(status.conditions()[0].reason, "Succeeded");
    assert_eq!(
        status.webhook_path.as_deref(),
        Some(r.webhook_path("my-secret-token").as_str())
    );
}

#[test]
fn webhook_path_is_sha256_of_token_name_and_namespace() {
    let r: Receiver = serde_saphyr::from_str(GITHUB).expect("parse");
    assert_eq!(
        r.webhook_path("my-secret-token"),
        "/hook/b98f6fa126a4936421e51cbe8ee7c22481738ddb1577528b32605d686770913b"
    );
    assert_ne!(r.webhook_path("other"), r.webhook_path("my-secret-token"));
}

#[test]
fn parses_a_generic_oidc_receiver_with_defaults() {
    let r: Receiver = serde_saphyr::from_str(OIDC).expect("parse");
    assert_eq!(r.spec.type_, ReceiverType::GenericOidc);
    assert!(!r.spec.type_.uses_secret_token());
    assert!(r.spec.secret_ref.is_none());
    assert_eq!(r.requeue_after(), DEFAULT_RECEIVER_INTERVAL);
    assert!(!r.suspended());
    assert!(r.flux_status().is_none());
    let github = &r.spec.oidc_providers[0];
    assert_eq!(
        github.issuer_url,
        "https://token.actions.githubusercontent.com"
    );
    assert_eq!(github.audience(), DEFAULT_OIDC_AUDIENCE);
    assert_eq!(github.variables[0].name, "owner");
    assert_eq!(
        github.validations[0].message,
        "only stefanprodan's workflows may call this hook"
    );
    assert_eq!(r.spec.oidc_providers[1].audience(), "flux");
    // No token: the path hashes name and namespace only.
    assert_eq!(
        r.webhook_path(""),
        "/hook/1fdbcc1d1476fbc6c2cbb604b620773f7922dc34ac88164ac237ed78488295ae"
    );
}

#[test]
fn resources_serialize_flat_with_flux_names() {
    let mut reference = CrossNamespaceObjectReference::new(ResourceKind::HelmRelease, "podinfo");
    reference.namespace = Some("apps".into());
    let resource = ReceiverResource {
        reference,
        filter: Some("true".into()),
    };
    assert_eq!(
        serde_json::to_value(&resource).expect("json"),
        serde_json::json!({"kind": "HelmRelease", "name": "podinfo", "namespace": "apps", "filter": "true"})
    );
    let provider = OidcProvider {
        issuer_url: "https://issuer".into(),
        ..Default::default()
    };
    let json = serde_json::to_value(&provider).expect("json");
    assert_eq!(
        json,
        serde_json::json!({"issuerURL": "https://issuer", "validations": []})
    );
}

#[test]
fn receiver_types_use_flux_names() {
    let names: Vec<_> = ReceiverType::ALL.iter().map(|t| t.as_str()).collect();
    assert_eq!(
        names,
        [
            "generic",
            "generic-hmac",
            "generic-oidc",
            "github",
            "gitlab",
            "bitbucket",
            "harbor",
            "dockerhub",
            "quay",
            "gcr",
            "nexus",
            "acr",
            "cdevents"
        ]
    );
    for t in ReceiverType::ALL {
        let json = serde_json::to_value(t).expect("json");
        assert_eq!(
            serde_json::from_value::<ReceiverType>(json).expect("parse"),
            *t
        );
    }
}

#[test]
fn status_setters_follow_flux_status() {
    let mut status = ReceiverStatus::default();
    status.set_observed_generation(7);
    status.set_last_handled_reconcile_at(Some("now".into()));
    assert_eq!(status.observed_generation(), Some(7));
    assert_eq!(status.last_handled_reconcile_at(), Some("now"));
    status.conditions_mut().clear();
    assert!(status.conditions().is_empty());
}
