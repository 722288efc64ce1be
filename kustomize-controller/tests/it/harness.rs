//! A running kustomize-controller for one test: fluxion-testkit's cluster (API server, Flux
//! CRDs, namespace), an artifact server standing in for source-controller's storage, and the
//! controller task; all stopped on drop.

use std::sync::Arc;
use std::time::Duration;

use fluxion_api::conditions::READY;
use fluxion_api::kustomize::Kustomization;
use fluxion_api::source::GitRepository;
use fluxion_apiserver::ServerConfig;
use fluxion_runtime::conditions as cond;
use fluxion_testkit::cluster::{Crds, TestCluster, wait_object};
use fluxion_testkit::{ArtifactServer, ServedArtifact};
use k8s_openapi::api::core::v1::{ConfigMap, Event};
use kube::Api;
use kube::api::{Patch, PatchParams, PostParams};
use kustomize_controller::{Args, Context, controller};
use serde_json::{Value, json};
use tokio::task::JoinHandle;

pub const WAIT: Duration = fluxion_testkit::cluster::WAIT;
const POLL: Duration = fluxion_testkit::cluster::POLL;

/// The shared test cluster (API server, client, namespace) plus this crate's artifact server
/// and controller.
pub struct Env {
    cluster: TestCluster,
    pub artifacts: ArtifactServer,
    controller: Option<JoinHandle<()>>,
}

impl std::ops::Deref for Env {
    type Target = TestCluster;
    fn deref(&self) -> &TestCluster {
        &self.cluster
    }
}

impl Env {
    /// An API server, the namespace, and the controller with test-friendly retry delays.
    pub async fn start(namespace: &str) -> Env {
        Self::start_with(namespace, ServerConfig::default(), &[]).await
    }

    pub async fn start_with(namespace: &str, server: ServerConfig, flags: &[&str]) -> Env {
        let cluster = TestCluster::start_with(namespace, server, Crds::Flux)
            .await
            .expect("test cluster");
        let mut env = Env {
            cluster,
            artifacts: ArtifactServer::start().expect("artifact server"),
            controller: None,
        };
        env.start_controller(flags);
        env
    }

    fn start_controller(&mut self, flags: &[&str]) {
        let defaults = [
            "--metrics-addr=0",
            "--health-addr=0",
            "--min-retry-delay=200ms",
            "--max-retry-delay=2s",
            "--requeue-dependency=1s",
            "--artifact-fetch-retries=0",
        ];
        // A test's own flag replaces the default of the same name (clap refuses both).
        let given = |d: &str| {
            flags
                .iter()
                .any(|f| f.split('=').next() == d.split('=').next())
        };
        let mut args = vec!["kustomize-controller".to_string()];
        args.extend(defaults.iter().filter(|d| !given(d)).map(|d| d.to_string()));
        args.extend(flags.iter().map(|f| f.to_string()));
        let config = Args::parse_from_iter(args)
            .expect("args")
            .validate()
            .expect("config");
        let kube_config = self.server.client_config().expect("client config");
        let mut registry = prometheus_client::registry::Registry::default();
        let ctx = Context::new(self.client.clone(), kube_config, &config, &mut registry)
            .expect("context");
        let runtime = config.runtime.clone();
        self.controller = Some(tokio::spawn(async move {
            controller::run(Arc::new(ctx), &runtime, std::future::pending()).await;
        }));
    }

    /// Serves a tar.gz of `files` as the artifact of GitRepository `name` at `revision`,
    /// creating the GitRepository on first use and updating its status artifact after.
    pub async fn publish(
        &self,
        name: &str,
        revision: &str,
        files: &[(&str, &str)],
    ) -> ServedArtifact {
        let file = format!("{}.tar.gz", revision.rsplit(':').next().unwrap_or("rev"));
        let path = format!("gitrepository/{}/{name}/{file}", self.namespace);
        let served = self.artifacts.put_files(&path, files).expect("artifact");
        self.set_artifact(name, revision, &served).await;
        served
    }

    /// Points GitRepository `name` at an artifact (creating the object when needed).
    pub async fn set_artifact(&self, name: &str, revision: &str, served: &ServedArtifact) {
        let repos: Api<GitRepository> = Api::namespaced(self.client.clone(), &self.namespace);
        if repos.get_opt(name).await.expect("get repo").is_none() {
            let obj: GitRepository = serde_json::from_value(json!({
                "apiVersion": "source.toolkit.fluxcd.io/v1",
                "kind": "GitRepository",
                "metadata": {"name": name, "namespace": self.namespace},
                "spec": {"url": "https://example.invalid/repo", "interval": "10m"},
            }))
            .expect("GitRepository");
            repos
                .create(&PostParams::default(), &obj)
                .await
                .expect("create repo");
        }
        let status = json!({"status": {"artifact": {
            "path": served.path, "url": served.url, "revision": revision,
            "digest": served.digest, "size": served.size,
            "lastUpdateTime": "2025-01-01T00:00:00Z",
        }}});
        repos
            .patch_status(name, &PatchParams::default(), &Patch::Merge(&status))
            .await
            .expect("repo status");
    }

