//! Bad requests get the status codes and Status bodies of a real server.

use crate::support::{http, server};

const JSON: &str = "application/json";

fn cm(name: &str) -> String {
    format!(r#"{{"apiVersion":"v1","kind":"ConfigMap","metadata":{{"name":"{name}"}}}}"#)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_status_bodies() {
    let s = server().await;
    let path = format!(
        "/api/v1/namespaces/{}/configmaps",
        s.namespace("errors").await
    );
    let path = path.as_str();
    let r = http(&s, "POST", path, JSON, "{not json").await;
    assert_eq!(r.code, 400);
    let st = r.json();
    assert_eq!(
        (
            st["kind"].as_str(),
            st["status"].as_str(),
            st["reason"].as_str(),
            st["code"].as_u64()
        ),
        (
            Some("Status"),
            Some("Failure"),
            Some("BadRequest"),
            Some(400)
        )
    );
    let r = http(&s, "POST", path, "application/yaml", "a: [unclosed").await;
    assert_eq!(r.code, 400, "{}", r.body);
    let r = http(
        &s,
        "POST",
        path,
        "application/yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: yml}\ndata: {a: b}\n",
    )
    .await;
    assert_eq!(r.code, 201, "YAML bodies are accepted: {}", r.body);
    let r = http(
        &s,
        "POST",
        path,
        JSON,
        r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"}}"#,
    )
    .await;
    assert_eq!(r.code, 400);
    assert_eq!(
        r.json()["message"],
        "Deployment in version \"v1\" cannot be handled as a ConfigMap: converting (v1.Deployment) to (core.ConfigMap): unknown conversion"
    );
    let r = http(
        &s,
        "POST",
        path,
        JSON,
        r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}"#,
    )
    .await;
    assert_eq!(r.code, 400, "{}", r.body);
    let r = http(
        &s,
        "POST",
        path,
        JSON,
        r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"other"}}"#,
    )
    .await;
    assert_eq!(r.code, 400);
    assert_eq!(
        r.json()["message"],
        "the namespace of the provided object does not match the namespace sent on the request"
    );
    let r = http(
        &s,
        "POST",
        path,
        JSON,
        r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}"#,
    )
    .await;
    assert_eq!(r.code, 422);
    let st = r.json();
    assert_eq!(st["reason"], "Invalid");
    assert_eq!(
        st["message"],
        r#"ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required"#
    );
    assert_eq!(st["details"]["causes"][0]["field"], "metadata.name");
    let r = http(&s, "POST", path, JSON, &cm("Bad_Name")).await;
    assert_eq!(r.code, 422);
    let r = http(
        &s,
        "POST",
        "/api/v1/namespaces/nowhere/configmaps",
        JSON,
        &cm("a"),
    )
    .await;
    assert_eq!(
        (r.code, r.json()["message"].as_str()),
        (404, Some(r#"namespaces "nowhere" not found"#))
    );
    let r = http(
        &s,
        "GET",
        &format!("{path}?labelSelector=a%20in%20(b"),
        JSON,
        "",
    )
    .await;
    assert_eq!(r.code, 400);
    let r = http(&s, "GET", "/apis/nothing.example.com/v1/things", JSON, "").await;
    assert_eq!(
        (r.code, r.json()["reason"].as_str()),
        (404, Some("NotFound"))
    );
    let r = http(&s, "POST", &format!("{path}/named"), JSON, &cm("named")).await;
    assert_eq!(
        (r.code, r.json()["reason"].as_str()),
        (405, Some("MethodNotAllowed"))
    );
    let r = http(&s, "PATCH", &format!("{path}/yml"), "text/plain", "{}").await;
    assert_eq!(
        (r.code, r.json()["reason"].as_str()),
        (415, Some("UnsupportedMediaType"))
    );
    let r = http(&s, "PUT", &format!("{path}/yml"), JSON, &cm("z")).await;
    assert_eq!(r.code, 400, "name mismatch: {}", r.body);
    let r = http(
        &s,
        "PUT",
        &format!("{path}/yml"),
        JSON,
        r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"yml","resourceVersion":"1"}}"#,
    )
    .await;
    assert_eq!(
        (r.code, r.json()["reason"].as_str()),
        (409, Some("Conflict"))
    );
    let r = http(&s, "GET", &format!("{path}/yml"), JSON, "").await;
    assert_eq!(r.code, 200);
    assert!(
        r.headers
            .iter()
            .any(|(k, v)| k == "content-type" && v == "application/json")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_and_health() {
    let s = server().await;
    for p in ["/healthz", "/readyz", "/livez"] {
        assert_eq!(http(&s, "GET", p, JSON, "").await.body, "ok");
    }
    let v = http(&s, "GET", "/version", JSON, "").await.json();
    assert_eq!(v["major"], "1");
    let api = http(&s, "GET", "/api", JSON, "").await.json();
    assert_eq!(api["versions"][0], "v1");
    let groups = http(&s, "GET", "/apis", JSON, "").await.json();
    assert!(
        groups["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .any(|g| g["name"] == "apps")
    );
    let apps = http(&s, "GET", "/apis/apps/v1", JSON, "").await.json();
    assert_eq!(apps["kind"], "APIResourceList");
    assert!(
        apps["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .any(|r| r["name"] == "deployments/status")
    );
    let idx = http(&s, "GET", "/openapi/v3", JSON, "").await.json();
    let url = idx["paths"]["apis/apps/v1"]["serverRelativeURL"]
        .as_str()
        .expect("apps/v1 document")
        .to_string();
    let doc = http(&s, "GET", &url, JSON, "").await.json();
    assert!(doc["components"]["schemas"]["io.k8s.api.apps.v1.Deployment"].is_object());
}
