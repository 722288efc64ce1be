//! kubectl patch (json, merge, strategic) and server-side apply with conflicts and force.

use crate::support::{Kubectl, server};

const DEPLOY: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: app, image: "app:1"}
      - {name: side, image: "side:1"}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_types() {
    let s = server().await;
    let k = Kubectl::new(&s, "patch").await;
    k.run_stdin(&["apply", "-f", "-"], DEPLOY).await.out();
    k.run(&[
        "patch",
        "deploy",
        "web",
        "--type",
        "json",
        "-p",
        r#"[{"op":"replace","path":"/spec/replicas","value":3}]"#,
    ])
    .await
    .out();
    k.run(&[
        "patch",
        "deploy",
        "web",
        "--type",
        "merge",
        "-p",
        r#"{"metadata":{"labels":{"m":"1"}}}"#,
    ])
    .await
    .out();
    // Strategic: containers merge by name, so the sidecar stays.
    k.run(&[
        "patch",
        "deploy",
        "web",
        "--type",
        "strategic",
        "-p",
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"app:2"}]}}}}"#,
    ])
    .await
    .out();
    let d = k.run(&["get", "deploy", "web", "-o", "json"]).await.json();
    assert_eq!(d["spec"]["replicas"], 3);
    assert_eq!(d["metadata"]["labels"]["m"], "1");
    let cs = d["spec"]["template"]["spec"]["containers"]
        .as_array()
        .expect("containers")
        .clone();
    assert_eq!(cs.len(), 2);
    assert_eq!(cs[0]["image"], "app:2");
    assert_eq!(cs[1]["image"], "side:1");
    assert_eq!(d["metadata"]["generation"], 3);
    let bad = k
        .run(&[
            "patch",
            "deploy",
            "web",
            "--type",
            "json",
            "-p",
            r#"[{"op":"test","path":"/spec/replicas","value":9}]"#,
        ])
        .await;
    assert!(!bad.ok, "{bad:?}");
    let none = k
        .run(&["patch", "deploy", "missing", "--type", "merge", "-p", "{}"])
        .await;
    assert!(
        none.stderr
            .contains(r#"deployments.apps "missing" not found"#),
        "{none:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_side_apply_conflicts_and_force() {
    let s = server().await;
    let k = Kubectl::new(&s, "ssa").await;
    let cm =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {a: \"1\", b: \"2\"}\n";
    assert!(
        k.run_stdin(&["apply", "--server-side", "-f", "-"], cm)
            .await
            .out()
            .contains("serverside-applied")
    );
    let other = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {a: \"9\"}\n";
    let conflict = k
        .run_stdin(
            &[
                "apply",
                "--server-side",
                "--field-manager",
                "other",
                "-f",
                "-",
            ],
            other,
        )
        .await;
    assert!(!conflict.ok, "{conflict:?}");
    assert!(
        conflict.stderr.contains(r#"conflict with "kubectl""#)
            && conflict.stderr.contains(".data.a"),
        "{}",
        conflict.stderr
    );
    k.run_stdin(
        &[
            "apply",
            "--server-side",
            "--field-manager",
            "other",
            "--force-conflicts",
            "-f",
            "-",
        ],
        other,
    )
    .await
    .out();
    let obj = k
        .run(&["get", "cm", "shared", "-o", "json", "--show-managed-fields"])
        .await
        .json();
    assert_eq!(obj["data"]["a"], "9");
    let managers: Vec<&str> = obj["metadata"]["managedFields"]
        .as_array()
        .expect("managedFields")
        .iter()
        .filter_map(|m| m["manager"].as_str())
        .collect();
    assert!(
        managers.contains(&"kubectl") && managers.contains(&"other"),
        "{managers:?}"
    );
    // Dropping a field from the applied configuration removes it.
    k.run_stdin(
        &["apply", "--server-side", "-f", "-"],
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {}\n",
    )
    .await
    .out();
    let obj = k.run(&["get", "cm", "shared", "-o", "json"]).await.json();
    assert_eq!(obj["data"], serde_json::json!({"a": "9"}));
    let dry = k
        .run_stdin(
            &[
                "apply",
                "--server-side",
                "--dry-run=server",
                "-o",
                "json",
                "-f",
                "-",
            ],
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {z: \"1\"}\n",
        )
        .await
        .json();
    assert_eq!(dry["data"]["z"], "1");
    let obj = k.run(&["get", "cm", "shared", "-o", "json"]).await.json();
    assert!(obj["data"].get("z").is_none());
}
