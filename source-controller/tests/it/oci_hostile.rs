//! OCIRepository against a small registry of our own on 127.0.0.1:0. What works: a Bearer
//! token challenge (tokens good for two requests, so the client re-answers mid-run), a
//! paginated tag list, a Docker schema 2 manifest. What it gets wrong on purpose: a blob
//! that does not match its digest, one far larger than its descriptor, a manifest that does
//! not match the digest the tag announced, a layer whose tar entries climb out of the
//! directory, an answer that never comes (spec.timeout). Each fails with Flux's reason, and
//! nothing is stored for it.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use fluxion_api::source::conditions::{
    FETCH_FAILED, OCI_LAYER_OPERATION_FAILED_REASON, OCI_PULL_FAILED_REASON,
};
use fluxion_testkit::oci::{
    Descriptor, FLUX_CONFIG_MEDIA_TYPE, FLUX_CONTENT_MEDIA_TYPE, MANIFEST_MEDIA_TYPE,
    manifest_json, sha256_digest, tar_gz,
};
use serde_json::json;

use crate::harness::{Env, download};
use crate::oci_harness::{condition, create_oci, wait_oci, wait_oci_condition, wait_oci_ready};

/// Each token the realm hands out is good for this many requests, then refused: the client
/// must answer the new challenge mid-run.
const TOKEN_USES: usize = 2;
const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";

#[derive(Default)]
struct Content {
    /// Manifests by tag or digest: (bytes, the digest announced for a tag).
    manifests: HashMap<String, (Vec<u8>, String)>,
    blobs: HashMap<String, Vec<u8>>,
    /// Tokens handed out, with the requests each has left.
    tokens: std::sync::Mutex<HashMap<String, usize>>,
    issued: std::sync::atomic::AtomicUsize,
}

fn respond(status: StatusCode, headers: &[(&str, &str)], body: Vec<u8>) -> Response {
    let mut resp = Response::builder().status(status);
    for (k, v) in headers {
        resp = resp.header(*k, *v);
    }
    resp.body(Body::from(body)).expect("response")
}

async fn serve(State(content): State<Arc<Content>>, req: Request) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let path = req.uri().path().to_string();
    if path == "/token" {
        let n = content
            .issued
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let token = format!("hostile-token-{n}");
        let mut tokens = content.tokens.lock().expect("tokens");
        tokens.insert(token.clone(), TOKEN_USES);
        return respond(
            StatusCode::OK,
            &[],
            json!({"token": token}).to_string().into_bytes(),
        );
    }
    if !authorized(&content, req.headers()) {
        let challenge = format!(
            "Bearer realm=\"http://{host}/token\",service=\"hostile\",scope=\"repository:org/app:pull\""
        );
        let body = br#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#;
        return respond(
            StatusCode::UNAUTHORIZED,
            &[("www-authenticate", &challenge)],
            body.to_vec(),
        );
    }
    if path == "/v2/" {
        return respond(StatusCode::OK, &[], b"{}".to_vec());
    }
    if path == "/v2/org/app/tags/list" {
        // Two pages: the semver pick is only on the second, behind the Link header.
        let (tags, link) = match req.uri().query().unwrap_or_default().contains("last=") {
            false => (
                json!(["good", "corrupt"]),
                "</v2/org/app/tags/list?last=corrupt&n=2>; rel=\"next\"",
            ),
            true => (json!(["1.0.0", "2.0.0"]), ""),
        };
        let body = json!({"name": "org/app", "tags": tags})
            .to_string()
            .into_bytes();
        let headers: Vec<(&str, &str)> = match link.is_empty() {
            true => vec![],
            false => vec![("link", link)],
        };
        return respond(StatusCode::OK, &headers, body);
    }
    let rest = path.trim_start_matches("/v2/");
    if rest.ends_with("/manifests/slow") {
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
    }
    if let Some((_, reference)) = rest.split_once("/manifests/")
        && let Some((bytes, digest)) = content.manifests.get(reference)
    {
        let docker = bytes
            .windows(DOCKER_MANIFEST.len())
            .any(|w| w == DOCKER_MANIFEST.as_bytes());
        let headers = [
            (
                "content-type",
                if docker {
                    DOCKER_MANIFEST
                } else {
                    MANIFEST_MEDIA_TYPE
                },
            ),
            ("docker-content-digest", digest.as_str()),
        ];
        return respond(StatusCode::OK, &headers, bytes.clone());
    }
    if let Some((_, digest)) = rest.split_once("/blobs/")
        && let Some(bytes) = content.blobs.get(digest)
    {
        return respond(StatusCode::OK, &[], bytes.clone());
    }
    respond(StatusCode::NOT_FOUND, &[], Vec::new())
}

