//! The live-cluster harness: an in-process fluxion-apiserver seeded with objects, a chart
//! in a temp dir, and one run of `helm template` and `fluxion-helm template` compared.

use std::path::Path;
use std::process::{Command, Output};

use fluxion_apiserver::server::{ApiServer, ServerConfig};
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, PostParams};

pub struct Fixture {
    server: ApiServer,
}

impl Fixture {
    pub async fn start() -> Fixture {
        let server = ApiServer::start(ServerConfig::default())
            .await
            .expect("start the API server");
        Fixture { server }
    }

    pub fn kubeconfig(&self) -> String {
        self.server.kubeconfig().display().to_string()
    }

    /// Namespaces, ConfigMaps, a Secret, a CRD and one of its objects, and a ConfigMap
    /// owned by release `r` in `team`.
    pub async fn seed(&self) {
        let client = self.server.client().expect("client");
        for ns in ["team", "other"] {
            create(
                &client,
                "v1",
                "Namespace",
                "namespaces",
                None,
                serde_json::json!({"metadata": {"name": ns}}),
            )
            .await;
        }
        let cm = |name: &str, data: serde_json::Value| serde_json::json!({"metadata": {"name": name}, "data": data});
        create(
            &client,
            "v1",
            "ConfigMap",
            "configmaps",
            Some("team"),
            cm("app", serde_json::json!({"k": "v", "n": "1"})),
        )
        .await;
        create(
            &client,
            "v1",
            "ConfigMap",
            "configmaps",
            Some("team"),
            cm("other", serde_json::json!({})),
        )
        .await;
        create(
            &client,
            "v1",
            "ConfigMap",
            "configmaps",
            Some("other"),
            cm("elsewhere", serde_json::json!({"x": "y"})),
        )
        .await;
        let owned = serde_json::json!({"metadata": {
            "name": "owned",
            "labels": {"app.kubernetes.io/managed-by": "Helm"},
            "annotations": {"meta.helm.sh/release-name": "r", "meta.helm.sh/release-namespace": "team"},
        }});
        create(
            &client,
            "v1",
            "ConfigMap",
            "configmaps",
            Some("team"),
            owned,
        )
        .await;
        let secret = serde_json::json!({"metadata": {"name": "creds"}, "type": "Opaque", "data": {"password": "c2VjcmV0"}});
        create(&client, "v1", "Secret", "secrets", Some("team"), secret).await;
        create(
            &client,
            "apiextensions.k8s.io/v1",
            "CustomResourceDefinition",
            "customresourcedefinitions",
            None,
            widget_crd(),
        )
        .await;
        let widget = serde_json::json!({"metadata": {"name": "w1"}, "spec": {"size": 3}});
        create(
            &client,
            "example.com/v1",
            "Widget",
            "widgets",
            Some("team"),
            widget,
        )
        .await;
    }
}

fn widget_crd() -> serde_json::Value {
    serde_json::json!({
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "scope": "Namespaced",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
            "versions": [{
                "name": "v1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}},
            }],
        },
    })
}

async fn create(
    client: &kube::Client,
    api_version: &str,
    kind: &str,
    plural: &str,
    namespace: Option<&str>,
    mut body: serde_json::Value,
) {
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let gvk = GroupVersionKind::gvk(group, version, kind);
    let ar = ApiResource::from_gvk_with_plural(&gvk, plural);
    body["apiVersion"] = api_version.into();
    body["kind"] = kind.into();
    let obj: DynamicObject = serde_json::from_value(body).expect("object");
    let api: Api<DynamicObject> = match namespace {
        Some(ns) => Api::namespaced_with(client.clone(), ns, &ar),
        None => Api::all_with(client.clone(), &ar),
    };
    api.create(&PostParams::default(), &obj)
        .await
        .unwrap_or_else(|e| panic!("create {kind}: {e}"));
}

/// A kubeconfig naming a loopback port nothing listens on.
pub fn closed_port_kubeconfig(dir: &Path) -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let path = dir.join("closed-kubeconfig");
    let text =
        fluxion_apiserver::server::kubeconfig_yaml(&format!("http://127.0.0.1:{port}"), "default");
    std::fs::write(&path, text).expect("write kubeconfig");
    path.display().to_string()
}

/// A temp dir holding chart `c` with the given templates.
pub fn chart_dir(templates: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let chart = dir.path().join("c/templates");
    std::fs::create_dir_all(&chart).expect("chart dirs");
    std::fs::write(
        dir.path().join("c/Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .expect("Chart.yaml");
    for (name, text) in templates {
        std::fs::write(chart.join(name), text).expect("template");
    }
    dir
}

/// The helm binary, installed by `scripts/install-helm`; missing helm fails the test.
fn helm() -> &'static Path {
    fluxion_testkit::tools::helm().expect("helm from scripts/install-helm")
}

fn run(bin: &Path, cwd: &Path, args: &[&str]) -> Output {
    let home = cwd.join(".home");
    Command::new(bin)
        .arg("template")
        .args(args)
        .current_dir(cwd)
        .env_remove("KUBECONFIG")
        .env("HOME", &home)
        .env("HELM_CACHE_HOME", home.join("cache"))
        .env("HELM_CONFIG_HOME", home.join("config"))
        .env("HELM_DATA_HOME", home.join("data"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()))
}

fn outcome(out: &Output) -> Result<String, String> {
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    match stderr.find("Error: ") {
        Some(i) => Err(stderr[i..].to_string()),
        None => Err(format!("no error text; stderr={stderr:?}")),
    }
}

/// Runs both tools in `cwd`; panics unless they print the same stdout (success) or the
/// same `Error:` text, and returns that outcome.
pub fn compare(cwd: &Path, args: &[&str]) -> Result<String, String> {
    let theirs = outcome(&run(helm(), cwd, args));
    let ours = outcome(&run(
        Path::new(env!("CARGO_BIN_EXE_fluxion-helm")),
        cwd,
        args,
    ));
    assert_eq!(ours, theirs, "fluxion-helm differs from helm for {args:?}");
    theirs
}
