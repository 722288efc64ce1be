//! Bad requests answered with the codes and the exact messages of kube-apiserver 1.33
//! (staging/src/k8s.io/apiserver/pkg/endpoints/handlers, apimachinery's decoders, selector
//! parsers and option validation): raw HTTP for what kubectl never sends, kubectl for what it
//! does.

use crate::support::{Cluster, Http, Kubectl, crd_yaml, http, server};

const JSON: &str = "application/json";

/// The ConfigMaps path of a namespace made for the test.
async fn configmaps(s: &Cluster, base: &str) -> String {
    format!("/api/v1/namespaces/{}/configmaps", s.namespace(base).await)
}

fn message(r: &Http) -> String {
    r.json()["message"].as_str().unwrap_or_default().to_string()
}

/// (code, reason, message) of an answer.
fn status(r: &Http) -> (u16, String, String) {
    let st = r.json();
    (
        r.code,
        st["reason"].as_str().unwrap_or_default().to_string(),
        message(r),
    )
}

const UNRECOGNIZED: &str = "the object provided is unrecognized (must be of type ConfigMap): ";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies() {
    let s = server().await;
    let cms = configmaps(&s, "malformed-bodies").await;
    let cms = cms.as_str();
    let cases: &[(&str, &str, &str)] = &[
        (
            JSON,
            "{not json",
            "couldn't get version/kind; json parse error: invalid character 'n' looking for beginning of object key string ({not json)",
        ),
        (
            JSON,
            "",
            "couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)",
        ),
        (
            JSON,
            r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"},}"#,
            r#"couldn't get version/kind; json parse error: invalid character '}' looking for beginning of object key string ({"apiVersion": "v1", "kind": " ...)"#,
        ),
        (
            JSON,
            "[]",
            r#"couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\"apiVersion,omitempty\""; Kind string "json:\"kind,omitempty\"" } (5b5d)"#,
        ),
        (
            JSON,
            r#"{"kind": 3}"#,
            r#"couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string ({"kind": 3})"#,
        ),
        (
            JSON,
            r#"{"apiVersion": "a/b/c"}"#,
            r#"unexpected GroupVersion string: a/b/c ({"apiVersion": "a/b/c"})"#,
        ),
    ];
    for (media, body, want) in cases {
        let r = http(&s, "POST", cms, media, body).await;
        assert_eq!(
            status(&r),
            (400, "BadRequest".into(), format!("{UNRECOGNIZED}{want}")),
            "{body}"
        );
    }
    let r = http(&s, "POST", cms, "application/yaml", "a: [unclosed").await;
    let m = message(&r);
    assert!(
        m.starts_with(&format!("{UNRECOGNIZED}yaml: "))
            && m.ends_with(" (613a205b756e636c6f736564)"),
        "{m}"
    );
    let r = http(&s, "POST", cms, "text/plain", "{}").await;
    assert_eq!(
        status(&r),
        (
            415,
            "UnsupportedMediaType".into(),
            "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf".into()
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_that_do_not_match_the_url() {
    let s = server().await;
    let cms = configmaps(&s, "bodies-that-do-not-match-the-url").await;
    let cms = cms.as_str();
    let cases: &[(&str, &str)] = &[
        (
            r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}"#,
            r#"Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion"#,
        ),
        (
            r#"{"apiVersion":"v1","kind":"configmap","metadata":{"name":"x"}}"#,
            r#"configmap in version "v1" cannot be handled as a ConfigMap: no kind "configmap" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30""#,
        ),
        (
            r#"{"apiVersion":"v2","kind":"ConfigMap","metadata":{"name":"x"}}"#,
            r#"ConfigMap in version "v2" cannot be handled as a ConfigMap: no kind "ConfigMap" is registered for version "v2" in scheme "pkg/api/legacyscheme/scheme.go:30""#,
        ),
        (
            r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"other"}}"#,
            "the namespace of the provided object does not match the namespace sent on the request",
        ),
    ];
    for (body, want) in cases {
        let r = http(&s, "POST", cms, JSON, body).await;
        assert_eq!(status(&r), (400, "BadRequest".into(), want.to_string()));
    }
    let r = http(
        &s,
        "POST",
        &cms.replace("/api/v1/", "/apis/apps/v1/")
            .replace("/configmaps", "/deployments"),
        JSON,
        r#"{"apiVersion":"apps/v1beta1","kind":"Deployment","metadata":{"name":"x"}}"#,
    )
    .await;
    assert_eq!(
        message(&r),
        "the API version in the data (apps/v1beta1) does not match the expected API version (apps/v1)"
    );
    let cm = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}"#;
    assert_eq!(http(&s, "POST", cms, JSON, cm).await.code, 201);
    let unnamed = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}"#;
    let r = http(&s, "PUT", &format!("{cms}/a"), JSON, unnamed).await;
    assert_eq!(
        status(&r),
        (
            400,
            "BadRequest".into(),
            "the name of the object () does not match the name on the URL (a)".into()
        )
    );
    let r = http(&s, "POST", cms, JSON, unnamed).await;
    assert_eq!(
        status(&r),
        (
            422,
            "Invalid".into(),
            r#"ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required"#.into()
        )
    );
    let r = http(
        &s,
        "PATCH",
        &format!("{cms}/a"),
        "application/merge-patch+json",
        r#"{"data":{"k":1}}"#,
    )
    .await;
    let (code, reason, m) = status(&r);
    assert_eq!((code, reason.as_str()), (422, "Invalid"));
    assert!(
        m.starts_with(
            r#" "" is invalid: patch: Invalid value: "{\"apiVersion\":\"v1\",\"data\":{\"k\":1},"#
        ) && m.ends_with(
            r#"": json: cannot unmarshal number into Go struct field ConfigMap.data of type string"#
        ),
        "{m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_selectors_options_and_patches() {
    let s = server().await;
    let cms = configmaps(&s, "bad-selectors-options-and-patches").await;
    let cms = cms.as_str();
    let cases: &[(&str, &str)] = &[
        (
            "labelSelector=a%20in%20(b",
            "unable to parse requirement: found '', expected: ',' or ')'",
        ),
        (
            "labelSelector=a%20b",
            "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt",
        ),
        (
            "labelSelector=a,",
            "found '', expected: identifier after ','",
        ),
        (
            "fieldSelector=spec.foo%3D1",
            r#""spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace""#,
        ),
        (
            "fieldSelector=metadata.name",
            "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
        ),
        (
            "limit=x",
            r#"strconv.ParseInt: parsing "x": invalid syntax"#,
        ),
    ];
    for (query, want) in cases {
        let r = http(&s, "GET", &format!("{cms}?{query}"), JSON, "").await;
        assert_eq!(
            status(&r),
            (400, "BadRequest".into(), want.to_string()),
            "{query}"
        );
    }
    let cm = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}"#;
    let invalid: &[(&str, &str, &str, &str)] = &[
        (
            "POST",
            cms,
            "fieldValidation=Foo",
            r#"CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Foo": supported values: "", "Ignore", "Strict", "Warn""#,
        ),
        (
            "POST",
            cms,
            "dryRun=x",
            r#"CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"x"}: supported values: "All""#,
        ),
        (
            "PUT",
            &format!("{cms}/a"),
            "fieldValidation=x",
            r#"UpdateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "x": supported values: "", "Ignore", "Strict", "Warn""#,
        ),
    ];
    for (method, path, query, want) in invalid {
        let r = http(&s, method, &format!("{path}?{query}"), JSON, cm).await;
        assert_eq!(status(&r), (422, "Invalid".into(), want.to_string()));
    }
    assert_eq!(http(&s, "POST", cms, JSON, cm).await.code, 201);
    let a = format!("{cms}/a");
    let patches: &[(&str, &str, u16, &str)] = &[
        (
            "application/apply-patch+yaml",
            "{}",
            422,
            r#"PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch"#,
        ),
        ("application/merge-patch+json", "{}", 0, ""),
        (
            "application/merge-patch+json",
            "{",
            400,
            "error decoding patch: unexpected end of JSON input",
        ),
        (
            "application/json-patch+json",
            "{}",
            400,
            "error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp",
        ),
        (
            "application/strategic-merge-patch+json",
            "[1]",
            400,
            "json: cannot unmarshal array into Go value of type map[string]interface {}",
        ),
    ];
    for (media, body, code, want) in patches {
        let r = http(&s, "PATCH", &a, media, body).await;
        if *code == 0 {
            assert_eq!(r.code, 200, "{}", r.body);
            continue;
        }
        assert_eq!(
            (r.code, message(&r)),
            (*code, want.to_string()),
            "{media} {body}"
        );
    }
    let r = http(
        &s,
        "PATCH",
        &format!("{a}?force=true"),
        "application/merge-patch+json",
        "{}",
    )
    .await;
    assert_eq!(
        message(&r),
        r#"PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch"#
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_shows_the_servers_errors() {
    let s = server().await;
    let k = Kubectl::new(&s, "bad").await;
    let r = k.run(&["get", "cm", "-l", "a in (b"]).await;
    assert!(
        r.stderr
            .contains("unable to parse requirement: found '', expected: ',' or ')'"),
        "{r:?}"
    );
    let r = k
        .run(&["get", "cm", "--field-selector", "spec.foo=1"])
        .await;
    assert!(
        r.stderr.contains(
            r#""spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace""#
        ),
        "{r:?}"
    );
    let lower = "apiVersion: v1\nkind: configmap\nmetadata: {name: x}\n";
    let r = k.run_stdin(&["apply", "-f", "-"], lower).await;
    assert!(
        r.stderr.contains(
            r#"Error from server (BadRequest): error when creating "STDIN": configmap in version "v1" cannot be handled as a ConfigMap: no kind "configmap" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30""#
        ),
        "{r:?}"
    );
    let unnamed = "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n";
    let r = k.run_stdin(&["create", "-f", "-"], unnamed).await;
    assert!(
        r.stderr.contains(
            r#"The ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required"#
        ),
        "{r:?}"
    );
    let file = s.dir().join("bad.json");
    std::fs::write(&file, "{not json").expect("write");
    let path = file.to_string_lossy().into_owned();
    let r = k
        .run(&[
            "create",
            "--raw",
            &format!("/api/v1/namespaces/{}/configmaps", k.namespace),
            "-f",
            &path,
        ])
        .await;
    assert!(
        r.stderr.contains(&format!(
            "Error from server (BadRequest): {UNRECOGNIZED}couldn't get version/kind; json parse error: invalid character 'n' looking for beginning of object key string ({{not json)"
        )),
        "{r:?}"
    );
}

const WIDGET_SCHEMA: &str = "type: object
properties:
  spec:
    type: object
    properties:
      size: {type: integer}
      free: {type: object, x-kubernetes-preserve-unknown-fields: true}
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_resource_bodies() {
    let s = server().await;
    let k = Kubectl::new(&s, "crs").await;
    let group = s.group("example.com");
    let fix = |text: &str| text.replace("example.com", &group);
    let crd = crd_yaml(&group, "Widget", false, WIDGET_SCHEMA);
    k.install_crd(&crd, &format!("widgets.{group}")).await;
    let path = fix(&format!(
        "/apis/example.com/v1/namespaces/{}/widgets",
        k.namespace
    ));
    let cases: &[(&str, u16, &str)] = &[
        (
            r#"{"apiVersion":"other.com/v1","kind":"Widget","metadata":{"name":"a"}}"#,
            400,
            r#"Widget in version "v1" cannot be handled as a Widget: other.com/v1, Kind=Widget is unstructured and is not suitable for converting to "example.com/v1""#,
        ),
        (
            r#"{"apiVersion":"example.com/v9","kind":"Widget","metadata":{"name":"a"}}"#,
            400,
            r#"Widget in version "v9" cannot be handled as a Widget: request to convert CR from an invalid group/version: example.com/v9"#,
        ),
        (
            r#"{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"a"}}"#,
            422,
            r#"Widget.example.com "a" is invalid: kind: Invalid value: "Gadget": must be Widget"#,
        ),
        (
            r#"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"a","labels":{"x":1}}}"#,
            400,
            r#"Widget in version "v1" cannot be handled as a Widget: json: cannot unmarshal number into Go struct field ObjectMeta.labels of type string"#,
        ),
    ];
    for (body, code, want) in cases {
        let r = http(&s, "POST", &path, JSON, &fix(body)).await;
        assert_eq!((r.code, message(&r)), (*code, fix(want)), "{body}");
    }
    let unknown = r#"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"a","bogus":1},"spec":{"size":1,"bogus":2,"free":{"any":1}}}"#;
    let r = http(
        &s,
        "POST",
        &format!("{path}?fieldValidation=Strict"),
        JSON,
        &fix(unknown),
    )
    .await;
    assert_eq!(
        message(&r),
        r#"Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "metadata.bogus", unknown field "spec.bogus""#
    );
    let r = http(
        &s,
        "PATCH",
        &format!("{path}/a?fieldManager=m"),
        "application/apply-patch+yaml",
        &fix(
            "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nspec: {size: 1, bogus: 2, free: {any: 1}}\n",
        ),
    )
    .await;
    let st = r.json();
    assert_eq!(
        (r.code, st.get("reason"), message(&r)),
        (
            500,
            None,
            fix(
                "failed to create typed patch object (/a; example.com/v1, Kind=Widget): .spec.bogus: field not declared in schema"
            )
        )
    );
}
