//! `fluxion up` as a user runs it: a process that starts its API server, CRDs and controllers,
//! syncs a local repository, prints its status table, stops cleanly on SIGTERM, and finds its
//! state again on the next start.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use fluxion_api::source::GitRepository;
use fluxion_testkit::WorkTree;
use kube::Api;

use crate::harness::binary;

struct Up {
    child: tokio::process::Child,
}

impl Up {
    fn start(data_dir: &Path, repo: &Path) -> Up {
        let child = tokio::process::Command::new(binary())
            .args(["up", "--data-dir"])
            .arg(data_dir)
            .arg("--git")
            .arg(repo)
            .args(["--path", "./deploy", "--interval", "10s"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("spawn fluxion up");
        Up { child }
    }

    /// SIGTERM, then the exit status and everything printed.
    async fn stop(self) -> (bool, String, String) {
        let pid = self.child.id().expect("pid").to_string();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(status.success());
        let out = tokio::time::timeout(Duration::from_secs(60), self.child.wait_with_output())
            .await
            .expect("fluxion up stopped in time")
            .expect("output");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

async fn connect(kubeconfig: &Path) -> kube::Client {
    fluxion_testkit::wait_for(
        Duration::from_secs(60),
        Duration::from_millis(100),
        || async { kubeconfig.exists().then_some(()) },
    )
    .await
    .expect("kubeconfig written");
    let kc = kube::config::Kubeconfig::read_from(kubeconfig).expect("kubeconfig");
    let config = kube::Config::from_custom_kubeconfig(kc, &Default::default())
        .await
        .expect("config");
    kube::Client::try_from(config).expect("client")
}

async fn wait_revision(client: &kube::Client, revision: &str) {
    let repos: Api<GitRepository> = Api::namespaced(client.clone(), "flux-system");
    fluxion_testkit::wait_for(
        Duration::from_secs(90),
        Duration::from_millis(200),
        || async {
            let repo = repos.get_opt("flux-system").await.ok()??;
            let artifact = repo.status?.artifact?;
            (artifact.revision == revision).then_some(())
        },
    )
    .await
    .unwrap_or_else(|| panic!("GitRepository flux-system at {revision}"));
}

/// Waits until kustomize-controller has applied ConfigMap `name` in namespace default.
async fn wait_config_map(client: &kube::Client, name: &str) {
    let api: Api<k8s_openapi::api::core::v1::ConfigMap> =
        Api::namespaced(client.clone(), "default");
    fluxion_testkit::wait_for(
        Duration::from_secs(90),
        Duration::from_millis(200),
        || async { api.get_opt(name).await.ok().flatten() },
    )
    .await
    .unwrap_or_else(|| panic!("ConfigMap {name} applied"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn up_syncs_a_local_repository_and_keeps_state() {
    fluxion_runtime::tls::install_crypto_provider();
    let tree = WorkTree::new().expect("worktree");
    let head = tree
        .commit(
            &[(
                "deploy/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  namespace: default\n",
            )],
            "first",
        )
        .expect("commit");
    let data = tempfile::tempdir().expect("data dir");

    let up = Up::start(data.path(), tree.path());
    let client = connect(&data.path().join("kubeconfig")).await;
    wait_revision(&client, &format!("main@sha1:{head}")).await;
    wait_config_map(&client, "demo").await;
    let (ok, stdout, stderr) = up.stop().await;
    assert!(ok, "fluxion up failed: {stderr}");
    assert!(stderr.contains("✔ source-controller started"), "{stderr}");
    assert!(
        stderr.contains("✔ kustomize-controller started"),
        "{stderr}"
    );
    assert!(stderr.contains("✔ stopped"), "{stderr}");
    assert!(stdout.contains("NAMESPACE  \tNAME"), "{stdout}");
    assert!(stdout.contains("gitrepository/flux-system"), "{stdout}");

    // A new commit while stopped; the next start finds its state and syncs the new revision.
    let second = tree
        .commit(
            &[(
                "deploy/other.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n  namespace: default\n",
            )],
            "second",
        )
        .expect("commit");
    std::fs::remove_file(data.path().join("kubeconfig")).expect("remove kubeconfig");
    let up = Up::start(data.path(), tree.path());
    let client = connect(&data.path().join("kubeconfig")).await;
    let repos: Api<GitRepository> = Api::namespaced(client.clone(), "flux-system");
    let kept = repos
        .get("flux-system")
        .await
        .expect("GitRepository kept across restarts");
    assert!(
        kept.status.and_then(|s| s.artifact).is_some(),
        "artifact status kept"
    );
    wait_revision(&client, &format!("main@sha1:{second}")).await;
    wait_config_map(&client, "other").await;
    let (ok, _, stderr) = up.stop().await;
    assert!(ok, "second run failed: {stderr}");
}
