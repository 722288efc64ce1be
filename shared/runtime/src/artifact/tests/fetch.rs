//! Download tests against real axum servers on 127.0.0.1:0: verification before extraction,
//! retries on 5xx and connection errors, 404 without retries, size caps, timeouts.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::StatusCode;
use axum::routing::get;

use super::{TestServer, assert_good_tree, good_artifact, listing};
use crate::artifact::{
    Algorithm, ArtifactError, ArtifactFetcher, Digest, FetchOptions, install_crypto_provider,
};
use crate::retry::RetryPolicy;

const PATH: &str = "/gitrepository/flux-system/podinfo/6e2b5a4c.tar.gz";

pub(super) fn fast_options() -> FetchOptions {
    FetchOptions {
        retry: RetryPolicy {
            max_retries: 3,
            wait_min: Duration::from_millis(10),
            wait_max: Duration::from_millis(40),
            attempt_timeout: Duration::from_secs(10),
        },
        ..FetchOptions::default()
    }
}

/// [`fast_options`] with its retry policy changed by `change`.
fn with_retry(change: impl FnOnce(&mut RetryPolicy)) -> FetchOptions {
    let mut options = fast_options();
    change(&mut options.retry);
    options
}

pub(super) fn fetcher(options: FetchOptions) -> ArtifactFetcher {
    ArtifactFetcher::new(options).expect("client")
}

fn sha256(bytes: &[u8]) -> String {
    Digest::of_bytes(Algorithm::Sha256, bytes).to_string()
}

/// Serves `body` at PATH after answering `failures` times with `failure`; counts requests.
async fn flaky_server(
    body: Vec<u8>,
    failures: usize,
    failure: StatusCode,
) -> (TestServer, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    let router = Router::new().route(
        PATH,
        get(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let body = body.clone();
            async move {
                if n < failures {
                    (failure, b"try later".to_vec())
                } else {
                    (StatusCode::OK, body)
                }
            }
        }),
    );
    (TestServer::start(router).await, hits)
}

#[test]
fn reqwest_client_builds_with_the_ring_provider() {
    install_crypto_provider();
    install_crypto_provider();
    assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    reqwest::Client::builder()
        .build()
        .expect("a client builds without panicking");
}

#[tokio::test]
async fn good_artifact_is_fetched_verified_and_extracted() {
    let body = good_artifact();
    let digest = sha256(&body);
    let (server, hits) = flaky_server(body, 0, StatusCode::OK).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let dest = tmp.path().join("src");
    let stats = fetcher(fast_options())
        .fetch(&server.url(PATH), &digest, &dest)
        .await
        .expect("fetch");
    assert_good_tree(&dest);
    assert_eq!(stats.files, 5);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert_eq!(listing(tmp.path()), ["src"], "the download was removed");

    let extracted = fetcher(fast_options())
        .fetch_to_temp_dir(&server.url(PATH), &digest, tmp.path())
        .await
        .expect("fetch to temp dir");
    assert_good_tree(extracted.path());
    let path = extracted.path().to_path_buf();
    drop(extracted);
    assert!(!path.exists());
    assert_eq!(listing(tmp.path()), ["src"]);
}

#[tokio::test]
async fn digest_mismatch_is_refused_and_nothing_is_extracted() {
    let body = good_artifact();
    let (server, _hits) = flaky_server(body.clone(), 0, StatusCode::OK).await;
    let wrong = sha256(b"another revision");
    let url = format!("http://flux:s3cret@{}{PATH}?token=abc", server.addr());
    let tmp = tempfile::tempdir().expect("tmp");
    let err = fetcher(fast_options())
        .fetch(&url, &wrong, &tmp.path().join("src"))
        .await
        .expect_err("mismatch");
    let ArtifactError::DigestMismatch {
        url: shown,
        expected,
        actual,
    } = &err
    else {
        panic!("unexpected {err:?}");
    };
    assert_eq!(shown, &server.url(PATH), "no credentials, no query");
    assert_eq!(expected, &wrong);
    assert_eq!(actual, &sha256(&body));
    let msg = err.to_string();
    assert!(
        msg.contains(&wrong) && msg.contains(&sha256(&body)),
        "{msg}"
    );
    assert!(!msg.contains("s3cret") && !msg.contains("token"), "{msg}");
    assert!(!err.is_transient());
    assert!(
        listing(tmp.path()).is_empty(),
        "nothing extracted, no temp file left"
    );
}

#[tokio::test]
async fn sha512_digests_are_verified_too() {
    let body = good_artifact();
    let digest = Digest::of_bytes(Algorithm::Sha512, &body).to_string();
    let (server, _hits) = flaky_server(body, 0, StatusCode::OK).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let downloaded = fetcher(fast_options())
        .download(&server.url(PATH), &digest, tmp.path())
        .await
        .expect("download");
    assert_eq!(downloaded.digest().to_string(), digest);
    let saved = tmp.path().join("chart.tgz");
    downloaded.persist(&saved).expect("persist");
    assert_eq!(listing(tmp.path()), ["chart.tgz"]);
}

#[tokio::test]
async fn server_errors_are_retried_until_success() {
    let body = good_artifact();
    let digest = sha256(&body);
    let (server, hits) = flaky_server(body, 2, StatusCode::INTERNAL_SERVER_ERROR).await;
    let tmp = tempfile::tempdir().expect("tmp");
    fetcher(fast_options())
        .fetch(&server.url(PATH), &digest, &tmp.path().join("src"))
        .await
        .expect("third try succeeds");
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    assert_good_tree(&tmp.path().join("src"));
}

