//! Tests of ImageUpdateAutomation and its Git settings: Flux manifests parsed, derived values.

use std::time::Duration;

use super::*;
use crate::meta::{FluxObject, FluxStatus};

const FULL: &str = r#"
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 30m
  sourceRef:
    kind: GitRepository
    name: fleet
    namespace: infra
  git:
    checkout:
      ref:
        branch: main
    commit:
      author:
        email: fluxcdbot@users.noreply.github.com
        name: fluxcdbot
      messageTemplate: '{{range .Changed.Changes}}{{print .OldValue}} -> {{println .NewValue}}{{end}}'
      messageTemplateValues:
        env: prod
      signingKey:
        type: ssh
        secretRef:
          name: signing-key
    push:
      branch: image-updates
      refspec: refs/heads/image-updates:refs/heads/main
      options:
        merge_request.create: ""
  update:
    path: ./clusters/prod
    strategy: Setters
  policySelector:
    matchLabels:
      env: prod
    matchExpressions:
      - key: team
        operator: In
        values: [platform]
status:
  observedGeneration: 4
  lastAutomationRunTime: "2025-08-15T10:11:00Z"
  lastPushCommit: 67e2c98a60dc92283531412a9e604dd4bae005a9
  lastPushTime: "2025-08-15T10:11:00Z"
  observedSourceRevision: main@sha1:67e2c98a60dc92283531412a9e604dd4bae005a9
  observedPolicies:
    podinfo:
      name: ghcr.io/stefanprodan/podinfo
      tag: 6.5.0
  conditions:
    - type: Ready
      status: "True"
      reason: Succeeded
      message: "pushed commit '67e2c98' to branch 'image-updates'"
      lastTransitionTime: "2025-08-15T10:11:00Z"
"#;

const MINIMAL: &str = r#"
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: apps
  namespace: apps
spec:
  interval: 5m
  sourceRef:
    name: apps
  git:
    commit:
      author:
        email: bot@example.com
"#;

#[test]
fn parses_a_full_automation() {
    let auto: ImageUpdateAutomation = serde_saphyr::from_str(FULL).expect("parse");
    let git = auto.spec.git.as_ref().expect("git");
    assert_eq!(
        git.checkout
            .as_ref()
            .and_then(|c| c.reference.branch.as_deref()),
        Some("main")
    );
    assert_eq!(git.commit.author.name.as_deref(), Some("fluxcdbot"));
    assert!(git.commit.message_template().starts_with("{{range"));
    assert_eq!(git.commit.message_template_values["env"], "prod");
    let key = git.commit.signing_key.as_ref().expect("signingKey");
    assert_eq!(key.key_type(), SigningKeyType::Ssh);
    assert_eq!(key.secret_ref.name, "signing-key");
    assert!(git.has_refspec());
    assert_eq!(git.push.as_ref().map(|p| p.options.len()), Some(1));
    let selector = auto.spec.policy_selector.as_ref().expect("selector");
    assert_eq!(
        selector
            .match_expressions
            .as_ref()
            .map(|e| e[0].operator.as_str()),
        Some("In")
    );
    assert_eq!(
        auto.update_strategy().path.as_deref(),
        Some("./clusters/prod")
    );
    assert_eq!(auto.push_branch(None), Ok("image-updates".to_string()));
    assert_eq!(auto.source_namespace(), "infra");
    assert_eq!(auto.requeue_after(), Duration::from_secs(1800));
    assert_eq!(auto.interval(), Some(Duration::from_secs(1800)));

    let status = auto.flux_status().expect("status");
    assert_eq!(status.observed_generation(), Some(4));
    assert_eq!(
        status.observed_policies["podinfo"].to_string(),
        "ghcr.io/stefanprodan/podinfo:6.5.0"
    );
    assert_eq!(
        status.last_push_commit.as_deref(),
        Some("67e2c98a60dc92283531412a9e604dd4bae005a9")
    );
    assert!(status.last_automation_run_time.is_some());
}

#[test]
fn applies_flux_defaults() {
    let auto: ImageUpdateAutomation = serde_saphyr::from_str(MINIMAL).expect("parse");
    assert_eq!(
        auto.spec.source_ref.kind,
        AutomationSourceKind::GitRepository
    );
    assert_eq!(
        auto.update_strategy(),
        UpdateStrategy {
            path: None,
            strategy: UpdateStrategyName::Setters
        }
    );
    assert_eq!(auto.spec.update, Some(UpdateStrategy::default()));
    assert_eq!(auto.source_namespace(), "apps");
    let commit = &auto.spec.git.as_ref().expect("git").commit;
    assert_eq!(commit.message_template(), DEFAULT_MESSAGE_TEMPLATE);
    assert!(!auto.spec.git.as_ref().expect("git").has_refspec());
    assert!(!auto.suspended());
}

#[test]
fn push_branch_falls_back_to_the_checkout_branch() {
    let mut auto: ImageUpdateAutomation = serde_saphyr::from_str(MINIMAL).expect("parse");
    assert_eq!(auto.push_branch(Some("main")), Ok("main".to_string()));
    assert_eq!(auto.push_branch(None), Err(NoPushBranchError));
    let git = auto.spec.git.as_mut().expect("git");
    git.checkout = Some(GitCheckoutSpec {
        reference: crate::source::GitRepositoryRef {
            tag: Some("v1".into()),
            ..Default::default()
        },
    });
    assert_eq!(auto.push_branch(Some("main")), Err(NoPushBranchError));
    let git = auto.spec.git.as_mut().expect("git");
    git.push = Some(PushSpec {
        branch: Some("auto".into()),
        ..Default::default()
    });
    assert_eq!(auto.push_branch(None), Ok("auto".to_string()));
}

#[test]
fn signing_key_defaults_to_gpg() {
    let key: SigningKey = serde_saphyr::from_str("secretRef:\n  name: gpg").expect("parse");
    assert_eq!(key.key_type(), SigningKeyType::Gpg);
    assert_eq!(
        serde_json::to_value(&key).expect("json"),
        serde_json::json!({"secretRef": {"name": "gpg"}})
    );
}

#[test]
fn crds_have_flux_names() {
    let names: Vec<(String, Vec<String>)> = crds()
        .into_iter()
        .map(|c| {
            (
                c.spec.names.kind,
                c.spec.names.short_names.unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            (
                "ImageRepository".to_string(),
                vec!["imgrepo".to_string(), "imagerepo".to_string()]
            ),
            (
                "ImagePolicy".to_string(),
                vec!["imgpol".to_string(), "imagepol".to_string()]
            ),
            (
                "ImageUpdateAutomation".to_string(),
                vec![
                    "iua".to_string(),
                    "imgupd".to_string(),
                    "imgauto".to_string()
                ]
            ),
        ]
    );
}
