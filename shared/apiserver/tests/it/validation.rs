//! Field validation of built-in kinds as a real server does it: kubectl's default
//! `--validate=strict` rejects unknown fields, `warn` prints warnings, `false` drops them
//! silently; type errors fail decoding; server-side apply rejects undeclared fields; patches
//! without the parameter warn.

use crate::support::{Kubectl, http, server};

const TYPO: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx
        imagePullPolicyy: Always
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_rejects_warns_or_drops_unknown_fields() {
    let s = server().await;
    let k = Kubectl::new(&s, "validate").await;
    let strict = k.run_stdin(&["apply", "-f", "-"], TYPO).await;
    assert!(!strict.ok);
    assert!(
        strict.stderr.contains(
            r#"Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolicyy""#
        ),
        "{strict:?}"
    );
    let warn = k
        .run_stdin(&["create", "--validate=warn", "-f", "-"], TYPO)
        .await;
    assert!(warn.ok, "{warn:?}");
    assert!(
        warn.stderr.contains(
            r#"Warning: unknown field "spec.template.spec.containers[0].imagePullPolicyy""#
        ),
        "{warn:?}"
    );
    let stored = k.run(&["get", "deploy", "web", "-o", "json"]).await.json();
    let container = &stored["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"], "nginx");
    assert!(container.get("imagePullPolicyy").is_none(), "{container}");
    let patch = k.run_stdin(&["apply", "-f", "-"], TYPO).await;
    assert!(
        patch.stderr.contains(r#"The request is invalid: patch: Invalid value: "map["#)
            && patch.stderr.contains(
                r#"": strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolicyy""#
            ),
        "{patch:?}"
    );
    let ignore = k
        .run_stdin(
            &["apply", "--validate=false", "-f", "-"],
            &TYPO.replace("name: web}", "name: quiet}"),
        )
        .await;
    assert!(
        ignore.ok && !ignore.stderr.contains("Warning"),
        "{ignore:?}"
    );
    let ssa = k
        .run_stdin(
            &["apply", "--server-side", "-f", "-"],
            &TYPO.replace("name: web}", "name: ssa}"),
        )
        .await;
    assert!(
        ssa.stderr.contains(&format!(
            r#"failed to create typed patch object ({}/ssa; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="app"].imagePullPolicyy: field not declared in schema"#,
            k.namespace
        )),
        "{ssa:?}"
    );
    let patch = k
        .run(&[
            "patch",
            "deploy",
            "web",
            "--type",
            "merge",
            "-p",
            r#"{"spec":{"replicaz":2}}"#,
        ])
        .await;
    assert!(patch.ok, "{patch:?}");
    assert!(
        patch
            .stderr
            .contains(r#"Warning: unknown field "spec.replicaz""#),
        "{patch:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_reports_type_errors_as_go_decoding_does() {
    let s = server().await;
    let k = Kubectl::new(&s, "types").await;
    let replicas = TYPO
        .replace("        imagePullPolicyy: Always\n", "")
        .replace("spec:\n  selector", "spec:\n  replicas: two\n  selector");
    let bad = k.run_stdin(&["create", "-f", "-"], &replicas).await;
    assert!(
        bad.stderr.contains(
            r#"Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"#
        ),
        "{bad:?}"
    );
    let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: hunter2}\n";
    let bad = k.run_stdin(&["apply", "-f", "-"], secret).await;
    assert!(
        bad.stderr.contains(
            r#"Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4"#
        ),
        "{bad:?}"
    );
    let quota =
        "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: {cpu: 1 core}}\n";
    let bad = k.run_stdin(&["apply", "-f", "-"], quota).await;
    assert!(
        bad.stderr.contains(
            r#"ResourceQuota in version "v1" cannot be handled as a ResourceQuota: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"#
        ),
        "{bad:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_requests_follow_the_field_validation_parameter() {
    let s = server().await;
    let path = format!(
        "/api/v1/namespaces/{}/configmaps",
        s.namespace("field-validation").await
    );
    let path = path.as_str();
    let body = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":"v"},"dataa":{}}"#;
    let r = http(
        &s,
        "POST",
        &format!("{path}?fieldValidation=Strict"),
        "application/json",
        body,
    )
    .await;
    assert_eq!(r.code, 400, "{}", r.body);
    assert_eq!(
        r.json()["message"],
        r#"ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dataa""#
    );
    // Without the parameter a real server warns (its default is Warn) and drops the field.
    let r = http(&s, "POST", path, "application/json", body).await;
    assert_eq!(r.code, 201, "{}", r.body);
    let warnings: Vec<&str> = r
        .headers
        .iter()
        .filter(|(k, _)| k == "warning")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(warnings, [r#"299 - "unknown field \"dataa\"""#]);
    assert!(r.json().get("dataa").is_none());
    let dup = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d","name":"d"},"data":{"k":"1","k":"2"}}"#;
    let r = http(
        &s,
        "POST",
        &format!("{path}?fieldValidation=Strict"),
        "application/json",
        dup,
    )
    .await;
    assert_eq!(
        r.json()["message"],
        r#"ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name", duplicate field "data.k""#
    );
    let r = http(&s, "POST", path, "application/json", dup).await;
    assert_eq!(r.code, 201, "{}", r.body);
    assert_eq!(r.json()["data"]["k"], "2", "the last duplicate wins");
    let yaml =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: yml}\ndata:\n  a: '1'\n  a: '2'\n";
    let r = http(&s, "POST", path, "application/yaml", yaml).await;
    assert_eq!(r.code, 201, "{}", r.body);
    assert!(
        r.headers
            .iter()
            .any(|(k, v)| k == "warning" && v == r#"299 - "line 6: key \"a\" already set in map""#),
        "{:?}",
        r.headers
    );
    let r = http(
        &s,
        "PATCH",
        &format!("{path}/a?fieldValidation=Strict"),
        "application/merge-patch+json",
        r#"{"dataa":{"x":"y"}}"#,
    )
    .await;
    assert_eq!(r.code, 422, "{}", r.body);
    let st = r.json();
    let message = st["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(r#" "" is invalid: patch: Invalid value: "{\"apiVersion\":\"v1\","#),
        "{message}"
    );
    assert!(
        message.ends_with(r#"": strict decoding error: unknown field "dataa""#),
        "{message}"
    );
    assert_eq!(st["details"]["causes"][0]["field"], "patch");
    let r = http(
        &s,
        "PATCH",
        &format!("{path}/a?fieldValidation=Strict"),
        "application/strategic-merge-patch+json",
        r#"{"dataa":{"x":"y"}}"#,
    )
    .await;
    assert_eq!(
        r.json()["message"],
        r#" "" is invalid: patch: Invalid value: "map[dataa:map[x:y]]": strict decoding error: unknown field "dataa""#
    );
    let r = http(
        &s,
        "PATCH",
        &format!("{path}/a"),
        "application/json-patch+json",
        r#"[{"op":"add","path":"/data/x","value":"1","paht":"x"}]"#,
    )
    .await;
    assert_eq!(r.code, 200, "{}", r.body);
    assert!(
        r.headers.iter().any(|(k, v)| k == "warning"
            && v == r#"299 - "json patch unknown field \"[0].paht\"""#),
        "{:?}",
        r.headers
    );
    let r = http(
        &s,
        "PATCH",
        &format!("{path}/a?fieldValidation=Ignore"),
        "application/merge-patch+json",
        r#"{"dataa":{"x":"y"},"data":{"k":"w"}}"#,
    )
    .await;
    assert_eq!(r.code, 200, "{}", r.body);
    assert!(!r.headers.iter().any(|(k, _)| k == "warning"));
    assert_eq!(r.json()["data"]["k"], "w");
}
