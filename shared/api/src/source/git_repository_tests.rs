//! Unit tests of GitRepository: a realistic manifest, defaults and helper methods.

use std::time::Duration;

use super::*;
use crate::meta::{FluxObject, FluxStatus, Source};

const MANIFEST: &str = r#"
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 5m0s
  timeout: 90s
  url: https://github.com/stefanprodan/podinfo
  provider: github
  secretRef:
    name: podinfo-auth
  ref:
    semver: ">=6.0.0"
    branch: master
  verify:
    mode: TagAndHEAD
    secretRef:
      name: pgp-public-keys
  ignore: |
    /*
    !/deploy
  recurseSubmodules: true
  sparseCheckout:
    - deploy
  include:
    - repository:
        name: shared
      fromPath: manifests
  suspend: false
status:
  observedGeneration: 3
  lastHandledReconcileAt: "2024-05-01T10:00:00Z"
  sourceVerificationMode: TagAndHEAD
  observedRecurseSubmodules: true
  observedSparseCheckout: [deploy]
  observedInclude:
    - repository:
        name: shared
      fromPath: manifests
  conditions:
    - type: Ready
      status: "True"
      reason: Succeeded
      message: "stored artifact for revision 'v6.6.0@sha1:0123456789abcdef0123456789abcdef01234567'"
      lastTransitionTime: "2024-05-01T10:00:05Z"
      observedGeneration: 3
  artifact:
    path: gitrepository/flux-system/podinfo/0123456789abcdef0123456789abcdef01234567.tar.gz
    url: http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/podinfo/0123456789abcdef0123456789abcdef01234567.tar.gz
    revision: v6.6.0@sha1:0123456789abcdef0123456789abcdef01234567
    digest: sha256:2d1a0b0c5e1b6f4c7d8a9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d
    lastUpdateTime: "2024-05-01T10:00:05Z"
    size: 12345
  includedArtifacts:
    - path: gitrepository/flux-system/shared/abc.tar.gz
      url: http://source-controller/gitrepository/flux-system/shared/abc.tar.gz
      revision: main@sha1:abcdef0123456789abcdef0123456789abcdef01
      digest: sha256:aa
      lastUpdateTime: "2024-05-01T09:00:00Z"
"#;

fn parse() -> GitRepository {
    serde_saphyr::from_str::<GitRepository>(MANIFEST).expect("manifest parses")
}

#[test]
fn parses_a_flux_manifest() {
    let repo = parse();
    assert_eq!(repo.metadata.name.as_deref(), Some("podinfo"));
    let spec = &repo.spec;
    assert_eq!(spec.url, "https://github.com/stefanprodan/podinfo");
    assert_eq!(spec.provider, Some(GitProvider::Github));
    assert_eq!(
        spec.secret_ref.as_ref().map(|s| s.name.as_str()),
        Some("podinfo-auth")
    );
    assert!(spec.recurse_submodules);
    assert_eq!(spec.sparse_checkout, vec!["deploy"]);
    assert_eq!(spec.include[0].to_path(), "shared");
    assert_eq!(spec.include[0].from_path(), "manifests");
    assert_eq!(spec.ignore.as_deref(), Some("/*\n!/deploy\n"));

    assert_eq!(repo.timeout(), Duration::from_secs(90));
    assert_eq!(repo.interval(), Some(Duration::from_secs(300)));
    assert_eq!(repo.requeue_after(), Some(Duration::from_secs(300)));
    assert!(!repo.suspended());
    assert_eq!(repo.provider(), GitProvider::Github);
    assert_eq!(repo.checkout(), GitCheckout::SemVer(">=6.0.0"));
    assert_eq!(
        repo.verification_mode(),
        Some(GitVerificationMode::TagAndHEAD)
    );

    let status = repo.flux_status().expect("status");
    assert_eq!(status.observed_generation(), Some(3));
    assert_eq!(
        status.last_handled_reconcile_at(),
        Some("2024-05-01T10:00:00Z")
    );
    assert_eq!(status.conditions()[0].reason, "Succeeded");
    assert_eq!(
        status.source_verification_mode,
        Some(GitVerificationMode::TagAndHEAD)
    );
    assert!(status.observed_recurse_submodules);
    assert_eq!(status.included_artifacts.len(), 1);
    assert_eq!(status.observed_include, spec.include);
    let artifact = repo.artifact().expect("artifact");
    assert_eq!(
        artifact.revision,
        "v6.6.0@sha1:0123456789abcdef0123456789abcdef01234567"
    );
    assert_eq!(artifact.size, Some(12345));
}

#[test]
fn defaults_of_a_minimal_manifest() {
    let repo: GitRepository = serde_saphyr::from_str(
        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: a\n\
         spec:\n  interval: 1m\n  url: ssh://git@example.com/a.git\n",
    )
    .expect("parses");
    assert_eq!(repo.timeout(), DEFAULT_GIT_TIMEOUT);
    assert_eq!(repo.interval(), Some(Duration::from_secs(60)));
    assert_eq!(repo.provider(), GitProvider::Generic);
    assert_eq!(repo.checkout(), GitCheckout::Branch("master"));
    assert_eq!(repo.verification_mode(), None);
    assert!(repo.flux_status().is_none());
    assert!(repo.artifact().is_none());
}

#[test]
fn verify_mode_defaults_to_head() {
    let repo: GitRepository = serde_saphyr::from_str(
        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: a\n\
         spec:\n  interval: 1m\n  url: https://example.com/a.git\n  verify:\n    secretRef:\n      name: keys\n",
    )
    .expect("parses");
    assert_eq!(repo.verification_mode(), Some(GitVerificationMode::Head));
}

#[test]
fn malformed_durations_fall_back() {
    let mut repo = parse();
    repo.spec.timeout = Some("soon".into());
    repo.spec.interval = "often".into();
    assert_eq!(repo.timeout(), DEFAULT_GIT_TIMEOUT);
    assert_eq!(repo.interval(), None);
}

#[test]
fn status_round_trips_and_sets() {
    let repo = parse();
    let mut status = repo.status.clone().expect("status");
    status.set_observed_generation(4);
    status.set_last_handled_reconcile_at(None);
    status.conditions_mut().clear();
    assert_eq!(status.observed_generation, Some(4));
    assert!(status.last_handled_reconcile_at.is_none());
    let json = serde_json::to_value(&repo).expect("json");
    assert_eq!(json["spec"]["ref"]["semver"], ">=6.0.0");
    assert_eq!(json["status"]["sourceVerificationMode"], "TagAndHEAD");
    assert!(json["spec"].get("suspend").is_none());
    let back: GitRepository = serde_json::from_value(json).expect("back");
    assert_eq!(back.spec, repo.spec);
    assert_eq!(back.status, repo.status);
}
