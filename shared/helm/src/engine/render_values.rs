//! The data each template executes on (Helm's `ToRenderValues` and `recAllTpls`): per chart
//! a map of `.Chart`, `.Files`, `.Release`, `.Capabilities`, `.Values` (scoped to the
//! chart) and `.Subcharts`, shared by that chart's templates.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use super::capabilities::Capabilities;
use super::files::Files;
use crate::chart::Chart;
use crate::template::{Dict, Value};

/// A values document as templates see it: integers from `--set` are int64, other numbers
/// float64, maps `map[string]interface {}`.
pub fn json_to_value(v: &Json) -> Value {
    match v {
        Json::Null => Value::Nil,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) if !n.is_f64() => Value::Int64(i),
            _ => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::from(s.as_str()),
        Json::Array(items) => Value::list(items.iter().map(json_to_value).collect()),
        Json::Object(m) => Value::Dict(Dict::from_map(map_entries(m))),
    }
}

fn map_entries(m: &Map<String, Json>) -> BTreeMap<String, Value> {
    m.iter()
        .map(|(k, v)| (k.clone(), json_to_value(v)))
        .collect()
}

/// `.Values` of the root chart (Go type `common.Values`).
pub fn values_dict(m: &Map<String, Json>) -> Dict {
    Dict::named("common.Values", map_entries(m))
}

/// The release a render is for (Helm's `ReleaseOptions`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseInfo {
    pub name: String,
    pub namespace: String,
    pub revision: i64,
    pub is_install: bool,
    pub is_upgrade: bool,
}

impl Default for ReleaseInfo {
    fn default() -> Self {
        ReleaseInfo {
            name: "release-name".to_string(),
            namespace: "default".to_string(),
            revision: 1,
            is_install: true,
            is_upgrade: false,
        }
    }
}

impl ReleaseInfo {
    pub fn to_value(&self) -> Value {
        Value::dict([
            ("IsInstall".to_string(), Value::Bool(self.is_install)),
            ("IsUpgrade".to_string(), Value::Bool(self.is_upgrade)),
            ("Name".to_string(), Value::from(self.name.as_str())),
            (
                "Namespace".to_string(),
                Value::from(self.namespace.as_str()),
            ),
            ("Revision".to_string(), Value::Int(self.revision)),
            ("Service".to_string(), Value::from("Helm")),
        ])
    }
}

/// One template to render: its full name, text, the chart's shared data and base path.
pub struct Renderable {
    pub text: String,
    pub data: Dict,
    pub base_path: String,
}

/// Collects every template of `chart` and its subcharts under its full path (Helm's
/// `recAllTpls`); returns the chart's data map.
pub fn collect_templates(
    chart: &Chart,
    full_path: &str,
    values: Value,
    release: &Value,
    caps: &Value,
    is_root: bool,
    out: &mut BTreeMap<String, Renderable>,
) -> Dict {
    let subcharts = Dict::new();
    let files = Files::new(chart.files.iter().map(|f| (f.name.clone(), f.data.clone())));
    let data = Dict::from_map(BTreeMap::from([
        ("Capabilities".to_string(), caps.clone()),
        ("Chart".to_string(), chart.metadata.to_value(is_root)),
        ("Files".to_string(), files.to_value()),
        ("Release".to_string(), release.clone()),
        ("Subcharts".to_string(), Value::Dict(subcharts.clone())),
        ("Values".to_string(), values.clone()),
    ]));
    for child in &chart.dependencies {
        // A child sees its own table of the parent's values, or an empty one.
        let child_values = match &values {
            Value::Dict(d) => match d.get(child.name()) {
                Some(Value::Dict(t)) => {
                    Value::Dict(Dict::named("common.Values", t.borrow().clone()))
                }
                _ => Value::Dict(Dict::named("common.Values", BTreeMap::new())),
            },
            _ => Value::Dict(Dict::named("common.Values", BTreeMap::new())),
        };
        let child_path = format!("{full_path}/charts/{}", child.name());
        let child_data =
            collect_templates(child, &child_path, child_values, release, caps, false, out);
        subcharts.insert(child.name(), Value::Dict(child_data));
    }
    for t in &chart.templates {
        let base = t.name.rsplit('/').next().unwrap_or(&t.name);
        if chart.is_library() && !base.starts_with('_') {
            continue;
        }
        out.insert(
            format!("{full_path}/{}", t.name),
            Renderable {
                text: String::from_utf8_lossy(&t.data).into_owned(),
                data: data.clone(),
                base_path: format!("{full_path}/templates"),
            },
        );
    }
    data
}

/// Capabilities as a template value.
pub fn caps_value(caps: &Capabilities) -> Value {
    caps.to_value()
}
