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

/// Helm drops every `<no value>` from rendered output (its `missingkey=zero` workaround).
pub fn strip_no_value(rendered: &str) -> String {
    rendered.replace("<no value>", "")
}