#[tokio::test]
async fn retries_are_bounded_and_the_last_status_reported() {
    let (server, hits) =
        flaky_server(Vec::new(), usize::MAX, StatusCode::SERVICE_UNAVAILABLE).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let options = with_retry(|r| r.max_retries = 2);
    let err = fetcher(options)
        .fetch(&server.url(PATH), &sha256(b""), &tmp.path().join("src"))
        .await
        .expect_err("always 503");
    assert!(
        matches!(
            err,
            ArtifactError::HttpStatus {
                status: 503,
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_transient());
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn not_found_fails_without_retries() {
    let (server, hits) = flaky_server(Vec::new(), usize::MAX, StatusCode::NOT_FOUND).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let err = fetcher(fast_options())
        .fetch(&server.url(PATH), &sha256(b""), &tmp.path().join("src"))
        .await
        .expect_err("404");
    assert!(err.is_not_found(), "{err:?}");
    assert!(err.to_string().contains("artifact not found"), "{err}");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn client_errors_fail_without_retries() {
    let (server, hits) = flaky_server(Vec::new(), usize::MAX, StatusCode::FORBIDDEN).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let err = fetcher(fast_options())
        .fetch(&server.url(PATH), &sha256(b""), &tmp.path().join("src"))
        .await
        .expect_err("403");
    assert!(
        matches!(
            err,
            ArtifactError::HttpStatus {
                status: 403,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.is_transient());
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn too_large_downloads_are_refused() {
    let options = FetchOptions {
        max_download_size: Some(1024),
        ..fast_options()
    };
    // Announced with Content-Length.
    let body = vec![7u8; 4096];
    let digest = sha256(&body);
    let (server, hits) = flaky_server(body, 0, StatusCode::OK).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let err = fetcher(options.clone())
        .fetch(&server.url(PATH), &digest, &tmp.path().join("src"))
        .await
        .expect_err("too large");
    assert!(
        matches!(err, ArtifactError::TooLarge { limit: 1024, .. }),
        "{err:?}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1, "not retried");

    // Streamed without a length: counted while reading.
    let chunked = Router::new().route(
        PATH,
        get(|| async {
            let chunks = (0..8).map(|_| Ok::<_, std::io::Error>(vec![7u8; 512]));
            Body::from_stream(futures::stream::iter(chunks))
        }),
    );
    let server = TestServer::start(chunked).await;
    let err = fetcher(options)
        .fetch(&server.url(PATH), &digest, &tmp.path().join("src"))
        .await
        .expect_err("too large");
    assert!(matches!(err, ArtifactError::TooLarge { .. }), "{err:?}");
    assert!(listing(tmp.path()).is_empty());
}

#[tokio::test]
async fn connection_errors_are_retried_then_reported() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let tmp = tempfile::tempdir().expect("tmp");
    let options = with_retry(|r| r.max_retries = 2);
    let url = format!("http://user:pw@{addr}{PATH}");
    let err = fetcher(options)
        .fetch(&url, &sha256(b""), &tmp.path().join("src"))
        .await
        .expect_err("nothing listens");
    assert!(
        matches!(err, ArtifactError::Connection { attempts: 3, .. }),
        "{err:?}"
    );
    assert!(err.is_transient());
    let msg = err.to_string();
    assert!(!msg.contains("pw"), "{msg}");
    assert!(msg.to_lowercase().contains("connect"), "{msg}");
}

#[tokio::test]
async fn a_slow_try_times_out_and_is_retried() {
    let body = good_artifact();
    let digest = sha256(&body);
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    let router = Router::new().route(
        PATH,
        get(move || {
            let first = counter.fetch_add(1, Ordering::SeqCst) == 0;
            let body = body.clone();
            async move {
                if first {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
                body
            }
        }),
    );
    let server = TestServer::start(router).await;
    let options = with_retry(|r| r.attempt_timeout = Duration::from_millis(300));
    let tmp = tempfile::tempdir().expect("tmp");
    fetcher(options)
        .fetch(&server.url(PATH), &digest, &tmp.path().join("src"))
        .await
        .expect("second try");
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn hostname_override_redirects_the_download() {
    let body = good_artifact();
    let digest = sha256(&body);
    let (server, hits) = flaky_server(body, 0, StatusCode::OK).await;
    let options = FetchOptions {
        hostname_override: Some(server.addr().to_string()),
        ..fast_options()
    };
    let url = format!("http://source-controller.flux-system.svc.cluster.local.{PATH}");
    let tmp = tempfile::tempdir().expect("tmp");
    fetcher(options)
        .fetch(&url, &digest, &tmp.path().join("src"))
        .await
        .expect("fetched from the override");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn bad_digests_and_urls_fail_before_any_request() {
    let (server, hits) = flaky_server(Vec::new(), 0, StatusCode::OK).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let fetcher = fetcher(fast_options());
    let cases = [
        (server.url(PATH), String::new()),
        (server.url(PATH), format!("md5:{}", "0".repeat(32))),
        (server.url(PATH), "sha256:XYZ".to_string()),
        ("ftp://host/x.tar.gz".to_string(), sha256(b"")),
        ("not a url".to_string(), sha256(b"")),
    ];
    for (url, digest) in cases {
        let err = fetcher
            .fetch(&url, &digest, &tmp.path().join("src"))
            .await
            .expect_err("refused");
        assert!(
            matches!(
                err,
                ArtifactError::InvalidDigest(_) | ArtifactError::InvalidUrl { .. }
            ),
            "{url} {digest}: {err:?}"
        );
        assert!(!err.is_transient());
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}
