//! Differential tests of values.schema.json validation against the real `helm template`
//! (Helm v4, jsonschema v6): each case is a one-template chart with a schema and values,
//! rendered by both binaries; stdout on success, or the whole `Error: ...` text, must match.
//! Remote `$ref`s are served by a real HTTP server on 127.0.0.1:0.

#[allow(dead_code)]
#[path = "../charts/harness.rs"]
mod harness;

mod cases;
mod cases_refs;
mod server;
mod tls;

use std::path::Path;

use harness::{Run, run_args};

/// One case: a schema, the chart's values.yaml and extra `helm template` arguments.
pub struct Case {
    pub name: &'static str,
    pub schema: String,
    pub values: &'static str,
    pub args: &'static [&'static str],
}

pub fn case(name: &'static str, schema: &str, values: &'static str) -> Case {
    Case {
        name,
        schema: schema.to_string(),
        values,
        args: &[],
    }
}

pub fn case_args(
    name: &'static str,
    schema: &str,
    values: &'static str,
    args: &'static [&'static str],
) -> Case {
    Case {
        args,
        ..case(name, schema, values)
    }
}

/// Writes each case as chart `<dir>/<name>` and returns the runs over them.
fn write_charts(dir: &Path, cases: &[Case]) -> Vec<Run> {
    cases
        .iter()
        .map(|c| {
            let chart = dir.join(c.name);
            std::fs::create_dir_all(chart.join("templates")).expect("chart dir");
            let meta = format!("apiVersion: v2\nname: {}\nversion: 0.1.0\n", c.name);
            std::fs::write(chart.join("Chart.yaml"), meta).expect("Chart.yaml");
            std::fs::write(chart.join("values.yaml"), c.values).expect("values.yaml");
            std::fs::write(chart.join("values.schema.json"), &c.schema).expect("schema");
            std::fs::write(
                chart.join("templates/cm.yaml"),
                "kind: ConfigMap\ndata:\n  values: {{ toJson .Values | quote }}\n",
            )
            .expect("template");
            let mut args = vec!["rel", c.name];
            args.extend(c.args);
            run_args(c.name, &args)
        })
        .collect()
}

