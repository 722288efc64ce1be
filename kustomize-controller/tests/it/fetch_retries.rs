//! Download retries follow the source: between retries the controller reads the source's
//! status again, so an artifact that moved to a new storage address (source-controller
//! restarted elsewhere) is fetched from there, and a new revision ends the stuck attempt at
//! once. Flux's default retries (`--artifact-fetch-retries=9`, 5s doubling to 30s) would
//! otherwise keep the run on the old address for minutes, far beyond these tests' wait.

use fluxion_testkit::ServedArtifact;
use serde_json::json;

use crate::harness::{Env, config_map};

const RETRIES: &[&str] = &["--artifact-fetch-retries=9"];

/// A copy of `served` whose URL points at a loopback port nothing listens on any more.
fn at_dead_address(served: &ServedArtifact) -> ServedArtifact {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let mut dead = served.clone();
    dead.url = format!("http://{addr}/{}", served.path);
    dead
}

#[tokio::test]
async fn a_moved_artifact_is_fetched_from_its_new_address() {
    let env = Env::start_with("fetch-moved", Default::default(), RETRIES).await;
    let revision = "main@sha1:1";
    let served = env
        .artifacts
        .put_files(
            "gitrepository/fetch-moved/repo/1.tar.gz",
            &[("cm.yaml", &config_map("moved", &[("k", "v")]))],
        )
        .expect("artifact");
    env.set_artifact("repo", revision, &at_dead_address(&served))
        .await;
    env.create_ks("app", "repo", json!({})).await;
    // The first try has failed on the old address; the source then advertises the new one
    // for the same revision, as a restarted source-controller does.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    env.set_artifact("repo", revision, &served).await;
    env.wait_applied("app", revision).await;
    env.wait_config_map("moved", "applied", |cm| cm.is_some())
        .await;
}

#[tokio::test]
async fn a_new_revision_ends_the_retries_and_is_applied() {
    let env = Env::start_with("fetch-superseded", Default::default(), RETRIES).await;
    let old = env
        .artifacts
        .put_files(
            "gitrepository/fetch-superseded/repo/1.tar.gz",
            &[("cm.yaml", &config_map("app", &[("k", "1")]))],
        )
        .expect("artifact");
    env.set_artifact("repo", "main@sha1:1", &at_dead_address(&old))
        .await;
    env.create_ks("app", "repo", json!({})).await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    env.publish(
        "repo",
        "main@sha1:2",
        &[("cm.yaml", &config_map("app", &[("k", "2")]))],
    )
    .await;
    env.wait_event(
        "app",
        "source revision changed from 'main@sha1:1' to 'main@sha1:2' while fetching the artifact",
    )
    .await;
    env.wait_applied("app", "main@sha1:2").await;
    env.wait_config_map("app", "at revision 2", |cm| {
        cm.and_then(|c| c.data.as_ref())
            .is_some_and(|d| d.get("k").map(String::as_str) == Some("2"))
    })
    .await;
}
