//! Runs one template through the real `helm template` (a tiny chart built in a temp dir) and
//! through fluxion-helm, and compares the rendered text, or the error message when both fail.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use std::collections::BTreeMap;

use fluxion_helm::engine::{errors, strip_no_value};
use fluxion_helm::template::{Dict, FuncMap, MissingKey, Templates, Value};

/// One differential case: a template body and the chart's values (as JSON).
pub struct Case {
    pub name: &'static str,
    pub template: &'static str,
    pub values: &'static str,
}

pub const fn case(name: &'static str, template: &'static str, values: &'static str) -> Case {
    Case {
        name,
        template,
        values,
    }
}

const FILE: &str = "c/templates/x.yaml";
// The rendered file always starts a YAML sequence that cannot be a Kubernetes object, so
// helm fails its manifest check and, under --debug, prints the raw rendered text.
const PREFIX: &str = "- >>>|";
const SUFFIX: &str = "|<<<";

/// The helm binary, installed by `scripts/install-helm`. Missing helm fails the test.
pub fn helm() -> &'static Path {
    fluxion_testkit::tools::helm().expect("helm from scripts/install-helm")
}

fn file_content(case: &Case) -> String {
    format!("{PREFIX}{}{SUFFIX}", case.template)
}

fn run_helm(case: &Case) -> Result<String, String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let chart = dir.path().join("c");
    std::fs::create_dir_all(chart.join("templates")).expect("chart dirs");
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .expect("Chart.yaml");
    std::fs::write(chart.join("values.yaml"), case.values).expect("values.yaml");
    std::fs::write(chart.join("templates/x.yaml"), file_content(case)).expect("template");
    let out = Command::new(helm())
        .args(["template", "t"])
        .arg(&chart)
        .arg("--debug")
        .output()
        .expect("run helm");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let header = format!("---\n# Source: {FILE}\n");
    if let Some(body) = stdout.strip_prefix(&header) {
        return Ok(body.strip_suffix('\n').unwrap_or(body).to_string());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    match stderr.find("Error: ") {
        Some(i) => Err(stderr[i + "Error: ".len()..].trim_end().to_string()),
        None => Err(format!(
            "unexpected helm output: stdout={stdout:?} stderr={stderr:?}"
        )),
    }
}

/// Helm's top-level data for a root chart, as far as these cases use it.
fn helm_data(values_json: &str) -> Value {
    let json: serde_json::Value = serde_json::from_str(values_json).expect("values are JSON");
    let values = match Value::from_json(&json) {
        Value::Dict(d) => Dict::named("common.Values", d.borrow().clone()),
        _ => Dict::named("common.Values", BTreeMap::new()),
    };
    let release = Value::dict([
        ("Name".to_string(), Value::from("t")),
        ("Namespace".to_string(), Value::from("default")),
        ("IsInstall".to_string(), Value::Bool(true)),
        ("IsUpgrade".to_string(), Value::Bool(false)),
        ("Revision".to_string(), Value::Int(1)),
        ("Service".to_string(), Value::from("Helm")),
    ]);
    let mut template = BTreeMap::new();
    template.insert("Name".to_string(), Value::from(FILE));
    template.insert("BasePath".to_string(), Value::from("c/templates"));
    let mut top = BTreeMap::new();
    top.insert("Values".to_string(), Value::Dict(values));
    top.insert("Release".to_string(), release);
    top.insert(
        "Template".to_string(),
        Value::Dict(Dict::named("common.Values", template)),
    );
    Value::Dict(Dict::named("common.Values", top))
}

fn run_ours(case: &Case) -> Result<String, String> {
    static FUNCS: OnceLock<Arc<FuncMap>> = OnceLock::new();
    let funcs = FUNCS.get_or_init(|| Arc::new(fluxion_helm::sprig::funcs()));
    let mut set = Templates::with_funcs("gotpl", Arc::clone(funcs));
    set.set_missing_key(MissingKey::Zero);
    set.parse(FILE, &file_content(case))
        .map_err(|e| errors::parse_error(FILE, &e))?;
    let out = set
        .execute(FILE, &helm_data(case.values))
        .map_err(|e| errors::exec_error(FILE, &e))?;
    Ok(strip_no_value(&out))
}

/// Runs every case against both engines (in parallel) and fails listing each mismatch.
pub fn check_all(group: &str, cases: &[Case]) {
    let next = AtomicUsize::new(0);
    let results: Vec<(usize, Option<String>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(case) = cases.get(i) else {
                            return done;
                        };
                        let (theirs, ours) = (run_helm(case), run_ours(case));
                        let verdict = (theirs != ours).then(|| {
                            format!(
                                "case {}: template {:?}\n  helm: {theirs:?}\n  ours: {ours:?}",
                                case.name, case.template
                            )
                        });
                        done.push((i, verdict));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect()
    });
    let failures: Vec<&String> = results.iter().filter_map(|(_, v)| v.as_ref()).collect();
    eprintln!(
        "{group}: {}/{} cases match helm",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} {group} cases differ from helm:\n{}",
        failures.len(),
        cases.len(),
        failures
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
