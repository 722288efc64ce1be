//! Unit tests of Bucket: realistic manifests, defaults and helper methods.

use std::time::Duration;

use super::*;
use crate::meta::{FluxObject, FluxStatus, Source};

const MANIFEST: &str = r#"
apiVersion: source.toolkit.fluxcd.io/v1
kind: Bucket
metadata:
  name: minio-bucket
  namespace: default
spec:
  interval: 5m0s
  endpoint: minio.example.com
  insecure: true
  bucketName: example
  prefix: apps/
  region: us-east-1
  secretRef:
    name: minio-bucket-secret
  sts:
    provider: ldap
    endpoint: https://minio.example.com
    secretRef:
      name: sts-credentials
    certSecretRef:
      name: sts-tls
  ignore: "*.txt"
  suspend: true
status:
  observedGeneration: 1
  url: http://source-controller.flux-system.svc.cluster.local./bucket/default/minio-bucket/latest.tar.gz
  observedIgnore: "*.txt"
  conditions:
    - type: Ready
      status: "True"
      reason: Succeeded
      message: "stored artifact: revision 'sha256:c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2'"
      lastTransitionTime: "2024-05-01T10:00:05Z"
  artifact:
    path: bucket/default/minio-bucket/c3ab8ff1.tar.gz
    url: http://source-controller/bucket/default/minio-bucket/c3ab8ff1.tar.gz
    revision: sha256:c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2
    digest: sha256:2d1a0b0c5e1b6f4c7d8a9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d
    lastUpdateTime: "2024-05-01T10:00:05Z"
    size: 42
"#;

fn parse() -> Bucket {
    serde_saphyr::from_str::<Bucket>(MANIFEST).expect("manifest parses")
}

#[test]
fn parses_a_flux_manifest() {
    let bucket = parse();
    let spec = &bucket.spec;
    assert_eq!(spec.bucket_name, "example");
    assert_eq!(spec.endpoint, "minio.example.com");
    assert!(spec.insecure);
    assert_eq!(spec.region.as_deref(), Some("us-east-1"));
    let sts = spec.sts.as_ref().expect("sts");
    assert_eq!(sts.provider, StsProvider::Ldap);
    assert_eq!(sts.endpoint, "https://minio.example.com");
    assert_eq!(
        sts.cert_secret_ref.as_ref().map(|s| s.name.as_str()),
        Some("sts-tls")
    );

    assert_eq!(bucket.provider(), BucketProvider::Generic);
    assert_eq!(bucket.prefix(), Some("apps/"));
    assert_eq!(bucket.timeout(), DEFAULT_BUCKET_TIMEOUT);
    assert_eq!(bucket.interval(), Some(Duration::from_secs(300)));
    assert!(bucket.suspended());

    let status = bucket.flux_status().expect("status");
    assert_eq!(status.observed_generation(), Some(1));
    assert_eq!(status.observed_ignore.as_deref(), Some("*.txt"));
    assert_eq!(status.conditions().len(), 1);
    assert_eq!(bucket.artifact().and_then(|a| a.size), Some(42));
}

#[test]
fn aws_bucket_with_workload_identity() {
    let bucket: Bucket = serde_saphyr::from_str(
        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: Bucket\nmetadata:\n  name: s3\n\
         spec:\n  interval: 1m\n  timeout: 30s\n  provider: aws\n  bucketName: podinfo\n\
         \x20 endpoint: s3.amazonaws.com\n  serviceAccountName: s3-reader\n",
    )
    .expect("parses");
    assert_eq!(bucket.provider(), BucketProvider::Aws);
    assert_eq!(bucket.timeout(), Duration::from_secs(30));
    assert_eq!(
        bucket.spec.service_account_name.as_deref(),
        Some("s3-reader")
    );
    assert_eq!(bucket.prefix(), None);
    assert!(!bucket.suspended());
    assert!(bucket.flux_status().is_none());
}

#[test]
fn malformed_durations_fall_back() {
    let mut bucket = parse();
    bucket.spec.timeout = Some("-1s".into());
    bucket.spec.interval = String::new();
    assert_eq!(bucket.timeout(), DEFAULT_BUCKET_TIMEOUT);
    assert_eq!(bucket.requeue_after(), None);
}

#[test]
fn serializes_with_fluxs_names() {
    let bucket = parse();
    let json = serde_json::to_value(&bucket).expect("json");
    assert_eq!(json["spec"]["bucketName"], "example");
    assert_eq!(json["spec"]["provider"], "generic");
    assert_eq!(json["spec"]["sts"]["provider"], "ldap");
    let mut status = bucket.status.clone().expect("status");
    status.set_observed_generation(2);
    assert_eq!(status.observed_generation, Some(2));
    let back: Bucket = serde_json::from_value(json).expect("back");
    assert_eq!(back.spec, bucket.spec);
    assert_eq!(back.status, bucket.status);
}
