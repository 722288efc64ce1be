//! The distribution registry round trip: push Flux artifacts, plain images and indexes with
//! the v2 API, fetch them back with matching digests; htpasswd and TLS variants.

use fluxion_testkit::oci::{self, FLUX_CONTENT_MEDIA_TYPE, MANIFEST_MEDIA_TYPE};
use fluxion_testkit::{FluxArtifact, Registry, RegistryOptions};

fn untar(gz: &[u8]) -> Vec<(String, String)> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(gz));
    let mut out = Vec::new();
    for entry in archive.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        let path = entry.path().expect("path").display().to_string();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut entry, &mut text).expect("read");
        out.push((path, text));
    }
    out
}

#[tokio::test]
async fn flux_artifact_round_trip() {
    let registry = Registry::start().expect("registry");
    let client = registry.client().expect("client");
    assert_eq!(client.ping().await.expect("ping").as_u16(), 200);
    let mut artifact =
        FluxArtifact::from_files(&[("deploy/app.yaml", "kind: A\n"), ("README", "r")]);
    artifact.revision = "v1.0.0@sha1:abc".into();
    let pushed = client
        .push_artifact("org/app", "v1.0.0", &artifact)
        .await
        .expect("push");

    let manifest = client
        .get_manifest("org/app", "v1.0.0")
        .await
        .expect("manifest");
    assert_eq!(manifest.media_type, MANIFEST_MEDIA_TYPE);
    assert_eq!(manifest.bytes, pushed.manifest);
    assert_eq!(oci::sha256_digest(&manifest.bytes), pushed.digest);
    assert_eq!(manifest.digest.as_deref(), Some(pushed.digest.as_str()));
    let json: serde_json::Value = serde_json::from_slice(&manifest.bytes).expect("json");
    assert_eq!(json["config"]["mediaType"], oci::FLUX_CONFIG_MEDIA_TYPE);
    assert_eq!(json["layers"][0]["mediaType"], FLUX_CONTENT_MEDIA_TYPE);
    assert_eq!(
        json["annotations"][oci::ANNOTATION_REVISION],
        "v1.0.0@sha1:abc"
    );
    assert!(json["annotations"][oci::ANNOTATION_CREATED].is_string());
    assert!(json["annotations"][oci::ANNOTATION_SOURCE].is_string());

    let layer = &pushed.layers[0];
    let blob = client
        .get_blob("org/app", &layer.digest)
        .await
        .expect("blob");
    assert_eq!(oci::sha256_digest(&blob), layer.digest);
    let files = untar(&blob);
    assert_eq!(
        files,
        vec![
            ("README".into(), "r".into()),
            ("deploy/app.yaml".into(), "kind: A\n".into())
        ]
    );

    let by_digest = client
        .get_manifest("org/app", &pushed.digest)
        .await
        .expect("by digest");
    assert_eq!(by_digest.bytes, pushed.manifest);
    assert!(registry.oci_url("org/app").starts_with("oci://127.0.0.1:"));
}

#[tokio::test]
async fn plain_image_and_index() {
    let registry = Registry::start().expect("registry");
    let client = registry.client().expect("client");
    let image = client
        .push_image("img", "1.0", &[("etc/hello", "hi")])
        .await
        .expect("image");
    assert_eq!(image.layers[0].media_type, oci::IMAGE_LAYER_MEDIA_TYPE);
    let index = client
        .push_index("img", "multi", &[(&image, "linux", "amd64")])
        .await
        .expect("index");
    let fetched = client
        .get_manifest("img", "multi")
        .await
        .expect("index manifest");
    assert_eq!(fetched.media_type, oci::INDEX_MEDIA_TYPE);
    assert_eq!(oci::sha256_digest(&fetched.bytes), index);
    let json: serde_json::Value = serde_json::from_slice(&fetched.bytes).expect("json");
    assert_eq!(json["manifests"][0]["digest"], image.digest.as_str());
}

#[tokio::test]
async fn htpasswd_rejects_anonymous_and_accepts_credentials() {
    let registry =
        Registry::start_with(RegistryOptions::default().htpasswd("bob", "pa55")).expect("registry");
    let anonymous = registry.anonymous_client().expect("client");
    assert_eq!(anonymous.ping().await.expect("ping").as_u16(), 401);
    let err = anonymous
        .push_artifact("app", "latest", &FluxArtifact::from_files(&[("a", "a")]))
        .await
        .expect_err("anonymous push must fail");
    assert!(err.to_string().contains("401"), "{err}");
    let wrong = fluxion_testkit::OciClient::new(&registry.base_url(), None, Some(("bob", "nope")))
        .expect("client");
    assert_eq!(wrong.ping().await.expect("ping").as_u16(), 401);

    let client = registry.client().expect("client");
    assert_eq!(client.ping().await.expect("ping").as_u16(), 200);
    let pushed = client
        .push_artifact("app", "latest", &FluxArtifact::from_files(&[("a", "a")]))
        .await
        .expect("push with credentials");
    let manifest = client
        .get_manifest("app", "latest")
        .await
        .expect("manifest");
    assert_eq!(oci::sha256_digest(&manifest.bytes), pushed.digest);
    let config: serde_json::Value =
        serde_json::from_str(&registry.docker_config_json()).expect("dockerconfigjson");
    assert_eq!(config["auths"][registry.host()]["username"], "bob");
}

#[tokio::test]
async fn tls_registry_with_test_ca() {
    let registry = Registry::start_with(RegistryOptions::default().tls().htpasswd("u", "p"))
        .expect("registry");
    assert!(registry.base_url().starts_with("https://127.0.0.1:"));
    let client = registry.client().expect("client");
    let pushed = client
        .push_artifact("secure", "v1", &FluxArtifact::from_files(&[("f", "x")]))
        .await
        .expect("push over tls");
    let blob = client
        .get_blob("secure", &pushed.layers[0].digest)
        .await
        .expect("blob");
    assert_eq!(oci::sha256_digest(&blob), pushed.layers[0].digest);
    let untrusted = fluxion_testkit::OciClient::new(&registry.base_url(), None, Some(("u", "p")))
        .expect("client");
    assert!(
        untrusted.ping().await.is_err(),
        "a client without the CA must not connect"
    );
}

#[tokio::test]
async fn mutual_tls_registry_requires_a_client_certificate() {
    let registry =
        Registry::start_with(RegistryOptions::default().client_cert()).expect("registry");
    let ca = registry.ca().expect("ca");
    let without = registry.client().expect("client");
    assert!(
        without.ping().await.is_err(),
        "no client certificate must be refused"
    );
    let (cert, key) = ca.issue_client("flux").expect("client cert");
    let client = fluxion_testkit::OciClient::with_client_cert(
        &registry.base_url(),
        &ca.ca_pem,
        None,
        &cert,
        &key,
    )
    .expect("client");
    let pushed = client
        .push_artifact("mtls", "v1", &FluxArtifact::from_files(&[("f", "x")]))
        .await
        .expect("push with client certificate");
    let manifest = client.get_manifest("mtls", "v1").await.expect("manifest");
    assert_eq!(oci::sha256_digest(&manifest.bytes), pushed.digest);
}
