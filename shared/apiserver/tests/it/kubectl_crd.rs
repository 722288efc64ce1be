//! CRDs through kubectl: registration, printer columns, defaulting, pruning, validation,
//! status and wait, explain, and removal of the kind with the CRD.

use std::time::Duration;

use crate::support::{Kubectl, server};

pub const CRD: &str = r#"
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, minimum: 0, maximum: 10, description: How big.}
              color: {type: string, default: blue, enum: [blue, red]}
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
"#;

async fn install(k: &Kubectl<'_>) {
    k.run_stdin(&["apply", "-f", "-"], CRD).await.out();
    k.run(&[
        "wait",
        "--for=condition=Established",
        "crd/widgets.example.com",
        "--timeout=10s",
    ])
    .await
    .out();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crd_kinds_are_served_with_schema_rules() {
    let s = server().await;
    let k = Kubectl::new(&s, "crd").await;
    install(&k).await;
    let w = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n";
    assert!(
        k.run_stdin(&["apply", "-f", "-"], w)
            .await
            .out()
            .contains("widget.example.com/w1 created")
    );
    let obj = k.run(&["get", "wd", "w1", "-o", "json"]).await.json();
    assert_eq!(obj["spec"]["color"], "blue", "defaulted");
    assert_eq!(obj["metadata"]["generation"], 1);
    let table = k.run(&["get", "widgets"]).await.out();
    let header: Vec<&str> = table
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(header, ["NAME", "SIZE", "READY", "AGE"]);
    assert!(
        table.lines().nth(1).unwrap_or("").starts_with("w1 "),
        "{table}"
    );
    let unknown = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w2}\nspec: {size: 1, bogus: true}\n";
    let strict = k.run_stdin(&["apply", "-f", "-"], unknown).await;
    assert!(
        strict.stderr.contains(r#"unknown field "spec.bogus""#),
        "{strict:?}"
    );
    k.run_stdin(&["apply", "--validate=false", "-f", "-"], unknown)
        .await
        .out();
    let pruned = k.run(&["get", "wd", "w2", "-o", "json"]).await.json();
    assert!(pruned["spec"].get("bogus").is_none(), "pruned: {pruned}");
    let invalid = k
        .run(&[
            "patch",
            "wd",
            "w1",
            "--type",
            "merge",
            "-p",
            r#"{"spec":{"size":20,"color":"green"}}"#,
        ])
        .await;
    assert!(
        invalid.stderr.contains(r#"The Widget "w1" is invalid"#),
        "{invalid:?}"
    );
    assert!(
        invalid.stderr.contains(
            "spec.size: Invalid value: 20: spec.size in body should be less than or equal to 10"
        ),
        "{invalid:?}"
    );
    assert!(
        invalid
            .stderr
            .contains(r#"spec.color: Unsupported value: "green": supported values: "blue", "red""#),
        "{invalid:?}"
    );
    let smp = k
        .run(&["patch", "wd", "w1", "-p", r#"{"spec":{"size":4}}"#])
        .await;
    assert!(
        smp.stderr
            .contains("application/strategic-merge-patch+json is not supported"),
        "{smp:?}"
    );
    let explain = k.run(&["explain", "widget.spec.size"]).await.out();
    assert!(explain.contains("How big."), "{explain}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_subresource_and_wait_for_condition() {
    let s = server().await;
    let k = Kubectl::new(&s, "cond").await;
    install(&k).await;
    k.run_stdin(
        &["apply", "-f", "-"],
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 1}\n",
    )
    .await
    .out();
    // A status in the main resource is ignored.
    k.run(&[
        "patch",
        "wd",
        "w",
        "--type",
        "merge",
        "-p",
        r#"{"status":{"phase":"x"}}"#,
    ])
    .await
    .out();
    let obj = k.run(&["get", "wd", "w", "-o", "json"]).await.json();
    assert!(obj.get("status").is_none(), "{obj}");
    let waiter = k.run(&["wait", "--for=condition=Ready", "widget/w", "--timeout=20s"]);
    let setter = async {
        tokio::time::sleep(Duration::from_millis(800)).await;
        let cond = r#"{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Done","message":"ok","lastTransitionTime":"2024-01-01T00:00:00Z"}]}}"#;
        k.run(&[
            "patch",
            "wd",
            "w",
            "--subresource=status",
            "--type",
            "merge",
            "-p",
            cond,
        ])
        .await
        .out();
    };
    let (waited, ()) = tokio::join!(waiter, setter);
    assert!(waited.out().contains("condition met"));
    let obj = k.run(&["get", "wd", "w", "-o", "json"]).await.json();
    assert_eq!(
        obj["metadata"]["generation"], 1,
        "status writes keep the generation"
    );
    let table = k.run(&["get", "wd", "w", "--no-headers"]).await.out();
    assert!(table.split_whitespace().nth(2) == Some("True"), "{table}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_crd_removes_its_kind_and_objects() {
    let s = server().await;
    let k = Kubectl::new(&s, "crdgone").await;
    install(&k).await;
    k.run_stdin(
        &["apply", "-f", "-"],
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 1}\n",
    )
    .await
    .out();
    assert!(
        k.run(&["api-resources", "--api-group=example.com", "-o", "name"])
            .await
            .out()
            .contains("widgets.example.com")
    );
    k.run(&["delete", "crd", "widgets.example.com"]).await.out();
    let gone = k.run(&["get", "crd", "widgets.example.com"]).await;
    assert!(!gone.ok, "{gone:?}");
    let kinds = k
        .run(&["api-resources", "--api-group=example.com", "-o", "name"])
        .await
        .out();
    assert!(!kinds.contains("widgets"), "{kinds}");
    // Re-creating the CRD does not bring the old objects back.
    install(&k).await;
    let list = k.run(&["get", "wd", "-o", "json"]).await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
}
