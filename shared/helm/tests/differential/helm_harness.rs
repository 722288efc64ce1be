//! The harness for Helm's own functions and objects: like `harness`, one template rendered
//! by `helm template` and by fluxion-helm, but with a values.yaml read by our YAML decoder,
//! extra chart files for `.Files`, `--kube-version`/`--api-versions` for `.Capabilities`,
//! and Helm's function map (`engine::funcs::helm_funcs`).

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use fluxion_helm::engine::capabilities::{Capabilities, HelmVersion, KubeVersion};
use fluxion_helm::engine::files::Files;
use fluxion_helm::engine::funcs::{HelmFuncOptions, helm_funcs};
use fluxion_helm::engine::{errors, strip_no_value};
use fluxion_helm::template::{Dict, FuncMap, MissingKey, Templates, Value};

/// One case: a template, values.yaml text and `helm template` flags.
pub struct HCase {
    pub name: &'static str,
    pub template: &'static str,
    pub values: &'static str,
    pub args: &'static [&'static str],
}

pub const fn hcase(name: &'static str, template: &'static str, values: &'static str) -> HCase {
    HCase {
        name,
        template,
        values,
        args: &[],
    }
}

pub const fn hcase_args(
    name: &'static str,
    template: &'static str,
    args: &'static [&'static str],
) -> HCase {
    HCase {
        name,
        template,
        values: "",
        args,
    }
}

const FILE: &str = "c/templates/x.yaml";
const PREFIX: &str = "- >>>|";
const SUFFIX: &str = "|<<<";

/// Non-template files of every test chart (what `.Files` holds).
pub const CHART_FILES: &[(&str, &str)] = &[
    ("files/a.txt", "line1\nline2\n"),
    ("files/b.conf", "x=1"),
    ("files/empty", ""),
    ("files/sub/c.txt", "deep"),
    ("files/data.yaml", "key: value\nlist:\n  - 1\n  - two\n"),
    ("files/data.json", "{\"k\": [1, \"<x>\"]}"),
    ("config/app.properties", "a=b\nc=d\n"),
    ("README.md", "# chart\n"),
];

fn file_content(case: &HCase) -> String {
    format!("{PREFIX}{}{SUFFIX}", case.template)
}

pub fn run_helm(case: &HCase) -> Result<String, String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let chart = dir.path().join("c");
    std::fs::create_dir_all(chart.join("templates")).expect("chart dirs");
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .expect("Chart.yaml");
    std::fs::write(chart.join("values.yaml"), case.values).expect("values.yaml");
    for (path, text) in CHART_FILES {
        let p = chart.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("file dir");
        std::fs::write(p, text).expect("chart file");
    }
    std::fs::write(chart.join("templates/x.yaml"), file_content(case)).expect("template");
    let out = Command::new(crate::harness::helm())
        .args(["template", "t"])
        .arg(&chart)
        .arg("--debug")
        .args(case.args)
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

/// The capabilities `helm template` uses for the case's flags.
fn capabilities(args: &[&str]) -> Capabilities {
    let mut kube = None;
    let mut apis = Vec::new();
    for pair in args.windows(2) {
        match pair[0] {
            "--kube-version" => kube = Some(KubeVersion::parse(pair[1]).expect("kube version")),
            "--api-versions" => apis.push(pair[1].to_string()),
            _ => {}
        }
    }
    let mut caps = Capabilities::offline(kube, &apis);
    caps.helm_version = HelmVersion {
        version: "v4.1.4".into(),
        git_commit: "05fa37973dc9e42b76e1d2883494c87174b6074f".into(),
        git_tree_state: "clean".into(),
        go_version: "go1.25.9".into(),
        kube_client_version: "v1.35".into(),
    };
    caps
}

fn top(case: &HCase) -> Result<Value, String> {
    // Helm reads values.yaml line by line (every line, the last too, ends in `\n`); the
    // cases hold one document.
    let docs = fluxion_helm::values::yaml::split_documents(case.values)?;
    let first = docs.first().map_or("", String::as_str);
    let values = fluxion_helm::yaml::from_yaml_map(first).map_err(|e| e.to_string())?;
    let named =
        |entries: BTreeMap<String, Value>| Value::Dict(Dict::named("common.Values", entries));
    let release = Value::dict([
        ("Name".to_string(), Value::from("t")),
        ("Namespace".to_string(), Value::from("default")),
        ("IsInstall".to_string(), Value::Bool(true)),
        ("IsUpgrade".to_string(), Value::Bool(false)),
        ("Revision".to_string(), Value::Int(1)),
        ("Service".to_string(), Value::from("Helm")),
    ]);
    let files = Files::new(
        CHART_FILES
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())),
    );
    let mut data = BTreeMap::new();
    data.insert("Values".to_string(), named(values.borrow().clone()));
    data.insert("Release".to_string(), release);
    data.insert("Files".to_string(), files.to_value());
    data.insert(
        "Capabilities".to_string(),
        capabilities(case.args).to_value(),
    );
    data.insert(
        "Template".to_string(),
        fluxion_helm::engine::template_value(FILE, "c/templates"),
    );
    Ok(named(data))
}

pub fn run_ours(case: &HCase) -> Result<String, String> {
    static FUNCS: OnceLock<Arc<FuncMap>> = OnceLock::new();
    let funcs = FUNCS.get_or_init(|| Arc::new(helm_funcs(HelmFuncOptions::default())));
    let mut set = Templates::with_funcs("gotpl", Arc::clone(funcs));
    set.set_missing_key(MissingKey::Zero);
    set.parse(FILE, &file_content(case))
        .map_err(|e| errors::parse_error(FILE, &e))?;
    let out = set
        .execute(FILE, &top(case)?)
        .map_err(|e| errors::exec_error(FILE, &e))?;
    Ok(strip_no_value(&out))
}

/// Runs every case against helm and fluxion-helm (in parallel); fails listing mismatches.
pub fn check_all(group: &str, cases: &[HCase]) {
    let next = AtomicUsize::new(0);
    let failures: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                // Unoptimized builds take far more stack per nesting level than helm's
                // own limits allow (10,000 levels): a release build needs the default.
                std::thread::Builder::new()
                    .stack_size(64 << 20)
                    .spawn_scoped(s, || {
                        let mut bad = Vec::new();
                        while let Some(case) = cases.get(next.fetch_add(1, Ordering::Relaxed)) {
                            let (theirs, ours) = (run_helm(case), run_ours(case));
                            if theirs != ours {
                                bad.push(format!(
                                    "case {}: template {:?}\n  helm: {theirs:?}\n  ours: {ours:?}",
                                    case.name, case.template
                                ));
                            }
                        }
                        bad
                    })
                    .expect("spawn worker")
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect()
    });
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
        failures.join("\n")
    );
}