    pub fn kustomizations(&self) -> Api<Kustomization> {
        Api::namespaced(self.client.clone(), &self.namespace)
    }

    /// Creates a Kustomization reading GitRepository `source` with `spec` merged over
    /// `interval: 10m, prune: true, targetNamespace: <the test's namespace>`.
    pub async fn create_ks(&self, name: &str, source: &str, spec: Value) -> Kustomization {
        let mut full = json!({"interval": "10m", "prune": true, "timeout": "30s",
                              "targetNamespace": self.namespace,
                              "sourceRef": {"kind": "GitRepository", "name": source}});
        if let (Some(full), Some(extra)) = (full.as_object_mut(), spec.as_object()) {
            full.extend(extra.clone());
        }
        let obj: Kustomization = serde_json::from_value(json!({
            "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
            "kind": "Kustomization",
            "metadata": {"name": name, "namespace": self.namespace},
            "spec": full,
        }))
        .expect("Kustomization");
        self.kustomizations()
            .create(&PostParams::default(), &obj)
            .await
            .expect("create Kustomization")
    }

    pub async fn patch_ks(&self, name: &str, patch: Value) {
        self.kustomizations()
            .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
            .await
            .expect("patch Kustomization");
    }

    /// Waits until `check` holds for the Kustomization and returns it.
    pub async fn wait_ks(
        &self,
        name: &str,
        what: &str,
        check: impl Fn(&Kustomization) -> bool,
    ) -> Kustomization {
        let api = self.kustomizations();
        wait_object(&api, name, what, check)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Waits for Ready=True with `revision` applied.
    pub async fn wait_applied(&self, name: &str, revision: &str) -> Kustomization {
        self.wait_ks(name, &format!("Ready at {revision}"), |ks| {
            ks.status.as_ref().is_some_and(|s| {
                cond::is_true(&s.conditions, READY)
                    && s.last_applied_revision.as_deref() == Some(revision)
                    && s.observed_generation == ks.metadata.generation
            })
        })
        .await
    }

    /// Waits for Ready=False with `reason`.
    pub async fn wait_failed(&self, name: &str, reason: &str) -> Kustomization {
        self.wait_ks(name, &format!("Ready=False {reason}"), |ks| {
            ks.status.as_ref().is_some_and(|s| {
                cond::is_false(&s.conditions, READY) && cond::reason(&s.conditions, READY) == reason
            })
        })
        .await
    }

    pub fn config_maps(&self) -> Api<ConfigMap> {
        Api::namespaced(self.client.clone(), &self.namespace)
    }

    /// Waits until ConfigMap `name` satisfies `check` (None: absent).
    pub async fn wait_config_map(
        &self,
        name: &str,
        what: &str,
        check: impl Fn(Option<&ConfigMap>) -> bool,
    ) -> Option<ConfigMap> {
        let api = self.config_maps();
        let found = fluxion_testkit::wait_for(WAIT, POLL, || {
            let api = api.clone();
            let check = &check;
            async move {
                let obj = api.get_opt(name).await.ok()?;
                check(obj.as_ref()).then_some(obj)
            }
        })
        .await;
        found.unwrap_or_else(|| panic!("ConfigMap {name}: {what}"))
    }

    pub async fn events(&self) -> Vec<Event> {
        self.cluster.events().await.expect("events")
    }

    /// Waits for an event of the Kustomization whose message contains `text`.
    pub async fn wait_event(&self, name: &str, text: &str) -> Event {
        let found = fluxion_testkit::wait_for(WAIT, POLL, || async {
            self.events().await.into_iter().find(|e| {
                e.involved_object.name.as_deref() == Some(name)
                    && e.message.as_deref().is_some_and(|m| m.contains(text))
            })
        })
        .await;
        found.unwrap_or_else(|| panic!("no event of {name} containing {text:?}"))
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some(controller) = self.controller.take() {
            controller.abort();
        }
    }
}

/// A ConfigMap manifest.
pub fn config_map(name: &str, data: &[(&str, &str)]) -> String {
    let mut text = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n");
    for (k, v) in data {
        text.push_str(&format!("  {k}: \"{v}\"\n"));
    }
    text
}
