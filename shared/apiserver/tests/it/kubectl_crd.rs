//! CRDs through kubectl: registration, printer columns, defaulting, pruning, validation,
//! status and wait, explain, and removal of the kind with the CRD.

use std::time::Duration;

use crate::support::{Cluster, Kubectl, eventually, server};

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

/// The Widget CRD in this test's group; its short name is unique per group too, so that
/// tests running at once on a real cluster do not make `kubectl get wd` ambiguous.
pub struct Widgets {
    pub group: String,
    pub short: String,
}

impl Widgets {
    pub fn of(s: &Cluster) -> Widgets {
        let group = s.group("example.com");
        let short = match group.split_once('.') {
            Some((first, _)) if group != "example.com" => format!("wd{first}"),
            _ => "wd".to_string(),
        };
        Widgets { group, short }
    }

    pub fn crd(&self) -> String {
        CRD.replace("example.com", &self.group)
            .replace("[wd]", &format!("[{}]", self.short))
    }

    /// `widgets.<group>`, the resource named so that no other group's Widget answers.
    pub fn resource(&self) -> String {
        format!("widgets.{}", self.group)
    }

    pub async fn install(&self, k: &Kubectl<'_>) {
        k.install_crd(&self.crd(), &self.resource()).await;
    }

    /// A Widget manifest of `size`.
    pub fn widget(&self, name: &str, spec: &str) -> String {
        format!(
            "apiVersion: {}/v1\nkind: Widget\nmetadata: {{name: {name}}}\nspec: {spec}\n",
            self.group
        )
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crd_kinds_are_served_with_schema_rules() {
    let s = server().await;
    let k = Kubectl::new(&s, "crd").await;
    let wd = Widgets::of(&s);
    wd.install(&k).await;
    let w = wd.widget("w1", "{size: 3}");
    let created = k.run_stdin(&["apply", "-f", "-"], &w).await.out();
    assert!(
        created.contains(&format!("widget.{}/w1 created", wd.group)),
        "{created}"
    );
    let obj = k.run(&["get", &wd.short, "w1", "-o", "json"]).await.json();
    assert_eq!(obj["spec"]["color"], "blue", "defaulted");
    assert_eq!(obj["metadata"]["generation"], 1);
    let table = k.run(&["get", &wd.resource()]).await.out();
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
    let unknown = wd.widget("w2", "{size: 1, bogus: true}");
    let strict = k.run_stdin(&["apply", "-f", "-"], &unknown).await;
    assert!(
        strict.stderr.contains(r#"unknown field "spec.bogus""#),
        "{strict:?}"
    );
    k.run_stdin(&["apply", "--validate=false", "-f", "-"], &unknown)
        .await
        .out();
    let pruned = k.run(&["get", &wd.short, "w2", "-o", "json"]).await.json();
    assert!(pruned["spec"].get("bogus").is_none(), "pruned: {pruned}");
    let invalid = k
        .run(&[
            "patch",
            &wd.short,
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
        .run(&["patch", &wd.short, "w1", "-p", r#"{"spec":{"size":4}}"#])
        .await;
    assert!(
        smp.stderr
            .contains("application/strategic-merge-patch+json is not supported"),
        "{smp:?}"
    );
    let explain = k
        .run(&[
            "explain",
            "widget.spec.size",
            &format!("--api-version={}/v1", wd.group),
        ])
        .await
        .out();
    assert!(explain.contains("How big."), "{explain}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_subresource_and_wait_for_condition() {
    let s = server().await;
    let k = Kubectl::new(&s, "cond").await;
    let wd = Widgets::of(&s);
    wd.install(&k).await;
    k.run_stdin(&["apply", "-f", "-"], &wd.widget("w", "{size: 1}"))
        .await
        .out();
    // A status in the main resource is ignored.
    k.run(&[
        "patch",
        &wd.short,
        "w",
        "--type",
        "merge",
        "-p",
        r#"{"status":{"phase":"x"}}"#,
    ])
    .await
    .out();
    let obj = k.run(&["get", &wd.short, "w", "-o", "json"]).await.json();
    assert!(obj.get("status").is_none(), "{obj}");
    let target = format!("{}/w", wd.resource());
    let wait_args = ["wait", "--for=condition=Ready", &target, "--timeout=20s"];
    let waiter = k.run(&wait_args);
    let setter = async {
        tokio::time::sleep(Duration::from_millis(800)).await;
        let cond = r#"{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Done","message":"ok","lastTransitionTime":"2024-01-01T00:00:00Z"}]}}"#;
        k.run(&[
            "patch",
            &wd.short,
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
    let obj = k.run(&["get", &wd.short, "w", "-o", "json"]).await.json();
    assert_eq!(
        obj["metadata"]["generation"], 1,
        "status writes keep the generation"
    );
    let table = k.run(&["get", &wd.short, "w", "--no-headers"]).await.out();
    assert!(table.split_whitespace().nth(2) == Some("True"), "{table}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_crd_removes_its_kind_and_objects() {
    let s = server().await;
    let k = Kubectl::new(&s, "crdgone").await;
    let wd = Widgets::of(&s);
    wd.install(&k).await;
    k.run_stdin(&["apply", "-f", "-"], &wd.widget("w", "{size: 1}"))
        .await
        .out();
    let in_group = format!("--api-group={}", wd.group);
    assert!(
        k.run(&["api-resources", &in_group, "-o", "name"])
            .await
            .out()
            .contains(&wd.resource())
    );
    k.run(&["delete", "crd", &wd.resource()]).await.out();
    // A real cluster removes the objects, then the CRD, a moment later.
    let resource = wd.resource();
    eventually("the CRD is gone", || async {
        let gone = k.run(&["get", "crd", &resource]).await;
        !gone.ok && gone.stderr.contains("NotFound")
    })
    .await;
    let kinds = k
        .run(&["api-resources", &in_group, "-o", "name"])
        .await
        .out();
    assert!(!kinds.contains("widgets"), "{kinds}");
    // Re-creating the CRD does not bring the old objects back.
    wd.install(&k).await;
    let list = k.run(&["get", &wd.short, "-o", "json"]).await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
}
