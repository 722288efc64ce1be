//! Renders a chart as `helm install --dry-run` / `helm template` does: dependencies
//! processed for the values, values coalesced, every non-partial template of every enabled
//! chart executed, NOTES.txt set apart, then documents split into sorted manifests and hooks.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value as Json};

use super::capabilities::Capabilities;
use super::errors;
use super::funcs::{HelmFuncOptions, helm_funcs};
use super::render_values::{ReleaseInfo, Renderable, collect_templates, values_dict};
use super::strip_no_value;
use crate::chart::Chart;
use crate::release::{Hook, Manifest, Prefetch, render_with_prefetch, sort_prefetched};
use crate::template::{MissingKey, Templates, Value};
use crate::values::{coalesce_values, deps, process_dependencies};

const NOTES_SUFFIX: &str = "NOTES.txt";

/// What a render needs besides the chart and values.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub release: ReleaseInfo,
    pub capabilities: Capabilities,
    /// Helm's `--strict` (`missingkey=error`).
    pub strict: bool,
    /// Keep the NOTES.txt of subcharts too (Helm's `--render-subchart-notes`).
    pub sub_notes: bool,
    /// Functions' configuration (lookup client, DNS).
    pub funcs: HelmFuncOptions,
}

/// A CRD file from a crds/ directory, named by its full path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crd {
    pub name: String,
    pub content: String,
}

/// A rendered chart.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Plain manifests in install order.
    pub manifests: Vec<Manifest>,
    /// Hooks, sorted by kind (a controller orders each event's hooks by weight).
    pub hooks: Vec<Hook>,
    /// The rendered NOTES.txt.
    pub notes: String,
    pub crds: Vec<Crd>,
    /// The values the chart rendered with (coalesced), for release storage.
    pub values: Map<String, Json>,
}

/// Why a chart did not render, with Helm's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// Before any template ran (chart, dependencies, values, schema).
    #[error("{0}")]
    Prepare(String),
    /// A template failed, or its output is not valid YAML.
    #[error("{0}")]
    Render(String),
}

/// Renders `chart` with user `values` (already merged from -f and --set*).
pub fn render(
    chart: &Chart,
    values: Map<String, Json>,
    opts: &RenderOptions,
) -> Result<Rendered, RenderError> {
    let prep = RenderError::Prepare;
    let mut chart = chart.clone();
    process_dependencies(&mut chart, &values)
        .map_err(|e| prep(format!("chart dependencies processing failed: {}", e.0)))?;
    let vals = coalesce_values(&chart, values).map_err(|e| prep(e.0))?;
    if let Err(e) = crate::values::schema::validate_chart(&chart, &vals) {
        return Err(prep(format!(
            "values don't meet the specifications of the schema(s) in the following chart(s):\n{e}"
        )));
    }
    // Helm checks kubeVersion when it renders, after the values are validated.
    let kube = opts.capabilities.kube_version.string().to_string();
    if !chart.metadata.kube_version.is_empty()
        && !deps::is_compatible_range(&chart.metadata.kube_version, &kube)
    {
        return Err(RenderError::Render(format!(
            "chart requires kubeVersion: {} which is incompatible with Kubernetes {kube}",
            chart.metadata.kube_version
        )));
    }
    // Documents are decoded for sorting while later templates still render.
    let (files, decoded) = render_with_prefetch(|p| render_files(&chart, &vals, opts, p));
    let files = files.map_err(RenderError::Render)?;
    let (notes, files) = split_notes(files, chart.name(), opts.sub_notes);
    let (hooks, manifests) = sort_prefetched(&files, decoded).map_err(RenderError::Render)?;
    let crds = chart
        .crd_objects(chart.name())
        .into_iter()
        .map(|(name, f)| Crd {
            name,
            content: String::from_utf8_lossy(&f.data).into_owned(),
        })
        .collect();
    Ok(Rendered {
        manifests,
        hooks,
        notes,
        crds,
        values: vals,
    })
}

/// Helm's template order: deeper paths first, then reverse lexical, so the parent's
/// `define`s (parsed last) win.
fn template_order(names: &mut [String]) {
    names.sort_by(|a, b| {
        let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
        cb.cmp(&ca).then_with(|| b.cmp(a))
    });
}

/// Executes every template; returns rendered text by template path. Each rendered
/// manifest file is also handed to `prefetch` for decoding.
fn render_files(
    chart: &Chart,
    vals: &Map<String, Json>,
    opts: &RenderOptions,
    prefetch: &Prefetch,
) -> Result<BTreeMap<String, String>, String> {
    let mut tpls: BTreeMap<String, Renderable> = BTreeMap::new();
    let release = opts.release.to_value();
    let caps = opts.capabilities.to_value();
    let root_values = Value::Dict(values_dict(vals));
    collect_templates(
        chart,
        chart.name(),
        root_values,
        &release,
        &caps,
        true,
        &mut tpls,
    );
    let mut func_opts = opts.funcs.clone();
    func_opts.strict = opts.strict;
    let funcs = Arc::new(helm_funcs(func_opts));
    let mut set = Templates::with_funcs("gotpl", funcs);
    set.set_missing_key(if opts.strict {
        MissingKey::Error
    } else {
        MissingKey::Zero
    });
    let mut keys: Vec<String> = tpls.keys().cloned().collect();
    template_order(&mut keys);
    for name in &keys {
        let r = &tpls[name];
        set.parse(name, &r.text)
            .map_err(|e| errors::parse_error(name, &e))?;
    }
    let mut out = BTreeMap::new();
    for name in &keys {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.starts_with('_') {
            continue;
        }
        let r = &tpls[name];
        r.data.insert(
            "Template",
            Value::Dict(crate::template::Dict::named(
                "common.Values",
                BTreeMap::from([
                    ("BasePath".to_string(), Value::from(r.base_path.as_str())),
                    ("Name".to_string(), Value::from(name.as_str())),
                ]),
            )),
        );
        let text = set
            .execute(name, &Value::Dict(r.data.clone()))
            .map_err(|e| errors::exec_error(name, &e))?;
        let text = strip_no_value(&text);
        if !name.ends_with(NOTES_SUFFIX) {
            prefetch.push(name, &text);
        }
        out.insert(name.clone(), text);
    }
    Ok(out)
}

/// Takes NOTES.txt files out of the rendered set; keeps the root's text (or every chart's).
fn split_notes(
    files: BTreeMap<String, String>,
    root: &str,
    sub_notes: bool,
) -> (String, BTreeMap<String, String>) {
    let root_notes = format!("{root}/templates/{NOTES_SUFFIX}");
    let mut notes = String::new();
    let mut rest = BTreeMap::new();
    for (k, v) in files {
        if k.ends_with(NOTES_SUFFIX) {
            if sub_notes || k == root_notes {
                if !notes.is_empty() {
                    notes.push('\n');
                }
                notes.push_str(&v);
            }
            continue;
        }
        rest.insert(k, v);
    }
    (notes, rest)
}
