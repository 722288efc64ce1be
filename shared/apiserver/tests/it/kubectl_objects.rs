//! kubectl on built-in kinds: apply, get -o yaml/json, label, annotate, get -w, delete with
//! finalizers, wait, api-resources.

use std::time::Duration;

use crate::support::{Kubectl, server};

const APP: &str = r#"
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  labels: {app: web}
data:
  a: "1"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx:1.25
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_creates_then_configures() {
    let s = server().await;
    let k = Kubectl::new(&s, "apply").await;
    let out = k.run_stdin(&["apply", "-f", "-"], APP).await.out();
    assert!(out.contains("configmap/cfg created"), "{out}");
    assert!(out.contains("deployment.apps/web created"), "{out}");
    let out = k
        .run_stdin(
            &["apply", "-f", "-"],
            &APP.replace("nginx:1.25", "nginx:1.26"),
        )
        .await
        .out();
    assert!(out.contains("configmap/cfg unchanged"), "{out}");
    assert!(out.contains("deployment.apps/web configured"), "{out}");
    let d = k.run(&["get", "deploy", "web", "-o", "json"]).await.json();
    assert_eq!(
        d["spec"]["template"]["spec"]["containers"][0]["image"],
        "nginx:1.26"
    );
    assert_eq!(d["metadata"]["generation"], 2);
    assert!(
        d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
            .is_string()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_prints_yaml_json_and_tables() {
    let s = server().await;
    let k = Kubectl::new(&s, "get").await;
    k.run_stdin(&["apply", "-f", "-"], APP).await.out();
    let yaml = k.run(&["get", "cm", "cfg", "-o", "yaml"]).await.out();
    assert!(
        yaml.contains("kind: ConfigMap")
            && yaml.contains(&format!("namespace: {}", k.namespace))
            && yaml.contains("uid: "),
        "{yaml}"
    );
    let list = k.run(&["get", "cm", "-o", "json"]).await.json();
    assert_eq!(list["kind"], "List");
    let table = k.run(&["get", "cm,deploy"]).await.out();
    assert!(
        table.contains("DATA") && table.contains("configmap/cfg"),
        "{table}"
    );
    // A real cluster may have started some of the pods already.
    assert!(table.contains("READY") && table.contains("/2 "), "{table}");
    let names = k
        .run(&["get", "cm", "-l", "app=web", "-o", "name"])
        .await
        .out();
    assert_eq!(names.trim(), "configmap/cfg");
    let none = k
        .run(&["get", "cm", "-l", "app notin (web)", "-o", "name"])
        .await
        .out();
    assert!(!none.contains("cfg"), "{none}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn label_and_annotate() {
    let s = server().await;
    let k = Kubectl::new(&s, "label").await;
    k.run_stdin(&["apply", "-f", "-"], APP).await.out();
    assert!(
        k.run(&["label", "cm", "cfg", "tier=front"])
            .await
            .out()
            .contains("labeled")
    );
    assert!(
        k.run(&["annotate", "cm", "cfg", "note=hello"])
            .await
            .out()
            .contains("annotated")
    );
    let refused = k.run(&["label", "cm", "cfg", "tier=back"]).await;
    assert!(
        !refused.ok && refused.stderr.contains("already has a value"),
        "{refused:?}"
    );
    k.run(&["label", "cm", "cfg", "tier=back", "--overwrite"])
        .await
        .out();
    k.run(&["label", "deploy", "web", "app-"]).await.out();
    let cm = k.run(&["get", "cm", "cfg", "-o", "json"]).await.json();
    assert_eq!(cm["metadata"]["labels"]["tier"], "back");
    assert_eq!(cm["metadata"]["annotations"]["note"], "hello");
    let d = k.run(&["get", "deploy", "web", "-o", "json"]).await.json();
    assert!(d["metadata"]["labels"].get("app").is_none());
    let shown = k.run(&["get", "cm", "--show-labels"]).await.out();
    assert!(shown.contains("app=web,tier=back"), "{shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_watch_streams_changes() {
    let s = server().await;
    let k = Kubectl::new(&s, "watch").await;
    k.run_stdin(&["apply", "-f", "-"], APP).await.out();
    let writer = async {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        k.run(&["label", "cm", "cfg", "x=1"]).await.out();
        k.run(&["delete", "cm", "cfg"]).await.out();
    };
    let (out, ()) = tokio::join!(
        k.run_for(
            &["get", "cm", "-w", "--output-watch-events"],
            Duration::from_secs(5)
        ),
        writer
    );
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].contains("EVENT") && lines[0].contains("NAME"),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("ADDED") && l.contains("cfg")),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("MODIFIED") && l.contains("cfg")),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("DELETED") && l.contains("cfg")),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_waits_for_finalizers() {
    let s = server().await;
    let k = Kubectl::new(&s, "fin").await;
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\n";
    k.run_stdin(&["apply", "-f", "-"], cm).await.out();
    k.run(&["delete", "cm", "held", "--wait=false"]).await.out();
    let obj = k.run(&["get", "cm", "held", "-o", "json"]).await.json();
    assert!(obj["metadata"]["deletionTimestamp"].is_string());
    let again = k.run(&["delete", "cm", "held", "--wait=false"]).await.out();
    assert!(again.contains("deleted"), "{again}");
    let add = k
        .run(&[
            "patch",
            "cm",
            "held",
            "--type",
            "json",
            "-p",
            r#"[{"op":"add","path":"/metadata/finalizers/-","value":"x/y"}]"#,
        ])
        .await;
    assert!(
        !add.ok
            && add
                .stderr
                .contains("no new finalizers can be added if the object is being deleted"),
        "{add:?}"
    );
    let waiter = k.run(&["wait", "--for=delete", "cm/held", "--timeout=20s"]);
    let remover = async {
        tokio::time::sleep(Duration::from_millis(800)).await;
        k.run(&[
            "patch",
            "cm",
            "held",
            "--type",
            "merge",
            "-p",
            r#"{"metadata":{"finalizers":null}}"#,
        ])
        .await
        .out();
    };
    let (waited, ()) = tokio::join!(waiter, remover);
    waited.out();
    let gone = k.run(&["get", "cm", "held"]).await;
    assert!(!gone.ok && gone.stderr.contains("NotFound"), "{gone:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_resources_lists_kinds() {
    let s = server().await;
    let k = Kubectl::new(&s, "disc").await;
    let out = k.run(&["api-resources"]).await.out();
    for row in [
        "configmaps",
        "deployments",
        "customresourcedefinitions",
        "leases",
        "clusterrolebindings",
        "ingresses",
        "cronjobs",
    ] {
        assert!(out.contains(row), "{row} missing:\n{out}");
    }
    let ns = k
        .run(&["api-resources", "--namespaced=false", "-o", "name"])
        .await
        .out();
    assert!(
        ns.lines().any(|l| l == "namespaces") && !ns.lines().any(|l| l == "configmaps"),
        "{ns}"
    );
    let versions = k.run(&["api-versions"]).await.out();
    assert!(
        versions.contains("apps/v1") && versions.contains("events.k8s.io/v1"),
        "{versions}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_generators_send_protobuf() {
    let s = server().await;
    let k = Kubectl::new(&s, "gen").await;
    k.run(&["create", "configmap", "c", "--from-literal=a=1"])
        .await
        .out();
    k.run(&[
        "create",
        "secret",
        "generic",
        "s",
        "--from-literal=p=secret",
    ])
    .await
    .out();
    k.run(&["create", "serviceaccount", "robot"]).await.out();
    let extra = s.ns("gen-extra");
    k.run(&["create", "namespace", &extra]).await.out();
    let c = k.run(&["get", "cm", "c", "-o", "json"]).await.json();
    assert_eq!(c["data"]["a"], "1");
    let sec = k.run(&["get", "secret", "s", "-o", "json"]).await.json();
    assert_eq!(sec["data"]["p"], "c2VjcmV0");
    assert_eq!(sec["type"], "Opaque");
    k.run(&["get", "sa", "robot"]).await.out();
    k.run(&["get", "ns", &extra]).await.out();
}
