//! Downloads that follow their source between retries, against real axum servers: a moved
//! artifact is fetched from its new address, a superseded one ends the download, and a refresh
//! that finds nothing new keeps retrying the old address.

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::routing::get;

use super::{TestServer, assert_good_tree, good_artifact};
use crate::artifact::{
    Algorithm, ArtifactError, ArtifactFetcher, ArtifactLocation, Digest, Refresh,
};

const PATH: &str = "/gitrepository/flux-system/podinfo/6e2b5a4c.tar.gz";

fn fetcher() -> ArtifactFetcher {
    super::fetch::fetcher(super::fetch::fast_options())
}

/// A loopback URL nothing listens on: the address a stopped server had.
fn dead_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}{PATH}")
}

async fn serve(body: Vec<u8>) -> TestServer {
    TestServer::start(Router::new().route(PATH, get(move || async move { body }))).await
}

#[tokio::test]
async fn a_moved_artifact_is_followed() {
    let body = good_artifact();
    let digest = Digest::of_bytes(Algorithm::Sha256, &body).to_string();
    let server = serve(body).await;
    let moved = ArtifactLocation::new(server.url(PATH), &digest);
    let refreshes = AtomicUsize::new(0);
    let refresh = || {
        refreshes.fetch_add(1, Ordering::SeqCst);
        let moved = moved.clone();
        async move { Refresh::Moved(moved) }
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let first = ArtifactLocation::new(dead_url(), &digest);
    let dir = fetcher()
        .fetch_to_temp_dir_following(&first, tmp.path(), refresh)
        .await
        .expect("fetched from the new address");
    assert_good_tree(dir.path());
    assert_eq!(
        refreshes.load(Ordering::SeqCst),
        1,
        "one retry, one refresh"
    );
}

#[tokio::test]
async fn a_superseded_artifact_ends_the_download() {
    let tmp = tempfile::tempdir().expect("tmp");
    let digest = Digest::of_bytes(Algorithm::Sha256, b"x").to_string();
    let first = ArtifactLocation::new(dead_url(), &digest);
    let refresh = || async { Refresh::Superseded("revision changed".to_string()) };
    let err = fetcher()
        .fetch_to_temp_dir_following(&first, tmp.path(), refresh)
        .await
        .expect_err("superseded");
    assert!(err.is_superseded(), "{err}");
    assert!(!err.is_transient());
    assert_eq!(err.to_string(), "revision changed");
}

#[tokio::test]
async fn nothing_new_keeps_retrying_the_old_address() {
    let tmp = tempfile::tempdir().expect("tmp");
    let digest = Digest::of_bytes(Algorithm::Sha256, b"x").to_string();
    let first = ArtifactLocation::new(dead_url(), &digest);
    let refreshes = AtomicUsize::new(0);
    let refresh = || {
        refreshes.fetch_add(1, Ordering::SeqCst);
        async { Refresh::Same }
    };
    let err = fetcher()
        .fetch_to_temp_dir_following(&first, tmp.path(), refresh)
        .await
        .expect_err("the old address stays dead");
    assert!(
        matches!(err, ArtifactError::Connection { attempts: 4, .. }),
        "{err:?}"
    );
    assert_eq!(
        refreshes.load(Ordering::SeqCst),
        3,
        "a refresh before each retry"
    );
}
