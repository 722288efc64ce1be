//! One story's world: a cluster, both controllers, a git server with one repository, a work
//! tree pushing to it, and a namespace of its own for the Flux objects and what they apply.

use std::time::Duration;

use fluxion_e2e::{Cluster, Controllers, eventually};
use fluxion_testkit::{GitHttpServer, WorkTree};
use k8s_openapi::api::core::v1::ConfigMap;
use kube::Api;
use kube::api::{DynamicObject, ListParams};
use serde_json::Value;

pub const PATIENCE: Duration = Duration::from_secs(120);

pub struct Scenario {
    pub cluster: Cluster,
    pub controllers: Controllers,
    pub git: GitHttpServer,
    pub tree: WorkTree,
    pub client: kube::Client,
    pub namespace: String,
}

impl Scenario {
    pub async fn start(story: &str) -> Scenario {
        fluxion_runtime::tls::install_crypto_provider();
        let cluster = Cluster::start();
        cluster.install_crds();
        let client = cluster.client().await;
        let namespace = format!("e2e-{story}-{}", std::process::id());
        cluster.kubectl(&["create", "namespace", &namespace]);
        let controllers = Controllers::start(&cluster);
        let git = GitHttpServer::start().expect("git server");
        git.create_repo("fleet").expect("repo");
        let tree = WorkTree::new().expect("work tree");
        Scenario {
            cluster,
            controllers,
            git,
            tree,
            client,
            namespace,
        }
    }

    /// Commits `files` (paths in the repository) and pushes; the commit id.
    pub fn push(&self, files: &[(&str, &str)], message: &str) -> String {
        let id = self.tree.commit(files, message).expect("commit");
        self.tree.push(self.git.repo_path("fleet")).expect("push");
        id
    }

    pub fn remove(&self, paths: &[&str], message: &str) -> String {
        self.tree.remove_files(paths).expect("remove");
        self.push(&[], message)
    }

    /// `fluxion -n <namespace> ARGS`, asserting success; stderr (flux's progress lines).
    pub fn fluxion(&self, args: &[&str]) -> String {
        let (ok, stdout, stderr) = self.fluxion_result(args);
        assert!(
            ok,
            "fluxion {args:?} failed:\n{stderr}\n{stdout}\n{}",
            self.controllers.logs()
        );
        stderr
    }

    pub fn fluxion_result(&self, args: &[&str]) -> (bool, String, String) {
        let mut all = vec!["-n", self.namespace.as_str(), "--timeout=2m"];
        all.extend_from_slice(args);
        self.cluster.fluxion(&all)
    }

    /// The GitRepository `fleet` on branch main and a Kustomization `name` at `path`.
    pub fn sync(&self, name: &str, path: &str, extra: &[&str]) {
        let url = self.git.url("fleet");
        if !self.fluxion_result(&["export", "source", "git", "fleet"]).0 {
            self.fluxion(&[
                "create",
                "source",
                "git",
                "fleet",
                &format!("--url={url}"),
                "--branch=main",
                "--interval=1m",
            ]);
        }
        let mut args = vec![
            "create",
            "kustomization",
            name,
            "--source=GitRepository/fleet",
            "--prune",
            "--interval=1m",
        ];
        let path = format!("--path={path}");
        args.push(&path);
        args.extend_from_slice(extra);
        self.fluxion(&args);
    }

    /// A ConfigMap's data value in the story's namespace, if the ConfigMap exists.
    pub async fn config_value(&self, name: &str, key: &str) -> Option<String> {
        let api: Api<ConfigMap> = Api::namespaced(self.client.clone(), &self.namespace);
        let cm = api.get_opt(name).await.ok()??;
        cm.data?.get(key).cloned()
    }

    pub async fn wait_config_value(&self, name: &str, key: &str, value: &str) {
        let what = format!("ConfigMap {name} {key}={value}");
        eventually(PATIENCE, &what, || async {
            (self.config_value(name, key).await.as_deref() == Some(value)).then_some(())
        })
        .await;
    }

    pub async fn config_exists(&self, name: &str) -> bool {
        let api: Api<ConfigMap> = Api::namespaced(self.client.clone(), &self.namespace);
        matches!(api.get_opt(name).await, Ok(Some(_)))
    }

    /// A Kustomization's Ready condition (status, reason, message).
    pub async fn ready(&self, name: &str) -> Option<(String, String, String)> {
        let ar = kube::api::ApiResource::erase::<fluxion_api::kustomize::Kustomization>(&());
        let api: Api<DynamicObject> =
            Api::namespaced_with(self.client.clone(), &self.namespace, &ar);
        let obj = api.get_opt(name).await.ok()??;
        let conditions = obj.data.pointer("/status/conditions")?.as_array()?.clone();
        let ready = conditions.iter().find(|c| c["type"] == "Ready")?;
        let s = |k: &str| {
            ready
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        Some((s("status"), s("reason"), s("message")))
    }

    pub async fn configmaps(&self) -> Vec<String> {
        let api: Api<ConfigMap> = Api::namespaced(self.client.clone(), &self.namespace);
        let list = api.list(&ListParams::default()).await.expect("list");
        list.items
            .into_iter()
            .filter_map(|c| c.metadata.name)
            .filter(|n| n != "kube-root-ca.crt")
            .collect()
    }
}

impl Drop for Scenario {
    fn drop(&mut self) {
        if self.cluster.external {
            let _ = std::process::Command::new("kubectl")
                .arg(format!(
                    "--kubeconfig={}",
                    self.cluster.kubeconfig.display()
                ))
                .args(["delete", "namespace", &self.namespace, "--wait=false"])
                .output();
        }
    }
}

/// A ConfigMap manifest in `namespace`.
pub fn config_map(name: &str, namespace: &str, key: &str, value: &str) -> String {
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {namespace}\ndata:\n  {key}: \"{value}\"\n"
    )
}
