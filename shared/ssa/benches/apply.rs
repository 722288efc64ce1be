//! Benchmark: staged apply of N apps (Deployment, Service, ServiceAccount, ConfigMap each)
//! with fluxion-ssa against `kubectl apply --server-side` of the same objects, both on one
//! in-process fluxion-apiserver. `cargo bench -p fluxion-ssa --bench apply [-- N]`.

use std::time::{Duration, Instant};

use fluxion_apiserver::{ApiServer, ServerConfig};
use fluxion_ssa::{ApplyOptions, Owner, ResourceManager};
use kube::api::{Api, DynamicObject, PostParams};

fn app(ns: &str, i: usize) -> String {
    format!(
        r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: app-{i}
  namespace: {ns}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-{i}
  namespace: {ns}
data:
  index: "{i}"
---
apiVersion: v1
kind: Service
metadata:
  name: app-{i}
  namespace: {ns}
spec:
  selector:
    app: app-{i}
  ports:
  - port: 80
    protocol: TCP
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: {ns}
spec:
  selector:
    matchLabels:
      app: app-{i}
  template:
    metadata:
      labels:
        app: app-{i}
    spec:
      serviceAccountName: app-{i}
      containers:
      - name: app
        image: ghcr.io/stefanprodan/podinfo:6.7.0
        ports:
        - containerPort: 9898
          protocol: TCP
"#
    )
}

fn manifests(ns: &str, n: usize) -> String {
    (0..n).map(|i| app(ns, i)).collect::<Vec<_>>().join("---\n")
}

async fn namespace(client: &kube::Client, name: &str) -> Result<(), kube::Error> {
    let api: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(client.clone());
    let mut ns = k8s_openapi::api::core::v1::Namespace::default();
    ns.metadata.name = Some(name.to_string());
    api.create(&PostParams::default(), &ns).await.map(|_| ())
}

async fn kubectl(server: &ApiServer, yaml: &str) -> Result<Duration, Box<dyn std::error::Error>> {
    use tokio::io::AsyncWriteExt;
    let started = Instant::now();
    let mut child = tokio::process::Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(server.kubeconfig())
        .arg("--cache-dir")
        .arg(server.dir().join("kubectl-cache"))
        .args([
            "apply",
            "--server-side",
            "--field-manager",
            "bench",
            "-f",
            "-",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    stdin.write_all(yaml.as_bytes()).await?;
    drop(stdin);
    let status = child.wait().await?;
    if !status.success() {
        return Err(format!("kubectl failed: {status}").into());
    }
    Ok(started.elapsed())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(250);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let server = ApiServer::start(ServerConfig::default()).await?;
        let client = server.client()?;
        namespace(&client, "ssa").await?;
        namespace(&client, "kubectl").await?;
        let objs: Vec<DynamicObject> = manifests("ssa", n)
            .split("\n---\n")
            .map(serde_saphyr::from_str)
            .collect::<Result<_, _>>()?;
        let manager = ResourceManager::new(client.clone(), Owner::kustomize_controller());
        let opts = ApplyOptions::flux("kustomize-controller", false);

        let t = Instant::now();
        manager.apply_all_staged(&objs, &opts).await?;
        let ssa_create = t.elapsed();
        let t = Instant::now();
        let cs = manager.apply_all_staged(&objs, &opts).await?;
        let ssa_noop = t.elapsed();
        assert!(!cs.has_changes(), "second apply changes nothing");

        let yaml = manifests("kubectl", n);
        let kubectl_create = kubectl(&server, &yaml).await?;
        let kubectl_noop = kubectl(&server, &yaml).await?;

        let objects = objs.len();
        println!("objects: {objects}");
        for (what, ours, theirs) in [
            ("create", ssa_create, kubectl_create),
            ("unchanged", ssa_noop, kubectl_noop),
        ] {
            println!(
                "{what:>9}: fluxion-ssa {:>8.1} ms  kubectl --server-side {:>8.1} ms  ratio {:.2}",
                ours.as_secs_f64() * 1e3,
                theirs.as_secs_f64() * 1e3,
                theirs.as_secs_f64() / ours.as_secs_f64()
            );
        }
        Ok(())
    })
}
