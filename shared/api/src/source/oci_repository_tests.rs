//! Unit tests of OCIRepository: a realistic manifest, defaults and helper methods.

use std::time::Duration;

use super::*;
use crate::meta::{FluxObject, FluxStatus, Source};

const MANIFEST: &str = r#"
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 10m
  timeout: 2m
  url: oci://ghcr.io/stefanprodan/manifests/podinfo
  provider: aws
  ref:
    semver: ">=6.0.0 <7.0.0"
    semverFilter: ".*-rc.*"
    tag: latest
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
  verify:
    provider: cosign
    matchOIDCIdentity:
      - issuer: "^https://token.actions.githubusercontent.com$"
        subject: "^https://github.com/stefanprodan/podinfo.*$"
  certSecretRef:
    name: registry-tls
  insecure: true
  ignore: "*.md"
status:
  observedGeneration: 2
  url: http://source-controller.flux-system.svc.cluster.local./ocirepository/flux-system/podinfo/latest.tar.gz
  observedIgnore: "*.md"
  observedLayerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
  conditions:
    - type: Ready
      status: "False"
      reason: OCIArtifactPullFailed
      message: "failed to pull artifact"
      lastTransitionTime: "2024-05-01T10:00:05Z"
  artifact:
    path: ocirepository/flux-system/podinfo/sha256:abc.tar.gz
    url: http://source-controller/ocirepository/flux-system/podinfo/sha256:abc.tar.gz
    revision: 6.6.0@sha256:3b6cdcc7adcc9a84d3214ee1c029543789d90b5ae69debe9efa3f66e982875de
    digest: sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
    lastUpdateTime: "2024-05-01T10:00:05Z"
    metadata:
      org.opencontainers.image.source: https://github.com/stefanprodan/podinfo
"#;

fn parse() -> OCIRepository {
    serde_saphyr::from_str::<OCIRepository>(MANIFEST).expect("manifest parses")
}

#[test]
fn parses_a_flux_manifest() {
    let repo = parse();
    let spec = &repo.spec;
    assert_eq!(spec.provider, OciProvider::Aws);
    assert!(spec.insecure);
    assert_eq!(
        spec.cert_secret_ref.as_ref().map(|s| s.name.as_str()),
        Some("registry-tls")
    );
    let verify = spec.verify.as_ref().expect("verify");
    assert_eq!(verify.provider, OciVerificationProvider::Cosign);
    assert!(verify.is_keyless());
    assert_eq!(verify.match_oidc_identity.len(), 1);

    assert_eq!(repo.timeout(), Duration::from_secs(120));
    assert_eq!(repo.interval(), Some(Duration::from_secs(600)));
    assert!(!repo.suspended());
    assert_eq!(
        repo.pull(),
        OciPull::SemVer {
            range: ">=6.0.0 <7.0.0",
            filter: Some(".*-rc.*")
        }
    );
    assert_eq!(repo.semver_filter(), Some(".*-rc.*"));
    assert_eq!(
        repo.layer_media_type(),
        Some("application/vnd.cncf.helm.chart.content.v1.tar+gzip")
    );
    assert_eq!(repo.layer_operation(), OciLayerOperation::Copy);
    assert_eq!(repo.repository(), "ghcr.io/stefanprodan/manifests/podinfo");

    let status = repo.flux_status().expect("status");
    assert_eq!(status.observed_generation(), Some(2));
    assert_eq!(
        status.conditions()[0].reason,
        crate::source::conditions::OCI_PULL_FAILED_REASON
    );
    assert_eq!(status.observed_layer_selector, spec.layer_selector);
    let artifact = repo.artifact().expect("artifact");
    let metadata = artifact.metadata.as_ref().expect("metadata");
    assert_eq!(
        metadata["org.opencontainers.image.source"],
        "https://github.com/stefanprodan/podinfo"
    );
}

#[test]
fn defaults_of_a_minimal_manifest() {
    let repo: OCIRepository = serde_saphyr::from_str(
        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a\n\
         spec:\n  interval: 1h\n  url: oci://registry.example.com/app\n",
    )
    .expect("parses");
    assert_eq!(repo.timeout(), DEFAULT_OCI_TIMEOUT);
    assert_eq!(repo.interval(), Some(Duration::from_secs(3600)));
    assert_eq!(repo.spec.provider, OciProvider::Generic);
    assert_eq!(repo.pull(), OciPull::Tag("latest"));
    assert_eq!(repo.semver_filter(), None);
    assert_eq!(repo.layer_media_type(), None);
    assert_eq!(repo.layer_operation(), OciLayerOperation::Extract);
    assert!(repo.artifact().is_none());
}

#[test]
fn pull_precedence() {
    let r = |digest: &str, semver: &str, filter: &str, tag: &str| OCIRepositoryRef {
        digest: (!digest.is_empty()).then(|| digest.to_string()),
        semver: (!semver.is_empty()).then(|| semver.to_string()),
        semver_filter: (!filter.is_empty()).then(|| filter.to_string()),
        tag: (!tag.is_empty()).then(|| tag.to_string()),
    };
    assert_eq!(
        r("sha256:1", "1.x", "", "v1").pull(),
        OciPull::Digest("sha256:1")
    );
    assert_eq!(
        r("", "1.x", "", "v1").pull(),
        OciPull::SemVer {
            range: "1.x",
            filter: None
        }
    );
    assert_eq!(
        r("", "1.x", "^v", "").pull(),
        OciPull::SemVer {
            range: "1.x",
            filter: Some("^v")
        }
    );
    assert_eq!(r("", "", "^v", "v1").pull(), OciPull::Tag("v1"));
    assert_eq!(r("", "", "", "").pull(), OciPull::Tag("latest"));
}

#[test]
fn layer_selector_without_operation_extracts() {
    let mut repo = parse();
    repo.spec.layer_selector = Some(OCILayerSelector {
        media_type: Some(String::new()),
        operation: None,
    });
    assert_eq!(repo.layer_operation(), OciLayerOperation::Extract);
    assert_eq!(repo.layer_media_type(), None);
}

#[test]
fn serializes_with_fluxs_names() {
    let repo = parse();
    let json = serde_json::to_value(&repo).expect("json");
    assert_eq!(json["spec"]["ref"]["semverFilter"], ".*-rc.*");
    assert_eq!(json["spec"]["layerSelector"]["operation"], "copy");
    assert_eq!(
        json["spec"]["verify"]["matchOIDCIdentity"][0]["issuer"],
        "^https://token.actions.githubusercontent.com$"
    );
    let back: OCIRepository = serde_json::from_value(json).expect("back");
    assert_eq!(back.spec, repo.spec);
    assert_eq!(back.status, repo.status);
}