/// Runs the cases; those named `*-ok` must render (so they do not pass by failing alike).
fn check(group: &str, cases: &[Case]) {
    let mut seen = std::collections::HashSet::new();
    for c in cases {
        assert!(seen.insert(c.name), "duplicate case name {}", c.name);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let runs = write_charts(dir.path(), cases);
    harness::check_all(group, &runs, dir.path());
    for (c, r) in cases.iter().zip(&runs) {
        if c.name.ends_with("-ok") {
            harness::assert_renders(r, dir.path());
        }
    }
}

#[test]
fn keywords_match_helm() {
    check("schema keywords", &cases::keywords());
}

#[test]
fn drafts_match_helm() {
    check("schema drafts", &cases::drafts());
}

#[test]
fn references_match_helm() {
    check("schema references", &cases_refs::references());
}

#[test]
fn broken_schemas_match_helm() {
    check("broken schemas", &cases_refs::broken());
}

#[test]
fn remote_references_match_helm() {
    let srv = server::Server::start(&[
        ("/str.json", 200, r#"{"type": "string"}"#),
        (
            "/defs.json",
            200,
            r#"{"$defs": {"port": {"type": "integer", "maximum": 65535}}}"#,
        ),
        ("/gone.json", 404, "not here"),
    ]);
    let closed = server::closed_port();
    let cases = cases_refs::remote(&srv.base(), closed);
    check("remote references", &cases);
    assert!(
        srv.hits() >= 8,
        "helm and fluxion fetched the referenced documents"
    );
}

/// An umbrella chart with a schema whose subchart has its own, for Helm's per-chart blocks.
fn write_umbrella(dir: &Path) {
    let sub = dir.join("umbrella/charts/sub");
    std::fs::create_dir_all(sub.join("templates")).expect("chart dirs");
    std::fs::create_dir_all(dir.join("umbrella/templates")).expect("chart dirs");
    let files = [
        (
            "umbrella/Chart.yaml",
            "apiVersion: v2\nname: umbrella\nversion: 0.1.0\ndependencies:\n  - name: sub\n    version: 0.1.0\n",
        ),
        ("umbrella/values.yaml", "replicas: 1\nsub:\n  port: 80\n"),
        (
            "umbrella/values.schema.json",
            r#"{"properties": {"replicas": {"type": "integer", "minimum": 1}}}"#,
        ),
        (
            "umbrella/templates/cm.yaml",
            "kind: ConfigMap\ndata:\n  replicas: {{ .Values.replicas | quote }}\n",
        ),
        (
            "umbrella/charts/sub/Chart.yaml",
            "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        ),
        ("umbrella/charts/sub/values.yaml", "port: 80\n"),
        (
            "umbrella/charts/sub/values.schema.json",
            r#"{"properties": {"port": {"type": "integer", "maximum": 65535}}, "required": ["port"]}"#,
        ),
        (
            "umbrella/charts/sub/templates/svc.yaml",
            "kind: Service\nport: {{ .Values.port }}\n",
        ),
    ];
    for (path, text) in files {
        std::fs::write(dir.join(path), text).expect("chart file");
    }
}

#[test]
fn subchart_schemas_match_helm() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_umbrella(dir.path());
    let runs = vec![
        run_args("sub-ok", &["rel", "umbrella"]),
        run_args(
            "sub-violation",
            &["rel", "umbrella", "--set", "sub.port=70000"],
        ),
        run_args(
            "parent-violation",
            &["rel", "umbrella", "--set", "replicas=0"],
        ),
        run_args(
            "both-violate",
            &[
                "rel",
                "umbrella",
                "--set",
                "replicas=0",
                "--set",
                "sub.port=x",
            ],
        ),
        run_args(
            "sub-required",
            &["rel", "umbrella", "--set", "sub.port=null"],
        ),
        run_args("sub-not-a-map", &["rel", "umbrella", "--set", "sub=flat"]),
    ];
    harness::check_all("subchart schemas", &runs, dir.path());
    harness::assert_renders(&runs[0], dir.path());
}

#[test]
fn file_references_match_helm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let defs = dir.path().join("defs.json");
    std::fs::write(
        &defs,
        r#"{"definitions": {"name": {"type": "string", "minLength": 3}}}"#,
    )
    .expect("defs");
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, r#"{"type": "strin"}"#).expect("broken");
    let cases = cases_refs::files(
        &format!("file://{}", defs.display()),
        &format!("file://{}", broken.display()),
    );
    check("file references", &cases);
}

#[test]
fn https_references_match_helm() {
    let ca = fluxion_testkit::TestCa::generate().expect("test CA");
    let config = ca.server_config(false).expect("server config");
    let srv = tls::TlsServer::start(config, r#"{"type": "string"}"#);
    let dir = tempfile::tempdir().expect("temp dir");
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca.ca_pem).expect("ca file");
    let schema = format!(
        r#"{{"properties": {{"a": {{"$ref": "https://127.0.0.1:{}/str.json"}}}}}}"#,
        srv.port
    );
    let mut outcomes = Vec::new();
    for (name, values) in [("https-ok", "a: text\n"), ("https-violation", "a: 1\n")] {
        let chart = dir.path().join(name);
        std::fs::create_dir_all(chart.join("templates")).expect("chart dir");
        let meta = format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n");
        std::fs::write(chart.join("Chart.yaml"), meta).expect("Chart.yaml");
        std::fs::write(chart.join("values.yaml"), values).expect("values");
        std::fs::write(chart.join("values.schema.json"), &schema).expect("schema");
        std::fs::write(chart.join("no-roots.pem"), "").expect("empty roots");
        std::fs::write(chart.join("templates/cm.yaml"), "a: {{ .Values.a }}\n").expect("template");
        for ca in [Some(ca_file.as_path()), None] {
            let helm = tls::run(harness::helm(), &chart, ca);
            let ours = tls::run(Path::new(env!("CARGO_BIN_EXE_fluxion-helm")), &chart, ca);
            assert_eq!(helm, ours, "{name} (trusted: {})", ca.is_some());
            outcomes.push(helm.0);
        }
    }
    // Trusted and valid renders; untrusted, or trusted but violating, fails.
    assert_eq!(outcomes, vec![true, false, false, false]);
}
