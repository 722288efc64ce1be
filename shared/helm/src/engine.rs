//! Helm's rendering engine (Go package `helm.sh/helm/v4/pkg/engine`): how Helm runs the
//! template language over a chart: Helm's wording of template errors ([`errors`]) and its
//! functions ([`funcs`]: include, tpl, required, fail, lookup, the YAML/JSON converters).

pub mod capabilities;
pub mod errors;
pub mod files;
pub mod funcs;
pub mod render;
pub mod render_template;
pub mod render_values;

/// `.Template` as Helm sets it before rendering each file: a `common.Values` map with the
/// file's `Name` (`chart/templates/x.yaml`) and the chart's templates `BasePath`.
pub fn template_value(name: &str, base_path: &str) -> crate::template::Value {
    use crate::template::{Dict, Value};
    let mut entries = std::collections::BTreeMap::new();
    entries.insert("Name".to_string(), Value::from(name));
    entries.insert("BasePath".to_string(), Value::from(base_path));
    Value::Dict(Dict::named("common.Values", entries))
}

/// Helm drops every `<no value>` from rendered output (its `missingkey=zero` workaround).
pub fn strip_no_value(rendered: &str) -> String {
    rendered.replace("<no value>", "")
}