fn authorized(content: &Content, headers: &HeaderMap) -> bool {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let mut tokens = content.tokens.lock().expect("tokens");
    match token.and_then(|t| tokens.get_mut(t)) {
        Some(left) if *left > 0 => {
            *left -= 1;
            true
        }
        _ => false,
    }
}

/// Adds a Flux artifact whose manifest announces `layer_desc` but whose blob holds `served`.
fn add(content: &mut Content, tag: &str, layer_desc: &Descriptor, served: Vec<u8>) -> String {
    let config = Descriptor::of(FLUX_CONFIG_MEDIA_TYPE, b"{}");
    content.blobs.insert(config.digest.clone(), b"{}".to_vec());
    content.blobs.insert(layer_desc.digest.clone(), served);
    let manifest = manifest_json(&config, std::slice::from_ref(layer_desc), &BTreeMap::new());
    let digest = sha256_digest(&manifest);
    content
        .manifests
        .insert(tag.into(), (manifest.clone(), digest.clone()));
    content
        .manifests
        .insert(digest.clone(), (manifest, digest.clone()));
    digest
}

fn hostile_content() -> (Content, String) {
    let mut content = Content::default();
    let good = tar_gz(&[("ok.yaml", b"ok: true\n")]).expect("tar");
    let good_desc = Descriptor::of(FLUX_CONTENT_MEDIA_TYPE, &good);
    let good_digest = add(&mut content, "good", &good_desc, good.clone());

    let corrupt_desc = Descriptor::of(
        FLUX_CONTENT_MEDIA_TYPE,
        &tar_gz(&[("a", b"a")]).expect("tar"),
    );
    let mut corrupt = tar_gz(&[("a", b"b")]).expect("tar");
    corrupt.truncate(corrupt_desc.size as usize);
    add(&mut content, "corrupt", &corrupt_desc, corrupt);

    let (good_manifest, _) = content.manifests["good"].clone();
    for tag in ["1.0.0", "2.0.0"] {
        let entry = (good_manifest.clone(), good_digest.clone());
        content.manifests.insert(tag.into(), entry);
    }

    // A Docker schema 2 image, as `docker push` makes it.
    let layer = tar_gz(&[("docker.txt", b"from docker")]).expect("tar");
    let config = br#"{"architecture":"amd64","os":"linux"}"#;
    let docker = json!({
        "schemaVersion": 2, "mediaType": DOCKER_MANIFEST,
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                   "digest": sha256_digest(config), "size": config.len()},
        "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "digest": sha256_digest(&layer), "size": layer.len()}],
    })
    .to_string()
    .into_bytes();
    content.blobs.insert(sha256_digest(config), config.to_vec());
    content.blobs.insert(sha256_digest(&layer), layer);
    let docker_digest = sha256_digest(&docker);
    content
        .manifests
        .insert("docker".into(), (docker.clone(), docker_digest.clone()));
    content
        .manifests
        .insert(docker_digest.clone(), (docker, docker_digest));

    // The tag announces a digest whose manifest is another one.
    let (other, _) = content.manifests["good"].clone();
    let lie = sha256_digest(b"something else");
    content
        .manifests
        .insert("lying".into(), (other.clone(), lie.clone()));
    content.manifests.insert(lie.clone(), (other, lie));

    // The blob is far larger than its descriptor says.
    let small = tar_gz(&[("s", b"s")]).expect("tar");
    let small_desc = Descriptor::of(FLUX_CONTENT_MEDIA_TYPE, &small);
    add(&mut content, "oversize", &small_desc, vec![7u8; 1 << 20]);

    let escape = raw_tar_gz("../escape.yaml", b"x: 1\n");
    let escape_desc = Descriptor::of(FLUX_CONTENT_MEDIA_TYPE, &escape);
    add(&mut content, "escape", &escape_desc, escape);
    (content, good_digest)
}

