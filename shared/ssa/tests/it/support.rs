//! Test support: a server and a ResourceManager per test, YAML to objects, and reads.

use fluxion_apiserver::{ApiServer, ServerConfig};
use fluxion_ssa::{Owner, ResourceManager};
use kube::api::{Api, DynamicObject, PostParams};
use serde_json::Value;

/// A server, a client to it and a manager owned by kustomize-controller.
pub struct Env {
    pub server: ApiServer,
    pub client: kube::Client,
    pub manager: ResourceManager,
    pub ns: String,
}

impl Env {
    /// Starts a server and creates the namespace `ns`.
    pub async fn new(ns: &str) -> Env {
        let server = ApiServer::start(ServerConfig::default())
            .await
            .expect("start server");
        let client = server.client().expect("client");
        let manager = ResourceManager::new(client.clone(), Owner::kustomize_controller());
        let nss: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(client.clone());
        let mut n = k8s_openapi::api::core::v1::Namespace::default();
        n.metadata.name = Some(ns.to_string());
        nss.create(&PostParams::default(), &n)
            .await
            .expect("namespace");
        Env {
            server,
            client,
            manager,
            ns: ns.to_string(),
        }
    }

    /// Objects from a multi-document YAML with `NS` replaced by the test namespace.
    pub fn objects(&self, yaml: &str) -> Vec<DynamicObject> {
        objects(&yaml.replace("NS", &self.ns))
    }

    /// The live object as JSON, None when absent.
    pub async fn get(&self, api_version: &str, kind: &str, ns: &str, name: &str) -> Option<Value> {
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        let gvk = kube::core::GroupVersionKind::gvk(group, version, kind);
        let (ar, caps) = kube::discovery::pinned_kind(&self.client, &gvk)
            .await
            .expect("kind served");
        let api: Api<DynamicObject> = if caps.scope == kube::discovery::Scope::Namespaced {
            Api::namespaced_with(self.client.clone(), ns, &ar)
        } else {
            Api::all_with(self.client.clone(), &ar)
        };
        api.get_opt(name)
            .await
            .expect("get")
            .map(|o| serde_json::to_value(o).expect("json"))
    }

    /// Runs real kubectl against the server with `stdin`; panics with its output on failure.
    pub async fn kubectl(&self, args: &[&str], stdin: &str) -> String {
        use tokio::io::AsyncWriteExt;
        let mut child = tokio::process::Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(self.server.kubeconfig())
            .arg("--cache-dir")
            .arg(self.server.dir().join("kubectl-cache"))
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("kubectl is installed");
        let mut input = child.stdin.take().expect("stdin");
        input
            .write_all(stdin.as_bytes())
            .await
            .expect("write stdin");
        drop(input);
        let out =
            tokio::time::timeout(std::time::Duration::from_secs(60), child.wait_with_output())
                .await
                .expect("kubectl finished in time")
                .expect("kubectl ran");
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "kubectl {args:?} failed: {}\n{stdout}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }
}

/// Objects from a multi-document YAML.
pub fn objects(yaml: &str) -> Vec<DynamicObject> {
    yaml.split("\n---\n")
        .filter(|d| !d.trim().is_empty())
        .map(|d| serde_saphyr::from_str::<DynamicObject>(d).expect("yaml object"))
        .collect()
}
