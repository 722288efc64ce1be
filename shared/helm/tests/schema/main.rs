//! Differential tests of values.schema.json validation against the real `helm template`
//! (Helm v4, jsonschema v6): each case is a one-template chart with a schema and values,
//! rendered by both binaries; stdout on success, or the whole `Error: ...` text, must match.
//! Remote `$ref`s are served by a real HTTP server on 127.0.0.1:0.

#[allow(dead_code)]
#[path = "../charts/harness.rs"]
mod harness;

mod cases;
mod server;

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

fn check(group: &str, cases: &[Case]) {
    let mut seen = std::collections::HashSet::new();
    for c in cases {
        assert!(seen.insert(c.name), "duplicate case name {}", c.name);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let runs = write_charts(dir.path(), cases);
    harness::check_all(group, &runs, dir.path());
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
    check("schema references", &cases::references());
}

#[test]
fn broken_schemas_match_helm() {
    check("broken schemas", &cases::broken());
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
    let cases = cases::remote(&srv.base(), closed);
    check("remote references", &cases);
    assert!(
        srv.hits() >= 8,
        "helm and fluxion fetched the referenced documents"
    );
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
    let cases = cases::files(&format!("file://{}", defs.display()));
    check("file references", &cases);
}