/// A tar.gz with one entry whose name is written as given (the tar crate refuses `..`).
fn raw_tar_gz(name: &str, data: &[u8]) -> Vec<u8> {
    let mut header = tar::Header::new_gnu();
    header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    let mut raw = header.as_bytes().to_vec();
    raw.extend_from_slice(data);
    raw.resize(raw.len().div_ceil(512) * 512 + 1024, 0);
    fluxion_testkit::oci::gzip(&raw).expect("gzip")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_flow_and_hostile_answers() {
    let (content, good_digest) = hostile_content();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = Router::new().fallback(serve).with_state(Arc::new(content));
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    let env = Env::start("oci-hostile").await;
    let url = format!("oci://{addr}/org/app");
    for tag in ["good", "corrupt", "lying", "escape", "oversize"] {
        create_oci(&env, tag, json!({"url": url, "ref": {"tag": tag}})).await;
    }
    let slow = json!({"url": url, "ref": {"tag": "slow"}, "timeout": "1s"});
    create_oci(&env, "slow", slow).await;
    create_oci(
        &env,
        "docker",
        json!({"url": url, "ref": {"tag": "docker"}}),
    )
    .await;
    let docker = wait_oci(&env, "docker", "Ready", |o| {
        o.status.as_ref().is_some_and(|s| s.artifact.is_some())
    })
    .await;
    let files = download(&docker.status.expect("status").artifact.expect("artifact")).await;
    assert_eq!(
        files,
        [("docker.txt".to_string(), "from docker".to_string())]
    );
    let semver = json!({"url": url, "ref": {"semver": ">=1.0.0"}});
    create_oci(&env, "paged", semver).await;
    wait_oci_ready(&env, "paged", &format!("2.0.0@{good_digest}")).await;
    let obj = wait_oci_ready(&env, "good", &format!("good@{good_digest}")).await;
    let files = download(&obj.status.expect("status").artifact.expect("artifact")).await;
    assert_eq!(files, [("ok.yaml".to_string(), "ok: true\n".to_string())]);

    let cases = [
        (
            "corrupt",
            OCI_LAYER_OPERATION_FAILED_REASON,
            "layer digest mismatch",
        ),
        ("lying", OCI_PULL_FAILED_REASON, "manifest digest mismatch"),
        ("escape", OCI_LAYER_OPERATION_FAILED_REASON, "escape.yaml"),
        (
            "oversize",
            OCI_LAYER_OPERATION_FAILED_REASON,
            "is larger than its",
        ),
        ("slow", OCI_PULL_FAILED_REASON, "timed out"),
    ];
    for (name, want_reason, want_text) in cases {
        let obj = wait_oci_condition(&env, name, FETCH_FAILED).await;
        let (reason, message) = condition(&obj, FETCH_FAILED);
        assert_eq!(reason, want_reason, "{name}: {message}");
        assert!(message.contains(want_text), "{name}: {message}");
        assert!(obj.status.expect("status").artifact.is_none(), "{name}");
    }
    let stored = env.storage_dir.path().join("ocirepository/oci-hostile");
    let dirs: Vec<_> = std::fs::read_dir(&stored)
        .expect("storage")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    let mut dirs = dirs;
    dirs.sort();
    assert_eq!(
        dirs,
        ["docker", "good", "paged"],
        "only the good artifacts are stored"
    );
    assert!(!env.storage_dir.path().join("escape.yaml").exists());
    server.abort();
}
